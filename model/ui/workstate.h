// SPDX-License-Identifier: GPL-3.0-or-later
// What a controller's long work is doing, for every view alike: busy, how far, a cancel flag, and
// the notice that ends it.
#pragma once

#include <QObject>
#include <QQmlEngine>

#include <atomic>
#include <functional>
#include <memory>

namespace cartulary::model {

/**
 * The base of every QML-facing object that runs long work: one piece of work at a time, with
 * progress the GUI thread can trust, a cancel flag the worker polls, and a notice that says how it
 * ended. Views bind to it through one ProgressStrip and one NoticeBar. Subclasses name it qualified
 * (`public cartulary::model::WorkState`): Qt 6.4's qmltyperegistrar does not resolve a base class
 * named inside the namespace, and QML would not see the inherited properties.
 */
class WorkState : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("WorkState is the base of the controllers")
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(QString progressText READ progressText NOTIFY progressChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    Q_PROPERTY(bool noticeIsError READ noticeIsError NOTIFY noticeChanged)

public:
    using CancelFlag = std::shared_ptr<std::atomic_bool>;
    /** Reports (done, total, text) from any thread; see progressReporter(). */
    using Reporter = std::function<void(quint64 done, quint64 total, const QString &text)>;

    explicit WorkState(QObject *parent = nullptr);
    ~WorkState() override;

    bool busy() const { return m_busy; }
    /** 0 to 1; 0 while the total is not known yet (views show an indeterminate bar). */
    double progress() const { return m_progress; }
    /** What is being done, with numbers: "Verifying 412,003 / 1,000,000 entries". */
    QString progressText() const { return m_progressText; }
    /** How the last piece of work ended, for people; empty when dismissed. */
    QString notice() const { return m_notice; }
    bool noticeIsError() const { return m_noticeIsError; }

    /** Asks the running work to stop; it ends soon with nothing half-done. */
    Q_INVOKABLE virtual void cancel();
    Q_INVOKABLE void clearNotice() { setNotice({}, false); }

signals:
    void busyChanged();
    void progressChanged();
    void noticeChanged();

protected:
    /**
     * Marks the start of work described by text; a previous run's flag is raised (it is
     * superseded). Returns the new run's cancel flag for the worker to poll.
     */
    CancelFlag startWork(const QString &text);
    /** Ends the work: not busy, no progress. The cancel flag stays for late readers. */
    void finishWork();
    /** True when the running work was asked to stop. */
    bool cancelRequested() const { return m_cancel && m_cancel->load(); }
    /** On the GUI thread, while busy. */
    void setProgress(double progress, const QString &text);
    /**
     * A progress callback safe to call from worker threads: it posts (done / total, text) to the
     * GUI thread at most every 50 ms, and always for the last step.
     */
    Reporter progressReporter();
    void setNotice(const QString &text, bool error);

private:
    bool m_busy = false;
    double m_progress = 0;
    QString m_progressText;
    QString m_notice;
    bool m_noticeIsError = false;
    CancelFlag m_cancel;
};

} // namespace cartulary::model
