// SPDX-License-Identifier: GPL-3.0-or-later
// Entry codec: big-endian fixed fields, length-prefixed kind and body, signature last.
#include "ledger/entry.h"

#include <QtEndian>

#include <algorithm>

namespace cartulary::ledger {

namespace {

// Domain separation: no other signed message of ours starts with these 16 bytes (notes cannot
// contain NUL), so an entry signature can never be replayed as a checkpoint signature or back.
constexpr char Prefix[] = "cartulary-entry"; // 15 characters + the terminating NUL = 16 bytes
constexpr qsizetype PrefixSize = 16;
constexpr qsizetype FixedSize = PrefixSize + 1 + PublicKeySize + 8 + HashSize + 8;

bool validKindChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

template<typename T>
void appendBigEndian(QByteArray &out, T value)
{
    char buf[sizeof(T)];
    qToBigEndian(value, buf);
    out.append(buf, sizeof(T));
}

} // namespace

bool isZero(const Hash &h)
{
    return std::all_of(h.begin(), h.end(), [](std::uint8_t b) { return b == 0; });
}

Status validateEntry(const Entry &e)
{
    if (e.seq == 0)
        return Status::failure("bad-seq", QStringLiteral("sequence numbers start at 1"));
    if ((e.seq == 1) != isZero(e.prev))
        return Status::failure("bad-prev",
                               QStringLiteral("seq %1: the previous hash must be all zero exactly "
                                              "for an author's first entry")
                                   .arg(e.seq));
    if (e.kind.isEmpty() || e.kind.size() > MaxKindSize)
        return Status::failure("bad-kind",
                               QStringLiteral("entry kind must be 1 to %1 bytes").arg(MaxKindSize));
    if (!std::all_of(e.kind.begin(), e.kind.end(), validKindChar))
        return Status::failure("bad-kind",
                               QStringLiteral("entry kind '%1' may only use a-z, 0-9, '.' and '-'")
                                   .arg(QString::fromLatin1(e.kind)));
    if (quint64(e.body.size()) > MaxBodySize)
        return Status::failure(
            "body-too-large", QStringLiteral("entry body of %1 bytes exceeds the limit of %2 bytes")
                                  .arg(e.body.size())
                                  .arg(MaxBodySize));
    return {};
}

QByteArray encodeUnsigned(const Entry &e)
{
    QByteArray out;
    out.reserve(FixedSize + 1 + e.kind.size() + 4 + e.body.size() + qsizetype(SignatureSize));
    out.append(Prefix, PrefixSize);
    out.append(char(EntryVersion));
    out.append(toView(e.author));
    appendBigEndian<quint64>(out, e.seq);
    out.append(toView(e.prev));
    appendBigEndian<qint64>(out, e.timeMs);
    out.append(char(quint8(e.kind.size())));
    out.append(e.kind);
    appendBigEndian<quint32>(out, quint32(e.body.size()));
    out.append(e.body);
    return out;
}

SignedEntry signEntry(Entry entry, const SecretKey &key)
{
    Q_ASSERT(validateEntry(entry).ok());
    SignedEntry s;
    s.bytes = encodeUnsigned(entry);
    s.signature = sign(s.bytes, key);
    s.bytes.append(toView(s.signature));
    s.hash = leafHash(s.bytes);
    s.entry = std::move(entry);
    return s;
}

Result<SignedEntry> decodeEntry(QByteArrayView bytes)
{
    auto fail = [](const QString &why) {
        return Result<SignedEntry>::failure("malformed-entry", why);
    };
    if (bytes.size() < FixedSize + 1 + 4 + qsizetype(SignatureSize))
        return fail(QStringLiteral("entry is %1 bytes, shorter than the smallest valid entry")
                        .arg(bytes.size()));
    if (QByteArrayView(bytes.data(), PrefixSize) != QByteArrayView(Prefix, PrefixSize))
        return fail(QStringLiteral("entry does not start with the cartulary-entry prefix"));
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    qsizetype pos = PrefixSize;
    const quint8 version = p[pos++];
    if (version != EntryVersion)
        return fail(QStringLiteral("unknown entry version %1").arg(version));

    SignedEntry s;
    std::copy_n(p + pos, PublicKeySize, s.entry.author.begin());
    pos += PublicKeySize;
    s.entry.seq = qFromBigEndian<quint64>(p + pos);
    pos += 8;
    std::copy_n(p + pos, HashSize, s.entry.prev.begin());
    pos += HashSize;
    s.entry.timeMs = qFromBigEndian<qint64>(p + pos);
    pos += 8;
    const quint8 kindSize = p[pos++];
    if (pos + kindSize + 4 > bytes.size())
        return fail(QStringLiteral("entry truncated in its kind"));
    s.entry.kind = QByteArray(bytes.data() + pos, kindSize);
    pos += kindSize;
    const quint32 bodySize = qFromBigEndian<quint32>(p + pos);
    pos += 4;
    if (bodySize > MaxBodySize)
        return fail(QStringLiteral("entry body length %1 exceeds the limit").arg(bodySize));
    if (pos + qsizetype(bodySize) + qsizetype(SignatureSize) != bytes.size())
        return fail(QStringLiteral("entry length %1 does not match its declared body length %2")
                        .arg(bytes.size())
                        .arg(bodySize));
    s.entry.body = QByteArray(bytes.data() + pos, bodySize);
    pos += bodySize;
    std::copy_n(p + pos, SignatureSize, s.signature.begin());

    if (const Status valid = validateEntry(s.entry); !valid)
        return fail(valid.errorString());
    s.bytes = bytes.toByteArray();
    s.hash = leafHash(s.bytes);
    return s;
}

bool verifyEntrySignature(const SignedEntry &s)
{
    if (s.bytes.size() <= qsizetype(SignatureSize))
        return false;
    const QByteArrayView message(s.bytes.constData(), s.bytes.size() - qsizetype(SignatureSize));
    return verify(message, s.signature, s.entry.author);
}

} // namespace cartulary::ledger
