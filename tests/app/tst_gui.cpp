// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop application in a real window: create an identity, record documents, verify, open a
// proof, fail to unlock with a wrong passphrase, and work the portfolio (demo, search, sort, asset
// page, value chain, edit form, deadlines, the dialogs that sign, amounts in several currencies and
// locales) and royalties (works and usage imported, runs reviewed and explained, a line matched by
// hand, approval, statements, a rival registration's dispute settled); screenshots go to the build
// tree, at the default and at the minimum window size.
#include "model/lineage/lineage.h"
#include "model/ui/controllers.h"
#include "model/ui/ledgercontroller.h"
#include "model/ui/portfoliocontroller.h"
#include "model/ui/portfoliomodel.h"
#include "model/ui/royaltiescontroller.h"
#include "model/ui/session.h"
#include "tests/testutil.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLocale>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

Q_IMPORT_QML_PLUGIN(Cartulary_ModelPlugin)
Q_IMPORT_QML_PLUGIN(CartularyPlugin)

using namespace cartulary::model;

namespace {

QStringList g_qmlWarnings;

void collectWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type != QtDebugMsg && type != QtInfoMsg && message.contains(QLatin1String("qrc:/")))
        g_qmlWarnings.append(message);
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

constexpr auto Passphrase = "ledger passphrase 42";
/** A collecting society of our own making. */
const QString Society = QStringLiteral("Sociedade Ômega de Autores");

/** The organisations of the identities created here: names of our own, not the demo's, with a
 * space and letters beyond ASCII (the demo loads under any name). */
const QString Laboratory = QStringLiteral("Lumen Ølund Forschung e.V.");
const QString Institute = QStringLiteral("Instituto Óptico do Porto");

/**
 * The ledger as `cartulary ledger log --json` prints it: every entry's index, author, seq, kind,
 * hash and signed bytes. Equal before and after means nothing was written (the database file alone
 * would not say: writes go to its -wal file first).
 */
QByteArray ledgerLog(const QString &dataDir)
{
    QProcess log;
    log.start(CARTULARY_BINARY, {"--data-dir", dataDir, "ledger", "log", "--json"});
    if (!log.waitForFinished(60000) || log.exitCode() != 0)
        return "cartulary ledger log failed: " + log.readAllStandardError();
    return log.readAllStandardOutput();
}

/** A licence as the projection holds it, read from the database file. */
std::optional<cartulary::model::LicenceRecord> storedLicence(const QString &dataDir,
                                                             const QString &reference)
{
    auto db = cartulary::sql::Database::open(dataDir + "/cartulary.db",
                                             cartulary::sql::Database::Mode::ReadOnly);
    return db ? cartulary::model::Lineage::licence(*db.value(), reference) : std::nullopt;
}

} // namespace

/** One running app: the wiring main() uses (model::Controllers), on a given data directory. */
struct App
{
    explicit App(const QString &dataDir)
        : controllers(dataDir)
    {
        controllers.session.setKdfLimits(cartulary::ledger::KdfLimits::interactive());
        engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Cartulary/Main.qml")));
        window = engine.rootObjects().isEmpty()
                     ? nullptr
                     : qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    }

    QQuickItem *item(const QString &name) const
    {
        if (!window)
            return nullptr;
        // From the window object, so that items inside popups (dialogs) are found too; then the
        // visual tree, for delegates of views and repeaters, which have no QObject parent.
        if (auto *found = window->findChild<QQuickItem *>(name))
            return found;
        const auto all = items(window->contentItem(), name);
        return all.isEmpty() ? nullptr : all.constFirst();
    }
    /** Every item below root in the visual tree with this objectName. */
    static QList<QQuickItem *> items(QQuickItem *root, const QString &name)
    {
        QList<QQuickItem *> found;
        if (!root)
            return found;
        for (QQuickItem *child : root->childItems()) {
            if (child->objectName() == name)
                found.append(child);
            found += items(child, name);
        }
        return found;
    }
    QQuickItem *item(const char *name) const { return item(QString::fromLatin1(name)); }

    Controllers controllers;
    Session &session = controllers.session;
    LedgerController &ledger = controllers.ledger;
    PortfolioController &portfolio = controllers.portfolio;
    AssetController &asset = controllers.asset;
    DeadlinesController &deadlines = controllers.deadlines;
    LineageController &lineage = controllers.lineage;
    RoyaltiesController &royalties = controllers.royalties;
    QQmlApplicationEngine engine;
    QQuickWindow *window = nullptr;
};

class TestGui : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_shots;

    void shoot(App &app, const QString &name)
    {
        // The pointer rests on the sidebar's empty part, so no hover tooltip covers the picture.
        QTest::mouseMove(app.window, QPoint(8, app.window->height() - 60));
        QTest::qWait(150); // let animations settle
        const QImage image = app.window->grabWindow();
        QVERIFY(!image.isNull());
        const QString path = m_shots + "/" + name + ".png";
        QVERIFY2(image.save(path), qPrintable(path));
    }

    /** Clicks an item in the middle, as a mouse would. */
    /**
     * True while a tool tip of another item than target (or its ancestors and children) is shown,
     * or still fading out, anywhere under root.
     */
    static bool otherToolTipShown(QQuickItem *root, QQuickItem *target)
    {
        if (root->isVisible() && root->parent() && root->parent()->inherits("QQuickToolTip")) {
            auto *owner = root->parent()->property("parent").value<QQuickItem *>();
            if (owner && owner != target && !owner->isAncestorOf(target) &&
                !target->isAncestorOf(owner))
                return true;
        }
        const auto children = root->childItems();
        return std::any_of(children.begin(), children.end(), [target](QQuickItem *child) {
            return otherToolTipShown(child, target);
        });
    }

    /**
     * Moves the pointer onto the item, as a person's hand would, then clicks it. A tool tip still
     * open from where the pointer was (a table row hovered since the last click, once its delay
     * passed on a slow machine) would take the press to close itself; the move closes it first.
     */
    static void click(App &app, QQuickItem *item)
    {
        QVERIFY(item);
        QTRY_VERIFY(item->isVisible() && item->isEnabled());
        // Layouts place their items when the window polishes, before it draws: until a frame has
        // been drawn, a row that just grew (details read on a worker) has not moved the button
        // below it yet, and its position would be where it was.
        QSignalSpy frame(app.window, &QQuickWindow::frameSwapped);
        app.window->update();
        QVERIFY(frame.wait(10000));
        const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        QTest::mouseMove(app.window, centre.toPoint());
        QTRY_VERIFY(!otherToolTipShown(app.window->contentItem(), item));
        QTest::mouseClick(app.window, Qt::LeftButton, {}, centre.toPoint());
    }

    /** Clicks a text field, then types into it. */
    static void type(App &app, QQuickItem *field, const QString &text)
    {
        QVERIFY(field);
        click(app, field);
        QTRY_VERIFY(field->hasActiveFocus());
        for (const QChar c : text) // keyClicks() exists for widgets only
            QTest::keyClick(app.window, c.toLatin1());
        QTRY_COMPARE(field->property("text").toString(), text);
    }

    /** Clicks a sidebar area ("portfolio", "deadlines", "ledger") and waits for its page. */
    static void showArea(App &app, const char *area)
    {
        click(app, app.item(QStringLiteral("sidebar_") + QLatin1String(area)));
        QQuickItem *page = app.item(QLatin1String(area) + QStringLiteral("Page"));
        QVERIFY(page);
        QTRY_VERIFY(page->isVisible());
    }

    /** A sub-phase of the open asset, by id, from AssetController.phases. */
    static QVariantMap subPhase(App &app, const QString &id)
    {
        for (const QVariant &phase : app.asset.phases())
            for (const QVariant &sub : phase.toMap().value("subPhases").toList())
                if (sub.toMap().value("id").toString() == id)
                    return sub.toMap();
        return {};
    }

    /** The visible delegate of a ListView row with this objectName, or null. */
    static QQuickItem *rowItem(QQuickItem *list, const char *name, int row)
    {
        for (QQuickItem *item : App::items(list, QLatin1String(name)))
            if (item->isVisible() && item->property("index").toInt() == row)
                return item;
        return nullptr;
    }

    /** A role of a Portfolio row, once its page has been read (off the GUI thread). */
    static QString assetText(PortfolioModel *assets, int row, int role)
    {
        (void)assets->data(assets->index(row), role); // asks for its page
        if (!QTest::qWaitFor([&] { return assets->isRowLoaded(row); }, 10000))
            return {};
        return assets->data(assets->index(row), role).toString();
    }

    /** Creates the identity of a new data directory through the identity page. */
    static void createIdentity(App &app, const QString &organisation)
    {
        QVERIFY(app.window);
        QVERIFY(QTest::qWaitForWindowExposed(app.window));
        app.window->requestActivate(); // keyboard shortcuts need the focus window
        QVERIFY(QTest::qWaitForWindowActive(app.window));
        type(app, app.item("nameField"), organisation);
        type(app, app.item("passphraseField"), QString::fromLatin1(Passphrase));
        type(app, app.item("confirmField"), QString::fromLatin1(Passphrase));
        click(app, app.item("identitySubmit"));
        QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), Session::Unlocked, 20000);
    }

    /** Unlocks an existing data directory through the identity page. */
    static void unlock(App &app)
    {
        QVERIFY(app.window);
        QVERIFY(QTest::qWaitForWindowExposed(app.window));
        app.window->requestActivate(); // keyboard shortcuts need the focus window
        QVERIFY(QTest::qWaitForWindowActive(app.window));
        type(app, app.item("passphraseField"), QString::fromLatin1(Passphrase));
        click(app, app.item("identitySubmit"));
        QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), Session::Unlocked, 20000);
    }

    /** Opens an asset's page from the Portfolio: searched for, then its row clicked. */
    static void openFromPortfolio(App &app, const QString &reference)
    {
        showArea(app, "portfolio");
        if (app.item("assetPage")->isVisible())
            click(app, app.item("backButton"));
        QQuickItem *search = app.item("portfolioSearch");
        search->setProperty("text", QString());
        type(app, search, reference);
        QTest::keyClick(app.window, Qt::Key_Return);
        PortfolioModel *assets = app.portfolio.assets();
        QTRY_VERIFY(!assets->loading() && assets->count() >= 1);
        QCOMPARE(assetText(assets, 0, PortfolioModel::ReferenceRole), reference);
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = rowItem(app.item("portfolioTable"), "portfolioRow", 0)));
        click(app, row);
        QTRY_VERIFY(app.item("assetPage")->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(app.asset.asset().value("reference").toString(), reference,
                                  20000);
    }

    /** Types into a text field after clearing it. */
    static void retype(App &app, const char *name, const QString &text)
    {
        QQuickItem *field = app.item(name);
        QVERIFY2(field, name);
        field->setProperty("text", QString());
        if (!text.isEmpty())
            type(app, field, text);
    }

    /** Resizes the window and waits for the layouts to follow. */
    static void resize(App &app, int width, int height)
    {
        app.window->resize(width, height);
        QTRY_COMPARE(app.window->width(), width);
        QTRY_COMPARE(app.window->height(), height);
        QTest::qWait(200);
    }

    QString file(const QString &name, const QByteArray &content)
    {
        return cartulary::testutil::writeFile(m_dir.path(), name, content);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_shots =
            qEnvironmentVariable("CARTULARY_SCREENSHOTS", QDir::currentPath() + "/screenshots");
        QVERIFY(QDir().mkpath(m_shots));
        qInstallMessageHandler(collectWarnings);
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
        // Amounts are typed as the user's locale writes them: the tests say which locale.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void cleanup() { QVERIFY2(g_qmlWarnings.isEmpty(), qPrintable(g_qmlWarnings.join('\n'))); }

    void createRecordVerifyProve()
    {
        App app(m_dir.filePath("org"));
        QVERIFY(app.window);
        QVERIFY(QTest::qWaitForWindowExposed(app.window));
        QCOMPARE(app.session.state(), Session::NoIdentity);

        // First run: create the identity.
        type(app, app.item("nameField"), Laboratory);
        // Too short a passphrase is refused with a clear message and nothing is created.
        type(app, app.item("passphraseField"), QStringLiteral("short"));
        type(app, app.item("confirmField"), QStringLiteral("short"));
        click(app, app.item("identitySubmit"));
        QTRY_VERIFY(app.session.errorString().contains("at least"));
        QVERIFY(!QFile::exists(m_dir.filePath("org/identity.key")));
        shoot(app, "01-identity-refused");

        app.item("passphraseField")->setProperty("text", QString());
        app.item("confirmField")->setProperty("text", QString());
        type(app, app.item("passphraseField"), QString::fromLatin1(Passphrase));
        type(app, app.item("confirmField"), QString::fromLatin1(Passphrase));
        click(app, app.item("identitySubmit"));
        QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), Session::Unlocked, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(app.ledger.verifyState(), LedgerController::Verified, 20000);
        QCOMPARE(app.item("organisationLabel")->property("text").toString(), Laboratory);
        // The Portfolio comes first; the Ledger is one click (or Ctrl+3) away.
        QTRY_VERIFY(app.item("portfolioPage")->isVisible());
        showArea(app, "ledger");
        shoot(app, "02-ledger-empty");

        // Record two documents through the dialog.
        const QString a = file("invention-disclosure-2026-114.pdf", "claims: a method of ...");
        const QString b = file("lab-notebook-p17.txt", QByteArray(200000, 'n'));
        for (const QString &path : {a, b}) {
            click(app, app.item("recordButton"));
            QQuickItem *pathField = app.item("recordPathField");
            QTRY_VERIFY(pathField && pathField->isVisible());
            type(app, pathField, path);
            type(app, app.item("recordNoteField"), QStringLiteral("priority evidence"));
            click(app, app.item("recordSubmit"));
            QTRY_VERIFY_WITH_TIMEOUT(!app.ledger.busy(), 20000);
        }
        QTRY_COMPARE(app.ledger.entryCount(), 2);
        QVERIFY(app.ledger.notice().contains("lab-notebook-p17.txt"));
        QCOMPARE(app.ledger.entries()->rowCount(), 2);
        QCOMPARE(app.ledger.verifyState(), LedgerController::Unverified);

        // Verify the ledger.
        click(app, app.item("verifyButton"));
        QTRY_COMPARE_WITH_TIMEOUT(app.ledger.verifyState(), LedgerController::Verified, 20000);
        QVERIFY(app.ledger.verifyMessage().contains("2 entries verified"));
        QCOMPARE(app.item("verifyPill")->isVisible(), true);
        shoot(app, "03-ledger-verified");

        // Open the oldest entry and check its inclusion proof.
        QQuickItem *table = app.item("ledgerTable");
        QVERIFY(table);
        const QPointF secondRow = table->mapToScene(QPointF(200, 28 + 14));
        QTest::mouseClick(app.window, Qt::LeftButton, {}, secondRow.toPoint());
        QQuickItem *details = app.item("entryDetails");
        QTRY_VERIFY(details->isVisible());
        QCOMPARE(details->property("entryIndex").toInt(), 0);
        QTRY_VERIFY(app.item("signatureStatus")->property("text").toString().contains("valid"));
        click(app, app.item("proveButton"));
        QQuickItem *proof = app.item("proofMessage");
        QTRY_VERIFY_WITH_TIMEOUT(proof->isVisible(), 10000);
        QVERIFY2(proof->property("text").toString().startsWith(QStringLiteral("✓")),
                 qPrintable(proof->property("text").toString()));
        shoot(app, "04-entry-proof");
    }

    void wrongPassphraseIsRefused()
    {
        App app(m_dir.filePath("org")); // created by the previous test
        QVERIFY(app.window);
        QVERIFY(QTest::qWaitForWindowExposed(app.window));
        QCOMPARE(app.session.state(), Session::Locked);
        const QByteArray before = ledgerLog(m_dir.filePath("org"));
        QCOMPARE(before.count('\n'), 2); // the two documents of the previous test
        type(app, app.item("passphraseField"), QStringLiteral("not my passphrase"));
        click(app, app.item("identitySubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(app.session.errorString().contains("wrong passphrase"), 20000);
        QCOMPARE(app.session.state(), Session::Locked);
        QVERIFY(app.item("identityError")->isVisible());
        shoot(app, "05-unlock-wrong-passphrase");
        QCOMPARE(ledgerLog(m_dir.filePath("org")), before);

        app.item("passphraseField")->setProperty("text", QString());
        type(app, app.item("passphraseField"), QString::fromLatin1(Passphrase));
        click(app, app.item("identitySubmit"));
        QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), Session::Unlocked, 20000);
        QTRY_COMPARE(app.ledger.entryCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(!app.ledger.busy(), 20000); // the verification on opening
        // The check above would see a write: one more document changes the log.
        app.ledger.recordDocuments({QUrl::fromLocalFile(file("after-unlock.txt", "written"))}, {});
        QTRY_COMPARE_WITH_TIMEOUT(app.ledger.entryCount(), 3, 20000);
        const QByteArray after = ledgerLog(m_dir.filePath("org"));
        QVERIFY(after != before);
        QCOMPARE(after.count('\n'), 3);
    }

    void realBinaryShowsItsWindow()
    {
        // The shipped executable, not this test's wiring: it opens a window and saves a picture.
        QProcess p;
        p.start(CARTULARY_BINARY, {"--data-dir", m_dir.filePath("org"), "--screenshot",
                                   m_shots + "/06-real-binary-unlock.png"});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(QFile::exists(m_shots + "/06-real-binary-unlock.png"));
    }

    void realBinaryDemo()
    {
        // installer/run --demo: the demo portfolio is created on first use, then the window opens.
        const QString demo = m_dir.filePath("demo");
        QProcess p;
        p.start(CARTULARY_BINARY,
                {"--demo", "--data-dir", demo, "--screenshot", m_shots + "/11-demo-unlock.png"});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QProcess exported;
        exported.start(CARTULARY_BINARY, {"--data-dir", demo, "export", "assets"});
        QVERIFY(exported.waitForFinished(60000));
        QCOMPARE(exported.exitCode(), 0);
        QVERIFY(exported.readAllStandardOutput().count('\n') > 150);
        // A second start opens the same portfolio instead of creating another.
        QProcess again;
        again.start(CARTULARY_BINARY, {"--demo", "--data-dir", demo, "--screenshot",
                                       m_shots + "/11-demo-unlock.png"});
        QVERIFY(again.waitForFinished(60000));
        QCOMPARE(again.exitCode(), 0);
        QVERIFY(!again.readAllStandardError().contains("creating the demo"));
    }

    void portfolioAssetDeadlines()
    {
        App app(m_dir.filePath("portfolio"));
        createIdentity(app, Institute);

        // A new portfolio opens on its empty state, which offers the demo.
        PortfolioModel *assets = app.portfolio.assets();
        QTRY_VERIFY(app.item("portfolioPage")->isVisible());
        QTRY_VERIFY(app.item("portfolioEmpty")->isVisible());
        QCOMPARE(assets->totalCount(), 0);
        click(app, app.item("loadDemoButton"));
        QTRY_VERIFY_WITH_TIMEOUT(assets->totalCount() > 50, 120000);
        QTRY_VERIFY_WITH_TIMEOUT(!app.portfolio.busy(), 60000);
        QVERIFY2(!app.portfolio.noticeIsError(), qPrintable(app.portfolio.notice()));
        const int total = assets->totalCount();
        QQuickItem *table = app.item("portfolioTable");
        QVERIFY(table);
        QTRY_COMPARE(table->property("count").toInt(), total);
        QVERIFY(!app.item("portfolioEmpty")->isVisible());
        QTRY_COMPARE(app.ledger.entryCount() > total, true); // every asset and event is signed
        // The demo under this identity's own name: its assets are ours, third parties keep theirs.
        QTRY_VERIFY(app.portfolio.ownerOptions().contains(Institute));
        QVERIFY(!app.portfolio.ownerOptions().contains(QStringLiteral("Meridian Biotech GmbH")));
        QVERIFY(app.portfolio.ownerOptions().contains(QStringLiteral("Helix Therapeutics Inc.")));

        // Search narrows the table; a header click sorts it.
        type(app, app.item("portfolioSearch"), QStringLiteral("hofmann"));
        QTRY_COMPARE(assets->searchText(), QStringLiteral("hofmann")); // once typing pauses
        QTRY_VERIFY(!assets->loading() && assets->count() > 0 && assets->count() < total);
        QTRY_COMPARE(table->property("count").toInt(), assets->count());
        QVERIFY(app.item("portfolioCount")
                    ->property("text")
                    .toString()
                    .startsWith(QString::number(assets->count()) + " of "));
        click(app, app.item("header_expiryDate"));
        QTRY_COMPARE(assets->sortColumn(), QStringLiteral("expiryDate"));
        QVERIFY(assets->sortAscending());
        click(app, app.item("header_expiryDate"));
        QTRY_VERIFY(!assets->sortAscending());
        QTRY_VERIFY(!assets->loading());
        QCOMPARE(app.item("portfolioSearch")->property("text").toString(),
                 QStringLiteral("hofmann"));
        shoot(app, "07-portfolio");

        click(app, app.item("clearFiltersButton"));
        QTRY_COMPARE(assets->count(), total);
        QCOMPARE(assets->searchText(), QString());
        QTRY_COMPARE(app.item("portfolioSearch")->property("text").toString(), QString());

        // Open a patent by clicking its row.
        int patentRow = -1;
        for (int row = 0; row < assets->rowCount() && patentRow < 0; ++row)
            if (assetText(assets, row, PortfolioModel::TypeRole) == "patent")
                patentRow = row;
        QVERIFY(patentRow >= 0);
        QMetaObject::invokeMethod(table, "positionViewAtIndex", Q_ARG(int, patentRow),
                                  Q_ARG(int, 0 /* ListView.Beginning */));
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = rowItem(table, "portfolioRow", patentRow)));
        click(app, row);
        QQuickItem *assetPage = app.item("assetPage");
        QTRY_VERIFY(assetPage->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(app.asset.assetId(), assets->assetIdAt(patentRow), 20000);
        QTRY_VERIFY(!app.asset.loading());
        QCOMPARE(app.asset.asset().value("type").toString(), QStringLiteral("patent"));
        QTRY_COMPARE(app.item("assetReference")->property("text").toString(),
                     app.asset.asset().value("reference").toString());
        QVERIFY(app.item("sidebar_portfolio")->property("highlighted").toBool());
        QCOMPARE(app.asset.phases().size(), 4);
        shoot(app, "08-asset-page");

        // Advance a sub-phase that has not started, through its menu.
        QString advanced;
        for (const char *id : {"exploration", "conception", "ip-audit", "portfolio-analysis"})
            if (subPhase(app, id).value("state").toString() == "not-started" &&
                subPhase(app, id).value("applicable").toBool()) {
                advanced = QString::fromLatin1(id);
                break;
            }
        QVERIFY2(!advanced.isEmpty(), "no sub-phase left to advance");
        const int entriesBefore = app.ledger.entryCount();
        click(app, app.item("subPhaseMenu_" + advanced));
        click(app, app.item("advanceMenuItem"));
        QTRY_COMPARE_WITH_TIMEOUT(subPhase(app, advanced).value("state").toString(),
                                  QStringLiteral("in-progress"), 20000);
        QTRY_COMPARE(app.ledger.entryCount(), entriesBefore + 1);
        QAbstractItemModel *entries = app.ledger.entries();
        QTRY_VERIFY(entries->rowCount() > 0);
        const int kindRole = entries->roleNames().key("kind");
        QCOMPARE(entries->data(entries->index(0, 0), kindRole).toString(),
                 QStringLiteral("phase.state"));
        QTRY_COMPARE(app.item("subPhaseState_" + advanced)->property("text").toString(),
                     QStringLiteral("In progress"));

        // The edit form checks as the user types: owners that do not sum to 100 %.
        click(app, app.item("editAssetButton"));
        QQuickItem *owners = app.item("form_owners");
        QTRY_VERIFY(owners && owners->isVisible());
        QQuickItem *save = app.item("formSave");
        QTRY_VERIFY(save->isEnabled()); // the asset as it stands is valid
        owners->setProperty("text", QString());
        type(app, owners, Institute + QStringLiteral(":5000"));
        QQuickItem *ownersError = app.item("formError_owners");
        QTRY_VERIFY(ownersError->isVisible());
        QVERIFY2(ownersError->property("text").toString().startsWith(QStringLiteral("✗")),
                 qPrintable(ownersError->property("text").toString()));
        QVERIFY(!save->isEnabled());
        shoot(app, "09-asset-form-invalid");
        click(app, app.item("formCancel"));
        QTRY_VERIFY(!owners->isVisible());
        QCOMPARE(app.asset.asset().value("ownersText").toString().contains(":5000"), false);

        // Deadlines: overdue first, a chart by month; a row opens its asset, Back returns.
        showArea(app, "deadlines");
        QTRY_VERIFY_WITH_TIMEOUT(!app.deadlines.busy(), 30000);
        QVERIFY(app.deadlines.overdueCount() > 0);
        QQuickItem *list = app.item("deadlinesList");
        QTRY_VERIFY(list->property("count").toInt() > app.deadlines.overdueCount());
        QVERIFY(app.item("deadlinesChart")->isVisible());
        shoot(app, "10-deadlines");

        QQuickItem *firstDeadline = nullptr;
        QTRY_VERIFY((firstDeadline = rowItem(list, "deadlineRow", 0))); // headings are sections
        click(app, firstDeadline);
        QTRY_VERIFY(assetPage->isVisible());
        QVERIFY(app.item("backButton")->property("text").toString().contains("Deadlines"));
        QTest::keyClick(app.window, Qt::Key_Escape);
        QTRY_VERIFY(app.item("deadlinesPage")->isVisible());
        QVERIFY(!assetPage->isVisible());

        // Lineage: the empty area suggests the assets with most derivations; a reference typed in
        // shows the composite index with three generations of ancestors and several parents.
        showArea(app, "lineage");
        QTRY_VERIFY(app.item("lineageSuggestion_MBG-M003"));
        type(app, app.item("lineageAssetField"), QStringLiteral("MBG-M003"));
        QTest::keyClick(app.window, Qt::Key_Return);
        GraphScene *scene = app.lineage.scene();
        QTRY_VERIFY_WITH_TIMEOUT(scene->nodeCount() == 8 && !scene->busy(), 30000);
        QTRY_COMPARE(app.lineage.focus().value("reference").toString(), QStringLiteral("MBG-M003"));
        QList<QQuickItem *> nodes;
        QTRY_COMPARE((nodes = App::items(app.window->contentItem(), "graphNode")).size(), 8);
        QTRY_COMPARE(app.item("lineageSelectedReference")->property("text").toString(),
                     QStringLiteral("MBG-M003"));
        QVERIFY(app.item("lineageStack")->property("text").toString().contains("7.50 %"));
        shoot(app, "12-lineage");

        // Clicking a node selects it: the pane explains its licences and what lapsed above it.
        QQuickItem *node = nullptr;
        for (QQuickItem *n : App::items(app.window->contentItem(), "graphNode"))
            if (n->property("reference").toString() == QLatin1String("MBG-DS003"))
                node = n;
        QVERIFY(node);
        click(app, node);
        QTRY_COMPARE(app.item("lineageSelectedReference")->property("text").toString(),
                     QStringLiteral("MBG-DS003"));
        const int nodeRow = scene->nodeRow(node->property("assetId").toString());
        QTRY_VERIFY(scene->nodes()
                        ->data(scene->nodes()->index(nodeRow), GraphNodeModel::HighlightedRole)
                        .toBool());
        shoot(app, "13-lineage-selected");

        // Open asset goes to its page; Back returns to the graph.
        click(app, app.item("lineageOpenAsset"));
        QTRY_VERIFY(assetPage->isVisible());
        QTRY_COMPARE(app.asset.asset().value("reference").toString(), QStringLiteral("MBG-DS003"));
        QVERIFY(app.item("backButton")->property("text").toString().contains("Lineage"));
        QTest::keyClick(app.window, Qt::Key_Escape);
        QTRY_VERIFY(app.item("lineagePage")->isVisible());

        // Export of the shown graph (the Export menu's file dialog hands its choice to this).
        const QString svg = m_dir.filePath("lineage-export.svg");
        QSignalSpy exported(&app.lineage, &LineageController::exported);
        app.lineage.exportGraph("svg", QUrl::fromLocalFile(svg));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 30000);
        QVERIFY2(exported.at(0).at(1).toBool(), qPrintable(app.lineage.notice()));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QVERIFY(svgFile.readAll().contains("LIC&#45;2024&#45;011")); // SVG escapes the hyphens
        app.lineage.exportGraph("jpg", QUrl::fromLocalFile(svg + ".jpg"));
        QVERIFY(app.lineage.noticeIsError());
        QVERIFY(!QFile::exists(svg + ".jpg"));

        // On the asset page of the subset, a derivation that would close a cycle is refused in
        // the dialog, naming the rule; a licence granted from the dialog is signed.
        app.lineage.show("MBG-DS003");
        QTRY_COMPARE(app.lineage.focus().value("reference").toString(),
                     QStringLiteral("MBG-DS003"));
        click(app, app.item("lineageOpenAsset"));
        QTRY_VERIFY(assetPage->isVisible());
        QTRY_COMPARE(app.asset.asset().value("reference").toString(), QStringLiteral("MBG-DS003"));
        const int signedBefore = app.ledger.entryCount();
        click(app, app.item("derivedFromButton"));
        // Dialogs are popups: QObjects, found from the window's object tree.
        QObject *derivation = app.window->findChild<QObject *>("derivationDialog");
        QVERIFY(derivation);
        QTRY_VERIFY(derivation->property("visible").toBool());
        type(app, app.item("derivationParent"), QStringLiteral("MBG-S003"));
        click(app, app.item("derivationSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(app.item("derivationError")->isVisible(), 20000);
        const QString why = app.item("derivationError")->property("text").toString();
        QVERIFY2(why.contains("cycle") && why.contains("MBG-S003"), qPrintable(why));
        QVERIFY(derivation->property("visible").toBool());
        shoot(app, "14-derivation-refused");
        QTest::keyClick(app.window, Qt::Key_Escape);
        QTRY_VERIFY(!derivation->property("visible").toBool());
        QCOMPARE(app.ledger.entryCount(), signedBefore);

        click(app, app.item("grantLicenceButton"));
        QObject *licence = app.window->findChild<QObject *>("licenceDialog");
        QVERIFY(licence);
        QTRY_VERIFY(licence->property("visible").toBool());
        type(app, app.item("licenceReference"), QStringLiteral("LIC-2026-100"));
        type(app, app.item("licenceTitle"), QStringLiteral("Subset evaluation licence"));
        type(app, app.item("licenceLicensee"), QStringLiteral("Helix Therapeutics Inc."));
        type(app, app.item("licenceRoyalty"), QStringLiteral("2.5"));
        shoot(app, "15-licence-dialog");
        click(app, app.item("licenceSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(!licence->property("visible").toBool(), 20000);
        QTRY_COMPARE(app.ledger.entryCount(), signedBefore + 1);
        // DS003 is the Lineage focus: its pane follows once the graph is read again.
        const auto grantedRoyalty = [&app] {
            const QVariantList licences = app.lineage.focus().value("licences").toList();
            return licences.isEmpty() ? QString()
                                      : licences.constLast().toMap().value("royalty").toString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(grantedRoyalty().startsWith("2.50 %"), 20000);

        // Revoking from the Lineage pane: a condition the terms name but that did not happen is
        // refused in the dialog; a breach is signed and reaches the derivative as a flag.
        showArea(app, "lineage");
        app.lineage.show("MBG-M003");
        QQuickItem *revoke = nullptr;
        QTRY_VERIFY((revoke = app.item("revokeLicence_LIC-2025-009")) && revoke->isVisible());
        // Scrolled into view, as a person would, at the foot of the pane.
        auto *pane =
            qvariant_cast<QQuickItem *>(app.item("lineageDetails")->property("contentItem"));
        QVERIFY(pane);
        pane->setProperty(
            "contentY", std::max(0.0, pane->property("contentHeight").toDouble() - pane->height()));
        QTRY_VERIFY(revoke->mapToScene(QPointF(0, revoke->height())).y() <= app.window->height());
        click(app, revoke);
        QObject *revokeDialog = app.window->findChild<QObject *>("revokeDialog");
        QVERIFY(revokeDialog);
        QTRY_VERIFY(revokeDialog->property("visible").toBool());
        QQuickItem *reason = app.item("revokeReason");
        QCOMPARE(reason->property("count").toInt(), 2); // breach, change-of-control
        reason->setProperty("currentIndex", 1);
        click(app, app.item("revokeSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(app.item("revokeError")->isVisible(), 20000);
        QVERIFY(app.item("revokeError")->property("text").toString().contains("no asset derived"));
        reason->setProperty("currentIndex", 0);
        click(app, app.item("revokeSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(!revokeDialog->property("visible").toBool(), 20000);
        // S003 is not the focus: its report is read on a worker when it is selected (and a
        // refresh after the write selects the focus again, so select until it shows).
        const auto s003Flags = [&app] {
            if (app.lineage.selection().value("reference") != QStringLiteral("MBG-S003")) {
                if (!app.lineage.selectionLoading())
                    app.lineage.select(QStringLiteral("MBG-S003"));
                return -1;
            }
            return int(app.lineage.selection().value("flags").toList().size());
        };
        QTRY_VERIFY_WITH_TIMEOUT(app.item("revokeLicence_LIC-2025-009") &&
                                     !app.item("revokeLicence_LIC-2025-009")->isVisible(),
                                 20000);
        QTRY_VERIFY_WITH_TIMEOUT(s003Flags() == 3, 20000);
        // Back to the focus's pane, where the licence shows as revoked.
        app.lineage.select(QString());
        QTRY_COMPARE(app.lineage.selection().value("reference").toString(),
                     QStringLiteral("MBG-M003"));
        QTRY_VERIFY(app.item("revokeLicence_LIC-2025-009") &&
                    !app.item("revokeLicence_LIC-2025-009")->isVisible());
        shoot(app, "16-lineage-revoked");
    }

    void dialogsSignExactAmounts()
    {
        const QString data = m_dir.filePath("portfolio"); // the demo of the previous test
        App app(data);
        unlock(app);
        openFromPortfolio(app, "MBG-DS003");
        QObject *dialog = app.window->findChild<QObject *>("licenceDialog");
        QVERIFY(dialog);
        // Through the dialog, as a person types them: the currency's minor digits decide.
        const auto grant = [&](const QString &reference, const QString &upfront,
                               const QString &currency) {
            click(app, app.item("grantLicenceButton"));
            QTRY_VERIFY(dialog->property("visible").toBool());
            type(app, app.item("licenceReference"), reference);
            type(app, app.item("licenceTitle"), QStringLiteral("Evaluation licence"));
            type(app, app.item("licenceLicensee"), QStringLiteral("Helix Therapeutics Inc."));
            retype(app, "licenceCurrency", currency);
            type(app, app.item("licenceUpfront"), upfront);
            click(app, app.item("licenceSubmit"));
        };
        grant("LIC-2026-JPY", "1,250", "JPY");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), 20000);
        QCOMPARE(storedLicence(data, "LIC-2026-JPY")->licence.payment.upfrontMinor, 1250);
        QCOMPARE(storedLicence(data, "LIC-2026-JPY")->licence.payment.currency, "JPY");
        // The notice says what was signed, and where.
        QQuickItem *notice = app.item("assetNoticeLabel");
        QTRY_VERIFY(notice->isVisible());
        QVERIFY2(notice->property("text").toString().contains("upfront 1,250 JPY") &&
                     notice->property("text").toString().contains("signed as entry"),
                 qPrintable(notice->property("text").toString()));

        grant("LIC-2026-BHD", "12.345", "BHD");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), 20000);
        QCOMPARE(storedLicence(data, "LIC-2026-BHD")->licence.payment.upfrontMinor, 12345);

        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        grant("LIC-2026-EUR", "50.000,00", "EUR");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), 20000);
        QCOMPARE(storedLicence(data, "LIC-2026-EUR")->licence.payment.upfrontMinor, 5000000);
        QCOMPARE(storedLicence(data, "LIC-2026-EUR")->licence.payment.currency, "EUR");
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));

        // The German way of writing it is ambiguous in English: refused in the dialog, beside its
        // field, with nothing signed.
        const QByteArray before = ledgerLog(data);
        grant("LIC-2026-AMBIGUOUS", "50.000,00", "EUR");
        QQuickItem *why = app.item("licenceUpfrontError");
        QTRY_VERIFY(why && why->isVisible());
        QVERIFY2(why->property("text").toString().contains("50,000.00"),
                 qPrintable(why->property("text").toString()));
        QVERIFY(app.item("licenceError")->isVisible());
        QVERIFY(dialog->property("visible").toBool());
        shoot(app, "17-licence-amount-refused");
        QTest::keyClick(app.window, Qt::Key_Escape);
        QTRY_VERIFY(!dialog->property("visible").toBool());
        QCOMPARE(ledgerLog(data), before);
        QVERIFY(!storedLicence(data, "LIC-2026-AMBIGUOUS"));

        // The licensor approves a derivative under a licence that asks for approval.
        openFromPortfolio(app, "MBG-C003");
        const int entries = app.ledger.entryCount();
        click(app, app.item("moreAssetActions"));
        click(app, app.item("approveDerivationItem"));
        QObject *approve = app.window->findChild<QObject *>("approveDialog");
        QTRY_VERIFY(approve->property("visible").toBool());
        QCOMPARE(app.item("approveLicence")->property("currentValue").toString(),
                 QStringLiteral("LIC-2024-022"));
        type(app, app.item("approveChild"), QStringLiteral("MBG-C001"));
        shoot(app, "18-approve-dialog");
        click(app, app.item("approveSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(!approve->property("visible").toBool(), 20000);
        QTRY_COMPARE(app.ledger.entryCount(), entries + 1);

        // An assignment: shares that do not sum to 100 % are marked; then signed.
        click(app, app.item("moreAssetActions"));
        click(app, app.item("assignItem"));
        QObject *assign = app.window->findChild<QObject *>("assignDialog");
        QTRY_VERIFY(assign->property("visible").toBool());
        type(app, app.item("assignOwners"), QStringLiteral("Acquirer Inc.:9000"));
        click(app, app.item("assignSubmit"));
        QTRY_VERIFY(app.item("assignOwnersError")->isVisible());
        QVERIFY(app.item("assignOwnersError")->property("text").toString().contains("9,000"));
        QCOMPARE(app.ledger.entryCount(), entries + 1);
        retype(app, "assignOwners", Institute + QStringLiteral(":5000;Acquirer Inc.:5000"));
        click(app, app.item("assignSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(!assign->property("visible").toBool(), 20000);
        QTRY_VERIFY(app.asset.asset().value("ownersText").toString().contains("Acquirer Inc."));
        QTRY_COMPARE(app.ledger.entryCount(), entries + 2);

        // The smallest window the application allows: the pages still fit.
        resize(app, app.window->minimumWidth(), app.window->minimumHeight());
        shoot(app, "19-asset-page-minimum");
        showArea(app, "portfolio"); // chosen again: back to the list
        QTRY_VERIFY(!app.item("assetPage")->isVisible());
        click(app, app.item("clearFiltersButton"));
        QTRY_VERIFY(!app.portfolio.assets()->loading());
        shoot(app, "20-portfolio-minimum");
        showArea(app, "deadlines");
        shoot(app, "21-deadlines-minimum");
        showArea(app, "ledger");
        shoot(app, "22-ledger-minimum");
    }

    void royaltiesImportRunExplainMatchApprove()
    {
        App app(m_dir.filePath("cmo"));
        createIdentity(app, Society);
        RoyaltiesController &r = app.royalties;

        // Nothing imported: the area says what it needs and offers it.
        showArea(app, "royalties");
        QTRY_VERIFY(app.item("royaltiesEmpty") && app.item("royaltiesEmpty")->isVisible());
        shoot(app, "23-royalties-empty");

        // Works from CWR: one registered, with its writers' and publisher's shares.
        QObject *importDialog = app.window->findChild<QObject *>("royaltyImportDialog");
        QVERIFY(importDialog);
        const auto import = [&](const char *button, const QString &path) {
            click(app, app.item(button));
            QTRY_VERIFY(importDialog->property("visible").toBool());
            retype(app, "royaltyImportPath", path);
            click(app, app.item("royaltyImportStart"));
            QTRY_VERIFY_WITH_TIMEOUT(app.item("royaltyImportReport")->isVisible(), 30000);
        };
        import("emptyImportWorks",
               QStringLiteral(CARTULARY_TEST_DATA) + "/cwr/CW220001DMP_000.V21");
        QVERIFY2(r.importReport().contains("Registered: 1 new works"),
                 qPrintable(r.importReport()));
        click(app, app.item("royaltyImportClose"));
        QTRY_VERIFY(!importDialog->property("visible").toBool());

        // A usage file with a bad amount is refused whole, naming its line; nothing is written.
        const QByteArray before = ledgerLog(m_dir.filePath("cmo"));
        import("emptyImportUsage",
               file("usage-bad.csv", "period,licensee,territory,work,units,amount,currency\n"
                                     "2026-07,StreamCo,PT,ISWC:T1234567894,1,1.00,EUR\n"
                                     "2026-07,StreamCo,PT,ISWC:T1234567894,1,1.001,EUR\n"));
        const QString refused = app.item("royaltyImportReport")->property("text").toString();
        QVERIFY2(refused.contains("line 3") && refused.contains("nothing was written"),
                 qPrintable(refused));
        shoot(app, "24-royalties-import-refused");
        click(app, app.item("royaltyImportClose"));
        QCOMPARE(ledgerLog(m_dir.filePath("cmo")), before);

        // Two quarters of usage: by ISWC in both notations, by title and creator, a quarter's
        // own line, and two lines no work fits.
        import("emptyImportUsage",
               file("usage-2026.csv",
                    "period,licensee,territory,work,title,creator,units,amount,currency\n"
                    "2026-07,StreamCo,PT,ISWC:T-123.456.789-4,,,1000,120.00,EUR\n"
                    "2026-08,StreamCo,ES,ISWC:T1234567894,,,500,60.00,EUR\n"
                    "2026-09,RadioLusa,PT,,Music Pub Cartoons,\"Kolaric, Matija\",200,40.00,EUR\n"
                    "2026-09,StreamCo,BR,,Cartoon Medley,\"Kolaric, M.\",300,35.50,EUR\n"
                    "2026-09,StreamCo,US,,Unknown Song,Someone,10,4.25,EUR\n"
                    "2026-Q3,TVCo,WW,ISWC:T-123.456.789-4,,,1,25.00,EUR\n"
                    "2026-04,StreamCo,PT,ISWC:T-123.456.789-4,,,800,80.00,EUR\n"
                    "2026-05,StreamCo,ES,ISWC:T-123.456.789-4,,,300,30.00,EUR\n"));
        const QString report = app.item("royaltyImportReport")->property("text").toString();
        QVERIFY2(report.contains("Matched: 6 lines") && report.contains("Unmatched: 2 lines") &&
                     report.contains("Rejected: none"),
                 qPrintable(report));
        click(app, app.item("royaltyImportClose"));
        QTRY_COMPARE(r.period(), QStringLiteral("2026-Q3"));

        // The previous quarter, then this one, each with a 10 % fee, through the run dialog.
        QObject *runDialog = app.window->findChild<QObject *>("runDialog");
        const auto runPeriod = [&](const QString &period) {
            click(app, app.item("runButton"));
            QTRY_VERIFY(runDialog->property("visible").toBool());
            retype(app, "runPeriod", period);
            retype(app, "runFee", QStringLiteral("10"));
            // The dialog refuses while other work runs (the import's reads, on a loaded machine).
            QTRY_VERIFY_WITH_TIMEOUT(!r.busy(), 120000);
            QSignalSpy ran(&r, &RoyaltiesController::runFinished);
            click(app, app.item("runSubmit"));
            QVERIFY(ran.wait(180000));
            QVERIFY2(ran.first().at(0).toBool(), qPrintable(ran.first().at(1).toString()));
            QTRY_VERIFY_WITH_TIMEOUT(!r.loading() && r.run().value("period") == period, 30000);
        };
        // A fee the locale would not write is refused in the dialog.
        click(app, app.item("runButton"));
        QTRY_VERIFY(runDialog->property("visible").toBool());
        retype(app, "runFee", QStringLiteral("10,5"));
        click(app, app.item("runSubmit"));
        QTRY_VERIFY(app.item("runFeeError")->isVisible());
        QVERIFY(runDialog->property("visible").toBool());
        QTest::keyClick(app.window, Qt::Key_Escape);
        QTRY_VERIFY(!runDialog->property("visible").toBool());
        runPeriod("2026-Q2");
        runPeriod("2026-Q3");
        QCOMPARE(r.run().value("currencies").toList().at(0).toMap().value("collected").toString(),
                 QStringLiteral("284.75 EUR"));
        QVERIFY(app.item("runSummary")->isVisible());
        // Everyone got more than 20 % more than in Q2: marked.
        QTRY_VERIFY(r.flaggedCount() == 3);
        QVERIFY(app.item("flaggedCount")->isVisible());
        shoot(app, "25-royalties-review");

        // A holder's explanation: every amount's way, exact and as paid.
        const int publisher = r.holders()->rowWhere("holder", "TEST PUBLISHER");
        QVERIFY(publisher >= 0);
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = rowItem(app.item("holderTable"), "holderRow", publisher)));
        click(app, row);
        QTRY_VERIFY(app.item("explanationPane")->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(r.explanation()->rowCount(), 1, 20000);
        QVERIFY2(r.explanation()->value(0, "way").toString().contains("owner share"),
                 qPrintable(r.explanation()->value(0, "way").toString()));
        QCOMPARE(r.explanationTotals().at(0).toMap().value("amount").toString(),
                 r.holders()->value(publisher, "amount").toString());
        QTRY_VERIFY(app.item("explanationTotal")->isVisible());
        shoot(app, "26-royalties-explanation");

        // By work, and where the revenue came from.
        click(app, app.item("worksTab"));
        QTRY_VERIFY(app.item("workTable")->isVisible());
        QTRY_VERIFY((row = rowItem(app.item("workTable"), "workRow", 0)));
        click(app, row);
        QTRY_VERIFY(app.item("workPane")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(r.workFlows()->rowCount() == 4, 20000); // three holders, held
        shoot(app, "27-royalties-by-work");
        click(app, app.item("revenueTab"));
        QTRY_VERIFY(app.item("territoryChart")->isVisible());
        shoot(app, "28-royalties-revenue");

        // The unmatched queue, at the default and the smallest window.
        click(app, app.item("unmatchedTab"));
        QQuickItem *queue = app.item("unmatchedTable");
        QTRY_VERIFY(queue->isVisible());
        QTRY_COMPARE(r.unmatched()->rowCount(), 2);
        QCOMPARE(r.unmatched()->value(0, "title").toString(), QStringLiteral("Cartoon Medley"));
        QCOMPARE(r.unmatched()->value(0, "amount").toString(), QStringLiteral("35.50 EUR"));
        shoot(app, "29-royalties-unmatched");
        const QSize normal = app.window->size();
        resize(app, app.window->minimumWidth(), app.window->minimumHeight());
        shoot(app, "30-royalties-unmatched-minimum");
        click(app, app.item("holdersTab"));
        QTRY_VERIFY(app.item("explanationPane")->isVisible());
        shoot(app, "31-royalties-explanation-minimum");
        r.explain(QString());
        QTRY_VERIFY(!app.item("explanationPane")->isVisible());
        shoot(app, "32-royalties-review-minimum");
        resize(app, normal.width(), normal.height());

        // Match the first line by hand, with every line of its title and creator, to the work
        // found by its title.
        click(app, app.item("unmatchedTab"));
        QTRY_VERIFY((row = rowItem(queue, "unmatchedRow", 0)));
        click(app, row);
        click(app, app.item("matchButton"));
        QObject *matchDialog = app.window->findChild<QObject *>("matchDialog");
        QTRY_VERIFY(matchDialog->property("visible").toBool());
        type(app, app.item("matchSearch"), QStringLiteral("cartoons"));
        QTRY_VERIFY(r.workSearch()->searchText() == QStringLiteral("cartoons") &&
                    !r.workSearch()->loading() && r.workSearch()->count() == 1);
        QTRY_VERIFY((row = rowItem(app.item("matchResults"), "matchResult", 0)));
        click(app, row);
        click(app, app.item("matchScopeTitle"));
        QTRY_VERIFY(app.item("matchSubmit")->isEnabled());
        shoot(app, "33-royalties-match-dialog");
        const QByteArray beforeMatch = ledgerLog(m_dir.filePath("cmo"));
        click(app, app.item("matchSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(!matchDialog->property("visible").toBool(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!r.loading() && r.unmatched()->rowCount() == 1, 20000);
        QCOMPARE(r.unmatched()->value(0, "title").toString(), QStringLiteral("Unknown Song"));
        QCOMPARE(ledgerLog(m_dir.filePath("cmo")).count('\n'), beforeMatch.count('\n') + 1);

        // Approving the run computed before the match is refused, as the model words it.
        click(app, app.item("holdersTab"));
        QTRY_VERIFY(r.run().value("stale").toBool());
        QTRY_VERIFY(app.item("staleText")->isVisible());
        QObject *approveDialog = app.window->findChild<QObject *>("approveRunDialog");
        click(app, app.item("approveButton"));
        QTRY_VERIFY(approveDialog->property("visible").toBool());
        click(app, app.item("approveRunSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(app.item("approveRunError")->isVisible(), 20000);
        const QString why = app.item("approveRunError")->property("text").toString();
        QVERIFY2(why.contains("the ledger has grown since run"), qPrintable(why));
        shoot(app, "34-royalties-approve-refused");
        QTest::keyClick(app.window, Qt::Key_Escape);
        QTRY_VERIFY(!approveDialog->property("visible").toBool());

        // Run again: the matched line is distributed; approve and sign.
        runPeriod("2026-Q3");
        QVERIFY(!r.run().value("stale").toBool());
        QCOMPARE(r.run().value("currencies").toList().at(0).toMap().value("unmatched").toString(),
                 QStringLiteral("4.25 EUR"));
        click(app, app.item("approveButton"));
        QTRY_VERIFY(approveDialog->property("visible").toBool());
        click(app, app.item("approveRunSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(!approveDialog->property("visible").toBool(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(r.run().value("approvedAt").toInt() > 0, 20000);
        QVERIFY2(r.notice().contains("statement set SHA-256"), qPrintable(r.notice()));
        QTRY_VERIFY(app.item("runStatus")->property("text").toString().contains("Approved"));
        QVERIFY(!app.item("approveButton")->isEnabled());

        // Statements to a folder; the publisher's PDF, rendered.
        const QString out = m_dir.filePath("statements-2026-Q3");
        QObject *statementsDialog = app.window->findChild<QObject *>("statementsDialog");
        click(app, app.item("statementsButton"));
        QTRY_VERIFY(statementsDialog->property("visible").toBool());
        type(app, app.item("statementsFolder"), out);
        click(app, app.item("statementsSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(!statementsDialog->property("visible").toBool(), 60000);
        QVERIFY2(!r.noticeIsError(), qPrintable(r.notice()));
        QVERIFY(QFile::exists(out + "/MANIFEST.sha256"));
        shoot(app, "35-royalties-approved");
        QProcess render;
        render.start("pdftoppm",
                     {"-png", "-r", "80", "-singlefile", out + "/TEST-PUBLISHER_EUR.pdf",
                      m_shots + "/36-royalty-statement"});
        QVERIFY(render.waitForFinished(60000));
        QVERIFY2(render.exitCode() == 0, render.readAllStandardError().constData());
        QVERIFY(QFile::exists(m_shots + "/36-royalty-statement.png"));
    }

    void royaltiesDisputeSettled()
    {
        const QString data = m_dir.filePath("cmo"); // the society of the previous test
        App app(data);
        unlock(app);
        RoyaltiesController &r = app.royalties;
        showArea(app, "royalties");
        QTRY_VERIFY_WITH_TIMEOUT(r.importCount() > 0 && !r.loading(), 30000);

        // Another sender registers the same work: a dispute, both claims kept.
        QFile sample(QStringLiteral(CARTULARY_TEST_DATA) + "/cwr/CW220001DMP_000.V21");
        QVERIFY(sample.open(QIODevice::ReadOnly));
        QByteArray rival = sample.readAll();
        QVERIFY(rival.contains("TEST PUBLISHER "));
        rival.replace("TEST PUBLISHER ", "RIVAL PUBLISHER"); // same width: the HDR stays valid
        QObject *importDialog = app.window->findChild<QObject *>("royaltyImportDialog");
        click(app, app.item("importWorksButton"));
        QTRY_VERIFY(importDialog->property("visible").toBool());
        retype(app, "royaltyImportPath", file("CW220003RIV_000.V21", rival));
        click(app, app.item("royaltyImportStart"));
        QTRY_VERIFY_WITH_TIMEOUT(app.item("royaltyImportReport")->isVisible(), 30000);
        QVERIFY2(r.importReport().contains("Disputed: 1"), qPrintable(r.importReport()));
        click(app, app.item("royaltyImportClose"));
        QTRY_VERIFY(!importDialog->property("visible").toBool());

        // The Disputes tab: Settle… once a dispute is selected.
        click(app, app.item("disputesTab"));
        QQuickItem *table = app.item("disputeTable");
        QTRY_VERIFY(table->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!r.loading() && r.disputes()->rowCount() >= 1, 20000);
        QVERIFY(!app.item("settledTable")->isVisible());
        QVERIFY(!app.item("settleButton")->isEnabled());
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = rowItem(table, "disputeRow", 0)));
        click(app, row);
        click(app, app.item("settleButton"));
        QObject *dialog = app.window->findChild<QObject *>("settleDialog");
        QTRY_VERIFY(dialog->property("visible").toBool());
        const QString work = r.disputes()->value(0, "work").toString();
        QTRY_VERIFY(app.item("settleWork")->property("text").toString().startsWith(work));
        // The work's sources, each ticked by its name.
        QList<QQuickItem *> sources;
        QTRY_COMPARE((sources = App::items(app.window->contentItem(), "settleSource")).size(), 2);
        const auto source = [&](const QString &name) -> QQuickItem * {
            for (QQuickItem *box : sources)
                if (box->property("text").toString() == name)
                    return box;
            return nullptr;
        };
        QVERIFY(source("TEST PUBLISHER") && source("RIVAL PUBLISHER"));
        // Each source's shares per right, as percents.
        QStringList shares;
        for (QQuickItem *line : App::items(app.window->contentItem(), "settleShares"))
            shares << line->property("text").toString();
        QVERIFY2(shares.contains("Performing 87.50 %: KOLARIC, MATIJA 25.00 %; OTHER, ANN 25.00 %; "
                                 "TEST PUBLISHER 37.50 %"),
                 qPrintable(shares.join('\n')));

        // Both kept: their shares pass 100 %. Refused in the dialog, in the model's words; it
        // stays open and nothing is written.
        const QByteArray before = ledgerLog(data);
        click(app, source("TEST PUBLISHER"));
        click(app, source("RIVAL PUBLISHER"));
        type(app, app.item("settleReason"), QStringLiteral("agreement of 2026-11-30"));
        click(app, app.item("settleSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(app.item("settleError")->isVisible(), 20000);
        const QString why = app.item("settleError")->property("text").toString();
        QVERIFY2(why.contains("RIVAL PUBLISHER and TEST PUBLISHER registered total") &&
                     why.contains("keep fewer sources"),
                 qPrintable(why));
        QVERIFY(dialog->property("visible").toBool());
        shoot(app, "37-royalties-settle-refused");
        const QSize normal = app.window->size();
        resize(app, app.window->minimumWidth(), app.window->minimumHeight());
        shoot(app, "38-royalties-settle-dialog-minimum");
        resize(app, normal.width(), normal.height());
        QCOMPARE(ledgerLog(data), before);

        // The first sender's registration stands: settled, signed, the list shows it.
        click(app, source("RIVAL PUBLISHER"));
        click(app, app.item("settleSubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!r.loading() && r.settlements()->rowCount() == 1, 20000);
        QCOMPARE(r.disputes()->rowCount(), 0);
        QCOMPARE(ledgerLog(data).count('\n'), before.count('\n') + 1);
        QVERIFY2(r.notice().contains("Settled " + work) &&
                     r.notice().contains("the shares of TEST PUBLISHER stand") &&
                     r.notice().contains("RIVAL PUBLISHER are withdrawn") &&
                     r.notice().contains("Runs computed before are stale"),
                 qPrintable(r.notice()));
        QTRY_VERIFY(app.item("royaltyNotice")->isVisible());
        QCOMPARE(r.settlements()->value(0, "kept").toString(), QStringLiteral("TEST PUBLISHER"));
        QCOMPARE(r.settlements()->value(0, "withdrawn").toString(),
                 QStringLiteral("RIVAL PUBLISHER"));
        QTRY_VERIFY(app.item("settledTable")->isVisible());
        QTRY_VERIFY(rowItem(app.item("settledTable"), "settledRow", 0));
        QVERIFY(app.item("disputesEmpty")->isVisible());
        QVERIFY(!app.item("settleButton")->isEnabled()); // nothing left to select
        shoot(app, "39-royalties-settled");
        resize(app, app.window->minimumWidth(), app.window->minimumHeight());
        shoot(app, "40-royalties-settled-minimum");
        resize(app, normal.width(), normal.height());
    }
};

int main(int argc, char *argv[])
{
    // Like the app: a QApplication (Qt Charts needs one), the Fusion style, a real window.
    QApplication app(argc, argv);
    TestGui test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_gui.moc"
