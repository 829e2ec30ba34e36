// SPDX-License-Identifier: GPL-3.0-or-later
// Cosignatures as C2SP tlog-cosignature defines them for Ed25519 (signature type 0x04).
#include "ledger/sync/cosignature.h"

#include <QtEndian>

namespace cartulary::ledger::sync {

namespace {
const QByteArray Dash = QByteArray("\xe2\x80\x94 "); // "— "
}

quint32 cosignatureKeyId(const QString &name, const PublicKey &key)
{
    const Hash h = sha256(name.toUtf8() + '\n' + char(0x04) + toBytes(key));
    return qFromBigEndian<quint32>(h.data());
}

QByteArray cosignedMessage(const Checkpoint &checkpoint, quint64 timestamp)
{
    return QByteArray("cosignature/v1\ntime ") + QByteArray::number(timestamp) + '\n' +
           checkpointText(checkpoint);
}

QByteArray cosign(const Checkpoint &checkpoint, const QString &name, const KeyPair &keys,
                  quint64 timestamp)
{
    const Signature sig = sign(cosignedMessage(checkpoint, timestamp), keys.secretKey);
    char head[12];
    qToBigEndian(cosignatureKeyId(name, keys.publicKey), head);
    qToBigEndian(timestamp, head + 4);
    const QByteArray blob = QByteArray(head, 12) + toBytes(sig);
    return Dash + name.toUtf8() + ' ' + blob.toBase64();
}

Result<quint64> verifyCosignature(QByteArrayView line, const Checkpoint &checkpoint,
                                  const QString &name, const PublicKey &key)
{
    using R = Result<quint64>;
    const QByteArray prefix = Dash + name.toUtf8() + ' ';
    if (!line.startsWith(prefix))
        return R::failure("bad-cosignature",
                          QStringLiteral("the cosignature is not signed by %1").arg(name));
    const QByteArray blob = QByteArray::fromBase64(line.sliced(prefix.size()).toByteArray(),
                                                   QByteArray::AbortOnBase64DecodingErrors);
    if (blob.size() != 12 + qsizetype(SignatureSize) ||
        qFromBigEndian<quint32>(blob.constData()) != cosignatureKeyId(name, key))
        return R::failure(
            "bad-cosignature",
            QStringLiteral("the cosignature by %1 has the wrong length or key ID").arg(name));
    const quint64 timestamp = qFromBigEndian<quint64>(blob.constData() + 4);
    Signature sig{};
    (void)fromBytes(QByteArrayView(blob).sliced(12), sig);
    if (timestamp > quint64(std::numeric_limits<qint64>::max()) ||
        !verify(cosignedMessage(checkpoint, timestamp), sig, key))
        return R::failure("bad-cosignature",
                          QStringLiteral("the cosignature by %1 does not verify").arg(name));
    return timestamp;
}

} // namespace cartulary::ledger::sync
