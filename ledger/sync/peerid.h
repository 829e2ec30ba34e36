// SPDX-License-Identifier: GPL-3.0-or-later
// Peer IDs: SHA-256 of a TLS certificate's SubjectPublicKeyInfo, written in groups with check
// characters so that a mistyped ID is caught and the group named (SYNC.md §2).
#pragma once

#include "ledger/crypto.h"
#include "ledger/result.h"

namespace cartulary::ledger::sync {

/** SHA-256 of the DER SubjectPublicKeyInfo of a peer's TLS certificate. */
using PeerId = Hash;

/** "XXXXXXX-XXXXXXX-…": 8 groups of 7 characters, base32 with one check character per 13. */
QString formatPeerId(const PeerId &id);
/** Parses a written peer ID (dashes and spaces optional, case-insensitive, 0/1/8 read as O/I/B);
 * a wrong check character fails naming the groups that hold the mistake. */
Result<PeerId> parsePeerId(const QString &text);
/** The peer ID of a DER certificate; fails when it does not parse. */
Result<PeerId> peerIdOfCertificate(QByteArrayView der);

} // namespace cartulary::ledger::sync
