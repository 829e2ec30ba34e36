// SPDX-License-Identifier: GPL-3.0-or-later
// WorkState: one run at a time, progress posted from workers at a rate the GUI thread can take.
#include "model/ui/workstate.h"

#include <QElapsedTimer>

namespace cartulary::model {

WorkState::WorkState(QObject *parent)
    : QObject(parent)
{}

WorkState::~WorkState()
{
    // Work still running on a worker stops early; its result finds nobody to report to.
    if (m_cancel)
        m_cancel->store(true);
}

void WorkState::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

WorkState::CancelFlag WorkState::startWork(const QString &text)
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_progress = 0;
    m_progressText = text;
    if (!m_busy) {
        m_busy = true;
        emit busyChanged();
    }
    emit progressChanged();
    return m_cancel;
}

void WorkState::finishWork()
{
    m_progress = 0;
    m_progressText.clear();
    emit progressChanged();
    if (m_busy) {
        m_busy = false;
        emit busyChanged();
    }
}

void WorkState::setProgress(double progress, const QString &text)
{
    if (!m_busy)
        return;
    m_progress = progress;
    m_progressText = text;
    emit progressChanged();
}

WorkState::Reporter WorkState::progressReporter()
{
    struct Throttle
    {
        QElapsedTimer clock;
        std::atomic<qint64> last{-1000};
    };
    auto throttle = std::make_shared<Throttle>();
    throttle->clock.start();
    WorkState *self = this;
    const CancelFlag run = m_cancel;
    return [self, run, throttle](quint64 done, quint64 total, const QString &text) {
        // Raised when superseded, cancelled or when the owner is destroyed: nothing to report.
        if (!run || run->load())
            return;
        const qint64 now = throttle->clock.elapsed();
        qint64 last = throttle->last.load();
        if (done < total && now - last < 50)
            return;
        if (!throttle->last.compare_exchange_strong(last, now) && done < total)
            return; // another thread posted this moment
        QMetaObject::invokeMethod(
            self,
            [self, run, done, total, text] {
                // A report of a run that was superseded says nothing about the current one.
                if (self->m_cancel == run)
                    self->setProgress(total ? double(done) / double(total) : 0.0, text);
            },
            Qt::QueuedConnection);
    };
}

void WorkState::setNotice(const QString &text, bool error)
{
    if (text == m_notice && error == m_noticeIsError)
        return;
    m_notice = text;
    m_noticeIsError = error;
    emit noticeChanged();
}

} // namespace cartulary::model
