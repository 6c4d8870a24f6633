#pragma once

// The one fixture loader: files captured from the real programs, under tests/data (every
// hadeck_add_test gets HADECK_TEST_DATA and this folder on its include path). Header only.

#include <QByteArray>
#include <QFile>
#include <QString>

#include <string>

namespace hadeck::test {

/// tests/data/@p relative, whole; a missing or unreadable fixture stops the test with its path.
inline QByteArray fixtureBytes(const QString& relative)
{
    QFile f(QStringLiteral(HADECK_TEST_DATA "/") + relative);
    if (!f.open(QIODevice::ReadOnly)) {
        qFatal("missing fixture %s", qPrintable(f.fileName()));
    }
    return f.readAll();
}

/// fixtureBytes() as the std::string the parsers take.
inline std::string fixture(const QString& relative) { return fixtureBytes(relative).toStdString(); }

} // namespace hadeck::test
