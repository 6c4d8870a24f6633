// The translation catalogs are the source of truth: translators edit the .ts
// files (Linguist or a translation platform), and this test keeps them whole.
// - zh_CN has no unfinished or empty message, numerus forms included;
// - en gives every numerus message its English singular and plural forms;
// - every text that the sources look up under an explicit context
//   (QCoreApplication::translate("Ctx", "text")) is in the catalog under that
//   context, so no text is looked up where the catalog does not have it;
// - every context declared with Q_DECLARE_TR_FUNCTIONS has messages.

#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Message {
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    bool unfinished = false;
    bool vanished = false;
    QStringList forms; // the translation, or its numerus forms
};

QList<Message> readTs(const QString& path, QString* error)
{
    QList<Message> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open ") + path;
        return out;
    }
    QXmlStreamReader xml(&f);
    QString context;
    Message m;
    bool inMessage = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name") && !inMessage) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                m = Message{};
                m.context = context;
                m.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
                inMessage = true;
            } else if (inMessage && name == QLatin1String("source")) {
                m.source = xml.readElementText();
            } else if (inMessage && name == QLatin1String("comment")) {
                m.comment = xml.readElementText();
            } else if (inMessage && name == QLatin1String("translation")) {
                const auto type = xml.attributes().value(QLatin1String("type"));
                m.unfinished = type == QLatin1String("unfinished");
                m.vanished = type == QLatin1String("vanished") || type == QLatin1String("obsolete");
                if (!m.numerus) {
                    m.forms << xml.readElementText();
                }
            } else if (inMessage && name == QLatin1String("numerusform")) {
                m.forms << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            out << m;
            inMessage = false;
        }
    }
    if (xml.hasError()) {
        *error = path + QStringLiteral(": ") + xml.errorString();
    }
    return out;
}

QString unescapeLiteral(const QString& s)
{
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == QLatin1Char('\\') && i + 1 < s.size()) {
            const QChar c = s[++i];
            out += c == QLatin1Char('n') ? QLatin1Char('\n') : c == QLatin1Char('t') ? QLatin1Char('\t') : c;
        } else {
            out += s[i];
        }
    }
    return out;
}

QStringList sourceFiles()
{
    QStringList files;
    for (const char* dir : {"console", "ui"}) {
        QDirIterator it(QStringLiteral(HADECK_SOURCE_DIR "/") + QLatin1String(dir),
                        {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            files << it.next();
        }
    }
    return files;
}

QString readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class TstCatalog : public QObject {
    Q_OBJECT

private slots:
    void chineseIsComplete()
    {
        QString error;
        const auto messages = readTs(QStringLiteral(HADECK_SOURCE_DIR "/translations/hadeck_zh_CN.ts"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 100);
        QStringList missing;
        for (const auto& m : messages) {
            if (m.vanished) {
                continue;
            }
            const bool empty = m.forms.isEmpty() || std::any_of(m.forms.begin(), m.forms.end(),
                                                                [](const QString& f) { return f.trimmed().isEmpty(); });
            if (m.unfinished || empty) {
                missing << m.context + QStringLiteral(": ") + m.source;
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("untranslated in zh_CN:\n") + missing.join(u'\n')));
    }

    void englishPluralsAreGiven()
    {
        QString error;
        const auto messages = readTs(QStringLiteral(HADECK_SOURCE_DIR "/translations/hadeck_en.ts"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QStringList missing;
        int numerus = 0;
        for (const auto& m : messages) {
            if (!m.numerus || m.vanished) {
                continue;
            }
            ++numerus;
            if (m.forms.size() < 2 || m.forms[0].trimmed().isEmpty() || m.forms[1].trimmed().isEmpty()) {
                missing << m.context + QStringLiteral(": ") + m.source;
            }
        }
        QVERIFY(numerus > 0);
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("numerus without English forms:\n") + missing.join(u'\n')));
    }

    void explicitContextsAreInTheCatalog()
    {
        QString error;
        const auto messages = readTs(QStringLiteral(HADECK_SOURCE_DIR "/translations/hadeck_zh_CN.ts"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QSet<QString> known;
        QSet<QString> contexts;
        for (const auto& m : messages) {
            known.insert(m.context + u'\x1f' + m.source);
            contexts.insert(m.context);
        }
        // translate("Ctx", "text") with a single literal as its text.
        static const QRegularExpression call(
            QStringLiteral("translate\\(\\s*\"([A-Za-z_:0-9]+)\"\\s*,\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(?=[,)])"));
        static const QRegularExpression declared(QStringLiteral("Q_DECLARE_TR_FUNCTIONS\\(\\s*([A-Za-z_:0-9]+)\\s*\\)"));
        static const QRegularExpression helper(QStringLiteral(
            "QString\\s+(\\w+)\\(const char\\*\\s*\\w+\\)\\s*\\{\\s*return QCoreApplication::translate\\(\"([A-Za-z_:0-9]+)\""));
        QStringList missing;
        int seen = 0;
        for (const QString& file : sourceFiles()) {
            const QString text = readAll(file);
            for (auto it = call.globalMatch(text); it.hasNext();) {
                const auto m = it.next();
                ++seen;
                const QString key = m.captured(1) + u'\x1f' + unescapeLiteral(m.captured(2));
                if (!known.contains(key)) {
                    missing << file.mid(qsizetype(sizeof(HADECK_SOURCE_DIR))) + QStringLiteral(": ") + m.captured(1) +
                                   QStringLiteral(" / ") + m.captured(2);
                }
            }
            // A helper such as `QString tr(const char* s) { return QCoreApplication::translate("Ctx", s); }`
            // looks its texts up under Ctx, but the catalog tools cannot see that: each text must be there.
            for (auto h = helper.globalMatch(text); h.hasNext();) {
                const auto hm = h.next();
                const QRegularExpression use(QStringLiteral("\\b") + hm.captured(1) +
                                             QStringLiteral("\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(?=[,)])"));
                for (auto u = use.globalMatch(text); u.hasNext();) {
                    const auto um = u.next();
                    ++seen;
                    if (!known.contains(hm.captured(2) + u'\x1f' + unescapeLiteral(um.captured(1)))) {
                        missing << file.mid(qsizetype(sizeof(HADECK_SOURCE_DIR))) + QStringLiteral(": ") +
                                       hm.captured(2) + QStringLiteral(" / ") + um.captured(1);
                    }
                }
            }
            for (auto it = declared.globalMatch(text); it.hasNext();) {
                const auto m = it.next();
                if (!contexts.contains(m.captured(1))) {
                    missing << file.mid(qsizetype(sizeof(HADECK_SOURCE_DIR))) + QStringLiteral(": context ") +
                                   m.captured(1) + QStringLiteral(" has no message in the catalog");
                }
            }
        }
        QVERIFY(seen > 10);
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("looked up but not in the catalog:\n") + missing.join(u'\n')));
    }
};

QTEST_APPLESS_MAIN(TstCatalog)
#include "tst_catalog.moc"
