// SPDX-License-Identifier: GPL-3.0-or-later
// The royalty stack and the legal-status flags: read from the links above an asset, each link with
// its licence and, for a sublicence, the head licences it was granted under.
#include "model/lineage/royaltystack.h"

#include "model/core/jsonfields.h"
#include "model/core/money.h"
#include "model/portfolio/portfolio.h"

#include <algorithm>

namespace cartulary::model {

namespace {

bool anyRevoked(const QList<LicenceRecord> &chain)
{
    return std::any_of(chain.begin(), chain.end(),
                       [](const LicenceRecord &r) { return r.revoked.isValid(); });
}

/** Whether a licence's royalty comes out of the revenue of asset, reached through link. */
bool paysFrom(const Licence &l, const DerivationLink &link, const QString &assetId)
{
    return l.payment.royaltyPpm > 0 &&
           (l.payment.policy == RoyaltyPolicy::Absolute || link.child == assetId);
}

} // namespace

RoyaltyStack royaltyStack(sql::Database &db, const QString &assetId, const QDate &today)
{
    LineageMemo memo(db, today);
    return royaltyStack(memo, assetId);
}

RoyaltyStack royaltyStack(LineageMemo &memo, const QString &assetId)
{
    RoyaltyStack stack;
    const QDate &today = memo.today();
    for (const DerivationLink &link : memo.linksAbove(assetId)) {
        if (link.licenceId.isEmpty())
            continue;
        // The link's licence, then the heads a sublicence was granted under: each is owed its
        // share. A revocation anywhere in the chain stops the link's licence, so no share counts.
        const QList<LicenceRecord> chain = memo.chain(link.licenceId);
        if (chain.isEmpty() || anyRevoked(chain))
            continue;
        // An expired licence in the chain ends every share of the link (a sublicence ends no later
        // than its head).
        const auto expired = std::find_if(chain.begin(), chain.end(), [&](const LicenceRecord &r) {
            return r.licence.expires.isValid() && r.licence.expires < today;
        });
        for (qsizetype i = 0; i < chain.size(); ++i) {
            const Licence &l = chain.at(i).licence;
            if (l.payment.royaltyPpm == 0)
                continue;
            // Relative shares are paid by the direct child only; its ancestors pay their own.
            const RoyaltyPolicy policy = l.payment.policy;
            if (policy == RoyaltyPolicy::Relative && link.child != assetId)
                continue;
            StackShare share{link,       l.reference,
                             l.licensor, l.payment.royaltyPpm,
                             policy,     true,
                             {},         i > 0 ? chain.first().licence.reference : QString()};
            if (expired != chain.end()) {
                const Licence &ended = expired->licence;
                share.active = false;
                share.inactiveWhy =
                    ended.id == l.id
                        ? QStringLiteral("licence expired on %1").arg(isoDate(ended.expires))
                        : QStringLiteral("%1 %2 expired on %3")
                              .arg(expired - chain.begin() < i ? QStringLiteral("sublicence")
                                                               : QStringLiteral("head licence"),
                                   ended.reference, isoDate(ended.expires));
            } else if (const auto &lapsed = memo.lapsedOn(link.parent)) {
                share.active = false;
                share.inactiveWhy =
                    lapsed->isValid() ? QStringLiteral("parent lapsed on %1").arg(isoDate(*lapsed))
                                      : QStringLiteral("parent lapsed");
            }
            stack.totalPpm += share.ppm;
            if (share.active)
                stack.activePpm += share.ppm;
            stack.shares.append(share);
        }
    }
    return stack;
}

QList<LineageFlag> lineageFlags(sql::Database &db, const QString &assetId, const QDate &today)
{
    LineageMemo memo(db, today);
    return lineageFlags(memo, assetId);
}

QList<LineageFlag> lineageFlags(LineageMemo &memo, const QString &assetId)
{
    QList<LineageFlag> out;
    const QDate &today = memo.today();
    for (const DerivationLink &link : memo.linksAbove(assetId)) {
        const QString &node = link.child;
        const QList<LicenceRecord> chain =
            link.licenceId.isEmpty() ? QList<LicenceRecord>{} : memo.chain(link.licenceId);
        const QString parentName = memo.name(link.parent);
        const QString viaName = node == assetId ? QString() : memo.name(node);
        const QString reachedVia =
            viaName.isEmpty() ? QString() : QStringLiteral(" (reached via %1)").arg(viaName);
        // What the link's shares — its licence's and its heads' — mean for assetId's revenue.
        auto royaltyEffect = [&](const QDate &since, const QString &cause) {
            QStringList here, above;
            for (const LicenceRecord &rec : chain) {
                const Licence &l = rec.licence;
                if (l.payment.royaltyPpm == 0)
                    continue;
                const QString share =
                    QStringLiteral("%1 to %2 under %3")
                        .arg(formatPpm(l.payment.royaltyPpm), l.licensor, l.reference);
                (paysFrom(l, link, assetId) ? here : above).append(share);
            }
            if (here.isEmpty() && above.isEmpty())
                return QStringLiteral("No royalty depends on this link.");
            const QString when = since.isValid() ? isoDate(since) : QStringLiteral("that date");
            QStringList sentences;
            if (!here.isEmpty())
                sentences << (here.size() == 1
                                  ? QStringLiteral("The share %1 is not owed on revenue after %2 "
                                                   "(%3): the royalty stack in effect leaves it "
                                                   "out.")
                                  : QStringLiteral("The shares %1 are not owed on revenue after "
                                                   "%2 (%3): the royalty stack in effect leaves "
                                                   "them out."))
                                 .arg(here.join(QStringLiteral(" and ")), when, cause);
            if (!above.isEmpty())
                sentences << QStringLiteral("%1 no longer owes %2 on revenue after %3 (%4); what "
                                            "this asset pays up its chain is unchanged.")
                                 .arg(viaName, above.join(QStringLiteral(" and ")), when, cause);
            return sentences.join(u' ');
        };
        if (const auto &since = memo.lapsedOn(link.parent)) {
            const auto parent = Portfolio::asset(memo.db(), link.parent);
            LineageFlag f{
                QStringLiteral("lapsed"), link.parent, node, link.licenceId, *since, {}, {}};
            f.message = QStringLiteral("%1 is %2%3%4")
                            .arg(parentName, parent ? parent->status : QStringLiteral("lapsed"),
                                 since->isValid() ? QStringLiteral(" since %1").arg(isoDate(*since))
                                                  : QString(),
                                 reachedVia);
            f.effect = royaltyEffect(*since, QStringLiteral("its protection ended"));
            out.append(f);
        }
        if (chain.isEmpty())
            continue;
        const Licence &own = chain.first().licence;
        // The sublicence a head's problem reaches the link through, named in the message.
        auto throughSublicence = [&](const Licence &cause) {
            return cause.id == own.id
                       ? QString()
                       : QStringLiteral("; sublicence %1 (%2 → %3) granted under it stops with it")
                             .arg(own.reference, own.licensor, own.licensee);
        };
        // The link's licence first, then its heads: the nearest revoked one is the cause.
        const auto revoked = std::find_if(chain.begin(), chain.end(), [&](const LicenceRecord &r) {
            return r.revoked.isValid() && r.revoked <= today;
        });
        const auto expired = std::find_if(chain.begin(), chain.end(), [&](const LicenceRecord &r) {
            return r.licence.expires.isValid() && r.licence.expires < today;
        });
        if (revoked != chain.end()) {
            const Licence &l = revoked->licence;
            LineageFlag f{QStringLiteral("licence-revoked"),
                          link.parent,
                          node,
                          l.id,
                          revoked->revoked,
                          {},
                          {}};
            f.message =
                QStringLiteral("Licence %1 (%2 → %3) for %4 was revoked on %5 for %6%7%8")
                    .arg(l.reference, l.licensor, l.licensee, parentName, isoDate(revoked->revoked),
                         revoked->revokedReason, throughSublicence(l), reachedVia);
            f.effect =
                QStringLiteral("%1 may no longer be exploited under it; continued use of "
                               "%2 needs a new licence. ")
                    .arg(viaName.isEmpty() ? QStringLiteral("This asset") : viaName, parentName) +
                royaltyEffect(revoked->revoked, QStringLiteral("the licence was revoked"));
            out.append(f);
        } else if (expired != chain.end()) {
            const Licence &l = expired->licence;
            LineageFlag f{
                QStringLiteral("licence-expired"), link.parent, node, l.id, l.expires, {}, {}};
            f.message = QStringLiteral("Licence %1 (%2 → %3) for %4 expired on %5%6%7")
                            .arg(l.reference, l.licensor, l.licensee, parentName,
                                 isoDate(l.expires), throughSublicence(l), reachedVia);
            f.effect =
                QStringLiteral("Continued use of %1 needs a renewed licence. ").arg(parentName) +
                royaltyEffect(l.expires, QStringLiteral("the licence ended"));
            out.append(f);
        }
    }
    return out;
}

} // namespace cartulary::model
