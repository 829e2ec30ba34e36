// SPDX-License-Identifier: GPL-3.0-or-later
// Peer IDs: base32 of the SPKI hash in four parts of 13 characters, each followed by a Luhn mod 32
// check character, shown as eight groups of seven.
#include "ledger/sync/peerid.h"

#include <QStringList>

#include <openssl/x509.h>

#include <cstring>

namespace cartulary::ledger::sync {

namespace {

constexpr char Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int PartLength = 13;
constexpr int Parts = 4;

int codepoint(QChar c)
{
    const char *p = std::strchr(Alphabet, c.toLatin1());
    return c.toLatin1() != 0 && p ? int(p - Alphabet) : -1;
}

/** Luhn mod N over the base32 alphabet (N = 32), factors 1, 2, 1, 2, … from the left. */
QChar luhnCheck(QStringView part)
{
    int factor = 1;
    int sum = 0;
    for (QChar c : part) {
        int addend = factor * codepoint(c);
        factor = factor == 2 ? 1 : 2;
        addend = addend / 32 + addend % 32;
        sum += addend;
    }
    return QLatin1Char(Alphabet[(32 - sum % 32) % 32]);
}

QString base32(QByteArrayView bytes)
{
    QString out;
    quint32 buffer = 0;
    int bits = 0;
    for (char b : bytes) {
        buffer = (buffer << 8) | quint8(b);
        bits += 8;
        while (bits >= 5) {
            out += QLatin1Char(Alphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out += QLatin1Char(Alphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

} // namespace

QString formatPeerId(const PeerId &id)
{
    const QString b32 = base32(toView(id)); // 52 characters
    QString checked;
    for (int p = 0; p < Parts; ++p) {
        const QString part = b32.mid(p * PartLength, PartLength);
        checked += part + luhnCheck(part);
    }
    QStringList groups;
    for (int g = 0; g < checked.size(); g += 7)
        groups.append(checked.mid(g, 7));
    return groups.join(u'-');
}

Result<PeerId> parsePeerId(const QString &text)
{
    using R = Result<PeerId>;
    QString s;
    for (QChar c : text) {
        if (c == u'-' || c.isSpace())
            continue;
        c = c.toUpper();
        if (c == u'0')
            c = u'O';
        else if (c == u'1')
            c = u'I';
        else if (c == u'8')
            c = u'B';
        s += c;
    }
    constexpr int Length = Parts * (PartLength + 1);
    if (s.size() != Length)
        return R::failure("bad-peer-id",
                          QStringLiteral("'%1' is not a peer ID: it has %2 characters without "
                                         "dashes, a peer ID has %3 (8 groups of 7)")
                              .arg(text)
                              .arg(s.size())
                              .arg(Length));
    for (qsizetype i = 0; i < s.size(); ++i)
        if (codepoint(s[i]) < 0)
            return R::failure("bad-peer-id", QStringLiteral("peer ID group %1 holds '%2', which "
                                                            "is not one of A-Z and 2-7")
                                                 .arg(i / 7 + 1)
                                                 .arg(s[i]));
    QString b32;
    for (int p = 0; p < Parts; ++p) {
        const QStringView part = QStringView(s).mid(p * (PartLength + 1), PartLength);
        if (luhnCheck(part) != s[p * (PartLength + 1) + PartLength])
            return R::failure("bad-peer-id",
                              QStringLiteral("peer ID groups %1-%2 do not match their check "
                                             "character: a character in group %1 or %2 is "
                                             "mistyped; ask the peer to read its ID again "
                                             "('cartulary peer id')")
                                  .arg(p * 2 + 1)
                                  .arg(p * 2 + 2));
        b32 += part;
    }
    PeerId id{};
    quint64 buffer = 0;
    int bits = 0;
    std::size_t at = 0;
    for (QChar c : b32) {
        buffer = (buffer << 5) | quint64(codepoint(c));
        bits += 5;
        if (bits >= 8) {
            if (at < id.size())
                id[at++] = quint8(buffer >> (bits - 8));
            bits -= 8;
        }
    }
    // The last 4 bits of the 52nd character are padding and must be zero (one ID, one spelling).
    if (at != id.size() || (buffer & ((1u << bits) - 1)) != 0)
        return R::failure("bad-peer-id",
                          QStringLiteral("'%1' is not a peer ID: its last group does not encode "
                                         "32 bytes")
                              .arg(text));
    return id;
}

Result<PeerId> peerIdOfCertificate(QByteArrayView der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.data());
    X509 *cert = d2i_X509(nullptr, &p, long(der.size()));
    if (!cert)
        return Result<PeerId>::failure(
            "bad-certificate", QStringLiteral("the certificate does not parse (DER X.509)"));
    unsigned char *spki = nullptr;
    const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &spki);
    X509_free(cert);
    if (length <= 0)
        return Result<PeerId>::failure("bad-certificate",
                                       QStringLiteral("the certificate has no public key"));
    const PeerId id = sha256(QByteArrayView(reinterpret_cast<const char *>(spki), length));
    OPENSSL_free(spki);
    return id;
}

} // namespace cartulary::ledger::sync
