// SPDX-License-Identifier: GPL-3.0-or-later
// A bordered card of the page with an optional title and actions on its first line.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root

    property string title
    /** What the panel holds, in a column under the title. */
    default property alias content: body.data
    /** Buttons at the end of the title line. */
    property alias actions: actionRow.data

    implicitHeight: column.implicitHeight + Theme.spacing * 2
    Layout.fillWidth: true
    Layout.preferredWidth: 10
    Layout.alignment: Qt.AlignTop
    color: Theme.base
    border.color: Theme.border
    radius: 4

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.spacing
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            visible: root.title.length > 0 || actionRow.children.length > 0
            Label {
                Layout.fillWidth: true
                text: root.title
                font.bold: true
                color: Theme.text
                bottomPadding: Theme.smallSpacing
            }
            Row {
                id: actionRow
                spacing: Theme.spacing
            }
        }
        ColumnLayout {
            id: body
            Layout.fillWidth: true
            spacing: 0
        }
    }
}
