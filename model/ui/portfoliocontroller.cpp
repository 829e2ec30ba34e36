// SPDX-License-Identifier: GPL-3.0-or-later
// PortfolioController: imports and the demo are signed on the session's writer; options and exports
// are read on the thread pool, each with its own read-only connection.
#include "model/ui/portfoliocontroller.h"

#include "model/io/demo.h"
#include "model/io/importer.h"
#include "model/portfolio/valuechain.h"
#include "model/ui/signing.h"

#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLocale>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

namespace cartulary::model {

namespace {

QString number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

QString localPath(const QUrl &url)
{
    return url.isLocalFile() ? url.toLocalFile() : url.toString();
}

} // namespace

PortfolioController::PortfolioController(Session *session, QObject *parent)
    : WorkState(parent)
    , m_session(session)
{
    connect(m_session, &Session::ready, this, &PortfolioController::open);
}

PortfolioController::~PortfolioController() = default;

QVariantList PortfolioController::typeOptions() const
{
    QVariantList out;
    for (const AssetType &t : assetTypes())
        out.append(QVariantMap{{"id", t.id}, {"title", t.title}});
    return out;
}

QVariantList PortfolioController::phaseOptions() const
{
    QVariantList out;
    for (Phase p : model::phases())
        out.append(QVariantMap{{"id", phaseId(p)}, {"title", phaseTitle(p)}});
    return out;
}

QStringList PortfolioController::statusOptions() const
{
    return statuses();
}

void PortfolioController::open()
{
    m_model.setDatabasePath(m_session->databasePath());
    reloadOptions();
}

void PortfolioController::refresh(const QString &registeredId)
{
    m_model.reload(registeredId);
    reloadOptions();
}

void PortfolioController::written()
{
    refresh();
    emit portfolioChanged();
}

void PortfolioController::reloadOptions()
{
    if (m_session->state() != Session::Unlocked)
        return;
    const quint64 generation = ++m_optionsGeneration;
    using Options = std::pair<QStringList, QStringList>;
    auto *watcher = new QFutureWatcher<Options>(this);
    connect(watcher, &QFutureWatcher<Options>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_optionsGeneration)
            return;
        std::tie(m_jurisdictions, m_owners) = watcher->result();
        emit optionsChanged();
    });
    watcher->setFuture(QtConcurrent::run([path = m_session->databasePath()]() -> Options {
        Options out;
        auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
        if (!db)
            return out;
        auto j =
            db.value()->prepare("SELECT DISTINCT jurisdiction FROM asset_jurisdictions ORDER BY 1");
        while (j.next())
            out.first.append(j.text(0));
        auto o = db.value()->prepare("SELECT name FROM asset_owners GROUP BY name ORDER BY "
                                     "COUNT(*) DESC, name LIMIT 200");
        while (o.next())
            out.second.append(o.text(0));
        return out;
    }));
}

void PortfolioController::importCsv(const QUrl &url)
{
    if (busy() || m_session->state() != Session::Unlocked)
        return;
    const QString path = localPath(url);
    auto cancel = startWork(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    auto report = progressReporter();
    auto result = std::make_shared<Result<ImportReport>>(Error{"not-run", {}});
    m_session->post(
        [path, cancel, report, result](Workspace &ws) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                *result = Error{"io", tr("cannot read %1: %2").arg(path, file.errorString())};
                return;
            }
            ImportOptions options;
            options.cancel = cancel.get();
            options.progress = [report](qint64 done, qint64 total, const QString &what) {
                report(quint64(std::max<qint64>(done, 0)), quint64(std::max<qint64>(total, 0)),
                       tr("%1: %2 / %3").arg(what, number(done), number(total)));
            };
            *result = importAssetsCsv(ws, file, options);
        },
        [this, path, result] {
            finishWork();
            const QString name = QFileInfo(path).fileName();
            if (!result->ok()) {
                m_importReport = tr("%1 was not imported; nothing was written.\n%2")
                                     .arg(name, result->errorString());
                emit importReportChanged();
                setNotice(tr("Import of %1 failed: %2").arg(name, result->errorString()), true);
                return;
            }
            const ImportReport &r = result->value();
            QStringList lines{
                tr("%1: %2 rows read.").arg(name, number(r.rows)),
                tr("%1 registered, %2 updated, %3 unchanged.")
                    .arg(number(r.registered), number(r.updated), number(r.unchanged))};
            for (const QString &w : r.warnings)
                lines.append(tr("Warning: %1").arg(w));
            m_importReport = lines.join(u'\n');
            emit importReportChanged();
            setNotice(tr("Imported %1: %2 registered, %3 updated, %4 unchanged.")
                          .arg(name, number(r.registered), number(r.updated), number(r.unchanged)),
                      false);
            written();
        });
}

void PortfolioController::loadDemo()
{
    if (busy() || m_session->state() != Session::Unlocked)
        return;
    startWork(tr("Signing the demo portfolio…"));
    signCommands(
        *m_session,
        [](CommandCompiler &compiler) -> Result<QList<ledger::Draft>> {
            auto compiled = compileJsonLines(
                compiler, demoCommands(QDate::currentDate(), compiler.organisation()));
            if (!compiled)
                return compiled.error();
            QList<ledger::Draft> drafts;
            for (const auto &c : compiled.value())
                drafts.append(c.draft);
            return drafts;
        },
        [this](const SignedEntries &written) {
            finishWork();
            if (!written) {
                setNotice(tr("The demo was not loaded: %1").arg(written.errorString()), true);
                return;
            }
            setNotice(tr("Demo portfolio loaded: %1 signed entries.").arg(number(written->size())),
                      false);
            this->written();
        });
}

void PortfolioController::exportCsv(const QUrl &url)
{
    if (busy() || m_session->state() != Session::Unlocked)
        return;
    const QString path = localPath(url);
    startWork(tr("Exporting to %1…").arg(QFileInfo(path).fileName()));
    auto *watcher = new QFutureWatcher<Status>(this);
    connect(watcher, &QFutureWatcher<Status>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        finishWork();
        const Status s = watcher->result();
        setNotice(s ? tr("Exported %1 assets to %2.").arg(number(m_model.totalCount()), path)
                    : tr("Export failed: %1").arg(s.errorString()),
                  !s);
    });
    watcher->setFuture(QtConcurrent::run([db = m_session->databasePath(), path]() -> Status {
        auto reader = sql::Database::open(db, sql::Database::Mode::ReadOnly);
        if (!reader)
            return reader.error();
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return Status::failure("io", tr("cannot write %1: %2").arg(path, file.errorString()));
        if (Status s = exportAssetsCsv(*reader.value(), file); !s)
            return s;
        if (!file.commit())
            return Status::failure("io", tr("cannot write %1: %2").arg(path, file.errorString()));
        return {};
    }));
}

} // namespace cartulary::model
