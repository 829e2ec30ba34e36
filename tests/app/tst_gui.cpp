// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop application in a real window: create an identity, record documents, verify, open a
// proof, and fail to unlock with a wrong passphrase; screenshots go to the build tree.
#include "model/ledgercontroller.h"
#include "model/session.h"

#include <QApplication>
#include <QDir>
#include <QFile>
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

} // namespace

/** One running app: the same wiring as main.cpp, on a given data directory. */
struct App
{
    explicit App(const QString &dataDir)
        : session(dataDir)
        , ledger(&session)
    {
        session.setKdfLimits(cartulary::ledger::KdfLimits::interactive());
        Session::setInstance(&session);
        LedgerController::setInstance(&ledger);
        engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Cartulary/Main.qml")));
        window = engine.rootObjects().isEmpty()
                     ? nullptr
                     : qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    }

    QQuickItem *item(const char *name) const
    {
        // From the window object, so that items inside popups (dialogs) are found too.
        return window ? window->findChild<QQuickItem *>(QLatin1String(name)) : nullptr;
    }

    Session session;
    LedgerController ledger;
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
        QTest::qWait(150); // let animations settle
        const QImage image = app.window->grabWindow();
        QVERIFY(!image.isNull());
        const QString path = m_shots + "/" + name + ".png";
        QVERIFY2(image.save(path), qPrintable(path));
    }

    /** Clicks an item in the middle, as a mouse would. */
    static void click(App &app, QQuickItem *item)
    {
        QVERIFY(item);
        QTRY_VERIFY(item->isVisible() && item->isEnabled());
        const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
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

    QString file(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(content);
        return path;
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
    }

    void cleanup() { QVERIFY2(g_qmlWarnings.isEmpty(), qPrintable(g_qmlWarnings.join('\n'))); }

    void createRecordVerifyProve()
    {
        App app(m_dir.filePath("org"));
        QVERIFY(app.window);
        QVERIFY(QTest::qWaitForWindowExposed(app.window));
        QCOMPARE(app.session.state(), Session::NoIdentity);

        // First run: create the identity.
        type(app, app.item("nameField"), QStringLiteral("Meridian Biotech GmbH"));
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
        QCOMPARE(app.item("organisationLabel")->property("text").toString(),
                 QStringLiteral("Meridian Biotech GmbH"));
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
        const QByteArray before = [&] {
            QFile f(m_dir.filePath("org/cartulary.db"));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        type(app, app.item("passphraseField"), QStringLiteral("not my passphrase"));
        click(app, app.item("identitySubmit"));
        QTRY_VERIFY_WITH_TIMEOUT(app.session.errorString().contains("wrong passphrase"), 20000);
        QCOMPARE(app.session.state(), Session::Locked);
        QVERIFY(app.item("identityError")->isVisible());
        shoot(app, "05-unlock-wrong-passphrase");
        QFile db(m_dir.filePath("org/cartulary.db"));
        QVERIFY(db.open(QIODevice::ReadOnly));
        QCOMPARE(db.readAll(), before);

        app.item("passphraseField")->setProperty("text", QString());
        type(app, app.item("passphraseField"), QString::fromLatin1(Passphrase));
        click(app, app.item("identitySubmit"));
        QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), Session::Unlocked, 20000);
        QTRY_COMPARE(app.ledger.entryCount(), 2);
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
};

int main(int argc, char *argv[])
{
    // Like the app: a QApplication (Qt Charts needs one), the Fusion style, a real window.
    QApplication app(argc, argv);
    TestGui test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_gui.moc"
