// SPDX-License-Identifier: GPL-3.0-or-later
// Importing a CSV file: progress with cancel while it runs, then the importer's report.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Dialog {
    id: root

    property url file
    property bool started: false
    property bool finished: false

    title: qsTr("Import CSV")
    modal: true
    Overlay.modal: Rectangle { color: Theme.dimmer }
    width: 640
    closePolicy: Popup.CloseOnEscape
    focus: true

    /** Opens the dialog and starts importing the file. */
    function start(csv: url): void {
        root.file = csv
        root.finished = false
        root.started = !PortfolioController.busy
        root.open()
        if (root.started)
            PortfolioController.importCsv(csv)
    }

    readonly property string fileName: {
        const path = decodeURIComponent(String(root.file))
        return path.substring(path.lastIndexOf("/") + 1)
    }

    Connections {
        target: PortfolioController
        function onImportReportChanged(): void {
            if (root.started)
                root.finished = true
        }
    }

    // Closing while it runs cancels: the import writes all rows or none.
    onClosed: {
        if (PortfolioController.busy && root.started && !root.finished)
            PortfolioController.cancel()
        root.started = false
    }

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            text: root.fileName
            font.bold: true
            elide: Text.ElideMiddle
            color: Theme.text
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.mutedText
            text: qsTr("All rows or none: if any row is invalid nothing is written, and the report names the row and the field. Each new or changed asset becomes a signed ledger entry.")
        }

        Label {
            objectName: "importNotStarted"
            Layout.fillWidth: true
            visible: !root.started
            wrapMode: Text.Wrap
            color: Theme.danger
            text: qsTr("✗ Other work is running; try again when it has finished.")
        }

        // Running
        ColumnLayout {
            Layout.fillWidth: true
            visible: root.started && !root.finished
            spacing: Theme.smallSpacing
            Label {
                objectName: "importProgressText"
                Layout.fillWidth: true
                text: PortfolioController.progressText.length > 0 ? PortfolioController.progressText : qsTr("Starting…")
                elide: Text.ElideRight
                color: Theme.text
            }
            ProgressBar {
                objectName: "importProgress"
                Layout.fillWidth: true
                from: 0
                to: 1
                value: PortfolioController.progress
                indeterminate: PortfolioController.progress <= 0
            }
        }

        // Done: the report
        Label {
            visible: root.finished
            text: qsTr("Report")
            color: Theme.mutedText
        }
        ScrollView {
            id: reportScroll
            Layout.fillWidth: true
            Layout.preferredHeight: 220
            contentWidth: reportScroll.availableWidth   // wrap to the dialog, not the text
            visible: root.finished
            TextArea {
                objectName: "importReport"
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.Wrap
                text: PortfolioController.importReport
                font.family: Theme.monoFont
                font.pixelSize: 12
                color: Theme.text
                background: Rectangle {
                    color: Theme.alternateBase
                    border.color: Theme.border
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Item { Layout.fillWidth: true }
            Button {
                objectName: "importCancel"
                visible: root.started && !root.finished
                text: qsTr("Cancel")
                onClicked: PortfolioController.cancel()
            }
            Button {
                objectName: "importClose"
                visible: root.finished || !root.started
                text: qsTr("Close")
                highlighted: true
                onClicked: root.close()
            }
        }
    }

}
