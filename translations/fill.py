#!/usr/bin/env python3
"""Fills hadeck_zh_CN.ts from zh_CN.py and reports any source text left without a translation.

Run after `cmake --build BUILD --target update_translations`. Exit status 1 when something is missing,
so a new tr() string cannot slip into a release untranslated.
"""
import os
import sys
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from zh_CN import ZH  # noqa: E402

path = os.path.join(here, 'hadeck_zh_CN.ts')
tree = ET.parse(path)
missing = []

for ctx in tree.getroot().findall('context'):
    cname = ctx.find('name').text
    for msg in ctx.findall('message'):
        src = msg.find('source').text or ''
        tr = msg.find('translation')
        if tr is None:
            tr = ET.SubElement(msg, 'translation')
        if src not in ZH:
            missing.append(f'{cname}: {src!r}')
            continue
        for child in list(tr):
            tr.remove(child)
        tr.attrib.pop('type', None)
        if msg.get('numerus') == 'yes':
            tr.text = None
            form = ET.SubElement(tr, 'numerusform')
            form.text = ZH[src]
        else:
            tr.text = ZH[src]
ET.indent(tree, space='    ')
with open(path, 'wb') as f:
    f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
    tree.write(f, encoding='utf-8', xml_declaration=False)
    f.write(b'\n')
for m in missing:
    print('untranslated:', m)
sys.exit(1 if missing else 0)
