// SPDX-License-Identifier: GPL-3.0-or-later
// Settling a work's disputes: the work, its open disputes and what they hold, its sources with their
// shares per right, whose shares stand and why. Signed by the key that controls the work; a refusal
// stays in the dialog in the model's words, and nothing is signed then.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    /** RoyaltiesController.disputedWork: work, title, disputes, held, sources. */
    property var work: ({})
    /** The sources ticked, in the order the work lists them. */
    property var keep: []

    title: qsTr("Settle the disputes over %1").arg(root.work.work ?? "")
    width: 660
    assetCommand: false
    submitText: qsTr("Settle && sign")
    hint: qsTr("Signed into the ledger with your identity. Runs computed before become stale: run the period again, then approve.")
    errorName: "settleError"
    submitName: "settleSubmit"

    function openFor(assetId: string): void {
        root.reset()
        root.work = RoyaltiesController.disputedWork(assetId)
        root.keep = []
        reasonField.text = ""
        root.open()
    }
    function setKept(source: string, kept: bool): void {
        root.keep = (root.work.sources ?? []).map(s => s.source)
            .filter(name => name === source ? kept : root.keep.includes(name))
    }

    onSubmitted: root.run(RoyaltiesController.settle(root.work.assetId ?? "", root.keep, reasonField.text))

    Connections {
        target: RoyaltiesController
        enabled: root.pending
        function onSettleFinished(ok: bool, message: string, errors: var): void {
            root.pending = false
            if (ok) {
                root.close()
                return
            }
            root.errors = errors
            root.errorText = qsTr("Nothing was signed: %1").arg(message)
        }
    }

    // The work and its disputes
    Rectangle {
        Layout.fillWidth: true
        implicitHeight: workColumn.implicitHeight + Theme.spacing * 2
        color: Theme.alternateBase
        radius: 4
        ColumnLayout {
            id: workColumn
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: Theme.spacing
            spacing: 2
            Label {
                objectName: "settleWork"
                Layout.fillWidth: true
                text: (root.work.title ?? "").length > 0 ? qsTr("%1 — %2").arg(root.work.work ?? "").arg(root.work.title)
                                                         : (root.work.work ?? "")
                font.bold: true
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Repeater {
                model: root.work.disputes ?? []
                Label {
                    required property string modelData
                    objectName: "settleDispute"
                    Layout.fillWidth: true
                    text: "• " + modelData
                    color: Theme.text
                    wrapMode: Text.Wrap
                }
            }
            Label {
                Layout.fillWidth: true
                visible: (root.work.held ?? "").length > 0
                text: qsTr("Held in the run shown: %1").arg(root.work.held ?? "")
                color: Theme.warning
                wrapMode: Text.Wrap
            }
        }
    }

    // Whose shares stand
    LabeledField {
        label: qsTr("Whose shares stand")
        error: root.errorFor("keep")
        hint: qsTr("The shares of the sources ticked stand; every other source's are withdrawn (the ledger keeps them). The shares kept may total at most 100 % per right.")
        Repeater {
            model: root.work.sources ?? []
            ColumnLayout {
                id: source
                required property var modelData
                Layout.fillWidth: true
                Layout.bottomMargin: Theme.smallSpacing
                spacing: 0
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    CheckBox {
                        objectName: "settleSource"
                        Layout.fillWidth: true
                        text: source.modelData.source
                        checked: root.keep.includes(source.modelData.source)
                        onToggled: root.setKept(source.modelData.source, checked)
                    }
                    Label {
                        text: qsTr("registered at entry %1").arg(source.modelData.entry)
                        color: Theme.mutedText
                        font.pixelSize: Theme.smallFont
                    }
                }
                Repeater {
                    model: source.modelData.shares
                    Label {
                        required property string modelData
                        objectName: "settleShares"
                        Layout.fillWidth: true
                        leftPadding: 28 // under the check box's text
                        text: modelData
                        color: Theme.mutedText
                        wrapMode: Text.Wrap
                    }
                }
            }
        }
    }

    LabeledField {
        label: qsTr("Reason (required)")
        error: root.errorFor("reason")
        hint: qsTr("Kept in the signed entry and shown with the settlement.")
        messageName: "settleReasonMessage"
        TextField {
            id: reasonField
            objectName: "settleReason"
            Layout.fillWidth: true
            implicitHeight: 30
            placeholderText: qsTr("Why these shares stand: an agreement, a court order…")
            selectByMouse: true
        }
    }
}
