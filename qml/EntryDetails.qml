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

    Label {
        id: fontProbe   // the style's default font
        visible: false
    }

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
                text: qsTr("Entry %1").arg(Number(root.entryIndex).toLocaleString(Qt.locale(), "f", 0))
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

                component Key: Label {
                    color: Theme.mutedText
                    Layout.alignment: Qt.AlignTop
                }
                component Value: TextEdit {
                    Layout.fillWidth: true
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.WrapAnywhere
                    color: Theme.text
                    font.family: Theme.monoFont
                    font.pixelSize: 12
                }

                Key { text: qsTr("Kind") }
                Value { text: root.details.kind ?? "" }
                Key { text: qsTr("Time") }
                Value { text: root.details.time ?? "" }
                Key { text: qsTr("Author") }
                Value { text: root.details.author ?? "" }
                Key { text: qsTr("Author key") }
                Value { text: root.details.authorKey ?? "" }
                Key { text: qsTr("Seq") }
                Value { text: root.details.seq !== undefined ? Number(root.details.seq).toLocaleString(Qt.locale(), "f", 0) : "" }
                Key { text: qsTr("Entry hash") }
                Value { objectName: "entryHash"; text: root.details.hash ?? "" }
                Key { text: qsTr("Previous") }
                Value { text: root.details.prev ?? "" }
                Key { text: qsTr("Checkpoint") }
                Value {
                    text: (root.details.checkpointSize ?? -1) > 0 ? qsTr("first signed in the checkpoint of size %1").arg(Number(root.details.checkpointSize).toLocaleString(Qt.locale(), "f", 0)) : qsTr("not yet in a signed checkpoint")
                    font.family: fontProbe.font.family
                }
                Key { text: qsTr("Received") }
                Value { text: root.details.received ?? "" }
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
