// SPDX-License-Identifier: GPL-3.0-or-later
// C2SP tlog-cosignature (cosignature/v1, Ed25519): a peer's timestamped statement that it checked a
// checkpoint's consistency with everything it saw of that log before.
#pragma once

#include "ledger/checkpoint.h"

namespace cartulary::ledger::sync {

/** Key ID of an Ed25519 cosigner: SHA-256(name || 0x0A || 0x04 || key)[:4], big-endian. */
quint32 cosignatureKeyId(const QString &name, const PublicKey &key);
/** The signed message: "cosignature/v1\ntime <T>\n" followed by the checkpoint's note text. */
QByteArray cosignedMessage(const Checkpoint &checkpoint, quint64 timestamp);
/** The note signature line "— <name> base64(keyID || u64 timestamp || signature)", no newline. */
QByteArray cosign(const Checkpoint &checkpoint, const QString &name, const KeyPair &keys,
                  quint64 timestamp);
/** Checks a line made by cosign() for checkpoint by the cosigner (name, key); its timestamp. */
Result<quint64> verifyCosignature(QByteArrayView line, const Checkpoint &checkpoint,
                                  const QString &name, const PublicKey &key);

} // namespace cartulary::ledger::sync
