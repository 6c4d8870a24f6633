#pragma once

// Fixture loading for the probes tests.

#include <QFile>
#include <QString>

#include <string>

inline std::string fixture(const QString& relative)
{
    QFile f(QStringLiteral(HADECK_TEST_DATA "/") + relative);
    if (!f.open(QIODevice::ReadOnly)) {
        qFatal("missing fixture %s", qPrintable(f.fileName()));
    }
    return f.readAll().toStdString();
}

inline QString q(const std::string& s) { return QString::fromStdString(s); }
