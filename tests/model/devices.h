// SPDX-License-Identifier: GPL-3.0-or-later
// Sequential devices for the readers' tests: data a byte at a time, or with "nothing yet" between
// chunks, as pipes and sockets deliver it.
#pragma once

#include <QByteArray>
#include <QIODevice>

#include <cstring>

namespace {

/** Serves its data one byte per read, like a slow pipe, so every boundary falls everywhere. */
class TrickleDevice : public QIODevice
{
public:
    explicit TrickleDevice(QByteArray data)
        : m_data(std::move(data))
    {
        open(ReadOnly | Unbuffered);
    }
    bool isSequential() const override { return true; }
    qint64 reads = 0;

protected:
    qint64 readData(char *data, qint64 max) override
    {
        ++reads;
        if (m_pos >= m_data.size() || max <= 0)
            return 0;
        data[0] = m_data[m_pos++];
        return 1;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qsizetype m_pos = 0;
};

/** Has "nothing yet" between chunks, like a pipe with a slow writer; waiting brings more. */
class StutterDevice : public QIODevice
{
public:
    explicit StutterDevice(QByteArray data)
        : m_data(std::move(data))
    {
        open(ReadOnly | Unbuffered);
    }
    bool isSequential() const override { return true; }
    qint64 waits = 0;
    bool waitForReadyRead(int) override
    {
        ++waits;
        m_ready = m_pos < m_data.size();
        return m_ready;
    }

protected:
    qint64 readData(char *data, qint64 max) override
    {
        if (!m_ready || m_pos >= m_data.size())
            return 0;
        m_ready = false;
        const qint64 n = qMin<qint64>(qMin<qint64>(max, 5), m_data.size() - m_pos);
        std::memcpy(data, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qsizetype m_pos = 0;
    bool m_ready = false;
};

} // namespace
