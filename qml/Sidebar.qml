// SPDX-License-Identifier: GPL-3.0-or-later
// The left sidebar: one entry per working area of the application.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root

    property alias currentIndex: areas.currentIndex

    color: Theme.sidebar

    ListModel {
        id: areaModel
        ListElement { title: qsTr("Ledger"); hint: qsTr("Signed entries, proofs, verification"); shortcut: "Ctrl+1" }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.topMargin: Theme.spacing
        spacing: Theme.smallSpacing

        ListView {
            id: areas
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: areaModel
            currentIndex: 0
            interactive: false
            delegate: ItemDelegate {
                id: area
                required property int index
                required property string title
                required property string hint
                required property string shortcut
                width: ListView.view.width
                height: 40
                highlighted: ListView.isCurrentItem
                text: area.title
                font.bold: area.highlighted
                ToolTip.visible: hovered
                ToolTip.text: area.hint + " (" + area.shortcut + ")"
                onClicked: areas.currentIndex = area.index
                Shortcut {
                    sequence: area.shortcut
                    onActivated: areas.currentIndex = area.index
                }
            }
        }

        Label {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            text: qsTr("Ctrl+Shift+D: dark / light")
            color: Theme.mutedText
            font.pixelSize: 11
            wrapMode: Text.Wrap
        }
    }

    Rectangle {
        anchors.right: parent.right
        width: 1
        height: parent.height
        color: Theme.border
    }
}
