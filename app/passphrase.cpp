// SPDX-License-Identifier: GPL-3.0-or-later
// Passphrase input; the hidden prompt restores the terminal even when a signal ends the process.
#include "app/passphrase.h"

#include "app/terminal.h"

#include <QFile>

#include <csignal>
#include <cstdio>
#include <iterator>
#include <termios.h>
#include <unistd.h>

namespace cartulary::app {

namespace {

/** The signals that end a process at a prompt by default; each restores the terminal first. */
constexpr int EndingSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

/** The terminal's settings before the prompt, read by the signal handler. */
termios g_before{};
volatile std::sig_atomic_t g_hidden = 0;

void restoreTerminalAndDie(int signal)
{
    // Async-signal-safe only: tcsetattr, write, raise. SA_RESETHAND made the default action
    // current, so the re-raised signal ends the process once this handler returns.
    if (g_hidden)
        tcsetattr(STDIN_FILENO, TCSANOW, &g_before);
    const char newline = '\n';
    (void)!write(STDERR_FILENO, &newline, 1);
    raise(signal);
}

/** Installs restoreTerminalAndDie for the ending signals a caller has not chosen to ignore. */
class TerminalGuard
{
public:
    explicit TerminalGuard(const termios &before)
    {
        g_before = before;
        struct sigaction restore = {};
        restore.sa_handler = restoreTerminalAndDie;
        sigemptyset(&restore.sa_mask);
        for (int s : EndingSignals)
            sigaddset(&restore.sa_mask, s); // one restore at a time
        restore.sa_flags = SA_RESETHAND;
        for (std::size_t i = 0; i < std::size(EndingSignals); ++i) {
            sigaction(EndingSignals[i], nullptr, &m_previous[i]);
            if (m_previous[i].sa_handler != SIG_IGN) // nohup's SIGHUP stays ignored
                sigaction(EndingSignals[i], &restore, nullptr);
        }
        g_hidden = 1;
    }
    ~TerminalGuard()
    {
        tcsetattr(STDIN_FILENO, TCSANOW, &g_before);
        g_hidden = 0;
        for (std::size_t i = 0; i < std::size(EndingSignals); ++i)
            sigaction(EndingSignals[i], &m_previous[i], nullptr);
    }
    TerminalGuard(const TerminalGuard &) = delete;
    TerminalGuard &operator=(const TerminalGuard &) = delete;

private:
    struct sigaction m_previous[std::size(EndingSignals)] = {};
};

} // namespace

QByteArray promptHidden(const char *prompt)
{
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    termios old{};
    const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    std::optional<TerminalGuard> guard;
    if (tty) {
        guard.emplace(old); // before echo goes off: a signal from here on finds it restorable
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QByteArray line;
    int c;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n')
        line.append(char(c));
    if (tty) {
        guard.reset();
        std::fputs("\n", stderr);
    }
    return line;
}

std::optional<QByteArray> passphrase(const Args &a, bool confirm, QString &error)
{
    if (!a.passphraseFile.isEmpty()) {
        QFile f(a.passphraseFile);
        if (!f.open(QIODevice::ReadOnly)) {
            error = QStringLiteral("cannot read passphrase file %1: %2")
                        .arg(a.passphraseFile, f.errorString());
            return std::nullopt;
        }
        QByteArray p = f.readLine(4096);
        while (p.endsWith('\n') || p.endsWith('\r'))
            p.chop(1);
        return p;
    }
    if (qEnvironmentVariableIsSet("CARTULARY_PASSPHRASE"))
        return qgetenv("CARTULARY_PASSPHRASE");
    if (!isatty(STDIN_FILENO)) {
        error = QStringLiteral("no passphrase: set CARTULARY_PASSPHRASE or use --passphrase-file");
        return std::nullopt;
    }
    QByteArray p = promptHidden("Passphrase: ");
    if (confirm && promptHidden("Repeat passphrase: ") != p) {
        error = QStringLiteral("the two passphrases differ; nothing was created");
        return std::nullopt;
    }
    return p;
}

Status unlockWorkspace(const Args &a, model::Workspace &ws)
{
    if (!ws.hasIdentity())
        return Status::failure("no-identity",
                               QStringLiteral("no identity in %1; run 'cartulary init --name NAME' "
                                              "first")
                                   .arg(ws.dataDir()));
    QString error;
    const auto pass = passphrase(a, false, error);
    if (!pass)
        return Status::failure("no-passphrase", error);
    if (Status s = ws.unlock(*pass); !s)
        return s;
    // What the ledger's head check did by itself (it wrote a missing checkpoint.txt), on stderr;
    // a refusal is the command's error when it writes.
    if (const QString notice = ws.store().headNotice(); !notice.isEmpty())
        std::fprintf(stderr, "cartulary: note: %s\n", qPrintable(printable(notice)));
    return {};
}

} // namespace cartulary::app
