// SPDX-License-Identifier: GPL-3.0-or-later
// The left sidebar: one entry per working area of the application.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Rectangle {
    id: root

    property alias currentIndex: areas.currentIndex

    /** The current area was chosen again: it goes back to its first page (e.g. the asset list). */
    signal areaReselected(int index)

    color: Theme.sidebar

    function choose(index: int): void {
        if (areas.currentIndex === index)
            root.areaReselected(index)
        areas.currentIndex = index
    }

    ListModel {
        id: areaModel
        ListElement { key: "portfolio"; title: qsTr("Portfolio"); hint: qsTr("Every asset: search, filter, import, edit"); shortcut: "Ctrl+1" }
        ListElement { key: "deadlines"; title: qsTr("Deadlines"); hint: qsTr("Renewals and office deadlines, rights lost and overdue first"); shortcut: "Ctrl+2" }
        ListElement { key: "lineage"; title: qsTr("Lineage"); hint: qsTr("Derivation graphs, licences, royalty stacks"); shortcut: "Ctrl+3" }
        ListElement { key: "royalties"; title: qsTr("Royalties"); hint: qsTr("Usage, distribution runs, unmatched usage, statements"); shortcut: "Ctrl+4" }
        ListElement { key: "ledger"; title: qsTr("Ledger"); hint: qsTr("Signed entries, proofs, verification"); shortcut: "Ctrl+5" }
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
                required property string key
                required property string title
                required property string hint
                required property string shortcut
                // What the area holds, next to its name: assets, or deadlines that need action.
                readonly property int badge: area.key === "portfolio" ? PortfolioController.assets.totalCount
                                           : area.key === "deadlines" ? DeadlinesController.overdueCount
                                           : area.key === "royalties" ? RoyaltiesController.unmatchedGroups
                                           : area.key === "ledger" ? LedgerController.entryCount : 0
                readonly property bool alert: area.key === "deadlines" && area.badge > 0
                objectName: "sidebar_" + area.key
                width: ListView.view.width
                height: 40
                highlighted: ListView.isCurrentItem
                text: area.title
                font.bold: area.highlighted
                ToolTip.visible: hovered
                ToolTip.text: area.hint + " (" + area.shortcut + ")"
                              + (area.alert ? "\n" + qsTr("%1 overdue (in grace, overdue or rights lost)").arg(area.badge) : "")
                              + (area.key === "royalties" && area.badge > 0 ? "\n" + qsTr("%1 groups of unmatched usage in %2").arg(area.badge).arg(RoyaltiesController.period) : "")
                onClicked: root.choose(area.index)
                Shortcut {
                    sequence: area.shortcut
                    onActivated: root.choose(area.index)
                }
                Rectangle {
                    anchors.right: parent.right
                    anchors.rightMargin: Theme.spacing
                    anchors.verticalCenter: parent.verticalCenter
                    visible: area.badge > 0
                    implicitWidth: Math.max(20, badgeLabel.implicitWidth + Theme.spacing)
                    implicitHeight: 18
                    radius: 9
                    color: area.alert ? Theme.danger : "transparent"
                    border.color: area.alert ? Theme.danger : area.highlighted ? Theme.highlightedText : Theme.border
                    Label {
                        id: badgeLabel
                        anchors.centerIn: parent
                        text: (area.alert ? "! " : "") + Theme.number(area.badge)
                        color: area.alert ? "#ffffff" : area.highlighted ? Theme.highlightedText : Theme.mutedText
                        font.pixelSize: Theme.smallFont
                        font.bold: area.alert
                    }
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
