// SPDX-License-Identifier: GPL-3.0-or-later
// LedgerModel: the item-model contract, newest-first order, paging and inserts at the top.
#include "model/ui/ledgermodel.h"
#include "model/workspace/workspace.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cartulary;
using namespace cartulary::model;

class TestLedgerModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;

    void append(int n)
    {
        QList<ledger::Draft> drafts;
        for (int i = 0; i < n; ++i)
            drafts.append({"document.recorded",
                           QByteArray("{\"name\":\"f.txt\",\"note\":\"\",\"sha256\":\"") +
                               QByteArray(64, 'b') + "\",\"size\":" + QByteArray::number(i) + "}",
                           0});
        QVERIFY(m_ws->append(drafts).ok());
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_ws = std::make_unique<Workspace>(
            m_dir.filePath(QString::number(QRandomGenerator::global()->generate())));
        QVERIFY(m_ws->create("Org", "model passphrase", ledger::KdfLimits::interactive()).ok());
    }

    void emptyLedger()
    {
        LedgerModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDatabasePath(m_ws->databasePath());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.count(), 0);
        QCOMPARE(model.indexForRow(0), -1);
    }

    void newestFirstAcrossPages()
    {
        append(700); // several pages of 256
        LedgerModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDatabasePath(m_ws->databasePath());
        QCOMPARE(model.rowCount(), 700);
        QCOMPARE(model.rowCount(model.index(0, 0)), 0);
        for (int row : {0, 1, 255, 256, 443, 444, 699}) {
            const QModelIndex idx = model.index(row, 0);
            QCOMPARE(model.data(idx, LedgerModel::IndexRole).toLongLong(), 699 - row);
            QCOMPARE(model.data(idx, LedgerModel::SeqRole).toLongLong(), 700 - row);
            QCOMPARE(model.data(idx, LedgerModel::KindRole).toString(),
                     QStringLiteral("document.recorded"));
            QCOMPARE(model.data(idx, LedgerModel::HashRole).toString().size(), 64);
            QCOMPARE(model.data(idx, LedgerModel::ShortHashRole).toString().size(), 16);
            QVERIFY(model.data(idx, LedgerModel::SummaryRole).toString().contains("f.txt"));
            QCOMPARE(model.data(idx, LedgerModel::AuthorRole).toString(),
                     ledger::fingerprint(m_ws->nodeKey()));
        }
        QCOMPARE(model.rowForIndex(0), 699);
        QCOMPARE(model.indexForRow(699), 0);
        const auto store = m_ws->store().entryAt(123);
        QCOMPARE(
            model.data(model.index(model.rowForIndex(123), 0), LedgerModel::HashRole).toString(),
            ledger::toHex(store->hash));
        QVERIFY(!model.data(model.index(0, 0), Qt::UserRole + 100).isValid());
        QVERIFY(model.roleNames().contains(LedgerModel::TimeRole));
    }

    void refreshInsertsAtTheTop()
    {
        append(300);
        LedgerModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDatabasePath(m_ws->databasePath());
        // Touch the last partial page so it is cached, then grow it.
        QCOMPARE(model.data(model.index(0, 0), LedgerModel::IndexRole).toLongLong(), 299);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        append(5);
        model.refresh();
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted[0][1].toInt(), 0);
        QCOMPARE(inserted[0][2].toInt(), 4);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(model.rowCount(), 305);
        QCOMPARE(model.data(model.index(0, 0), LedgerModel::IndexRole).toLongLong(), 304);
        QCOMPARE(model.data(model.index(5, 0), LedgerModel::IndexRole).toLongLong(), 299);
        model.refresh(); // nothing new: no signal
        QCOMPARE(inserted.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestLedgerModel)
#include "tst_ledgermodel.moc"
