// SPDX-License-Identifier: GPL-3.0-or-later
// The run under review: which run, whether it is approved or stale, each currency's totals
// (collected = distributed + held + unmatched + fees, exactly), what is held, metered fees; and
// approve and statements.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Rectangle {
    id: root

    readonly property var run: RoyaltiesController.run
    readonly property bool approved: (root.run.approvedAt ?? 0) > 0
    readonly property bool stale: root.run.stale ?? false

    signal approveRequested()
    signal statementsRequested()

    implicitHeight: column.implicitHeight + Theme.spacing * 2
    color: Theme.base
    border.color: root.stale ? Theme.warning : Theme.border
    radius: 4

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.spacing
        spacing: Theme.smallSpacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                text: qsTr("Run %1").arg(root.run.shortId ?? "")
                font.bold: true
                font.family: Theme.monoFont
                color: Theme.text
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("%1 · %2 · fee %3 · computed %4").arg(root.run.period ?? "").arg(root.run.rightTitle ?? "")
                          .arg(root.run.fee ?? "").arg(root.run.created ?? "")
                color: Theme.mutedText
                elide: Text.ElideRight
            }
            Label {
                objectName: "runStatus"
                text: (root.approved ? "✓ " : root.stale ? "⚠ " : "○ ") + (root.stale ? qsTr("Stale") : root.run.approvedText ?? "")
                color: root.approved ? Theme.success : root.stale ? Theme.warning : Theme.mutedText
                font.bold: true
            }
            Button {
                objectName: "statementsButton"
                text: qsTr("Statements…")
                enabled: !RoyaltiesController.busy
                onClicked: root.statementsRequested()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Each holder's statement as CSV and PDF, and MANIFEST.sha256, written to a folder")
            }
            Button {
                objectName: "approveButton"
                text: qsTr("Approve && sign…")
                highlighted: !root.approved && !root.stale
                enabled: !RoyaltiesController.busy && !root.approved
                onClicked: root.approveRequested()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Sign the run's totals and its statement set's SHA-256: an approved run never changes")
            }
        }

        // collected = distributed + held + unmatched + fees, per currency; wraps in a narrow window.
        Repeater {
            model: root.run.currencies ?? []
            delegate: Flow {
                id: totals
                required property var modelData
                Layout.fillWidth: true
                spacing: Theme.spacing
                Label {
                    width: 40
                    text: totals.modelData.currency
                    font.bold: true
                    color: Theme.text
                }
                Repeater {
                    model: [
                        { key: "collected", title: qsTr("collected"), sign: "" },
                        { key: "distributed", title: qsTr("distributed"), sign: "=" },
                        { key: "held", title: qsTr("held"), sign: "+" },
                        { key: "unmatched", title: qsTr("unmatched"), sign: "+" },
                        { key: "fees", title: qsTr("fees"), sign: "+" }
                    ]
                    delegate: Row {
                        id: part
                        required property var modelData
                        spacing: Theme.smallSpacing
                        Label {
                            visible: part.modelData.sign.length > 0
                            text: part.modelData.sign
                            color: Theme.mutedText
                        }
                        Label {
                            id: amountLabel
                            objectName: "total_" + totals.modelData.currency + "_" + part.modelData.key
                            text: totals.modelData[part.modelData.key]
                            color: part.modelData.key === "held" && totals.modelData.hasHeld ? Theme.warning : Theme.text
                            font.bold: part.modelData.key === "collected" || part.modelData.key === "distributed"
                        }
                        Label {
                            anchors.baseline: amountLabel.baseline
                            text: part.modelData.title
                            color: Theme.mutedText
                            font.pixelSize: Theme.smallFont
                        }
                    }
                }
                Label {
                    text: totals.modelData.balanced ? "✓" : "✗"
                    color: totals.modelData.balanced ? Theme.success : Theme.danger
                    ToolTip.visible: balancedHover.hovered
                    ToolTip.text: qsTr("Collected equals the parts to the minor unit")
                    HoverHandler {
                        id: balancedHover
                    }
                }
            }
        }

        Label {
            objectName: "staleText"
            Layout.fillWidth: true
            visible: root.stale
            text: "⚠ " + (root.run.staleText ?? "")
            color: Theme.warning
            wrapMode: Text.Wrap
        }
        Label {
            Layout.fillWidth: true
            visible: (root.run.corrects ?? 0) > 0 && !root.approved
            text: qsTr("This period was approved at ledger entry %1: approving this run signs a correction that names it.").arg(root.run.corrects ?? 0)
            color: Theme.mutedText
            wrapMode: Text.Wrap
        }
        Repeater {
            model: root.run.held ?? []
            Label {
                required property var modelData
                Layout.fillWidth: true
                text: qsTr("Held %1: %2").arg(modelData.amount).arg(modelData.why)
                color: Theme.warning
                font.pixelSize: 12
                elide: Text.ElideRight
            }
        }
        Repeater {
            model: root.run.metered ?? []
            Label {
                required property string modelData
                Layout.fillWidth: true
                text: qsTr("Metered: %1").arg(modelData)
                color: Theme.mutedText
                font.pixelSize: 12
                elide: Text.ElideRight
            }
        }
    }
}
