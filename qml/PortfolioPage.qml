// SPDX-License-Identifier: GPL-3.0-or-later
// The Portfolio area: every asset in a dense table, searched, filtered and sorted in SQL; import,
// export, new asset.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Cartulary.Model

Item {
    id: root

    signal assetRequested(string assetId)
    signal newAssetRequested()

    readonly property PortfolioModel assets: PortfolioController.assets
    readonly property bool filtered: root.assets.searchText.length > 0 || root.assets.typeFilter.length > 0
                                     || root.assets.phaseFilter.length > 0 || root.assets.statusFilter.length > 0
                                     || root.assets.jurisdictionFilter.length > 0 || root.assets.ownerFilter.length > 0

    // Column ids are the model's sort keys. width -1: the column takes the rest.
    readonly property var columns: [
        { id: "reference", title: qsTr("Reference"), width: 108 },
        { id: "title", title: qsTr("Title"), width: -1 },
        { id: "type", title: qsTr("Type"), width: 120 },
        { id: "jurisdictions", title: qsTr("Jurisdiction"), width: 88 },
        { id: "status", title: qsTr("Status"), width: 78 },
        { id: "filingDate", title: qsTr("Filing"), width: 84 },
        { id: "expiryDate", title: qsTr("Expiry"), width: 84 },
        { id: "owners", title: qsTr("Owners"), width: 130 },
        { id: "phase", title: qsTr("Phase"), width: 130 }
    ]
    // Widths the user dragged; the rest of the row goes to the fill column.
    property var userWidths: root.columns.map(c => c.width)
    // Narrow windows drop Filing and Owners (the asset page and the row tooltip show them); what
    // still does not fit scrolls sideways.
    readonly property bool compact: tableArea.width < 1000
    readonly property var compactWidths: ({ filingDate: 0, owners: 0, reference: 104, type: 100, status: 76 })
    readonly property real rowWidth: tableArea.width - 2 - Theme.spacing - 12   // 12: the scroll bar
    readonly property var cellWidths: {
        const widths = root.userWidths.map((w, i) => root.compact && w > 0 ? Math.min(w, root.compactWidths[root.columns[i].id] ?? w) : w)
        let fixed = 0
        for (const w of widths)
            fixed += Math.max(0, w)
        return widths.map(w => w >= 0 ? w : Math.max(root.compact ? 140 : 160, root.rowWidth - fixed))
    }
    readonly property real contentRowWidth: {
        let sum = Theme.spacing
        for (const w of root.cellWidths)
            sum += w
        return sum
    }

    function setColumnWidth(column: int, width: real): void {
        const widths = root.userWidths.slice()
        widths[column] = Math.round(Math.max(48, width))
        root.userWidths = widths
    }
    function resetColumnWidth(column: int): void {
        root.setColumnWidth(column, root.columns[column].width)
    }
    function number(n: int): string {
        return Number(n).toLocaleString(Qt.locale(), "f", 0)
    }
    function focusSearch(): void {
        searchField.forceActiveFocus()
        searchField.selectAll()
    }
    function clearFilters(): void {
        searchDelay.stop()
        root.assets.clearFilters()
    }
    // String lists as {id, title} options for the filter combos.
    function asOptions(list: var): var {
        const options = []
        for (const s of list)
            options.push({ id: s, title: s })
        return options
    }

    Label {
        id: fontProbe   // the style's default font, for columns that are not monospaced
        visible: false
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Title, count, search, actions
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.topMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            spacing: Theme.spacing

            Label {
                text: qsTr("Portfolio")
                font.pixelSize: 20
                font.bold: true
                color: Theme.text
            }
            Label {
                objectName: "portfolioCount"
                Layout.alignment: Qt.AlignBottom
                text: qsTr("%1 of %2 assets").arg(root.number(root.assets.count)).arg(root.number(root.assets.totalCount))
                color: Theme.mutedText
            }
            Item { Layout.fillWidth: true }
            TextField {
                id: searchField
                objectName: "portfolioSearch"
                Layout.fillWidth: true
                Layout.maximumWidth: 320
                Layout.minimumWidth: 140
                implicitHeight: 30
                placeholderText: qsTr("Search… (Ctrl+F)")
                ToolTip.visible: hovered && !activeFocus
                ToolTip.delay: 600
                ToolTip.text: qsTr("Every word must occur in the reference, title, owners, creators, identifiers or tags")
                text: root.assets.searchText
                selectByMouse: true
                onTextEdited: searchDelay.restart()
                onAccepted: {
                    searchDelay.stop()
                    root.assets.searchText = searchField.text
                    table.forceActiveFocus()
                }
                Keys.onEscapePressed: (event) => {
                    if (searchField.text.length === 0) {
                        event.accepted = false
                        return
                    }
                    searchField.clear()
                    searchDelay.restart()
                }
                Keys.onDownPressed: table.forceActiveFocus()
                // Typing settles before the query runs: one COUNT per pause, not per key.
                Timer {
                    id: searchDelay
                    interval: 200
                    onTriggered: root.assets.searchText = searchField.text
                }
            }
            Button {
                objectName: "newAssetButton"
                text: qsTr("New asset…")
                enabled: !PortfolioController.busy
                onClicked: root.newAssetRequested()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Register an asset by hand (Ctrl+N)")
            }
            Button {
                objectName: "importButton"
                text: qsTr("Import CSV…")
                enabled: !PortfolioController.busy
                onClicked: importFileDialog.open()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Register or update assets from a CSV file: all rows or none (Ctrl+I)")
            }
            Button {
                objectName: "exportButton"
                text: qsTr("Export CSV…")
                enabled: root.assets.totalCount > 0
                onClicked: exportFileDialog.open()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Write every asset to a CSV file that Import reads back")
            }
        }

        // Filters
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            spacing: Theme.spacing

            FilterCombo {
                objectName: "typeFilter"
                Layout.fillWidth: true
                Layout.maximumWidth: 150
                Layout.minimumWidth: 96
                allText: qsTr("All types")
                options: PortfolioController.typeOptions
                value: root.assets.typeFilter
                onPicked: (v) => root.assets.typeFilter = v
            }
            FilterCombo {
                objectName: "phaseFilter"
                Layout.fillWidth: true
                Layout.maximumWidth: 160
                Layout.minimumWidth: 96
                allText: qsTr("All phases")
                options: PortfolioController.phaseOptions
                value: root.assets.phaseFilter
                onPicked: (v) => root.assets.phaseFilter = v
            }
            FilterCombo {
                objectName: "statusFilter"
                Layout.fillWidth: true
                Layout.maximumWidth: 130
                Layout.minimumWidth: 96
                allText: qsTr("All statuses")
                options: root.asOptions(PortfolioController.statusOptions)
                value: root.assets.statusFilter
                onPicked: (v) => root.assets.statusFilter = v
            }
            FilterCombo {
                objectName: "jurisdictionFilter"
                Layout.fillWidth: true
                Layout.maximumWidth: 150
                Layout.minimumWidth: 96
                allText: qsTr("All jurisdictions")
                options: root.asOptions(PortfolioController.jurisdictionOptions)
                value: root.assets.jurisdictionFilter
                onPicked: (v) => root.assets.jurisdictionFilter = v
            }
            FilterCombo {
                objectName: "ownerFilter"
                Layout.fillWidth: true
                Layout.maximumWidth: 220
                Layout.minimumWidth: 96
                allText: qsTr("All owners")
                options: root.asOptions(PortfolioController.ownerOptions)
                value: root.assets.ownerFilter
                onPicked: (v) => root.assets.ownerFilter = v
            }
            Button {
                objectName: "clearFiltersButton"
                text: qsTr("Clear filters")
                flat: true
                enabled: root.filtered
                onClicked: root.clearFilters()
            }
            Item { Layout.fillWidth: true }
        }

        // Long work (demo, import): what is being done, with cancel.
        Rectangle {
            objectName: "portfolioProgress"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            visible: PortfolioController.busy && !importDialog.visible
            implicitHeight: 40
            color: Theme.base
            border.color: Theme.border
            radius: 4
            RowLayout {
                anchors.fill: parent
                anchors.margins: Theme.spacing
                Label {
                    text: PortfolioController.progressText
                    color: Theme.text
                    Layout.preferredWidth: 300
                    elide: Text.ElideRight
                }
                ProgressBar {
                    Layout.fillWidth: true
                    from: 0
                    to: 1
                    value: PortfolioController.progress
                    indeterminate: PortfolioController.progress <= 0
                }
                Button {
                    text: qsTr("Cancel")
                    onClicked: PortfolioController.cancel()
                }
            }
        }

        NoticeBar {
            objectName: "portfolioNotice"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            visible: text.length > 0 && !PortfolioController.busy
            text: PortfolioController.notice
            error: PortfolioController.noticeIsError
            onDismissed: PortfolioController.clearNotice()
        }

        // The table
        Rectangle {
            id: tableArea
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing * 2
            color: Theme.base
            border.color: Theme.border

            ColumnLayout {
                anchors.fill: parent
                anchors.margins: 1
                spacing: 0

                Item {
                    Layout.fillWidth: true
                    implicitHeight: Theme.rowHeight
                    clip: true
                    Row {
                        id: headerRow
                        x: -table.contentX
                        height: Theme.rowHeight
                        leftPadding: Theme.spacing
                        Repeater {
                            model: root.columns.length
                            Rectangle {
                                id: headerCell
                                required property int index
                                readonly property string columnId: root.columns[index].id
                                readonly property bool sorted: root.assets.sortColumn === headerCell.columnId
                                objectName: "header_" + headerCell.columnId
                                width: root.cellWidths[index]
                                visible: width > 0
                                height: Theme.rowHeight
                                color: headerMouse.containsMouse ? Theme.alternateBase : "transparent"
                                Label {
                                    anchors.fill: parent
                                    rightPadding: Theme.spacing
                                    verticalAlignment: Text.AlignVCenter
                                    elide: Text.ElideRight
                                    text: root.columns[headerCell.index].title
                                          + (headerCell.sorted ? (root.assets.sortAscending ? " ▲" : " ▼") : "")
                                    font.bold: true
                                    font.pixelSize: 12
                                    color: headerCell.sorted ? Theme.text : Theme.mutedText
                                }
                                MouseArea {
                                    id: headerMouse
                                    anchors.fill: parent
                                    hoverEnabled: true
                                    cursorShape: Qt.PointingHandCursor
                                    onClicked: root.assets.sortBy(headerCell.columnId)
                                    ToolTip.visible: containsMouse
                                    ToolTip.delay: 600
                                    ToolTip.text: qsTr("Sort by %1; again to reverse").arg(root.columns[headerCell.index].title)
                                }
                                // Drag the right edge to resize; double-click for the default width.
                                MouseArea {
                                    visible: root.columns[headerCell.index].width > 0
                                    anchors.right: parent.right
                                    anchors.rightMargin: 2
                                    width: 8
                                    height: parent.height
                                    cursorShape: Qt.SplitHCursor
                                    property real pressX: 0
                                    property real startWidth: 0
                                    onPressed: (mouse) => {
                                        pressX = mapToItem(null, mouse.x, 0).x
                                        startWidth = root.cellWidths[headerCell.index]
                                    }
                                    onPositionChanged: (mouse) => {
                                        if (pressed)
                                            root.setColumnWidth(headerCell.index, startWidth + mapToItem(null, mouse.x, 0).x - pressX)
                                    }
                                    onDoubleClicked: root.resetColumnWidth(headerCell.index)
                                    Rectangle {
                                        anchors.horizontalCenter: parent.horizontalCenter
                                        anchors.verticalCenter: parent.verticalCenter
                                        width: 1
                                        height: parent.height - 12
                                        color: Theme.border
                                    }
                                }
                            }
                        }
                    }
                }
                Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }

                ListView {
                    id: table
                    objectName: "portfolioTable"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: root.assets
                    boundsBehavior: Flickable.StopAtBounds
                    reuseItems: true
                    keyNavigationEnabled: true
                    currentIndex: -1
                    activeFocusOnTab: true
                    // Always shown when there is more: in a long table the bar says where one is.
                    ScrollBar.vertical: ScrollBar {
                        policy: table.count * Theme.rowHeight > table.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded
                    }
                    ScrollBar.horizontal: ScrollBar {
                        policy: root.contentRowWidth > table.width ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded
                    }
                    contentWidth: root.contentRowWidth
                    flickableDirection: Flickable.AutoFlickIfNeeded
                    readonly property int pageRows: Math.max(1, Math.floor(height / Theme.rowHeight) - 1)
                    Keys.onPressed: (event) => {
                        if (table.count === 0)
                            return
                        let target = -1
                        if (event.key === Qt.Key_PageDown)
                            target = Math.min(table.count - 1, Math.max(0, table.currentIndex) + table.pageRows)
                        else if (event.key === Qt.Key_PageUp)
                            target = Math.max(0, table.currentIndex - table.pageRows)
                        else if (event.key === Qt.Key_Home)
                            target = 0
                        else if (event.key === Qt.Key_End)
                            target = table.count - 1
                        else if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && table.currentIndex >= 0) {
                            root.assetRequested(root.assets.assetIdAt(table.currentIndex))
                            event.accepted = true
                            return
                        }
                        if (target >= 0) {
                            table.currentIndex = target
                            table.positionViewAtIndex(target, ListView.Contain)
                            event.accepted = true
                        }
                    }

                    delegate: Rectangle {
                        id: row
                        required property int index
                        required property string assetId
                        required property string reference
                        required property string title
                        required property string typeTitle
                        required property string jurisdictions
                        required property string status
                        required property string filingDate
                        required property string expiryDate
                        required property string owners
                        required property string phase
                        required property string phaseTitle

                        objectName: "portfolioRow"
                        width: Math.max(ListView.view.width, root.contentRowWidth)
                        height: Theme.rowHeight
                        color: ListView.isCurrentItem ? Theme.highlight
                             : rowMouse.containsMouse ? Theme.alternateBase
                             : (row.index % 2 ? Theme.alternateBase : Theme.base)

                        component Cell: Label {
                            visible: width > 0
                            height: Theme.rowHeight
                            verticalAlignment: Text.AlignVCenter
                            rightPadding: Theme.spacing
                            elide: Text.ElideRight
                            color: Theme.text
                        }

                        Row {
                            anchors.fill: parent
                            leftPadding: Theme.spacing
                            Cell {
                                width: root.cellWidths[0]
                                text: row.reference
                                font.family: Theme.monoFont
                                font.pixelSize: 12
                            }
                            Cell {
                                id: titleCell
                                width: root.cellWidths[1]
                                text: row.title
                            }
                            Cell { width: root.cellWidths[2]; text: row.typeTitle }
                            Cell { width: root.cellWidths[3]; text: row.jurisdictions.split(";").join(", ") }
                            Cell { width: root.cellWidths[4]; text: row.status; color: Theme.mutedText }
                            Cell {
                                width: root.cellWidths[5]
                                text: row.filingDate
                                font.family: Theme.monoFont
                                font.pixelSize: 12
                            }
                            Cell {
                                width: root.cellWidths[6]
                                text: row.expiryDate
                                font.family: Theme.monoFont
                                font.pixelSize: 12
                            }
                            Cell {
                                id: ownersCell
                                width: root.cellWidths[7]
                                text: row.owners
                            }
                            Item {
                                width: root.cellWidths[8]
                                visible: width > 0
                                height: Theme.rowHeight
                                PhaseBadge {
                                    anchors.verticalCenter: parent.verticalCenter
                                    phaseId: row.phase
                                    text: row.phaseTitle
                                }
                            }
                        }
                        MouseArea {
                            id: rowMouse
                            anchors.fill: parent
                            hoverEnabled: true
                            cursorShape: Qt.PointingHandCursor
                            // Elided text in full, after a pause.
                            ToolTip.visible: containsMouse && (titleCell.truncated || ownersCell.truncated || !ownersCell.visible)
                            ToolTip.delay: 800
                            ToolTip.text: row.reference + " — " + row.title + "\n" + row.owners
                            onClicked: {
                                table.currentIndex = row.index
                                table.forceActiveFocus()
                                root.assetRequested(row.assetId)
                            }
                        }
                    }

                    // Empty portfolio: the real first screen.
                    ColumnLayout {
                        objectName: "portfolioEmpty"
                        anchors.centerIn: parent
                        visible: root.assets.totalCount === 0 && !PortfolioController.busy
                        spacing: Theme.spacing
                        Label {
                            Layout.alignment: Qt.AlignHCenter
                            text: qsTr("No assets yet")
                            font.pixelSize: 18
                            color: Theme.text
                        }
                        Label {
                            Layout.alignment: Qt.AlignHCenter
                            Layout.maximumWidth: 500
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.Wrap
                            color: Theme.mutedText
                            text: qsTr("Import your docket from a CSV file, or load the demo portfolio of a biotech company (patent families, trademarks, designs, works, datasets) to look around. Every asset becomes a signed ledger entry.")
                        }
                        RowLayout {
                            Layout.alignment: Qt.AlignHCenter
                            spacing: Theme.spacing
                            Button {
                                objectName: "emptyImportButton"
                                text: qsTr("Import CSV…")
                                highlighted: true
                                onClicked: importFileDialog.open()
                            }
                            Button {
                                objectName: "loadDemoButton"
                                text: qsTr("Load demo")
                                onClicked: PortfolioController.loadDemo()
                            }
                        }
                    }
                    // Filters hide everything.
                    ColumnLayout {
                        objectName: "portfolioNoMatch"
                        anchors.centerIn: parent
                        visible: root.assets.totalCount > 0 && root.assets.count === 0
                        spacing: Theme.spacing
                        Label {
                            Layout.alignment: Qt.AlignHCenter
                            text: qsTr("No asset matches")
                            font.pixelSize: 18
                            color: Theme.text
                        }
                        Label {
                            Layout.alignment: Qt.AlignHCenter
                            text: qsTr("None of the %1 assets matches the search and filters above.").arg(root.number(root.assets.totalCount))
                            color: Theme.mutedText
                        }
                        Button {
                            objectName: "emptyClearFilters"
                            Layout.alignment: Qt.AlignHCenter
                            text: qsTr("Clear filters")
                            highlighted: true
                            onClicked: root.clearFilters()
                        }
                    }
                }
            }
        }
    }

    ImportDialog {
        id: importDialog
        objectName: "importDialog"
        anchors.centerIn: parent
    }

    FileDialog {
        id: importFileDialog
        title: qsTr("Import assets from CSV")
        nameFilters: [qsTr("CSV files (*.csv)"), qsTr("All files (*)")]
        fileMode: FileDialog.OpenFile
        onAccepted: importDialog.start(importFileDialog.selectedFile)
    }

    FileDialog {
        id: exportFileDialog
        title: qsTr("Export assets to CSV")
        nameFilters: [qsTr("CSV files (*.csv)")]
        fileMode: FileDialog.SaveFile
        defaultSuffix: "csv"
        onAccepted: PortfolioController.exportCsv(exportFileDialog.selectedFile)
    }

    Shortcut {
        sequence: "Ctrl+F"
        enabled: root.visible
        onActivated: root.focusSearch()
    }
    Shortcut {
        sequence: "Ctrl+N"
        enabled: root.visible && !PortfolioController.busy
        onActivated: root.newAssetRequested()
    }
    Shortcut {
        sequence: "Ctrl+I"
        enabled: root.visible && !PortfolioController.busy
        onActivated: importFileDialog.open()
    }
    Shortcut {
        sequence: "Escape"
        enabled: root.visible && PortfolioController.busy && !importDialog.visible
        onActivated: PortfolioController.cancel()
    }

    onVisibleChanged: if (visible) table.forceActiveFocus()
}
