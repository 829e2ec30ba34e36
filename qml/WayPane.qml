// SPDX-License-Identifier: GPL-3.0-or-later
// The detail pane of a review: amounts, each with its way step by step (usage → work → licence and
// rate → owner share → fee → held or paid), exact and as paid; the totals on top.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root

    property string title
    property string subtitle
    /** {currency, amount, exact}: what the amounts add up to, as paid and exact. */
    property var totals: []
    property string error
    property bool loading: false
    /** The amounts: a model with the roles steps, exact, amount (optional) and headRole. */
    property var model
    /** The role each amount is headed by (its work, or its holder). */
    property string headRole
    /** Heads are links (a holder opens their explanation). */
    property bool headClickable: false
    property alias listName: list.objectName

    signal headClicked(string head)
    signal closeRequested()

    color: Theme.base
    border.color: Theme.border

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing * 2
        spacing: Theme.smallSpacing

        RowLayout {
            Layout.fillWidth: true
            Label {
                objectName: root.objectName + "Title"
                Layout.fillWidth: true
                text: root.title
                font.pixelSize: 16
                font.bold: true
                color: Theme.text
                wrapMode: Text.Wrap
            }
            BusyIndicator {
                running: root.loading
                visible: root.loading
                implicitWidth: 22
                implicitHeight: 22
            }
            ToolButton {
                text: "✕"
                implicitWidth: 24
                implicitHeight: 24
                onClicked: root.closeRequested()
                Accessible.name: qsTr("Close")
            }
        }
        Label {
            Layout.fillWidth: true
            text: root.subtitle
            color: Theme.mutedText
            font.pixelSize: Theme.smallFont
            wrapMode: Text.Wrap
        }
        Label {
            objectName: root.objectName + "Error"
            Layout.fillWidth: true
            visible: root.error.length > 0
            text: "✗ " + root.error
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        Repeater {
            model: root.totals
            Rectangle {
                id: total
                required property var modelData
                Layout.fillWidth: true
                implicitHeight: totalRow.implicitHeight + Theme.spacing
                color: Theme.alternateBase
                radius: 4
                ColumnLayout {
                    id: totalRow
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacing
                    anchors.rightMargin: Theme.spacing
                    anchors.topMargin: Theme.smallSpacing
                    anchors.bottomMargin: Theme.smallSpacing
                    spacing: 0
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            text: qsTr("Total %1, as paid").arg(total.modelData.currency)
                            color: Theme.text
                            font.bold: true
                        }
                        Label {
                            objectName: "explanationTotal"
                            text: total.modelData.amount
                            color: Theme.text
                            font.bold: true
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        horizontalAlignment: Text.AlignRight
                        text: qsTr("exact %1").arg(total.modelData.exact)
                        color: Theme.mutedText
                        font.family: Theme.monoFont
                        font.pixelSize: 12
                        wrapMode: Text.WrapAnywhere
                    }
                }
            }
        }
        Label {
            Layout.fillWidth: true
            visible: root.totals.length > 0
            text: qsTr("Each total is rounded once (largest remainder); its lines below share the rounding, so they sum to it exactly.")
            color: Theme.mutedText
            font.pixelSize: Theme.smallFont
            wrapMode: Text.Wrap
        }

        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.topMargin: Theme.smallSpacing
            clip: true
            spacing: Theme.spacing
            model: root.model
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {
                policy: list.contentHeight > list.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded
            }
            delegate: Rectangle {
                id: way
                required property int index
                required property var model
                readonly property string head: String(way.model[root.headRole] ?? "")
                readonly property bool held: way.model.held ?? false
                objectName: "wayItem"
                width: ListView.view.width - 14
                implicitHeight: wayColumn.implicitHeight + Theme.spacing * 2
                color: Theme.base
                border.color: way.held ? Theme.warning : Theme.border
                radius: 4
                ColumnLayout {
                    id: wayColumn
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.top: parent.top
                    anchors.margins: Theme.spacing
                    spacing: 2
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            text: way.head
                            font.bold: true
                            font.underline: root.headClickable && !way.held && headMouse.containsMouse
                            color: root.headClickable && !way.held ? Theme.accent : way.held ? Theme.warning : Theme.text
                            wrapMode: Text.Wrap
                            MouseArea {
                                id: headMouse
                                anchors.fill: parent
                                enabled: root.headClickable && !way.held
                                hoverEnabled: true
                                cursorShape: enabled ? Qt.PointingHandCursor : Qt.ArrowCursor
                                onClicked: root.headClicked(way.head)
                            }
                        }
                        Label {
                            objectName: "wayAmount"
                            text: way.model.amount ?? way.model.exact
                            font.bold: true
                            color: Theme.text
                        }
                    }
                    Repeater {
                        model: way.model.steps
                        Label {
                            required property string modelData
                            Layout.fillWidth: true
                            text: "→ " + modelData
                            color: modelData.startsWith("held") ? Theme.warning : Theme.mutedText
                            font.pixelSize: 12
                            wrapMode: Text.Wrap
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("= %1 exact").arg(way.model.exact)
                        color: Theme.mutedText
                        font.family: Theme.monoFont
                        font.pixelSize: 12
                        wrapMode: Text.WrapAnywhere
                    }
                }
            }
        }
    }
}
