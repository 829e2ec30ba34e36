// SPDX-License-Identifier: GPL-3.0-or-later
// Importing a usage report (CSV or DDEX DSR: optional period and rights controllers) or CWR work
// registrations: the file and options, then progress with cancel, then the report of matched,
// unmatched and rejected lines. A refused file shows its message with the line; nothing is written.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Cartulary.Model

Dialog {
    id: root

    /** CWR works rather than usage. */
    property bool works: false
    property bool started: false
    property bool finished: false
    property var errors: ({})

    title: root.works ? qsTr("Import works (CWR)") : qsTr("Import usage")
    modal: true
    Overlay.modal: Rectangle { color: Theme.dimmer }
    width: 640
    height: Math.min(root.implicitHeight, (root.parent ? root.parent.height : 720) - Theme.spacing * 4)
    closePolicy: Popup.CloseOnEscape
    focus: true

    function openFor(works: bool): void {
        root.works = works
        root.started = false
        root.finished = false
        root.errors = ({})
        pathField.text = ""
        periodField.text = ""
        controllersField.text = ""
        root.open()
        pathField.forceActiveFocus()
    }
    function fileUrl(): string {
        const path = pathField.text.trim()
        return path.length === 0 || path.startsWith("file:") ? path : "file://" + path
    }
    function start(): void {
        if (RoyaltiesController.busy) {
            root.errors = { form: qsTr("other work is running; try again when it has finished") }
            return
        }
        if (pathField.text.trim().length === 0) {
            root.errors = { file: root.works ? qsTr("choose the CWR file to import") : qsTr("choose the usage report to import") }
            return
        }
        if (root.works) {
            root.errors = ({})
            root.started = true
            RoyaltiesController.importWorks(root.fileUrl())
            return
        }
        root.errors = RoyaltiesController.importUsage(root.fileUrl(), periodField.text, controllersField.text)
        root.started = Object.keys(root.errors).length === 0
    }

    Connections {
        target: RoyaltiesController
        enabled: root.started && !root.finished
        function onImportFinished(ok: bool): void {
            root.finished = true
        }
    }

    // Closing while it runs cancels: an import writes all of a file or none of it.
    onClosed: {
        if (RoyaltiesController.busy && root.started && !root.finished)
            RoyaltiesController.cancel()
        root.started = false
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.mutedText
            text: root.works
                  ? qsTr("CISAC CWR 2.1 or 2.2: each work is registered (or updated) with its ISWC, titles, writers and ownership shares per right, signed with the sender as their source. Another sender's claim on a registered work becomes a dispute, not an overwrite. A bad record is named by its line and nothing is imported.")
                  : qsTr("A usage CSV or a DDEX DSR flat file, detected from its first bytes. It is checked whole — a bad line is named and nothing is imported — kept under its SHA-256 and signed as one entry; its lines are matched to works, the rest kept apart as unmatched.")
        }

        // The file and options
        ColumnLayout {
            Layout.fillWidth: true
            visible: !root.started
            spacing: Theme.spacing
            LabeledField {
                label: qsTr("File")
                error: root.errors.file ?? ""
                RowLayout {
                    Layout.fillWidth: true
                    TextField {
                        id: pathField
                        objectName: "royaltyImportPath"
                        Layout.fillWidth: true
                        implicitHeight: 30
                        placeholderText: root.works ? qsTr("/path/to/CW260001PUB_000.V21") : qsTr("/path/to/usage.csv or DSR_….tsv")
                        selectByMouse: true
                        font.family: Theme.monoFont
                        onAccepted: root.start()
                    }
                    Button {
                        text: qsTr("Browse…")
                        onClicked: fileDialog.open()
                    }
                }
            }
            FormGrid {
                visible: !root.works
                DialogField {
                    id: periodField
                    label: qsTr("Period (optional)")
                    fieldName: "royaltyImportPeriod"
                    mono: true
                    error: root.errors.period ?? ""
                    hint: qsTr("For CSV lines without a period: 2026-Q3 or 2026-09. A DSR's comes from its HEAD.")
                    onAccepted: root.start()
                }
                DialogField {
                    id: controllersField
                    label: qsTr("Rights controllers (optional)")
                    fieldName: "royaltyImportControllers"
                    error: root.errors.rightsControllers ?? ""
                    hint: qsTr("Whose DSR allocations count, separated by ';'. By default those the HEAD represents.")
                    onAccepted: root.start()
                }
            }
            Label {
                objectName: "royaltyImportRefused"
                Layout.fillWidth: true
                visible: (root.errors.form ?? "").length > 0
                text: "✗ " + (root.errors.form ?? "")
                color: Theme.danger
                wrapMode: Text.Wrap
            }
        }

        // Running
        ColumnLayout {
            Layout.fillWidth: true
            visible: root.started && !root.finished
            spacing: Theme.smallSpacing
            Label {
                Layout.fillWidth: true
                text: RoyaltiesController.progressText.length > 0 ? RoyaltiesController.progressText : qsTr("Starting…")
                elide: Text.ElideRight
                color: Theme.text
            }
            ProgressBar {
                objectName: "royaltyImportProgress"
                Layout.fillWidth: true
                from: 0
                to: 1
                value: RoyaltiesController.progress
                indeterminate: RoyaltiesController.progress <= 0
            }
        }

        // Done: the report
        Label {
            visible: root.finished
            text: RoyaltiesController.importFailed ? qsTr("✗ Refused") : qsTr("✓ Report")
            color: RoyaltiesController.importFailed ? Theme.danger : Theme.success
            font.bold: true
        }
        ScrollView {
            id: reportScroll
            Layout.fillWidth: true
            Layout.preferredHeight: 200
            contentWidth: reportScroll.availableWidth
            visible: root.finished
            TextArea {
                objectName: "royaltyImportReport"
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.Wrap
                text: RoyaltiesController.importReport
                font.family: Theme.monoFont
                font.pixelSize: 12
                color: Theme.text
                background: Rectangle {
                    color: RoyaltiesController.importFailed ? Theme.dangerBackground : Theme.alternateBase
                    border.color: RoyaltiesController.importFailed ? Theme.danger : Theme.border
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Item { Layout.fillWidth: true }
            Button {
                objectName: "royaltyImportCancel"
                visible: !root.finished
                text: qsTr("Cancel")
                onClicked: root.started ? RoyaltiesController.cancel() : root.close()
            }
            Button {
                objectName: "royaltyImportStart"
                visible: !root.started
                text: qsTr("Import")
                highlighted: true
                onClicked: root.start()
            }
            Button {
                objectName: "royaltyImportClose"
                visible: root.finished
                text: qsTr("Close")
                highlighted: true
                onClicked: root.close()
            }
        }
    }

    FileDialog {
        id: fileDialog
        title: root.works ? qsTr("Import works from CWR") : qsTr("Import usage")
        nameFilters: root.works ? [qsTr("CWR files (*.V21 *.V22 *.v21 *.v22)"), qsTr("All files (*)")]
                                : [qsTr("Usage reports (*.csv *.tsv *.txt)"), qsTr("All files (*)")]
        fileMode: FileDialog.OpenFile
        onAccepted: pathField.text = decodeURIComponent(String(fileDialog.selectedFile).replace("file://", ""))
    }
}
