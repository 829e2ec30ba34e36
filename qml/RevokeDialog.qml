// SPDX-License-Identifier: GPL-3.0-or-later
// Revoking a licence for one of the conditions its terms name; signed by the licensor's key.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Dialog {
    id: root

    property string licenceReference
    property var reasons: []
    property bool pending: false
    property string errorText: ""

    title: qsTr("Revoke licence %1").arg(root.licenceReference)
    modal: true
    focus: true
    Overlay.modal: Rectangle { color: Theme.dimmer }
    width: 520
    closePolicy: Popup.CloseOnEscape

    function openFor(reference: string, revocableOn: var): void {
        root.licenceReference = reference
        root.reasons = revocableOn
        root.pending = false
        root.errorText = ""
        reasonCombo.currentIndex = 0
        dateField.text = Qt.formatDate(new Date(), "yyyy-MM-dd")
        noteField.text = ""
        root.open()
    }
    function submit(): void {
        if (PortfolioController.busy || reasonCombo.currentIndex < 0)
            return
        const c = { command: "revoke-licence", licence: root.licenceReference,
                    reason: reasonCombo.currentText, date: dateField.text.trim() }
        if (noteField.text.trim().length > 0)
            c.note = noteField.text.trim()
        root.pending = true
        root.errorText = ""
        PortfolioController.applyCommand(c, qsTr("Revoked licence %1").arg(root.licenceReference))
    }

    Connections {
        target: PortfolioController
        function onAssetSaved(): void {
            if (root.pending) {
                root.pending = false
                root.close()
            }
        }
        function onAssetErrorChanged(): void {
            if (root.pending && PortfolioController.assetError.length > 0) {
                root.pending = false
                root.errorText = PortfolioController.assetError
            }
        }
    }

    GridLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        columns: 2
        columnSpacing: Theme.spacing
        rowSpacing: Theme.spacing

        Label { text: qsTr("Reason"); color: Theme.text }
        ComboBox {
            id: reasonCombo
            objectName: "revokeReason"
            Layout.fillWidth: true
            model: root.reasons
        }
        Label { text: qsTr("Date"); color: Theme.text }
        TextField {
            id: dateField
            objectName: "revokeDate"
            Layout.preferredWidth: 160
            font.family: Theme.monoFont
            placeholderText: "YYYY-MM-DD"
        }
        Label { text: qsTr("Note"); color: Theme.text }
        TextField { id: noteField; Layout.fillWidth: true; placeholderText: qsTr("e.g. the breach and its notice") }
        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.mutedText
            text: qsTr("From this date the licence cannot be used for new derivations, its royalty share leaves every stack, and every asset derived under it is flagged.")
        }
        Label {
            objectName: "revokeError"
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: root.errorText.length > 0
            text: "✗ " + root.errorText
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            Item { Layout.fillWidth: true }
            Button { text: qsTr("Cancel"); onClicked: root.close() }
            Button {
                objectName: "revokeSubmit"
                text: qsTr("Revoke")
                highlighted: true
                enabled: !PortfolioController.busy && dateField.text.length > 0
                onClicked: root.submit()
            }
        }
    }
}
