// SPDX-License-Identifier: GPL-3.0-or-later
// Matching unmatched usage by hand: the line, whether to match it alone or every line with its
// title and creator, and the work, found by reference or title. Signed; the next run uses it.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    property int row: -1
    property var line: ({})
    property string assetId
    property string assetText
    readonly property PortfolioModel works: RoyaltiesController.workSearch

    title: qsTr("Match by hand")
    width: 620
    assetCommand: false
    submitText: qsTr("Sign match")
    submitEnabled: root.assetId.length > 0
    hint: qsTr("Signed into the ledger with your identity; later imports and runs use it.")
    errorName: "matchError"
    submitName: "matchSubmit"

    function openFor(row: int): void {
        root.reset()
        root.row = row
        root.line = RoyaltiesController.unmatched.get(row)
        root.assetId = ""
        root.assetText = ""
        scopeLine.checked = true
        searchField.text = ""
        root.works.searchText = ""
        root.works.reload() // assets registered since the last match can be chosen
        root.open()
        searchField.forceActiveFocus()
    }
    function choose(index: int): void {
        const id = root.works.assetIdAt(index)
        if (id.length === 0)
            return
        results.currentIndex = index
        root.assetId = id
        const item = results.itemAtIndex(index) as ItemDelegate
        root.assetText = item ? item.text : id
    }

    onSubmitted: root.run(RoyaltiesController.matchUnmatched(root.row, root.assetId, scopeTitle.checked))

    Connections {
        target: RoyaltiesController
        enabled: root.pending
        function onMatchFinished(ok: bool, message: string): void {
            root.pending = false
            if (ok)
                root.close()
            else
                root.errorText = qsTr("Nothing was signed: %1").arg(message)
        }
    }

    // The line
    Rectangle {
        Layout.fillWidth: true
        implicitHeight: lineColumn.implicitHeight + Theme.spacing * 2
        color: Theme.alternateBase
        radius: 4
        ColumnLayout {
            id: lineColumn
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: Theme.spacing
            spacing: 2
            Label {
                objectName: "matchLine"
                Layout.fillWidth: true
                text: qsTr("“%1” by %2").arg(root.line.title ?? "").arg((root.line.creator ?? "").length > 0 ? root.line.creator : qsTr("no creator"))
                font.bold: true
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Line %1 of report %2: %3, %4 units; lines with this identification: %5")
                          .arg(root.line.line ?? "").arg(root.line.importShort ?? "").arg(root.line.amount ?? "")
                          .arg(root.line.units ?? "").arg(root.line.lines ?? "")
                color: Theme.mutedText
                wrapMode: Text.Wrap
            }
            Label {
                Layout.fillWidth: true
                visible: (root.line.identifiers ?? "").length > 0
                text: root.line.identifiers ?? ""
                font.family: Theme.monoFont
                font.pixelSize: 12
                color: Theme.mutedText
            }
        }
    }

    // What to match
    ColumnLayout {
        Layout.fillWidth: true
        spacing: 0
        Label {
            text: qsTr("Match")
            font.pixelSize: 12
            color: root.errorFor("scope").length > 0 ? Theme.danger : Theme.text
        }
        RadioButton {
            id: scopeLine
            objectName: "matchScopeLine"
            checked: true
            text: qsTr("these lines only: this identification in this report")
        }
        RadioButton {
            id: scopeTitle
            objectName: "matchScopeTitle"
            enabled: root.line.byTitle ?? false
            text: qsTr("every line titled “%1” by %2, in any report").arg(root.line.title ?? "")
                      .arg((root.line.creator ?? "").length > 0 ? root.line.creator : qsTr("anyone"))
        }
    }

    // The work
    LabeledField {
        label: qsTr("Work")
        error: root.errorFor("work")
        hint: root.assetId.length > 0 ? qsTr("Matched to: %1").arg(root.assetText) : qsTr("Search by reference or title, then choose the work")
        TextField {
            id: searchField
            objectName: "matchSearch"
            Layout.fillWidth: true
            implicitHeight: 30
            placeholderText: qsTr("Reference or title…")
            selectByMouse: true
            onTextEdited: searchDelay.restart()
            Keys.onDownPressed: results.forceActiveFocus()
            Timer {
                id: searchDelay
                interval: 200
                onTriggered: root.works.searchText = searchField.text
            }
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.topMargin: Theme.smallSpacing
            implicitHeight: 6 * Theme.rowHeight + 2
            color: Theme.base
            border.color: Theme.border
            ListView {
                id: results
                objectName: "matchResults"
                anchors.fill: parent
                anchors.margins: 1
                clip: true
                model: root.works
                currentIndex: -1
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {}
                delegate: ItemDelegate {
                    id: result
                    required property int index
                    required property string reference
                    required property string title
                    required property string typeTitle
                    objectName: "matchResult"
                    width: ListView.view.width
                    height: Theme.rowHeight
                    highlighted: ListView.isCurrentItem
                    text: result.reference + " — " + result.title
                    contentItem: RowLayout {
                        spacing: Theme.spacing
                        Label {
                            Layout.preferredWidth: 150
                            text: result.reference
                            font.family: Theme.monoFont
                            font.pixelSize: 12
                            elide: Text.ElideRight
                            color: result.highlighted ? Theme.highlightedText : Theme.text
                        }
                        Label {
                            Layout.fillWidth: true
                            text: result.title
                            elide: Text.ElideRight
                            color: result.highlighted ? Theme.highlightedText : Theme.text
                        }
                        Label {
                            text: result.typeTitle
                            color: result.highlighted ? Theme.highlightedText : Theme.mutedText
                            font.pixelSize: Theme.smallFont
                        }
                    }
                    onClicked: root.choose(result.index)
                }
                Keys.onReturnPressed: root.choose(results.currentIndex)
                Label {
                    anchors.centerIn: parent
                    visible: results.count === 0 && !root.works.loading
                    text: qsTr("No asset matches “%1”").arg(searchField.text)
                    color: Theme.mutedText
                }
            }
        }
    }
}
