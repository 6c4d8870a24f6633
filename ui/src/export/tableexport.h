#pragma once

// Tables and charts out of the console, as admins paste them into incident
// reports: any item model as CSV (RFC 4180: the header row, then every row,
// children of a tree after their parent), and a widget as PNG.

#include <QCoreApplication>
#include <QString>

class QAbstractItemModel;
class QWidget;

namespace hadeck::ui {

class TableExport {
    Q_DECLARE_TR_FUNCTIONS(TableExport)
public:
    /// Pure: the model's display texts as CSV (fields with a comma, quote or line
    /// break are quoted, quotes doubled; lines end with CRLF).
    static QString toCsv(const QAbstractItemModel& model);
    /// Writes toCsv() in UTF-8; false and @p error when the file cannot be written.
    static bool saveCsv(const QAbstractItemModel& model, const QString& path, QString* error = nullptr);
    /// Asks for a file name, then saves; the error (if any) is shown. @p suggested: base name.
    static void saveCsvAs(QWidget* parent, const QAbstractItemModel& model, const QString& suggested);
    /// The widget as drawn now, as a PNG file.
    static bool savePng(QWidget* widget, const QString& path, QString* error = nullptr);
    static void savePngAs(QWidget* widget, const QString& suggested);
};

} // namespace hadeck::ui
