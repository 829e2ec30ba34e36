// SPDX-License-Identifier: GPL-3.0-or-later
// The frame of every dialog that signs: its fields, the error that stays inside the dialog, and the
// sign-and-cancel footer. Nothing is signed while a field is refused; the dialog closes once the
// entry is signed, and the page's notice says what was signed.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Dialog {
    id: root

    /** Handed to the writer: waiting for the entry or for the rules' refusal. */
    property bool pending: false
    /** field → message, from the action or the rules: each dialog marks its fields from it. */
    property var errors: ({})
    /** What the rules said, or which fields to correct. */
    property string errorText: ""
    property string submitText: qsTr("Sign")
    property bool submitEnabled: true
    property string hint: qsTr("Signed into the ledger with your identity.")
    /** objectNames of the error line and the submit button (tests find them). */
    property string errorName
    property string submitName
    /** The fields. */
    default property alias content: body.data
    /** The asset page's dialogs: AssetController signs and answers. Other areas' dialogs set it
     * false and answer through run() and errorText themselves. */
    property bool assetCommand: true

    /** The submit button was pressed: call the action and hand its answer to run(). */
    signal submitted()

    modal: true
    focus: true
    Overlay.modal: Rectangle { color: Theme.dimmer }
    width: 560
    // As tall as the fields, at most the window less a margin (then they scroll).
    height: Math.min(root.implicitHeight, (root.parent ? root.parent.height : 720) - Theme.spacing * 4)
    closePolicy: Popup.CloseOnEscape

    /** Clears what the last opening left: call before open(). */
    function reset(): void {
        root.pending = false
        root.errors = ({})
        root.errorText = ""
    }
    /** The message for a field, "" when it is not refused. */
    function errorFor(field: string): string {
        return root.errors[field] ?? ""
    }
    /** Takes an action's answer: the fields it refused (nothing was signed), or none (signing). */
    function run(refused: var): void {
        root.errors = refused
        const fields = Object.keys(refused).filter(f => f !== "form")
        if (Object.keys(refused).length === 0) {
            root.errorText = ""
            root.pending = true
        } else {
            root.errorText = refused.form ?? (fields.length === 1
                ? qsTr("Nothing was signed: correct the marked field.")
                : qsTr("Nothing was signed: correct the %1 marked fields.").arg(fields.length))
        }
    }

    Connections {
        target: AssetController
        enabled: root.pending && root.assetCommand
        function onCommandSigned(): void {
            root.pending = false
            root.close()
        }
        function onCommandRefused(message: string, errors: var): void {
            root.pending = false
            root.errors = errors
            root.errorText = qsTr("Nothing was signed: %1").arg(message)
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        ScrollView {
            id: scroller
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: body.implicitHeight
            contentWidth: availableWidth
            clip: true
            ColumnLayout {
                id: body
                width: scroller.availableWidth
                spacing: Theme.spacing
            }
        }

        Label {
            objectName: root.errorName
            Layout.fillWidth: true
            visible: root.errorText.length > 0
            text: "✗ " + root.errorText
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                text: root.hint
                color: Theme.mutedText
                font.pixelSize: Theme.smallFont
                wrapMode: Text.Wrap
            }
            BusyIndicator {
                running: root.pending
                visible: root.pending
                implicitWidth: 24
                implicitHeight: 24
            }
            Button {
                objectName: root.submitName.length > 0 ? root.submitName.replace("Submit", "Cancel") : ""
                text: qsTr("Cancel")
                onClicked: root.close()
            }
            Button {
                objectName: root.submitName
                text: root.submitText
                highlighted: true
                enabled: root.submitEnabled && !root.pending && !(root.assetCommand && AssetController.busy)
                onClicked: root.submitted()
            }
        }
    }
}
