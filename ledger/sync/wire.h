// SPDX-License-Identifier: GPL-3.0-or-later
// The sync protocol's bytes (ledger/SYNC.md §4-5): frames (u32 length, u8 type, payload) with caps
// checked before anything is allocated, and each message's encoding and strict decoding.
#pragma once

#include "ledger/crypto.h"
#include "ledger/result.h"

#include <QByteArray>
#include <QList>

#include <optional>
#include <vector>

namespace cartulary::ledger::sync {

constexpr quint16 ProtocolVersion = 1;
/** Largest frame after its length field: the largest valid entry (1 MiB body) plus room. */
constexpr quint32 MaxFrame = (1u << 20) + (64u << 10);
/** Largest first frame (the hello), before the peer has said anything authenticated. */
constexpr quint32 MaxHelloFrame = 16u << 10;
/** Longest close reason. */
constexpr int MaxReason = 1024;

/** Message types (SYNC.md §5). */
enum class MessageType : quint8 {
    Hello = 1,
    Wants = 2,
    Entries = 3,
    Ack = 4,
    Done = 5,
    Checkpoint = 6,
    Cosignature = 7,
    Evidence = 8,
    Close = 9,
};

/** Why a session ended (the CLOSE code). */
enum class CloseCode : quint16 {
    Done = 0,
    Protocol = 1,     ///< malformed frame or message, wrong order, over a cap
    Refused = 2,      ///< not paired, bad binding, another ledger key than before
    Misbehaviour = 3, ///< an entry that is forged, breaks its chain, or skips
    Timeout = 4,
    SplitView = 5, ///< a checkpoint inconsistent with one seen before
    Internal = 6,  ///< this node could not store what it received
    Version = 7,
};

/** Appends big-endian integers and length-prefixed byte strings. */
class Writer
{
public:
    Writer &u8(quint8 v);
    Writer &u16(quint16 v);
    Writer &u32(quint32 v);
    Writer &u64(quint64 v);
    Writer &raw(QByteArrayView bytes);
    Writer &blob(QByteArrayView bytes); ///< u32 length, then the bytes
    const QByteArray &bytes() const { return m_bytes; }

private:
    QByteArray m_bytes;
};

/** Reads what Writer writes; any read past the end sets failed() and yields zeros. */
class Reader
{
public:
    explicit Reader(QByteArrayView bytes)
        : m_bytes(bytes)
    {}
    quint8 u8();
    quint16 u16();
    quint32 u32();
    quint64 u64();
    QByteArrayView raw(qsizetype n);
    /** u32 length then bytes; the length is checked against what is left before it is used. */
    QByteArrayView blob(quint32 max);
    bool failed() const { return m_failed; }
    bool atEnd() const { return m_at == m_bytes.size(); }
    /** True when everything was read and nothing failed. */
    bool complete() const { return !m_failed && atEnd(); }

private:
    QByteArrayView m_bytes;
    qsizetype m_at = 0;
    bool m_failed = false;
};

/** A whole frame: length (1 + payload size), type, payload. */
QByteArray frame(MessageType type, const QByteArray &payload);

struct Hello
{
    quint16 version = ProtocolVersion;
    PublicKey nodeKey{};
    QByteArray binding;    ///< the signed entry binding the TLS certificate to nodeKey
    QByteArray checkpoint; ///< the sender's latest signed checkpoint note
    quint64 seenSize = 0;  ///< the largest size of the receiver's log the sender holds signed
};
QByteArray encodeHello(const Hello &h);
Result<Hello> decodeHello(QByteArrayView payload);

/** One author's head as the sender holds it. */
struct Want
{
    PublicKey author{};
    quint64 seq = 0;
    Hash head{};
    bool frozen = false; ///< a proven fork: send nothing more of this author
};
QByteArray encodeWants(const QList<Want> &wants);
Result<QList<Want>> decodeWants(QByteArrayView payload);

struct EntriesBatch
{
    quint64 batch = 0;
    QList<QByteArray> entries;
};
QByteArray encodeEntries(const EntriesBatch &b);
Result<EntriesBatch> decodeEntries(QByteArrayView payload);

struct Ack
{
    quint64 batch = 0;
    quint32 accepted = 0;
    quint32 duplicates = 0;
};
QByteArray encodeAck(const Ack &a);
Result<Ack> decodeAck(QByteArrayView payload);

struct CheckpointMessage
{
    QByteArray note;
    quint64 oldSize = 0; ///< the hello's seenSize the proof starts from (0: no proof)
    std::vector<Hash> proof;
};
QByteArray encodeCheckpoint(const CheckpointMessage &c);
Result<CheckpointMessage> decodeCheckpoint(QByteArrayView payload);

struct CosignatureMessage
{
    quint64 size = 0;
    Hash root{};
    QByteArray line; ///< "— <name> <base64>"
};
QByteArray encodeCosignature(const CosignatureMessage &c);
Result<CosignatureMessage> decodeCosignature(QByteArrayView payload);

struct EvidenceMessage
{
    quint8 kind = 1; ///< 1: fork (two entries, one author, one seq)
    QByteArray first;
    QByteArray second;
};
QByteArray encodeEvidence(const EvidenceMessage &e);
Result<EvidenceMessage> decodeEvidence(QByteArrayView payload);

struct CloseMessage
{
    CloseCode code = CloseCode::Done;
    QString reason;
};
QByteArray encodeClose(const CloseMessage &c);
Result<CloseMessage> decodeClose(QByteArrayView payload);

} // namespace cartulary::ledger::sync
