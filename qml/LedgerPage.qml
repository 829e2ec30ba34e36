// SPDX-License-Identifier: GPL-3.0-or-later
// The Ledger area: every signed entry (newest first), recording documents, verification with progress.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Cartulary.Model

Item {
    id: root

    property int selectedIndex: -1   // Merkle index of the selected entry, -1 for none

    // Narrow tables (detail pane open, small window) drop Author and Seq: the pane shows them.
    readonly property var columns: [
        { id: "entryIndex", title: qsTr("Index"), width: 72, align: Text.AlignRight },
        { id: "time", title: qsTr("Time (UTC)"), width: 150 },
        { id: "kind", title: qsTr("Kind"), width: 150 },
        { id: "summary", title: qsTr("Summary"), width: -1 },
        { id: "author", title: qsTr("Author"), width: 170, compactWidth: 0, mono: true },
        { id: "seq", title: qsTr("Seq"), width: 80, compactWidth: 0, align: Text.AlignRight },
        { id: "shortHash", title: qsTr("Hash"), width: 150, mono: true }
    ]

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Toolbar
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing * 2
            spacing: Theme.spacing

            PageHeading { text: qsTr("Ledger") }
            Label {
                text: qsTr("%1 signed entries").arg(Theme.number(LedgerController.entryCount))
                color: Theme.mutedText
                Layout.alignment: Qt.AlignBottom
            }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "recordButton"
                text: qsTr("Record document…")
                enabled: !LedgerController.busy
                onClicked: recordDialog.open()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Proof of existence: sign the SHA-256 of files (Ctrl+R)")
            }
            Button {
                objectName: "verifyButton"
                text: qsTr("Verify ledger")
                enabled: !LedgerController.busy
                onClicked: LedgerController.verify(false)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Re-check every signature, chain and Merkle root (Ctrl+Shift+V)")
            }
        }

        // Progress of long work, with cancel
        ProgressStrip {
            objectName: "progressBar"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            work: LedgerController
        }

        // Proven forks: shown until resolved, never dismissable.
        Repeater {
            model: LedgerController.forkWarnings
            Rectangle {
                required property string modelData
                objectName: "forkWarning"
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacing * 2
                Layout.rightMargin: Theme.spacing * 2
                Layout.bottomMargin: Theme.spacing
                implicitHeight: forkLabel.implicitHeight + Theme.spacing * 2
                color: Theme.dangerBackground
                border.color: Theme.danger
                radius: 4
                Label {
                    id: forkLabel
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    text: "⚠ " + parent.modelData
                    wrapMode: Text.Wrap
                    color: Theme.text
                }
            }
        }

        // Notice: the outcome of the last action
        NoticeBar {
            objectName: "noticeBar"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            work: LedgerController
            visible: text.length > 0 && !LedgerController.busy
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            DataTable {
                id: table
                Layout.fillWidth: true
                Layout.fillHeight: true
                listName: "ledgerTable"
                rowName: "ledgerRow"
                columns: root.columns
                model: LedgerController.entries
                onCurrentIndexChanged: root.selectedIndex = currentIndex >= 0 ? LedgerController.entries.indexForRow(currentIndex) : -1

                // Empty state: the real first screen of a new ledger.
                ColumnLayout {
                    anchors.centerIn: parent
                    visible: table.count === 0
                    spacing: Theme.spacing
                    Label {
                        Layout.alignment: Qt.AlignHCenter
                        text: qsTr("No entries yet")
                        font.pixelSize: 18
                        color: Theme.text
                    }
                    Label {
                        Layout.alignment: Qt.AlignHCenter
                        text: qsTr("Record a document to create the first signed entry: its SHA-256 is signed with your identity and logged; the file stays where it is.")
                        color: Theme.mutedText
                        wrapMode: Text.Wrap
                        Layout.maximumWidth: 460
                        horizontalAlignment: Text.AlignHCenter
                    }
                    Button {
                        Layout.alignment: Qt.AlignHCenter
                        text: qsTr("Record document…")
                        highlighted: true
                        onClicked: recordDialog.open()
                    }
                }
            }

            EntryDetails {
                objectName: "entryDetails"
                Layout.preferredWidth: Theme.detailWidth
                Layout.fillHeight: true
                visible: root.selectedIndex >= 0
                entryIndex: root.selectedIndex
            }
        }
    }

    Dialog {
        id: recordDialog
        objectName: "recordDialog"
        title: qsTr("Record document")
        anchors.centerIn: parent
        modal: true
        width: 560
        standardButtons: Dialog.Cancel
        onOpened: pathField.forceActiveFocus()

        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.mutedText
                text: qsTr("The file's SHA-256, name and size are signed into the ledger as proof that it existed now. The file itself is not copied.")
            }
            Label { text: qsTr("File"); color: Theme.text }
            RowLayout {
                Layout.fillWidth: true
                TextField {
                    id: pathField
                    objectName: "recordPathField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("/path/to/file")
                }
                Button {
                    text: qsTr("Browse…")
                    onClicked: fileDialog.open()
                }
            }
            Label { text: qsTr("Note (optional)"); color: Theme.text }
            TextField {
                id: noteField
                objectName: "recordNoteField"
                Layout.fillWidth: true
                placeholderText: qsTr("e.g. lab notebook, invention disclosure 2026-114")
                onAccepted: recordDialog.record()
            }
            Button {
                objectName: "recordSubmit"
                Layout.alignment: Qt.AlignRight
                text: qsTr("Record")
                highlighted: true
                enabled: pathField.text.length > 0
                onClicked: recordDialog.record()
            }
        }

        function record(): void {
            if (pathField.text.length === 0)
                return
            const paths = pathField.text.split("\n").filter(p => p.length > 0)
                                       .map(p => p.startsWith("file:") ? p : "file://" + p)
            LedgerController.recordDocuments(paths, noteField.text)
            pathField.text = ""
            noteField.text = ""
            recordDialog.close()
        }
    }

    FileDialog {
        id: fileDialog
        title: qsTr("Choose files to record")
        fileMode: FileDialog.OpenFiles
        onAccepted: {
            let paths = []
            for (let i = 0; i < selectedFiles.length; ++i)
                paths.push(decodeURIComponent(String(selectedFiles[i]).replace("file://", "")))
            pathField.text = paths.join("\n")
        }
    }

    onVisibleChanged: if (visible) table.forceFocus()

    Shortcut {
        sequence: "Ctrl+R"
        enabled: root.visible && !LedgerController.busy
        onActivated: recordDialog.open()
    }
    Shortcut {
        sequence: "Ctrl+Shift+V"
        enabled: root.visible && !LedgerController.busy
        onActivated: LedgerController.verify(false)
    }
    Shortcut {
        sequence: "Escape"
        enabled: root.visible && LedgerController.busy
        onActivated: LedgerController.cancel()
    }
}
