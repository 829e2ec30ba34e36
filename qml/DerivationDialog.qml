// SPDX-License-Identifier: GPL-3.0-or-later
// Recording that the open asset was derived from another: the parent, the licence the link uses,
// the kind and the date. The rules (licence, compatibility, cycles, royalty stack) are checked on signing.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Dialog {
    id: root

    property bool pending: false
    property string errorText: ""
    readonly property var asset: PortfolioController.asset

    title: qsTr("%1 was derived from…").arg(root.asset.reference ?? "")
    modal: true
    focus: true
    Overlay.modal: Rectangle { color: Theme.dimmer }
    width: 560
    closePolicy: Popup.CloseOnEscape

    function openForAsset(): void {
        root.pending = false
        root.errorText = ""
        parentField.text = ""
        licenceField.text = ""
        kindCombo.currentIndex = 0
        dateField.text = Qt.formatDate(new Date(), "yyyy-MM-dd")
        noteField.text = ""
        root.open()
        parentField.forceActiveFocus()
    }
    function submit(): void {
        if (PortfolioController.busy)
            return
        const parent = { asset: parentField.text.trim() }
        if (licenceField.text.trim().length > 0)
            parent.licence = licenceField.text.trim()
        const c = { command: "record-derivation", child: root.asset.id, parents: [parent],
                    kind: kindCombo.currentText, date: dateField.text.trim() }
        if (noteField.text.trim().length > 0)
            c.note = noteField.text.trim()
        root.pending = true
        root.errorText = ""
        PortfolioController.applyCommand(c, qsTr("Recorded %1 as derived from %2").arg(root.asset.reference).arg(parent.asset))
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

        Label { text: qsTr("Parent asset"); color: Theme.text }
        TextField {
            id: parentField
            objectName: "derivationParent"
            Layout.fillWidth: true
            placeholderText: qsTr("reference, e.g. MBG-DS001")
            font.family: Theme.monoFont
        }
        Label { text: qsTr("Licence"); color: Theme.text }
        TextField {
            id: licenceField
            objectName: "derivationLicence"
            Layout.fillWidth: true
            placeholderText: qsTr("licence reference; empty when both have the same owners")
            font.family: Theme.monoFont
        }
        Label { text: qsTr("Kind"); color: Theme.text }
        ComboBox {
            id: kindCombo
            objectName: "derivationKind"
            Layout.fillWidth: true
            model: ["training", "subset", "cleaning", "composite", "improvement", "remix", "recording", "translation", "adaptation"]
        }
        Label { text: qsTr("Date"); color: Theme.text }
        TextField {
            id: dateField
            Layout.preferredWidth: 160
            placeholderText: "YYYY-MM-DD"
            font.family: Theme.monoFont
        }
        Label { text: qsTr("Note"); color: Theme.text }
        TextField { id: noteField; Layout.fillWidth: true; placeholderText: qsTr("optional") }

        Label {
            objectName: "derivationError"
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
            Label {
                Layout.fillWidth: true
                text: qsTr("Signed into the ledger with your identity.")
                color: Theme.mutedText
                font.pixelSize: Theme.smallFont
            }
            Button { text: qsTr("Cancel"); onClicked: root.close() }
            Button {
                objectName: "derivationSubmit"
                text: qsTr("Record derivation")
                highlighted: true
                enabled: !PortfolioController.busy && parentField.text.length > 0 && dateField.text.length > 0
                onClicked: root.submit()
            }
        }
    }
}
