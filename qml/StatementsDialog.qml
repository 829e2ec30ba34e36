// SPDX-License-Identifier: GPL-3.0-or-later
// Writing the run's statements: each holder's CSV and PDF, and MANIFEST.sha256, into a folder.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Cartulary.Model

CommandDialog {
    id: root

    title: qsTr("Write statements")
    width: 560
    assetCommand: false
    submitText: qsTr("Write")
    hint: qsTr("Files only: nothing is signed. Approving the run signs the same statement set's SHA-256.")
    errorName: "statementsError"
    submitName: "statementsSubmit"

    function openFor(): void {
        root.reset()
        root.open()
        folderField.focusField()
    }

    onSubmitted: {
        const path = folderField.text.trim()
        if (path.length === 0) {
            root.run({ folder: qsTr("choose a folder") })
            return
        }
        root.run({})
        RoyaltiesController.writeStatements(path.startsWith("file:") ? path : "file://" + path)
    }

    Connections {
        target: RoyaltiesController
        enabled: root.pending
        function onStatementsWritten(ok: bool, folder: string): void {
            root.pending = false
            if (ok)
                root.close()
            else
                root.errorText = RoyaltiesController.notice
        }
    }

    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.mutedText
        text: qsTr("One CSV and one PDF per holder and currency, whose lines sum to the holder's total to the minor unit, and MANIFEST.sha256 (sha256sum -c checks the CSV files).")
    }
    LabeledField {
        label: qsTr("Folder")
        error: root.errorFor("folder")
        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: folderField
                objectName: "statementsFolder"
                Layout.fillWidth: true
                implicitHeight: 30
                placeholderText: qsTr("/path/to/statements")
                selectByMouse: true
                font.family: Theme.monoFont
                onAccepted: root.submitted()
                function focusField(): void {
                    folderField.forceActiveFocus()
                }
            }
            Button {
                text: qsTr("Browse…")
                onClicked: folderDialog.open()
            }
        }
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Write statements to")
        onAccepted: folderField.text = decodeURIComponent(String(folderDialog.selectedFolder).replace("file://", ""))
    }
}
