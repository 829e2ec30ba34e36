// SPDX-License-Identifier: GPL-3.0-or-later
// A value-chain phase as a small badge: the phase colour plus its name, never colour alone.
import QtQuick
import QtQuick.Controls

Rectangle {
    id: root

    property string phaseId
    property string text

    implicitWidth: badgeRow.implicitWidth + Theme.spacing * 1.5
    implicitHeight: 20
    radius: 10
    color: Theme.phaseTint(root.phaseId)
    border.color: Theme.phaseColor(root.phaseId)
    visible: root.phaseId.length > 0

    Row {
        id: badgeRow
        anchors.centerIn: parent
        spacing: Theme.smallSpacing
        Rectangle {
            anchors.verticalCenter: parent.verticalCenter
            width: 8
            height: 8
            radius: 4
            color: Theme.phaseColor(root.phaseId)
        }
        Label {
            anchors.verticalCenter: parent.verticalCenter
            text: root.text
            color: Theme.text
            font.pixelSize: Theme.smallFont
        }
    }
}
