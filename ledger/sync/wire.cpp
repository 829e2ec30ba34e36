// SPDX-License-Identifier: GPL-3.0-or-later
// Sync wire format: every decoder reads exactly its payload, bounds-checked, or fails.
#include "ledger/sync/wire.h"

#include "ledger/entry.h"

#include <QtEndian>

namespace cartulary::ledger::sync {

namespace {

template<typename T>
Result<T> malformed(const char *what)
{
    return Result<T>::failure("protocol",
                              QStringLiteral("malformed %1 message").arg(QLatin1String(what)));
}

/** Largest signed entry: header, 64-byte kind, 1 MiB body, signature. */
constexpr quint32 MaxEntry = 166 + MaxKindSize + MaxBodySize;

} // namespace

Writer &Writer::u8(quint8 v)
{
    m_bytes.append(char(v));
    return *this;
}
Writer &Writer::u16(quint16 v)
{
    char b[2];
    qToBigEndian(v, b);
    m_bytes.append(b, 2);
    return *this;
}
Writer &Writer::u32(quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    m_bytes.append(b, 4);
    return *this;
}
Writer &Writer::u64(quint64 v)
{
    char b[8];
    qToBigEndian(v, b);
    m_bytes.append(b, 8);
    return *this;
}
Writer &Writer::raw(QByteArrayView bytes)
{
    m_bytes.append(bytes.data(), bytes.size());
    return *this;
}
Writer &Writer::blob(QByteArrayView bytes)
{
    u32(quint32(bytes.size()));
    return raw(bytes);
}

QByteArrayView Reader::raw(qsizetype n)
{
    if (m_failed || n < 0 || m_bytes.size() - m_at < n) {
        m_failed = true;
        return {};
    }
    const QByteArrayView v = m_bytes.sliced(m_at, n);
    m_at += n;
    return v;
}
quint8 Reader::u8()
{
    const QByteArrayView v = raw(1);
    return v.isEmpty() ? 0 : quint8(v[0]);
}
quint16 Reader::u16()
{
    const QByteArrayView v = raw(2);
    return v.size() == 2 ? qFromBigEndian<quint16>(v.data()) : 0;
}
quint32 Reader::u32()
{
    const QByteArrayView v = raw(4);
    return v.size() == 4 ? qFromBigEndian<quint32>(v.data()) : 0;
}
quint64 Reader::u64()
{
    const QByteArrayView v = raw(8);
    return v.size() == 8 ? qFromBigEndian<quint64>(v.data()) : 0;
}
QByteArrayView Reader::blob(quint32 max)
{
    const quint32 n = u32();
    if (n > max) {
        m_failed = true;
        return {};
    }
    return raw(qsizetype(n));
}

QByteArray frame(MessageType type, const QByteArray &payload)
{
    Writer w;
    w.u32(quint32(payload.size() + 1)).u8(quint8(type)).raw(payload);
    return w.bytes();
}

QByteArray encodeHello(const Hello &h)
{
    Writer w;
    w.u16(h.version).raw(toView(h.nodeKey)).blob(h.binding).blob(h.checkpoint).u64(h.seenSize);
    return w.bytes();
}

Result<Hello> decodeHello(QByteArrayView payload)
{
    Reader r(payload);
    Hello h;
    h.version = r.u16();
    if (!r.failed() && h.version != ProtocolVersion)
        return Result<Hello>::failure(
            "version", QStringLiteral("the peer speaks sync protocol version %1; this node speaks "
                                      "version %2")
                           .arg(h.version)
                           .arg(ProtocolVersion));
    (void)fromBytes(r.raw(PublicKeySize), h.nodeKey);
    h.binding = r.blob(MaxHelloFrame).toByteArray();
    h.checkpoint = r.blob(MaxHelloFrame).toByteArray();
    h.seenSize = r.u64();
    if (!r.complete())
        return malformed<Hello>("hello");
    return h;
}

QByteArray encodeWants(const QList<Want> &wants)
{
    Writer w;
    w.u32(quint32(wants.size()));
    for (const Want &x : wants)
        w.raw(toView(x.author)).u64(x.seq).raw(toView(x.head)).u8(x.frozen ? 1 : 0);
    return w.bytes();
}

Result<QList<Want>> decodeWants(QByteArrayView payload)
{
    Reader r(payload);
    const quint32 n = r.u32();
    // Each want is 73 bytes: a count larger than the payload allows is refused before reserving.
    if (r.failed() || quint64(n) * 73 != quint64(payload.size() - 4))
        return malformed<QList<Want>>("wants");
    QList<Want> out;
    out.reserve(n);
    for (quint32 i = 0; i < n; ++i) {
        Want x;
        (void)fromBytes(r.raw(PublicKeySize), x.author);
        x.seq = r.u64();
        (void)fromBytes(r.raw(HashSize), x.head);
        const quint8 flags = r.u8();
        if (flags > 1)
            return malformed<QList<Want>>("wants");
        x.frozen = flags == 1;
        out.append(x);
    }
    if (!r.complete())
        return malformed<QList<Want>>("wants");
    return out;
}

QByteArray encodeEntries(const EntriesBatch &b)
{
    Writer w;
    w.u64(b.batch).u32(quint32(b.entries.size()));
    for (const QByteArray &e : b.entries)
        w.blob(e);
    return w.bytes();
}

Result<EntriesBatch> decodeEntries(QByteArrayView payload)
{
    Reader r(payload);
    EntriesBatch b;
    b.batch = r.u64();
    const quint32 n = r.u32();
    if (r.failed() || n == 0 || quint64(n) * 4 > quint64(payload.size()))
        return malformed<EntriesBatch>("entries");
    for (quint32 i = 0; i < n; ++i) {
        const QByteArrayView e = r.blob(MaxEntry);
        if (r.failed())
            return malformed<EntriesBatch>("entries");
        b.entries.append(e.toByteArray());
    }
    if (!r.complete())
        return malformed<EntriesBatch>("entries");
    return b;
}

QByteArray encodeAck(const Ack &a)
{
    Writer w;
    w.u64(a.batch).u32(a.accepted).u32(a.duplicates);
    return w.bytes();
}

Result<Ack> decodeAck(QByteArrayView payload)
{
    Reader r(payload);
    Ack a;
    a.batch = r.u64();
    a.accepted = r.u32();
    a.duplicates = r.u32();
    if (!r.complete())
        return malformed<Ack>("ack");
    return a;
}

QByteArray encodeCheckpoint(const CheckpointMessage &c)
{
    Writer w;
    w.blob(c.note).u64(c.oldSize).u32(quint32(c.proof.size()));
    for (const Hash &h : c.proof)
        w.raw(toView(h));
    return w.bytes();
}

Result<CheckpointMessage> decodeCheckpoint(QByteArrayView payload)
{
    Reader r(payload);
    CheckpointMessage c;
    c.note = r.blob(MaxHelloFrame).toByteArray();
    c.oldSize = r.u64();
    const quint32 n = r.u32();
    if (r.failed() || n > 64 * 2) // a consistency proof has at most 2 log2(size) hashes
        return malformed<CheckpointMessage>("checkpoint");
    for (quint32 i = 0; i < n; ++i) {
        Hash h{};
        if (!fromBytes(r.raw(HashSize), h))
            return malformed<CheckpointMessage>("checkpoint");
        c.proof.push_back(h);
    }
    if (!r.complete())
        return malformed<CheckpointMessage>("checkpoint");
    return c;
}

QByteArray encodeCosignature(const CosignatureMessage &c)
{
    Writer w;
    w.u64(c.size).raw(toView(c.root)).blob(c.line);
    return w.bytes();
}

Result<CosignatureMessage> decodeCosignature(QByteArrayView payload)
{
    Reader r(payload);
    CosignatureMessage c;
    c.size = r.u64();
    (void)fromBytes(r.raw(HashSize), c.root);
    c.line = r.blob(4096).toByteArray();
    if (!r.complete())
        return malformed<CosignatureMessage>("cosignature");
    return c;
}

QByteArray encodeEvidence(const EvidenceMessage &e)
{
    Writer w;
    w.u8(e.kind).blob(e.first).blob(e.second);
    return w.bytes();
}

Result<EvidenceMessage> decodeEvidence(QByteArrayView payload)
{
    Reader r(payload);
    EvidenceMessage e;
    e.kind = r.u8();
    e.first = r.blob(MaxEntry).toByteArray();
    e.second = r.blob(MaxEntry).toByteArray();
    if (!r.complete() || e.kind != 1)
        return malformed<EvidenceMessage>("evidence");
    return e;
}

QByteArray encodeClose(const CloseMessage &c)
{
    Writer w;
    w.u16(quint16(c.code)).blob(c.reason.left(MaxReason).toUtf8());
    return w.bytes();
}

Result<CloseMessage> decodeClose(QByteArrayView payload)
{
    Reader r(payload);
    CloseMessage c;
    c.code = CloseCode(r.u16());
    c.reason = QString::fromUtf8(r.blob(4 * MaxReason));
    if (!r.complete())
        return malformed<CloseMessage>("close");
    return c;
}

} // namespace cartulary::ledger::sync
