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

    readonly property var columns: [
        { title: qsTr("Index"), width: 72, align: Text.AlignRight },
        { title: qsTr("Time (UTC)"), width: 150, align: Text.AlignLeft },
        { title: qsTr("Kind"), width: 150, align: Text.AlignLeft },
        { title: qsTr("Summary"), width: -1, align: Text.AlignLeft },
        { title: qsTr("Author"), width: 170, align: Text.AlignLeft },
        { title: qsTr("Seq"), width: 80, align: Text.AlignRight },
        { title: qsTr("Hash"), width: 150, align: Text.AlignLeft }
    ]

    // Narrow tables (detail pane open, small window) drop Author and Seq: the pane shows them.
    readonly property bool compact: tableArea.width < 1000
    readonly property var visibleColumns: root.compact ? [0, 1, 2, 3, 6] : [0, 1, 2, 3, 4, 5, 6]

    function columnWidth(i: int, total: real): real {
        const c = root.columns[i]
        if (c.width > 0)
            return c.width
        let fixed = 0
        for (const k of root.visibleColumns)
            if (root.columns[k].width > 0)
                fixed += root.columns[k].width
        return Math.max(120, total - fixed - Theme.spacing * 2)
    }

    Label {
        id: fontProbe   // the style's default font, for columns that are not monospaced
        visible: false
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Toolbar
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing * 2
            spacing: Theme.spacing

            Label {
                text: qsTr("Ledger")
                font.pixelSize: 20
                font.bold: true
                color: Theme.text
            }
            Label {
                text: qsTr("%1 signed entries").arg(Number(LedgerController.entryCount).toLocaleString(Qt.locale(), "f", 0))
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
        Rectangle {
            objectName: "progressBar"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            visible: LedgerController.busy
            implicitHeight: 40
            color: Theme.base
            border.color: Theme.border
            radius: 4
            RowLayout {
                anchors.fill: parent
                anchors.margins: Theme.spacing
                Label {
                    text: LedgerController.progressText
                    color: Theme.text
                    Layout.preferredWidth: 300
                    elide: Text.ElideRight
                }
                ProgressBar {
                    Layout.fillWidth: true
                    from: 0
                    to: 1
                    value: LedgerController.progress
                }
                Button {
                    objectName: "cancelButton"
                    text: qsTr("Cancel")
                    onClicked: LedgerController.cancel()
                }
            }
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
        Rectangle {
            objectName: "noticeBar"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            visible: LedgerController.notice.length > 0 && !LedgerController.busy
            implicitHeight: noticeLabel.implicitHeight + Theme.spacing * 2
            color: LedgerController.verifyState === LedgerController.Failed ? Theme.dangerBackground : Theme.noticeBackground
            radius: 4
            RowLayout {
                anchors.fill: parent
                anchors.margins: Theme.spacing
                Label {
                    id: noticeLabel
                    objectName: "noticeLabel"
                    Layout.fillWidth: true
                    text: LedgerController.notice
                    wrapMode: Text.Wrap
                    color: Theme.text
                }
                ToolButton {
                    text: "✕"
                    onClicked: LedgerController.clearNotice()
                    Accessible.name: qsTr("Dismiss")
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            // The table
            Rectangle {
                id: tableArea
                Layout.fillWidth: true
                Layout.fillHeight: true
                color: Theme.base
                border.color: Theme.border

                ColumnLayout {
                    anchors.fill: parent
                    anchors.margins: 1
                    spacing: 0

                    Row {
                        id: headerRow
                        Layout.fillWidth: true
                        height: Theme.rowHeight
                        leftPadding: Theme.spacing
                        Repeater {
                            model: root.visibleColumns
                            Label {
                                required property int modelData
                                width: root.columnWidth(modelData, headerRow.width)
                                height: Theme.rowHeight
                                verticalAlignment: Text.AlignVCenter
                                horizontalAlignment: root.columns[modelData].align
                                rightPadding: Theme.spacing
                                text: root.columns[modelData].title
                                font.bold: true
                                color: Theme.mutedText
                            }
                        }
                    }
                    Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }

                    ListView {
                        id: table
                        objectName: "ledgerTable"
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        model: LedgerController.entries
                        boundsBehavior: Flickable.StopAtBounds
                        reuseItems: true
                        keyNavigationEnabled: true
                        currentIndex: -1
                        onCurrentIndexChanged: root.selectedIndex = currentIndex >= 0 ? LedgerController.entries.indexForRow(currentIndex) : -1
                        ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
                        // Keyboard: arrows come with keyNavigationEnabled; pages and ends here.
                        readonly property int pageRows: Math.max(1, Math.floor(height / Theme.rowHeight) - 1)
                        Keys.onPressed: (event) => {
                            if (table.count === 0)
                                return
                            let target = -1
                            if (event.key === Qt.Key_PageDown)
                                target = Math.min(table.count - 1, Math.max(0, table.currentIndex) + table.pageRows)
                            else if (event.key === Qt.Key_PageUp)
                                target = Math.max(0, table.currentIndex - table.pageRows)
                            else if (event.key === Qt.Key_Home)
                                target = 0
                            else if (event.key === Qt.Key_End)
                                target = table.count - 1
                            if (target >= 0) {
                                table.currentIndex = target
                                table.positionViewAtIndex(target, ListView.Contain)
                                event.accepted = true
                            }
                        }

                        delegate: Rectangle {
                            id: row
                            required property int index
                            required property int entryIndex
                            required property string time
                            required property string kind
                            required property string summary
                            required property string author
                            required property int seq
                            required property string shortHash
                            readonly property var cells: [String(row.entryIndex), row.time, row.kind, row.summary, row.author, String(row.seq), row.shortHash]

                            width: ListView.view.width
                            height: Theme.rowHeight
                            color: ListView.isCurrentItem ? Theme.highlight : (index % 2 ? Theme.alternateBase : Theme.base)

                            Row {
                                anchors.fill: parent
                                leftPadding: Theme.spacing
                                Repeater {
                                    model: root.visibleColumns
                                    Label {
                                        required property int modelData
                                        width: root.columnWidth(modelData, headerRow.width)
                                        height: Theme.rowHeight
                                        verticalAlignment: Text.AlignVCenter
                                        horizontalAlignment: root.columns[modelData].align
                                        rightPadding: Theme.spacing
                                        elide: Text.ElideRight
                                        text: row.cells[modelData]
                                        color: Theme.text
                                        font.family: modelData === 6 || modelData === 4 ? Theme.monoFont : fontProbe.font.family
                                    }
                                }
                            }
                            MouseArea {
                                anchors.fill: parent
                                onClicked: {
                                    table.currentIndex = row.index
                                    table.forceActiveFocus()
                                }
                            }
                        }

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

    onVisibleChanged: if (visible) table.forceActiveFocus()

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
