// SPDX-License-Identifier: GPL-3.0-or-later
// What the Asset page and its dialogs can do: show one asset, edit it, and sign what happens to it
// (events, states, fees paid, licences, derivations, approvals, assignments).
#pragma once

#include "model/portfolio/asset.h"
#include "model/ui/session.h"
#include "model/ui/signing.h"
#include "model/ui/workstate.h"

#include <QVariantList>
#include <QVariantMap>

#include <memory>

namespace cartulary::model {

/**
 * The open asset's controller. Opening reads the asset, its value chain, documents, licences and
 * its own deadlines on a worker; the GUI thread only swaps the result in. Every action takes plain
 * fields as the user typed them and returns at once the fields it refuses (field → message, all of
 * them); when none, it builds the command of the `apply` language and signs it on the writer, then
 * emits commandSigned (with a notice saying what was signed) or commandRefused. Nothing is written
 * when a field is refused.
 */
class AssetController : public cartulary::model::WorkState
{
    Q_OBJECT
    Q_PROPERTY(QString assetId READ assetId NOTIFY assetChanged)
    Q_PROPERTY(QVariantMap asset READ asset NOTIFY assetChanged)
    Q_PROPERTY(QVariantList phases READ phases NOTIFY assetChanged)
    Q_PROPERTY(QVariantList documents READ documents NOTIFY assetChanged)
    Q_PROPERTY(QVariantList deadlines READ deadlines NOTIFY assetChanged)
    Q_PROPERTY(QVariantList licences READ licences NOTIFY assetChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString assetError READ assetError NOTIFY assetErrorChanged)
    Q_PROPERTY(QVariantList eventOptions READ eventOptions CONSTANT)
    Q_PROPERTY(QVariantList actorOptions READ actorOptions CONSTANT)
    Q_PROPERTY(QVariantList stateOptions READ stateOptions CONSTANT)
    Q_PROPERTY(QStringList derivationKinds READ derivationKinds CONSTANT)

public:
    /** What one read of the open asset found (on a worker). */
    struct Read;

    explicit AssetController(Session *session, QObject *parent = nullptr);
    ~AssetController() override;

    QString assetId() const { return m_assetId; }
    /** Register data: reference, title, type, typeTitle, status, dates, owners, identifiers, … */
    QVariantMap asset() const { return m_asset; }
    /** The four phases: id, title, current, subPhases (id, title, state, stateTitle, next, …). */
    QVariantList phases() const { return m_phases; }
    QVariantList documents() const { return m_documents; }
    /** This asset's deadlines (DeadlineView::assetQuery: open ones three years ahead, settled ones
     * two years back): key, label, jurisdiction, due, graceEnd, state, remedy, … */
    QVariantList deadlines() const { return m_deadlines; }
    /** Licences granted on the asset: reference, title, licensee, derivatives, revoked. */
    QVariantList licences() const { return m_licences; }
    bool loading() const { return m_loading; }
    /** Why the last action outside a dialog (open, advance, set state, save) failed. */
    QString assetError() const { return m_assetError; }
    QVariantList eventOptions() const;
    QVariantList actorOptions() const;
    /** Sub-phase states as {id, title}, in order. */
    QVariantList stateOptions() const;
    QStringList derivationKinds() const;

    /** Opens an asset (by id or reference), read off the GUI thread. */
    Q_INVOKABLE void openAsset(const QString &idOrReference);
    /** Checks an edit form (field name → text, CSV forms for owners/identifiers); field → message.
     */
    Q_INVOKABLE QVariantMap validateAsset(const QVariantMap &fields) const;
    /** Saves an edit form for the open asset, or registers a new asset when asNew. */
    Q_INVOKABLE void saveAsset(const QVariantMap &fields, bool asNew);
    /** Sets a sub-phase's state: not-started, in-progress, done, not-applicable. */
    Q_INVOKABLE void setPhaseState(const QString &subPhase, const QString &state);
    /** Moves a sub-phase one step on: not started → in progress → done. */
    Q_INVOKABLE void advanceSubPhase(const QString &subPhase);
    Q_INVOKABLE void clearAssetError() { setAssetError({}); }

    // The actions of the dialogs: errors by field (the dialog's names), empty when signing.

    /** A dated event on a sub-phase of the open asset; date YYYY-MM-DD. */
    Q_INVOKABLE QVariantMap addPhaseEvent(const QString &subPhase, const QString &event,
                                          const QString &date, const QString &actorKind,
                                          const QString &actorName, const QString &note);
    /** Settles a deadline of the open asset (a fee paid, a national phase entered) on date. */
    Q_INVOKABLE QVariantMap markPaid(const QString &deadlineKey, const QString &date);
    /**
     * Records what happened to a deadline of the open asset: "paid" (also late, with surcharge),
     * "remedy" (further processing, re-establishment, revival filed) or "lapsed" (the loss
     * accepted), on date, with an optional note; each settles it.
     */
    Q_INVOKABLE QVariantMap recordOutcome(const QString &deadlineKey, const QString &outcome,
                                          const QString &date, const QString &note);
    /**
     * Grants a licence on the open asset. fields: reference, title, licensor, licensee, granted,
     * expires, territory ("DE;AT", empty: worldwide), field (of use), derivatives (prohibited,
     * allowed, with-approval), spdx, exclusive, commercial, shareAlike, attribution, sublicensing
     * (booleans), royalty (percent as the locale writes it), policy (absolute, relative), upfront
     * (an amount as the locale writes it), currency (ISO 4217), revocableOn (a list of breach,
     * change-of-control; empty strings are ignored).
     */
    Q_INVOKABLE QVariantMap grantLicence(const QVariantMap &fields);
    /** The licensor ends a licence for a reason its terms name. */
    Q_INVOKABLE QVariantMap revokeLicence(const QString &licence, const QString &reason,
                                          const QString &date, const QString &note);
    /**
     * Records that the open asset was derived from parent (reference or id) under licence (empty
     * when both have the same owners); territory and field are where and for what the derivative
     * is used (empty: not stated).
     */
    Q_INVOKABLE QVariantMap recordDerivation(const QString &parent, const QString &licence,
                                             const QString &kind, const QString &date,
                                             const QString &note, const QString &territory,
                                             const QString &field);
    /** The licensor approves child as a derivative under a with-approval licence. */
    Q_INVOKABLE QVariantMap approveDerivation(const QString &licence, const QString &child,
                                              const QString &date, const QString &note);
    /**
     * Transfers the open asset to owners ("Name:basis-points;…", summing to 10,000); key (64 hex
     * digits, optional) is the assignee's, which controls the asset from then on.
     */
    Q_INVOKABLE QVariantMap assign(const QString &owners, const QString &key, const QString &date,
                                   const QString &note);
    /** "1,250.00" as this locale writes an amount of the currency: what amount fields show. */
    Q_INVOKABLE QString amountExample(const QString &currency) const;

public slots:
    /** Reads the open asset again (after writes elsewhere, documents recorded). */
    void refresh();

signals:
    void assetChanged();
    void loadingChanged();
    void assetErrorChanged();
    /** A write for the open asset succeeded (the edit form closes on it). */
    void assetSaved(const QString &assetId);
    /** A dialog's action was signed; notice says what (also in notice). */
    void commandSigned(const QString &notice);
    /** The rules refused a dialog's action: message, and the field it names if any. */
    void commandRefused(const QString &message, const QVariantMap &errors);
    /** Entries were signed for an asset (registered: a new one): other areas refresh. */
    void assetWritten(const QString &assetId, bool registered);

private:
    void open();
    void load(bool keepShown);
    void apply(const Read &read);
    void setLoading(bool loading);
    void setAssetError(const QString &text);
    /** The asset the form describes; problems receives every invalid field (column names). */
    Result<Asset> assetFromFields(const QVariantMap &fields, bool asNew,
                                  QList<FieldProblem> *problems = nullptr) const;
    /** Refuses when there is no open asset, work is running or the ledger is locked. */
    QVariantMap refusedNow(bool needsAsset) const;
    /**
     * Signs on the writer. describe turns the entries written into the notice; names maps the
     * command's fields to the dialog's, so a refusal can be marked beside its field.
     */
    void sign(CompileCommands compile, std::function<QString(quint64 entry)> describe,
              const QHash<QString, QString> &names, bool fromDialog,
              const QString &registeredId = {});
    /** Signs a dialog's command (with its note, when one was typed); no errors: it is signing. */
    QVariantMap signFromDialog(QJsonObject command, const QString &note, const QString &what,
                               const QHash<QString, QString> &names);

    Session *m_session;
    std::shared_ptr<sql::Database> m_db; ///< read-only, GUI thread: one row to validate a form
    QString m_assetId;
    QVariantMap m_asset;
    QVariantList m_phases, m_documents, m_deadlines, m_licences;
    bool m_loading = false;
    QString m_assetError;
    quint64 m_generation = 0; ///< the latest read; older ones are dropped
};

} // namespace cartulary::model
