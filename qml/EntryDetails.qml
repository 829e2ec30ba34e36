// SPDX-License-Identifier: GPL-3.0-or-later
// The detail pane of one entry: its fields, signature status, body and, one click away, its Merkle proof.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Rectangle {
    id: root

    property int entryIndex: -1
    property var details: ({})
    property string proofText: ""
    property string proofMessage: ""
    property bool proofOk: false

    color: Theme.base
    border.color: Theme.border

    onEntryIndexChanged: {
        root.details = root.entryIndex >= 0 ? LedgerController.entryDetails(root.entryIndex) : ({})
        root.proofText = ""
        root.proofMessage = ""
    }

    Connections {
        target: LedgerController
        function onProofReady(index: int, ok: bool, text: string, message: string): void {
            if (index !== root.entryIndex)
                return
            root.proofOk = ok
            root.proofText = text
            root.proofMessage = message
        }
    }

    ScrollView {
        anchors.fill: parent
        anchors.margins: Theme.spacing * 2
        contentWidth: availableWidth
        clip: true

        ColumnLayout {
            width: parent.width
            spacing: Theme.smallSpacing

            Label {
                text: qsTr("Entry %1").arg(Theme.number(root.entryIndex))
                font.pixelSize: 18
                font.bold: true
                color: Theme.text
            }
            Label {
                objectName: "signatureStatus"
                text: root.details.signatureValid ? qsTr("✓ Signature valid (Ed25519)") : qsTr("✗ Signature does not verify")
                color: root.details.signatureValid ? Theme.success : Theme.danger
                font.bold: true
            }

            GridLayout {
                Layout.fillWidth: true
                columns: 2
                columnSpacing: Theme.spacing
                rowSpacing: Theme.smallSpacing

                Key { text: qsTr("Kind") }
                Value { mono: true; value: root.details.kind ?? "" }
                Key { text: qsTr("Time") }
                Value { mono: true; value: root.details.time ?? "" }
                Key { text: qsTr("Author") }
                Value { mono: true; value: root.details.author ?? "" }
                Key { text: qsTr("Author key") }
                Value { mono: true; value: root.details.authorKey ?? "" }
                Key { text: qsTr("Seq") }
                Value { mono: true; value: root.details.seq !== undefined ? Theme.number(root.details.seq) : "" }
                Key { text: qsTr("Entry hash") }
                Value { objectName: "entryHash"; mono: true; value: root.details.hash ?? "" }
                Key { text: qsTr("Previous") }
                Value { mono: true; value: root.details.prev ?? "" }
                Key { text: qsTr("Checkpoint") }
                Value {
                    value: (root.details.checkpointSize ?? -1) > 0 ? qsTr("first signed in the checkpoint of size %1").arg(Theme.number(root.details.checkpointSize)) : qsTr("not yet in a signed checkpoint")
                }
                Key { text: qsTr("Received") }
                Value { mono: true; value: root.details.received ?? "" }
            }

            Label { text: qsTr("Body"); color: Theme.mutedText; Layout.topMargin: Theme.spacing }
            TextArea {
                Layout.fillWidth: true
                readOnly: true
                text: root.details.body ?? ""
                font.family: Theme.monoFont
                font.pixelSize: 12
                wrapMode: TextEdit.WrapAnywhere
                color: Theme.text
            }

            Button {
                objectName: "proveButton"
                Layout.topMargin: Theme.spacing
                text: qsTr("Verify inclusion proof")
                onClicked: LedgerController.proveEntry(root.entryIndex)
            }
            Label {
                objectName: "proofMessage"
                Layout.fillWidth: true
                visible: root.proofMessage.length > 0
                text: (root.proofOk ? "✓ " : "✗ ") + root.proofMessage
                color: root.proofOk ? Theme.success : Theme.danger
                wrapMode: Text.Wrap
            }
            TextArea {
                Layout.fillWidth: true
                visible: root.proofText.length > 0
                readOnly: true
                text: root.proofText
                font.family: Theme.monoFont
                font.pixelSize: 11
                wrapMode: TextEdit.WrapAnywhere
                color: Theme.text
            }
        }
    }
}
