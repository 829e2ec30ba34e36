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

    // Column ids are the model's sort keys. Narrow windows drop Filing and Owners (the asset page
    // and the row tooltip show them); what still does not fit scrolls sideways.
    readonly property var columns: [
        { id: "reference", title: qsTr("Reference"), width: 108, compactWidth: 104, mono: true, sortable: true },
        { id: "title", title: qsTr("Title"), width: -1, sortable: true },
        { id: "type", role: "typeTitle", title: qsTr("Type"), width: 120, compactWidth: 100, sortable: true },
        { id: "jurisdictions", title: qsTr("Jurisdiction"), width: 88, sortable: true,
          text: (row) => row.jurisdictions.split(";").join(", ") },
        { id: "status", title: qsTr("Status"), width: 78, compactWidth: 76, muted: true, sortable: true },
        { id: "filingDate", title: qsTr("Filing"), width: 84, compactWidth: 0, mono: true, sortable: true },
        { id: "expiryDate", title: qsTr("Expiry"), width: 84, mono: true, sortable: true },
        { id: "owners", title: qsTr("Owners"), width: 130, compactWidth: 0, sortable: true },
        { id: "phase", role: "phaseTitle", phase: "phase", title: qsTr("Phase"), width: 130, sortable: true }
    ]

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
    function openRow(row: int): void {
        const id = root.assets.assetIdAt(row)
        if (id.length > 0)
            root.assetRequested(id)
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

            PageHeading { text: qsTr("Portfolio") }
            Label {
                objectName: "portfolioCount"
                Layout.alignment: Qt.AlignBottom
                text: qsTr("%1 of %2 assets").arg(Theme.number(root.assets.count)).arg(Theme.number(root.assets.totalCount))
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
                selectByMouse: true
                onTextEdited: searchDelay.restart()
                onAccepted: {
                    searchDelay.stop()
                    root.assets.searchText = searchField.text
                    table.forceFocus()
                }
                Keys.onEscapePressed: (event) => {
                    if (searchField.text.length === 0) {
                        event.accepted = false
                        return
                    }
                    searchField.clear()
                    searchDelay.restart()
                }
                Keys.onDownPressed: table.forceFocus()
                // Typing settles before the query runs: one COUNT per pause, not per key.
                Timer {
                    id: searchDelay
                    interval: 200
                    onTriggered: root.assets.searchText = searchField.text
                }
                // The field shows the model's search when it changes elsewhere (Clear filters), but
                // never overwrites what is being typed: a sort clicked meanwhile must not undo keys.
                Connections {
                    target: root.assets
                    function onQueryChanged(): void {
                        if (!searchDelay.running && searchField.text !== root.assets.searchText)
                            searchField.text = root.assets.searchText
                    }
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
                enabled: root.assets.filtered
                onClicked: root.clearFilters()
            }
            Item { Layout.fillWidth: true }
        }

        // Long work (demo, import, export): what is being done, with cancel.
        ProgressStrip {
            objectName: "portfolioProgress"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            work: PortfolioController
            visible: PortfolioController.busy && !importDialog.visible
        }

        NoticeBar {
            objectName: "portfolioNotice"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            work: PortfolioController
            visible: text.length > 0 && !PortfolioController.busy
        }

        DataTable {
            id: table
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing * 2
            listName: "portfolioTable"
            rowName: "portfolioRow"
            columns: root.columns
            model: root.assets
            sortColumn: root.assets.sortColumn
            sortAscending: root.assets.sortAscending
            rowToolTip: (row) => row.reference + " — " + row.title + "\n" + row.owners
            onSortRequested: (column) => root.assets.sortBy(column)
            onRowClicked: (row) => root.openRow(row)
            onActivated: (row) => root.openRow(row)

            // Empty portfolio: the real first screen.
            ColumnLayout {
                objectName: "portfolioEmpty"
                anchors.centerIn: parent
                visible: root.assets.totalCount === 0 && !root.assets.loading && !PortfolioController.busy
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
                visible: root.assets.totalCount > 0 && root.assets.count === 0 && !root.assets.loading
                spacing: Theme.spacing
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    text: qsTr("No asset matches")
                    font.pixelSize: 18
                    color: Theme.text
                }
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    text: qsTr("None of the %1 assets matches the search and filters above.").arg(Theme.number(root.assets.totalCount))
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

    onVisibleChanged: if (visible) table.forceFocus()
}
