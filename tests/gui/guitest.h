#pragma once

// Small helpers the GUI tests share: where screenshots go, and finding a row by a role's value.

#include <QAbstractItemModel>
#include <QDir>
#include <QString>
#include <QVariant>

namespace hadeck::testing {

/// HADECK_ARTIFACTS, else <build>/test-artifacts/<sub>; created if missing.
inline QString artifactsDir(const QString& sub)
{
    QString dir = qEnvironmentVariable("HADECK_ARTIFACTS");
    if (dir.isEmpty()) {
        dir = QStringLiteral(HADECK_BINARY_DIR "/test-artifacts/") + sub;
    }
    QDir().mkpath(dir);
    return dir;
}

/// Depth-first search of column 0 for the first row whose @p role data equals @p value.
inline QModelIndex findRow(const QAbstractItemModel* model, int role, const QVariant& value,
                           const QModelIndex& parent = {})
{
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const auto idx = model->index(r, 0, parent);
        if (idx.data(role) == value) {
            return idx;
        }
        if (const auto child = findRow(model, role, value, idx); child.isValid()) {
            return child;
        }
    }
    return {};
}

} // namespace hadeck::testing
