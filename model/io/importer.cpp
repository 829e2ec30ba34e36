// SPDX-License-Identifier: GPL-3.0-or-later
// Importer: read and check every row first (no transaction open, cancellable), then sign and write
// all changes in one transaction.
#include "model/io/importer.h"

#include "model/core/jsonfields.h"
#include "model/io/csv.h"
#include "model/workspace/commands.h"
#include "model/workspace/projection.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace cartulary::model {

namespace {

constexpr auto ApplicationScheme = "application";
/** From this many new entries on, an import builds the indexes once instead of row by row. */
constexpr qsizetype BulkLoadRows = 1000;
/** Rows read ahead: the portfolio is asked which of their references it holds in one query. */
constexpr qsizetype ChunkRows = 4096;

QString normaliseHeader(const QString &h)
{
    return h.trimmed().toLower().replace(u' ', u'_').replace(u'-', u'_');
}

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(u';', Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out.append(part.trimmed());
    return out;
}

/** Applies one CSV row's cells onto an asset (a new one, or the current state of a known one);
 * the error lists every invalid cell of the row, those that do not parse first. */
Status applyRow(Asset &a, const QHash<QString, QString> &cells, const QString &organisation)
{
    auto has = [&](const char *c) { return cells.contains(QLatin1String(c)); };
    auto cell = [&](const char *c) { return cells.value(QLatin1String(c)).trimmed(); };
    QList<FieldProblem> unread;
    a.reference = cell("reference");
    a.title = cell("title");
    a.type = cell("type").toLower();
    if (has("jurisdiction")) {
        a.jurisdictions.clear();
        for (const QString &j : splitList(cell("jurisdiction")))
            a.jurisdictions.append(j.toUpper());
    }
    if (has("status"))
        a.status = cell("status").toLower();
    struct DateColumn
    {
        const char *column;
        QDate *target;
    };
    for (const DateColumn &d :
         {DateColumn{"filing_date", &a.filing}, DateColumn{"priority_date", &a.priority},
          DateColumn{"grant_date", &a.grant}, DateColumn{"registration_date", &a.registration},
          DateColumn{"expiry_date", &a.expiry}}) {
        if (!has(d.column))
            continue;
        auto date = parseDate(cell(d.column), QLatin1String(d.column));
        if (date) {
            *d.target = date.value();
        } else {
            *d.target = QDate();
            unread.append(fieldProblem(date.error()));
        }
    }
    if (has("owners")) {
        if (cell("owners").isEmpty()) {
            a.owners = {Owner{organisation, WholeShare}};
        } else {
            auto owners = parseOwners(cell("owners"));
            if (owners)
                a.owners = owners.value();
            else
                unread.append(fieldProblem(owners.error()));
        }
    } else if (a.owners.isEmpty()) {
        a.owners = {Owner{organisation, WholeShare}};
    }
    if (has("creators"))
        a.creators = splitList(cell("creators"));
    if (has("tags"))
        a.tags = splitList(cell("tags"));
    if (has("family"))
        a.family = cell("family");
    if (has("notes"))
        a.notes = cells.value("notes");
    QString application;
    bool applicationSet = false;
    for (const Identifier &i : std::as_const(a.identifiers))
        if (i.scheme == QLatin1String(ApplicationScheme))
            application = i.value;
    if (has("application_number")) {
        application = cell("application_number");
        applicationSet = true;
    }
    if (has("identifiers") || applicationSet) {
        QList<Identifier> ids = a.identifiers;
        if (has("identifiers")) {
            auto parsed = parseIdentifiers(cell("identifiers"));
            if (parsed)
                ids = parsed.value();
            else
                unread.append(fieldProblem(parsed.error()));
        }
        ids.removeIf(
            [](const Identifier &i) { return i.scheme == QLatin1String(ApplicationScheme); });
        if (!application.isEmpty())
            ids.prepend(Identifier{ApplicationScheme, application});
        a.identifiers = ids;
    }
    return validateAsset(a, unread);
}

} // namespace

const QStringList &assetCsvColumns()
{
    static const QStringList columns{
        "reference",   "title",         "type",       "jurisdiction",      "application_number",
        "filing_date", "priority_date", "grant_date", "registration_date", "expiry_date",
        "status",      "owners",        "creators",   "identifiers",       "family",
        "tags",        "notes"};
    return columns;
}

Result<ImportReport> importAssetsCsv(Workspace &ws, QIODevice &device, const ImportOptions &options)
{
    using R = Result<ImportReport>;
    if (!ws.isUnlocked())
        return R::failure("locked", QStringLiteral("the identity is locked; unlock it to import"));
    ImportReport report;
    csv::Reader reader(&device);
    csv::Record header;
    if (!reader.next(header))
        return R::failure(reader.hasError() ? "invalid-csv" : "empty",
                          reader.hasError() ? reader.errorString()
                                            : QStringLiteral("the file is empty: expected a header "
                                                             "line naming the columns"));
    QHash<QString, int> columnOf;
    for (int c = 0; c < header.fields.size(); ++c) {
        QString name = normaliseHeader(header.fields[c]);
        if (name.isEmpty())
            continue;
        if (!assetCsvColumns().contains(name)) {
            report.warnings.append(QStringLiteral("column %1 '%2' is not understood and was "
                                                  "ignored")
                                       .arg(c + 1)
                                       .arg(header.fields[c]));
            continue;
        }
        if (columnOf.contains(name))
            return R::failure("invalid-csv", QStringLiteral("line %1: column '%2' appears twice "
                                                            "(columns %3 and %4)")
                                                 .arg(header.line)
                                                 .arg(name)
                                                 .arg(columnOf.value(name) + 1)
                                                 .arg(c + 1));
        columnOf.insert(name, c);
    }
    for (const char *required : {"reference", "title", "type"})
        if (!columnOf.contains(QLatin1String(required)))
            return R::failure("missing-column",
                              QStringLiteral("line %1: the header has no '%2' column (required: "
                                             "reference, title, type)")
                                  .arg(header.line)
                                  .arg(QLatin1String(required)));

    sql::Database &db = ws.store().database();
    CommandCompiler compiler(db, ws.organisationName());
    QList<ledger::Draft> drafts;
    QList<Asset> draftAssets; // what each draft's body was written from
    QList<qint64> draftLines;
    QHash<QString, qint64> seen; // reference → line
    const qint64 totalBytes = device.size();
    const int referenceColumn = columnOf.value("reference");
    // Rows are read a chunk at a time, so that the portfolio is asked once per chunk which of its
    // references it holds, instead of once or twice per row; then each row is checked in order.
    QList<csv::Record> chunk;
    QList<qint64> chunkEnds; // bytes read after each record, for progress
    QStringList references;
    for (bool more = true; more;) {
        chunk.clear();
        chunkEnds.clear();
        references.clear();
        csv::Record next;
        while (chunk.size() < ChunkRows && (more = reader.next(next))) {
            if (next.fields.size() == header.fields.size())
                references.append(csv::unguardFormula(next.fields[referenceColumn]).trimmed());
            chunk.append(std::move(next));
            chunkEnds.append(reader.bytesRead());
        }
        compiler.lookUpAssets(references);
        drafts.reserve(drafts.size() + chunk.size());
        draftAssets.reserve(draftAssets.size() + chunk.size());
        draftLines.reserve(draftLines.size() + chunk.size());
        for (qsizetype row = 0; row < chunk.size(); ++row) {
            const csv::Record &record = chunk[row];
            if (options.cancel && options.cancel->load())
                return R::failure("cancelled",
                                  QStringLiteral("import cancelled; nothing was written"));
            ++report.rows;
            if (record.fields.size() != header.fields.size())
                return R::failure("invalid-csv",
                                  QStringLiteral("line %1: %2 fields, but the header has %3")
                                      .arg(record.line)
                                      .arg(record.fields.size())
                                      .arg(header.fields.size()));
            QHash<QString, QString> cells;
            for (auto it = columnOf.begin(); it != columnOf.end(); ++it)
                cells.insert(it.key(), csv::unguardFormula(record.fields[it.value()]));
            const QString reference = cells.value("reference").trimmed();
            if (reference.isEmpty())
                return R::failure("invalid-field",
                                  QStringLiteral("line %1, column 'reference': is required (the "
                                                 "docket number)")
                                      .arg(record.line));
            if (seen.contains(reference))
                return R::failure("duplicate-reference",
                                  QStringLiteral("line %1, column 'reference': %2 already appears "
                                                 "on line %3")
                                      .arg(record.line)
                                      .arg(reference)
                                      .arg(seen.value(reference)));
            seen.insert(reference, record.line);

            const std::optional<Asset> before = compiler.find(reference);
            Asset asset = before ? *before : Asset{};
            if (!before)
                asset.id = newAssetId();
            if (Status s = applyRow(asset, cells, ws.organisationName()); !s)
                return R::failure(
                    s.error().code,
                    QStringLiteral("line %1: %2").arg(record.line).arg(s.errorString()));
            if (before && *before == asset) {
                ++report.unchanged;
                continue;
            }
            auto d = before ? compiler.updateAsset(asset) : compiler.registerAsset(asset);
            if (!d)
                return R::failure(
                    d.error().code,
                    QStringLiteral("line %1: %2").arg(record.line).arg(d.errorString()));
            (before ? report.updated : report.registered) += 1;
            drafts.append(d.value());
            draftAssets.append(std::move(asset));
            draftLines.append(record.line);
            if (options.progress && report.rows % 512 == 0)
                options.progress(chunkEnds[row], totalBytes, QStringLiteral("Checking rows"));
        }
    }
    if (reader.hasError())
        return R::failure("invalid-csv",
                          reader.errorString() + QStringLiteral("; nothing was written"));
    if (drafts.isEmpty())
        return report;

    ledger::BulkOptions bulk;
    bulk.batchSize = int(drafts.size()); // one transaction: all or nothing
    bulk.applier = Projection::applier();
    // A large import builds the read-only indexes once at the end, in the same transaction, instead
    // of row by row: the tables come out the same (tst_portfolio compares them with a rebuild).
    std::optional<Portfolio::BulkLoad> load;
    qsizetype applied = 0;
    if (drafts.size() >= BulkLoadRows)
        bulk.applier = [&](sql::Database &db, const ledger::StoredEntry &e) -> Status {
            if (!load) {
                load.emplace(db, drafts.size());
                if (Status s = load->begin(); !s)
                    return s;
            }
            // Drafts are applied in order, each once: the n-th entry is the n-th draft.
            if (Status s = load->apply(e, draftAssets[applied], drafts[applied].body); !s)
                return s;
            return ++applied == drafts.size() ? load->finish() : Status();
        };
    bulk.applier = Projection::batchApplier(drafts.size(), bulk.applier);
    bulk.cancel = options.cancel;
    qsizetype failedAt = -1;
    bulk.failedAt = &failedAt;
    if (options.progress)
        bulk.inserting = [&](quint64 done, quint64 total) {
            options.progress(qint64(done), qint64(total), QStringLiteral("Signing and writing"));
        };
    QList<ledger::StoredEntry> written;
    auto r = ws.store().appendBulk(ws.identity(), drafts, bulk, &written);
    if (!r) {
        const QString where = failedAt >= 0 && failedAt < draftLines.size()
                                  ? QStringLiteral("line %1: ").arg(draftLines[failedAt])
                                  : QString();
        return R::failure(r.error().code,
                          where + r.errorString() + QStringLiteral("; nothing was written"));
    }
    report.firstEntry = qint64(written.first().index);
    report.lastEntry = qint64(written.last().index);
    return report;
}

Status exportAssetsCsv(sql::Database &db, QIODevice &out)
{
    if (out.write(csv::formatRecord(assetCsvColumns())) < 0)
        return Status::failure("io", out.errorString());
    auto st = db.prepare("SELECT body FROM assets ORDER BY reference");
    while (st.next()) {
        auto a = Asset::fromJson(QJsonDocument::fromJson(st.text(0).toUtf8()).object());
        if (!a)
            return a.error();
        QString application;
        QList<Identifier> others;
        for (const Identifier &i : a->identifiers) {
            if (i.scheme == QLatin1String(ApplicationScheme) && application.isEmpty())
                application = i.value;
            else
                others.append(i);
        }
        QStringList row{a->reference,
                        a->title,
                        a->type,
                        a->jurisdictions.join(u';'),
                        application,
                        isoDate(a->filing),
                        isoDate(a->priority),
                        isoDate(a->grant),
                        isoDate(a->registration),
                        isoDate(a->expiry),
                        a->status,
                        formatOwners(a->owners),
                        a->creators.join(u';'),
                        formatIdentifiers(others),
                        a->family,
                        a->tags.join(u';'),
                        a->notes};
        // Spreadsheets open this file: no cell may run as a formula (import undoes the guard).
        for (QString &cell : row)
            cell = csv::guardFormula(cell);
        if (out.write(csv::formatRecord(row)) < 0)
            return Status::failure("io", out.errorString());
    }
    if (st.failed())
        return Status::failure("sqlite", st.errorMessage());
    return {};
}

Status exportAssetsJson(sql::Database &db, QIODevice &out)
{
    QJsonArray list;
    auto st = db.prepare("SELECT body FROM assets ORDER BY reference");
    while (st.next())
        list.append(QJsonDocument::fromJson(st.text(0).toUtf8()).object());
    if (st.failed())
        return Status::failure("sqlite", st.errorMessage());
    if (out.write(QJsonDocument(list).toJson(QJsonDocument::Indented)) < 0)
        return Status::failure("io", out.errorString());
    return {};
}

} // namespace cartulary::model
