// SPDX-License-Identifier: GPL-3.0-or-later
// First run and unlock: create the organisation's signing identity, or unlock it with its passphrase.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Rectangle {
    id: root

    color: Theme.window
    readonly property bool creating: Session.state === Session.NoIdentity

    Pane {
        anchors.centerIn: parent
        width: 460
        padding: Theme.spacing * 3
        background: Rectangle {
            color: Theme.base
            border.color: Theme.border
            radius: 6
        }

        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: Theme.spacing

            Label {
                text: root.creating ? qsTr("Create your organisation's identity")
                                    : qsTr("Unlock %1").arg(Session.organisationName)
                font.pixelSize: 20
                font.bold: true
                color: Theme.text
                Layout.fillWidth: true
                wrapMode: Text.Wrap
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.mutedText
                text: root.creating
                      ? qsTr("Every fact you record is signed with this identity's Ed25519 key. The key is kept in %1, encrypted with your passphrase (Argon2id, XChaCha20-Poly1305). Nobody can recover a lost passphrase.").arg(Session.dataDir)
                      : qsTr("Identity %1. Enter the passphrase to open the ledger.").arg(Session.fingerprint)
            }
            Label {
                objectName: "demoHint"
                Layout.fillWidth: true
                visible: Session.demoPassphrase.length > 0 && !root.creating
                text: qsTr("This is the demo portfolio: its passphrase is “%1”.").arg(Session.demoPassphrase)
                color: Theme.accent
                wrapMode: Text.Wrap
            }

            Label { text: qsTr("Organisation name"); visible: root.creating; color: Theme.text }
            TextField {
                id: nameField
                objectName: "nameField"
                visible: root.creating
                Layout.fillWidth: true
                placeholderText: qsTr("e.g. Meridian Biotech GmbH")
                enabled: !Session.busy
                onAccepted: passphraseField.forceActiveFocus()
            }

            Label { text: qsTr("Passphrase"); color: Theme.text }
            TextField {
                id: passphraseField
                objectName: "passphraseField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: root.creating ? qsTr("at least %1 characters").arg(Session.minPassphraseLength) : ""
                enabled: !Session.busy
                onAccepted: root.creating ? confirmField.forceActiveFocus() : root.submit()
            }

            Label { text: qsTr("Repeat passphrase"); visible: root.creating; color: Theme.text }
            TextField {
                id: confirmField
                objectName: "confirmField"
                visible: root.creating
                Layout.fillWidth: true
                echoMode: TextInput.Password
                enabled: !Session.busy
                onAccepted: root.submit()
            }

            Label {
                objectName: "identityError"
                Layout.fillWidth: true
                visible: Session.errorString.length > 0
                text: "✗ " + Session.errorString
                color: Theme.danger
                wrapMode: Text.Wrap
            }

            ProgressBar {
                Layout.fillWidth: true
                visible: Session.busy && Session.progress > 0
                from: 0
                to: 1
                value: Session.progress
            }

            RowLayout {
                Layout.fillWidth: true
                BusyIndicator {
                    running: Session.busy
                    visible: Session.busy
                    implicitWidth: 28
                    implicitHeight: 28
                }
                Label {
                    visible: Session.busy
                    text: Session.progressText.length > 0 ? Session.progressText
                          : root.creating ? qsTr("Creating key and ledger…") : qsTr("Unlocking…")
                    color: Theme.mutedText
                    Layout.maximumWidth: 300
                    elide: Text.ElideRight
                }
                Item { Layout.fillWidth: true }
                // Rebuilding the read tables after an upgrade can take minutes: it can be
                // cancelled, and the ledger then stays locked and unchanged.
                Button {
                    objectName: "identityCancel"
                    visible: Session.busy && Session.progressText.length > 0
                    text: qsTr("Cancel")
                    onClicked: Session.cancel()
                }
                Button {
                    objectName: "identitySubmit"
                    text: root.creating ? qsTr("Create identity") : qsTr("Unlock")
                    highlighted: true
                    enabled: !Session.busy
                    onClicked: root.submit()
                }
            }
        }
    }

    // Keyboard first: the first field takes the keyboard whenever this page shows.
    function focusFirstField(): void {
        if (root.creating)
            nameField.forceActiveFocus()
        else
            passphraseField.forceActiveFocus()
    }
    onVisibleChanged: if (visible) root.focusFirstField()
    Component.onCompleted: if (visible) root.focusFirstField()

    function submit(): void {
        if (root.creating)
            Session.createIdentity(nameField.text, passphraseField.text, confirmField.text)
        else
            Session.unlock(passphraseField.text)
    }

    Connections {
        target: Session
        function onReady(): void {
            passphraseField.text = ""
            confirmField.text = ""
        }
    }
}
