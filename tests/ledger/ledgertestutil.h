// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the ledger tests: identities with cheap keys and hand-signed foreign entries.
#pragma once

#include "ledger/entry.h"
#include "ledger/keystore.h"

#include <QByteArray>
#include <QList>

#include <memory>

namespace cartulary::ledger::testutil {

/** A deterministic identity from a one-byte seed pattern (no key file, no Argon2id). */
inline std::shared_ptr<Identity> identity(const QString &name, char seedByte)
{
    auto id = std::make_shared<Identity>();
    id->name = name;
    id->keys = KeyPair::fromSeed(QByteArray(32, seedByte));
    return id;
}

/** A chain of n signed entries by keys, seq from firstSeq, starting after prev. */
inline QList<SignedEntry> chain(const KeyPair &keys, int n, quint64 firstSeq = 1, Hash prev = {},
                                const QByteArray &kind = "test.entry")
{
    QList<SignedEntry> out;
    for (int i = 0; i < n; ++i) {
        Entry e{keys.publicKey,
                firstSeq + quint64(i),
                prev,
                1767225600000 + i,
                kind,
                QByteArray("{\"n\":") + QByteArray::number(qulonglong(firstSeq) + i) + "}"};
        SignedEntry s = signEntry(std::move(e), keys.secretKey);
        prev = s.hash;
        out.append(std::move(s));
    }
    return out;
}

inline QList<QByteArray> bytesOf(const QList<SignedEntry> &entries)
{
    QList<QByteArray> out;
    for (const auto &e : entries)
        out.append(e.bytes);
    return out;
}

inline QList<Draft> drafts(int n, const QByteArray &kind = "test.entry")
{
    QList<Draft> out;
    for (int i = 0; i < n; ++i)
        out.append(Draft{kind, QByteArray("{\"i\":") + QByteArray::number(i) + "}", 0});
    return out;
}

} // namespace cartulary::ledger::testutil
