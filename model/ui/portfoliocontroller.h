// SPDX-License-Identifier: GPL-3.0-or-later
// What the Portfolio view can do: browse and filter every asset, import, export, load the demo.
#pragma once

#include "model/ui/portfoliomodel.h"
#include "model/ui/session.h"
#include "model/ui/workstate.h"

#include <QObject>
#include <QUrl>
#include <QVariantList>

namespace cartulary::model {

/**
 * The Portfolio area's controller: the table (PortfolioModel), the filters' options, and the
 * portfolio-wide work — CSV import, export, the demo — off the GUI thread, with progress, cancel
 * and a notice.
 */
class PortfolioController : public cartulary::model::WorkState
{
    Q_OBJECT
    Q_PROPERTY(cartulary::model::PortfolioModel *assets READ assets CONSTANT)
    Q_PROPERTY(QVariantList typeOptions READ typeOptions CONSTANT)
    Q_PROPERTY(QVariantList phaseOptions READ phaseOptions CONSTANT)
    Q_PROPERTY(QStringList statusOptions READ statusOptions CONSTANT)
    Q_PROPERTY(QStringList jurisdictionOptions READ jurisdictionOptions NOTIFY optionsChanged)
    Q_PROPERTY(QStringList ownerOptions READ ownerOptions NOTIFY optionsChanged)
    Q_PROPERTY(QString importReport READ importReport NOTIFY importReportChanged)

public:
    explicit PortfolioController(Session *session, QObject *parent = nullptr);
    ~PortfolioController() override;

    PortfolioModel *assets() { return &m_model; }
    /** Asset types as {id, title}. */
    QVariantList typeOptions() const;
    /** Value-chain phases as {id, title}. */
    QVariantList phaseOptions() const;
    QStringList statusOptions() const;
    /** Jurisdictions and owners in use (read off the GUI thread after every change). */
    QStringList jurisdictionOptions() const { return m_jurisdictions; }
    QStringList ownerOptions() const { return m_owners; }
    QString importReport() const { return m_importReport; }

    /** Imports a CSV file: all rows or none; the report lists what happened. */
    Q_INVOKABLE void importCsv(const QUrl &file);
    /** Loads the demo portfolio into an empty portfolio. */
    Q_INVOKABLE void loadDemo();
    /** Writes every asset to a CSV file that import reads back, off the GUI thread. */
    Q_INVOKABLE void exportCsv(const QUrl &file);

public slots:
    /**
     * The portfolio changed elsewhere (an asset signed on its page): the table follows, with the
     * one asset just registered, if any, inserted where the order puts it.
     */
    void refresh(const QString &registeredId = {});

signals:
    void optionsChanged();
    void importReportChanged();
    /** The portfolio changed here (import, demo): the other areas refresh. */
    void portfolioChanged();

private:
    void open();
    void reloadOptions();
    void written();

    Session *m_session;
    PortfolioModel m_model;
    QStringList m_jurisdictions, m_owners;
    QString m_importReport;
    quint64 m_optionsGeneration = 0;
};

} // namespace cartulary::model
