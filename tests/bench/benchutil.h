// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmarks measured honestly on a shared machine: the subject and its baseline run in short
// interleaved slices, and each ratio is reported as the median of its per-round ratios with the
// spread, so a neighbour's burst of work shows as spread instead of moving the result.
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace cartulary::bench {

/** Seconds f() took. */
template<typename F>
double timed(F &&f)
{
    QElapsedTimer t;
    t.start();
    f();
    return double(t.nsecsElapsed()) / 1e9;
}

/** The shortest a slice should run: about ten of the scheduler's timeslices. */
inline constexpr double MinSliceSeconds = 0.1;

/**
 * Seconds one f() takes, from as many calls as fill MinSliceSeconds (at least one); after() runs
 * after each call, untimed (to put state back). A measurement much shorter than the scheduler's
 * timeslice (~10 ms) is, on a busy machine, either not preempted at all or preempted for a whole
 * timeslice, so single timings of it are bimodal; a slice of many calls averages that out.
 */
template<typename F, typename After>
double perCall(F &&f, After &&after)
{
    double total = 0;
    int calls = 0;
    do {
        total += timed(f);
        after();
        ++calls;
    } while (total < MinSliceSeconds);
    return total / calls;
}

template<typename F>
double perCall(F &&f)
{
    return perCall(f, [] {});
}

/**
 * Runs every slice once per round, for `rounds` rounds, starting each round one slice further on
 * (with two slices: A B, B A, A B, …), so no slice always runs first or always after the same
 * neighbour. A slice returns what it measured (a rate or a duration); the result holds, for each
 * slice, its value in every round.
 */
inline QList<QList<double>> interleave(int rounds, const QList<std::function<double()>> &slices)
{
    QList<QList<double>> values(slices.size());
    for (int round = 0; round < rounds; ++round)
        for (qsizetype k = 0; k < slices.size(); ++k) {
            const qsizetype slice = (round + k) % slices.size();
            values[slice].append(slices[slice]());
        }
    return values;
}

/** Round by round: subject / baseline (rounds without a baseline value are left out). */
inline QList<double> ratios(const QList<double> &subject, const QList<double> &baseline)
{
    QList<double> out;
    for (qsizetype i = 0; i < std::min(subject.size(), baseline.size()); ++i)
        if (baseline[i] > 0 && std::isfinite(subject[i] / baseline[i]))
            out.append(subject[i] / baseline[i]);
    return out;
}

/** The median of values and how far they spread. */
struct Spread
{
    double median = 0, q1 = 0, q3 = 0, min = 0, max = 0;
    qsizetype count = 0;
};

inline Spread spread(QList<double> values)
{
    Spread s;
    s.count = values.size();
    if (values.isEmpty())
        return s;
    std::sort(values.begin(), values.end());
    // Linear interpolation between closest ranks, as numpy's default percentile.
    auto quantile = [&values](double q) {
        const double at = q * double(values.size() - 1);
        const auto lo = qsizetype(std::floor(at));
        const auto hi = std::min(lo + 1, values.size() - 1);
        return values[lo] + (values[hi] - values[lo]) * (at - double(lo));
    };
    s.median = quantile(0.5);
    s.q1 = quantile(0.25);
    s.q3 = quantile(0.75);
    s.min = values.first();
    s.max = values.last();
    return s;
}

/** "0.71 (IQR 0.69-0.73, min-max 0.62-0.78, 15 rounds)" with the given decimals. */
inline QString describe(const Spread &s, int decimals = 2)
{
    auto n = [decimals](double v) { return QString::number(v, 'f', decimals); };
    return QStringLiteral("%1 (IQR %2-%3, min-max %4-%5, %6 rounds)")
        .arg(n(s.median), n(s.q1), n(s.q3), n(s.min), n(s.max))
        .arg(s.count);
}

/**
 * Prints "  LABEL  ratio MEDIAN (spread)  NOTE" for subject / baseline, round by round; with
 * CARTULARY_BENCH_EACH set in the environment, every round's ratio in order too.
 */
inline void printRatio(const char *label, const QList<double> &subject,
                       const QList<double> &baseline, const char *note = "")
{
    const QList<double> each = ratios(subject, baseline);
    const QString line = QStringLiteral("  %1 ratio %2  %3")
                             .arg(QString::fromUtf8(label).leftJustified(46),
                                  describe(spread(each)), QString::fromUtf8(note));
    std::printf("%s\n", qPrintable(line.trimmed().prepend(QStringLiteral("  "))));
    if (qEnvironmentVariableIsSet("CARTULARY_BENCH_EACH")) {
        QStringList values;
        for (double r : each)
            values.append(QString::number(r, 'f', 2));
        std::printf("    rounds in order: %s\n", qPrintable(values.join(u' ')));
    }
}

/** Prints "  LABEL  MEDIAN UNIT (IQR …)" for one side's own values. */
inline void printValue(const char *label, const QList<double> &values, const char *unit,
                       double scale = 1, int decimals = 0)
{
    QList<double> scaled;
    for (double v : values)
        scaled.append(v * scale);
    const Spread s = spread(scaled);
    auto n = [decimals](double v) { return QString::number(v, 'f', decimals); };
    std::printf("  %-46s %s %s (IQR %s-%s)\n", label, qPrintable(n(s.median)), unit,
                qPrintable(n(s.q1)), qPrintable(n(s.q3)));
}

/** The value of --name in args, or fallback. */
inline QString option(const QStringList &args, const char *name, const QString &fallback = {})
{
    const qsizetype at = args.indexOf(QLatin1String(name));
    return at >= 0 && at + 1 < args.size() ? args[at + 1] : fallback;
}

/** --rounds N (default fallback, at least 1): how many interleaved rounds to measure. */
inline int roundsOption(const QStringList &args, int fallback)
{
    return std::max(1, option(args, "--rounds", QString::number(fallback)).toInt());
}

} // namespace cartulary::bench
