// SPDX-License-Identifier: GPL-3.0-or-later
// The open asset's documents (proof of existence): name, digest, when, and the entry that signed it.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Cartulary.Model

Panel {
    id: root

    /** An entry was clicked: show its proof. */
    signal proofRequested(int entryIndex)

    objectName: "documentsPanel"
    title: qsTr("Documents (%1)").arg(AssetController.documents.length)
    actions: Button {
        objectName: "recordAssetDocumentButton"
        text: qsTr("Record document…")
        enabled: !LedgerController.busy
        onClicked: documentFileDialog.open()
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Sign the SHA-256 of files as documents of this asset (the files are not copied)")
    }

    Label {
        Layout.fillWidth: true
        visible: AssetController.documents.length === 0
        text: qsTr("No documents recorded for this asset.")
        color: Theme.mutedText
        wrapMode: Text.Wrap
    }
    Repeater {
        model: AssetController.documents
        Rectangle {
            id: doc
            required property var modelData
            required property int index
            Layout.fillWidth: true
            implicitHeight: Theme.rowHeight
            color: doc.index % 2 ? Theme.alternateBase : Theme.base
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.smallSpacing
                anchors.rightMargin: Theme.smallSpacing
                spacing: Theme.spacing
                Cell {
                    Layout.fillWidth: true
                    text: doc.modelData.name
                    elide: Text.ElideMiddle
                }
                Cell {
                    text: String(doc.modelData.sha256).substring(0, 12) + "…"
                    mono: true
                    color: Theme.mutedText
                }
                Cell {
                    text: doc.modelData.recorded ?? ""
                    mono: true
                    font.pixelSize: Theme.smallFont
                    color: Theme.mutedText
                }
                Button {
                    flat: true
                    implicitHeight: 24
                    font.pixelSize: 12
                    text: qsTr("entry %1").arg(doc.modelData.entryIndex)
                    onClicked: root.proofRequested(doc.modelData.entryIndex)
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Open the signed ledger entry and its proof")
                }
            }
        }
    }

    FileDialog {
        id: documentFileDialog
        title: qsTr("Choose documents to record for this asset")
        fileMode: FileDialog.OpenFiles
        onAccepted: LedgerController.recordDocuments(documentFileDialog.selectedFiles, "", AssetController.assetId)
    }
}
