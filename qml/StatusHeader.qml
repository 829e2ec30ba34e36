// SPDX-License-Identifier: GPL-3.0-or-later
// The header: organisation, identity fingerprint and the ledger's state (entries, checkpoint, verified).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

ToolBar {
    id: root

    signal errorLogRequested()

    readonly property int verifyState: LedgerController.verifyState

    background: Rectangle {
        color: Theme.base
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 1
            color: Theme.border
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing * 2
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing * 2

        Label {
            text: "Cartulary"
            font.bold: true
            font.pixelSize: 16
            color: Theme.accent
        }

        ColumnLayout {
            spacing: 0
            Label {
                objectName: "organisationLabel"
                text: Session.organisationName
                font.bold: true
                color: Theme.text
            }
            Label {
                text: qsTr("Identity %1").arg(Session.fingerprint)
                font.family: Theme.monoFont
                font.pixelSize: 11
                color: Theme.mutedText
            }
        }

        Item { Layout.fillWidth: true }

        Label {
            objectName: "ledgerStats"
            text: qsTr("%1 entries · checkpoint %2 · %3")
                  .arg(Theme.number(LedgerController.entryCount))
                  .arg(Theme.number(LedgerController.checkpointSize))
                  .arg(LedgerController.checkpointTime)
            color: Theme.mutedText
        }

        Rectangle {
            id: pill
            objectName: "verifyPill"
            implicitWidth: pillLabel.implicitWidth + Theme.spacing * 2
            implicitHeight: 26
            radius: 13
            color: root.verifyState === LedgerController.Failed ? Theme.dangerBackground : Theme.alternateBase
            border.color: root.verifyState === LedgerController.Verified ? Theme.success
                        : root.verifyState === LedgerController.Failed ? Theme.danger : Theme.border

            Label {
                id: pillLabel
                anchors.centerIn: parent
                text: {
                    switch (root.verifyState) {
                    case LedgerController.Verified: return qsTr("✓ Verified");
                    case LedgerController.Failed: return qsTr("✗ Problem found");
                    case LedgerController.Verifying: return qsTr("… Verifying");
                    case LedgerController.Cancelled: return qsTr("○ Verification cancelled");
                    default: return qsTr("○ Not verified");
                    }
                }
                color: root.verifyState === LedgerController.Verified ? Theme.success
                     : root.verifyState === LedgerController.Failed ? Theme.danger : Theme.text
                font.bold: true
            }
            ToolTip.visible: pillMouse.containsMouse && LedgerController.verifyMessage.length > 0
            ToolTip.text: LedgerController.verifyMessage
            MouseArea {
                id: pillMouse
                anchors.fill: parent
                hoverEnabled: true
            }
        }

        ToolButton {
            text: qsTr("Errors (%1)").arg(LedgerController.errorLog.length)
            visible: LedgerController.errorLog.length > 0
            onClicked: root.errorLogRequested()
        }
    }
}
