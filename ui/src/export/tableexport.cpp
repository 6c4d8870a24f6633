#include "export/tableexport.h"

#include "dialogs/modal.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QImageWriter>
#include <QSaveFile>
#include <QWidget>

namespace hadeck::ui {

namespace {

QString field(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')) &&
        !text.contains(QLatin1Char('\r'))) {
        return text;
    }
    QString f = text;
    f.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + f + QLatin1Char('"');
}

void rows(const QAbstractItemModel& model, const QModelIndex& parent, int columns, QString& out)
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        QStringList line;
        for (int c = 0; c < columns; ++c) {
            line << field(model.index(r, c, parent).data(Qt::DisplayRole).toString());
        }
        out += line.join(QLatin1Char(',')) + QStringLiteral("\r\n");
        const QModelIndex child = model.index(r, 0, parent);
        if (model.hasChildren(child)) {
            rows(model, child, columns, out);
        }
    }
}

} // namespace

QString TableExport::toCsv(const QAbstractItemModel& model)
{
    const int columns = model.columnCount();
    QStringList header;
    for (int c = 0; c < columns; ++c) {
        header << field(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
    }
    QString out = header.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    rows(model, {}, columns, out);
    return out;
}

bool TableExport::saveCsv(const QAbstractItemModel& model, const QString& path, QString* error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(toCsv(model).toUtf8()) < 0 || !f.commit()) {
        if (error != nullptr) {
            *error = tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), f.errorString());
        }
        return false;
    }
    return true;
}

void TableExport::saveCsvAs(QWidget* parent, const QAbstractItemModel& model, const QString& suggested)
{
    const QString path = Modal::saveFileName(parent, tr("Export table as CSV"), suggested + QStringLiteral(".csv"),
                                             tr("CSV files (*.csv)"));
    QString error;
    if (!path.isEmpty() && !saveCsv(model, path, &error)) {
        Modal::warning(parent, tr("Export table as CSV"), error);
    }
}

bool TableExport::savePng(QWidget* widget, const QString& path, QString* error)
{
    const QImage image = widget->grab().toImage();
    QImageWriter writer(path, "png");
    if (image.isNull() || !writer.write(image)) {
        if (error != nullptr) {
            *error = tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), writer.errorString());
        }
        return false;
    }
    return true;
}

void TableExport::savePngAs(QWidget* widget, const QString& suggested)
{
    const QString path = Modal::saveFileName(widget, tr("Export chart as PNG"), suggested + QStringLiteral(".png"),
                                             tr("PNG images (*.png)"));
    QString error;
    if (!path.isEmpty() && !savePng(widget, path, &error)) {
        Modal::warning(widget, tr("Export chart as PNG"), error);
    }
}

} // namespace hadeck::ui
