// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 9162 Merkle tree: cached perfect subtrees for O(log n) roots and proofs, and proof verifiers.
#include "ledger/merkle.h"

#include <QtEndian>

#include <algorithm>
#include <bit>
#include <limits>

namespace cartulary::ledger::merkle {

namespace {

constexpr quint64 MaxSize = std::numeric_limits<quint64>::max();

/** Largest power of two strictly less than n (RFC 9162's split point k); requires n > 1. */
quint64 splitPoint(quint64 n)
{
    Q_ASSERT(n > 1);
    return std::bit_floor(n - 1);
}

/** Converts every element, or returns nullopt if any is not exactly one hash long. */
std::optional<std::vector<Hash>> toHashes(const QList<QByteArray> &list)
{
    std::vector<Hash> out(std::size_t(list.size()));
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (!fromBytes(list[i], out[std::size_t(i)])) {
            return std::nullopt;
        }
    }
    return out;
}

/** Shifts fn and sn right together until fn's low bit is set or fn is 0 (RFC 9162 step wording). */
void shiftUntilOddOrZero(quint64 &fn, quint64 &sn)
{
    while (fn != 0 && (fn & 1) == 0) {
        fn >>= 1;
        sn >>= 1;
    }
}

} // namespace

Hash emptyRoot()
{
    static const Hash root = sha256(QByteArrayView("", 0));
    return root;
}

// ---------------------------------------------------------------------------------------------
// Tree

void Tree::reserve(quint64 leaves)
{
    if (m_levels.empty()) {
        m_levels.emplace_back();
    }
    // Never ask for more than a vector can hold: reserve() would throw, and this code has no
    // exceptions; an impossible request just grows on demand instead.
    leaves = std::min<quint64>(leaves, m_levels[0].max_size());
    for (int k = 0; k < 64 && (leaves >> k) != 0; ++k) {
        if (std::size_t(k) == m_levels.size()) {
            m_levels.emplace_back();
        }
        m_levels[std::size_t(k)].reserve(std::size_t(leaves >> k));
    }
}

void Tree::append(const Hash &leafHash)
{
    Q_ASSERT(size() < MaxSize);
    if (size() == MaxSize) {
        return;
    }
    if (m_levels.empty()) {
        m_levels.emplace_back();
    }
    m_levels[0].push_back(leafHash);
    // Every time a level gets an even count, its last two nodes just completed a perfect subtree
    // one level up; doing this eagerly is what makes every aligned subtree a lookup later.
    for (std::size_t k = 0; m_levels[k].size() % 2 == 0; ++k) {
        if (k + 1 == m_levels.size()) {
            m_levels.emplace_back(); // before taking references: this may move the inner vectors
        }
        const std::vector<Hash> &level = m_levels[k];
        const Hash parent = nodeHash(level[level.size() - 2], level[level.size() - 1]);
        m_levels[k + 1].push_back(parent);
    }
}

quint64 Tree::size() const
{
    return m_levels.empty() ? 0 : quint64(m_levels[0].size());
}

const Hash &Tree::leaf(quint64 index) const
{
    Q_ASSERT(index < size());
    if (index >= size()) {
        static const Hash none{};
        return none;
    }
    return m_levels[0][std::size_t(index)];
}

Hash Tree::root() const
{
    return rootAt(size());
}

Hash Tree::rootAt(quint64 treeSize) const
{
    Q_ASSERT(treeSize <= size());
    if (treeSize > size()) {
        return Hash{}; // all zeroes: matches no real root, so a misuse cannot verify anything
    }
    if (treeSize == 0) {
        return emptyRoot();
    }
    return rangeHash(0, treeSize);
}

const Hash &Tree::perfect(int level, quint64 begin) const
{
    Q_ASSERT(begin % (quint64(1) << level) == 0);
    Q_ASSERT(std::size_t(level) < m_levels.size());
    Q_ASSERT((begin >> level) < m_levels[std::size_t(level)].size());
    return m_levels[std::size_t(level)][std::size_t(begin >> level)];
}

Hash Tree::rangeHash(quint64 begin, quint64 end) const
{
    Q_ASSERT(begin < end && end <= size());
    // MTH splits at the largest power of two below the size, so MTH(D[begin:end]) is the set bits
    // of (end - begin) as perfect subtrees, largest first, folded from the right. Walking the bits
    // from the lowest one starts the fold at the right end without a temporary list.
    const quint64 n = end - begin;
    quint64 pos = end;
    Hash acc{};
    bool first = true;
    for (int bit = 0; bit < 64; ++bit) {
        const quint64 width = quint64(1) << bit;
        if ((n & width) == 0) {
            continue;
        }
        pos -= width;
        const Hash &piece = perfect(bit, pos);
        acc = first ? piece : nodeHash(piece, acc);
        first = false;
    }
    return acc;
}

std::vector<Hash> Tree::inclusionProof(quint64 index, quint64 treeSize) const
{
    Q_ASSERT(index < treeSize && treeSize <= size());
    if (index >= treeSize || treeSize > size()) {
        return {};
    }

    // Descend from the root as PATH does; the recursion appends the upper sibling after the lower
    // ones, so collect top-down and reverse. Only the first step to the left can have a non-perfect
    // sibling (the right border), so this costs O(log n) hashes.
    std::vector<Hash> proof;
    quint64 lo = 0;
    quint64 hi = treeSize;
    while (hi - lo > 1) {
        const quint64 k = splitPoint(hi - lo);
        if (index < lo + k) {
            proof.push_back(rangeHash(lo + k, hi));
            hi = lo + k;
        } else {
            proof.push_back(rangeHash(lo, lo + k));
            lo += k;
        }
    }
    std::reverse(proof.begin(), proof.end());
    return proof;
}

std::vector<Hash> Tree::consistencyProof(quint64 oldSize, quint64 newSize) const
{
    Q_ASSERT(0 < oldSize && oldSize <= newSize && newSize <= size());
    if (oldSize == 0 || oldSize > newSize || newSize > size()) {
        return {};
    }

    // SUBPROOF(m, D[lo:hi], b) unrolled; m is relative to lo and `whole` is the RFC's b flag.
    std::vector<Hash> proof;
    quint64 lo = 0;
    quint64 hi = newSize;
    quint64 m = oldSize;
    bool whole = true;
    while (m != hi - lo) {
        const quint64 k = splitPoint(hi - lo);
        if (m <= k) {
            proof.push_back(rangeHash(lo + k, hi));
            hi = lo + k;
        } else {
            proof.push_back(rangeHash(lo, lo + k));
            lo += k;
            m -= k;
            whole = false;
        }
    }
    if (!whole) {
        proof.push_back(rangeHash(lo, hi));
    }
    std::reverse(proof.begin(), proof.end());
    return proof;
}

// ---------------------------------------------------------------------------------------------
// CompactRange

void CompactRange::append(const Hash &leafHash)
{
    Q_ASSERT(m_size < MaxSize);
    if (m_size == MaxSize) {
        return;
    }
    // Adding one carries through the trailing one-bits of the size, exactly as the matching
    // frontier subtrees merge into one twice as large.
    Hash carry = leafHash;
    for (quint64 s = m_size; (s & 1) != 0; s >>= 1) {
        carry = nodeHash(m_frontier.back(), carry);
        m_frontier.pop_back();
    }
    m_frontier.push_back(carry);
    ++m_size;
}

quint64 CompactRange::size() const
{
    return m_size;
}

Hash CompactRange::root() const
{
    if (m_frontier.empty()) {
        return emptyRoot();
    }
    Hash acc = m_frontier.back();
    for (auto it = m_frontier.rbegin() + 1; it != m_frontier.rend(); ++it) {
        acc = nodeHash(*it, acc);
    }
    return acc;
}

QByteArray CompactRange::serialize() const
{
    QByteArray out(8, Qt::Uninitialized);
    qToBigEndian<quint64>(m_size, out.data());
    out.reserve(8 + qsizetype(m_frontier.size() * HashSize));
    for (const Hash &h : m_frontier) {
        out.append(toView(h));
    }
    return out;
}

std::optional<CompactRange> CompactRange::deserialize(QByteArrayView bytes)
{
    if (bytes.size() < 8) {
        return std::nullopt;
    }
    const quint64 size = qFromBigEndian<quint64>(bytes.data());
    // The size alone fixes how many frontier hashes there are, so any other length is corrupt.
    const auto count = std::size_t(std::popcount(size));
    if (bytes.size() != 8 + qsizetype(count) * qsizetype(HashSize)) {
        return std::nullopt;
    }
    CompactRange range;
    range.m_size = size;
    range.m_frontier.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        const QByteArrayView slice =
            bytes.sliced(8 + qsizetype(i) * qsizetype(HashSize), qsizetype(HashSize));
        if (!fromBytes(slice, range.m_frontier[i])) {
            return std::nullopt;
        }
    }
    return range;
}

// ---------------------------------------------------------------------------------------------
// Verification

std::optional<Hash> rootFromInclusionProof(quint64 index, quint64 treeSize, const Hash &leafHash,
                                           const std::vector<Hash> &proof)
{
    // RFC 9162 §2.1.3.2. The walk of fn/sn depends only on index and size, so a proof of the wrong
    // length always ends with sn != 0 or runs into sn == 0 early.
    if (index >= treeSize) {
        return std::nullopt;
    }
    quint64 fn = index;
    quint64 sn = treeSize - 1;
    Hash r = leafHash;
    for (const Hash &p : proof) {
        if (sn == 0) {
            return std::nullopt;
        }
        if ((fn & 1) != 0 || fn == sn) {
            r = nodeHash(p, r);
            if ((fn & 1) == 0) {
                shiftUntilOddOrZero(fn, sn);
            }
        } else {
            r = nodeHash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0) {
        return std::nullopt;
    }
    return r;
}

bool verifyInclusion(quint64 index, quint64 treeSize, QByteArrayView leafHash,
                     const QList<QByteArray> &proof, QByteArrayView root)
{
    Hash leaf{};
    Hash expected{};
    if (!fromBytes(leafHash, leaf) || !fromBytes(root, expected)) {
        return false;
    }
    const std::optional<std::vector<Hash>> path = toHashes(proof);
    if (!path) {
        return false;
    }
    const std::optional<Hash> computed = rootFromInclusionProof(index, treeSize, leaf, *path);
    return computed && *computed == expected;
}

bool verifyConsistency(quint64 size1, quint64 size2, const QList<QByteArray> &proof,
                       QByteArrayView root1, QByteArrayView root2)
{
    // Length checks come first so that malformed input is refused on every path, including the
    // equal-sizes shortcut below.
    Hash first{};
    Hash second{};
    if (!fromBytes(root1, first) || !fromBytes(root2, second)) {
        return false;
    }
    std::optional<std::vector<Hash>> path = toHashes(proof);
    if (!path) {
        return false;
    }

    // Size 0 must be refused explicitly, not left to the loop below: with size1 == 0, fn starts as
    // all ones, shifts down to 0 together with sn, and any one-element proof whose element equals
    // both roots would be "verified".
    if (size1 == 0 || size1 > size2) {
        return false;
    }
    if (size1 == size2) {
        return path->empty() && first == second;
    }

    // RFC 9162 §2.1.4.2.
    if (path->empty()) {
        return false;
    }
    if (std::has_single_bit(size1)) {
        path->insert(path->begin(), first);
    }
    quint64 fn = size1 - 1;
    quint64 sn = size2 - 1;
    while ((fn & 1) != 0) {
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = path->front();
    Hash sr = path->front();
    for (auto it = path->begin() + 1; it != path->end(); ++it) {
        if (sn == 0) {
            return false;
        }
        if ((fn & 1) != 0 || fn == sn) {
            fr = nodeHash(*it, fr);
            sr = nodeHash(*it, sr);
            if ((fn & 1) == 0) {
                shiftUntilOddOrZero(fn, sn);
            }
        } else {
            sr = nodeHash(sr, *it);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && fr == first && sr == second;
}

} // namespace cartulary::ledger::merkle
