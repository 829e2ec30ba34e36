// SPDX-License-Identifier: GPL-3.0-or-later
// Checkpoint and proof text formats; strict parsing, since outsiders hand us these files.
#include "ledger/checkpoint.h"

#include <QtEndian>

#include <algorithm>

namespace cartulary::ledger {

namespace {

const QByteArray EmDashSpace = QByteArrayLiteral("\xE2\x80\x94 ");
constexpr std::uint8_t Ed25519Type = 0x01;

bool strictDecimal(QByteArrayView s, quint64 &out)
{
    if (s.isEmpty() || s.size() > 20 || (s.size() > 1 && s[0] == '0'))
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    bool ok = false;
    out = s.toByteArray().toULongLong(&ok);
    return ok;
}

bool strictBase64(QByteArrayView s, QByteArray &out)
{
    auto decoded =
        QByteArray::fromBase64Encoding(s.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64() != s)
        return false;
    out = decoded.decoded;
    return true;
}

} // namespace

QByteArray checkpointText(const Checkpoint &c)
{
    return c.origin.toUtf8() + '\n' + QByteArray::number(c.size) + '\n' +
           toBytes(c.root).toBase64() + '\n';
}

QString logOrigin(const PublicKey &key)
{
    return QStringLiteral("cartulary/") + fingerprint(key);
}

quint32 noteKeyId(const QString &keyName, const PublicKey &key)
{
    const QByteArray material = keyName.toUtf8() + '\n' + char(Ed25519Type) + toBytes(key);
    const Hash h = sha256(material);
    return qFromBigEndian<quint32>(h.data());
}

QString verifierKey(const QString &keyName, const PublicKey &key)
{
    const QByteArray raw = QByteArray(1, char(Ed25519Type)) + toBytes(key);
    return QStringLiteral("%1+%2+%3")
        .arg(keyName)
        .arg(noteKeyId(keyName, key), 8, 16, QLatin1Char('0'))
        .arg(QString::fromLatin1(raw.toBase64()));
}

Result<std::pair<QString, PublicKey>> parseVerifierKey(const QString &vkey)
{
    using R = Result<std::pair<QString, PublicKey>>;
    // Names cannot contain '+', but the base64 key can: only the first two '+' separate fields.
    const QString v = vkey.trimmed();
    const QStringList parts{v.section(QLatin1Char('+'), 0, 0), v.section(QLatin1Char('+'), 1, 1),
                            v.section(QLatin1Char('+'), 2)};
    if (v.count(QLatin1Char('+')) < 2 || parts[0].isEmpty() || parts[1].size() != 8)
        return R::failure("bad-vkey", QStringLiteral("not a verifier key: expected name+id+key"));
    // Exactly eight lower-case hex digits: toUInt would also take "0x…" or surrounding spaces.
    bool ok = std::all_of(parts[1].begin(), parts[1].end(), [](QChar c) {
        return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
               (c >= QLatin1Char('a') && c <= QLatin1Char('f'));
    });
    for (QChar c : parts[0])
        ok = ok && !c.isSpace();
    const quint32 id = ok ? parts[1].toUInt(&ok, 16) : 0;
    QByteArray raw;
    PublicKey key{};
    if (!ok || !strictBase64(parts[2].toLatin1(), raw) || raw.size() != 33 ||
        quint8(raw[0]) != Ed25519Type || !fromBytes(QByteArrayView(raw).sliced(1), key))
        return R::failure("bad-vkey", QStringLiteral("verifier key is not an Ed25519 key"));
    if (noteKeyId(parts[0], key) != id)
        return R::failure("bad-vkey",
                          QStringLiteral("verifier key ID does not match its name and key"));
    return std::make_pair(parts[0], key);
}

QByteArray signCheckpoint(const Checkpoint &c, const KeyPair &keys)
{
    const QByteArray text = checkpointText(c);
    const Signature sig = sign(text, keys.secretKey);
    QByteArray blob(4, Qt::Uninitialized);
    qToBigEndian(noteKeyId(c.origin, keys.publicKey), blob.data());
    blob += toBytes(sig);
    return text + '\n' + EmDashSpace + c.origin.toUtf8() + ' ' + blob.toBase64() + '\n';
}

Result<Checkpoint> openCheckpoint(QByteArrayView note, const PublicKey &key)
{
    using R = Result<Checkpoint>;
    auto fail = [](const QString &why) { return R::failure("bad-checkpoint", why); };
    if (note.size() > 1 << 20)
        return fail(QStringLiteral("checkpoint note is larger than 1 MiB"));
    for (char c : note)
        if (uchar(c) < 0x20 && c != '\n')
            return fail(QStringLiteral("checkpoint note contains a control character"));
    const qsizetype split = note.lastIndexOf(QByteArrayView("\n\n"));
    if (split < 0 || !note.endsWith('\n'))
        return fail(QStringLiteral("checkpoint note has no signature block"));
    const QByteArrayView text = note.first(split + 1);
    const QByteArrayView sigBlock = note.sliced(split + 2);

    const QString keyName = logOrigin(key);
    const quint32 wantId = noteKeyId(keyName, key);
    bool verified = false;
    for (const QByteArrayView line : QByteArray(sigBlock.toByteArray()).split('\n')) {
        if (line.isEmpty())
            continue;
        if (!line.startsWith(EmDashSpace))
            return fail(QStringLiteral("malformed signature line in checkpoint note"));
        const QByteArrayView rest = line.sliced(EmDashSpace.size());
        const qsizetype space = rest.lastIndexOf(' ');
        if (space <= 0)
            return fail(QStringLiteral("malformed signature line in checkpoint note"));
        const QByteArrayView name = rest.first(space);
        QByteArray blob;
        if (!strictBase64(rest.sliced(space + 1), blob) || blob.size() < 5)
            return fail(QStringLiteral("malformed signature in checkpoint note"));
        const quint32 id = qFromBigEndian<quint32>(blob.constData());
        if (name != keyName.toUtf8() || id != wantId)
            continue; // another key's line: ignored, as signed-note requires
        Signature sig{};
        if (!fromBytes(QByteArrayView(blob).sliced(4), sig) || !verify(text, sig, key))
            return R::failure(
                "bad-checkpoint-signature",
                QStringLiteral("checkpoint signature by %1 does not verify").arg(keyName));
        verified = true;
    }
    if (!verified)
        return R::failure("bad-checkpoint-signature",
                          QStringLiteral("checkpoint is not signed by %1").arg(keyName));

    const QList<QByteArray> lines = text.toByteArray().split('\n');
    // text ends in '\n', so split yields a trailing empty element.
    if (lines.size() < 4)
        return fail(QStringLiteral("checkpoint text has fewer than three lines"));
    Checkpoint c;
    c.origin = QString::fromUtf8(lines[0]);
    QByteArray root;
    if (c.origin != keyName)
        return fail(QStringLiteral("checkpoint origin '%1' is not this log's origin '%2'")
                        .arg(c.origin, keyName));
    if (!strictDecimal(lines[1], c.size))
        return fail(QStringLiteral("checkpoint tree size '%1' is not a decimal number")
                        .arg(QString::fromUtf8(lines[1])));
    if (!strictBase64(lines[2], root) || !fromBytes(root, c.root))
        return fail(QStringLiteral("checkpoint root is not a base64 SHA-256 hash"));
    return c;
}

QByteArray formatTlogProof(quint64 index, const std::vector<Hash> &proof,
                           const QByteArray &checkpointNote)
{
    QByteArray out = "c2sp.org/tlog-proof@v1\nindex " + QByteArray::number(index) + '\n';
    for (const Hash &h : proof)
        out += toBytes(h).toBase64() + '\n';
    out += '\n';
    out += checkpointNote;
    return out;
}

Result<TlogProof> parseTlogProof(QByteArrayView text)
{
    using R = Result<TlogProof>;
    auto fail = [](const QString &why) { return R::failure("bad-proof", why); };
    if (text.size() > 1 << 20)
        return fail(QStringLiteral("proof is larger than 1 MiB"));
    const qsizetype blank = text.indexOf(QByteArrayView("\n\n"));
    if (blank < 0)
        return fail(QStringLiteral("proof has no blank line before its checkpoint"));
    TlogProof proof;
    proof.checkpointNote = text.sliced(blank + 2).toByteArray();
    QList<QByteArray> lines = text.first(blank).toByteArray().split('\n');
    int i = 0;
    if (lines.value(i++) != "c2sp.org/tlog-proof@v1")
        return fail(QStringLiteral("line 1: expected 'c2sp.org/tlog-proof@v1'"));
    if (lines.value(i).startsWith("extra ")) {
        if (!strictBase64(QByteArrayView(lines[i]).sliced(6), proof.extra))
            return fail(QStringLiteral("line %1: extra data is not base64").arg(i + 1));
        ++i;
    }
    if (!lines.value(i).startsWith("index ") ||
        !strictDecimal(QByteArrayView(lines[i]).sliced(6), proof.index))
        return fail(QStringLiteral("line %1: expected 'index N'").arg(i + 1));
    for (++i; i < lines.size(); ++i) {
        QByteArray h;
        if (!strictBase64(lines[i], h))
            return fail(QStringLiteral("line %1: proof hash is not base64").arg(i + 1));
        proof.hashes.append(h);
    }
    return proof;
}

namespace {

// Ends in 0x00 like the entry prefix, and differs from it before that: a mark can never be read
// as an entry, and checkpoint notes are text without control characters.
const QByteArray MarkPrefix = QByteArrayLiteral("cartulary-verified-mark\x00\x01");
constexpr qsizetype MarkSize = 8 + qsizetype(HashSize) + qsizetype(SignatureSize);

QByteArray markMessage(const VerifiedMark &mark)
{
    QByteArray size(8, Qt::Uninitialized);
    qToBigEndian(mark.size, size.data());
    return MarkPrefix + size + toBytes(mark.root);
}

} // namespace

QByteArray signVerifiedMark(const VerifiedMark &mark, const KeyPair &keys)
{
    QByteArray out(8, Qt::Uninitialized);
    qToBigEndian(mark.size, out.data());
    return out + toBytes(mark.root) + toBytes(sign(markMessage(mark), keys.secretKey));
}

Result<VerifiedMark> openVerifiedMark(QByteArrayView stored, const PublicKey &key)
{
    using R = Result<VerifiedMark>;
    if (stored.size() != MarkSize)
        return R::failure("bad-mark", QStringLiteral("the verification mark has %1 bytes, not %2")
                                          .arg(stored.size())
                                          .arg(MarkSize));
    VerifiedMark mark;
    mark.size = qFromBigEndian<quint64>(stored.data());
    Signature sig{};
    if (!fromBytes(stored.sliced(8, qsizetype(HashSize)), mark.root) ||
        !fromBytes(stored.sliced(8 + qsizetype(HashSize)), sig))
        return R::failure("bad-mark", QStringLiteral("the verification mark is malformed"));
    if (!verify(markMessage(mark), sig, key))
        return R::failure("bad-mark",
                          QStringLiteral("the verification mark is not signed by the node key"));
    return mark;
}

} // namespace cartulary::ledger
