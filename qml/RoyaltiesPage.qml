// SPDX-License-Identifier: GPL-3.0-or-later
// The Royalties area: usage and works imported, a period's distribution run reviewed by holder and
// by work down to every amount's way, the unmatched queue matched by hand, disputes and their
// settlement, revenue by territory and month, approval and statements. Every amount is text the controller formatted.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Item {
    id: root

    readonly property var run: RoyaltiesController.run
    readonly property bool hasImports: RoyaltiesController.importCount > 0
    /** The detail panes give the table room in a narrow window. */
    readonly property real paneWidth: Math.min(Theme.detailWidth, Math.max(300, root.width * 0.4))

    readonly property var holderColumns: [
        { id: "holder", title: qsTr("Holder"), width: -1, sortable: true },
        { id: "amount", title: qsTr("Amount"), width: 130, compactWidth: 110, align: Text.AlignRight, sortable: true,
          bold: (row) => row.flagged },
        { id: "exact", title: qsTr("Exact"), width: 150, compactWidth: 0, align: Text.AlignRight, mono: true, muted: true },
        { id: "previous", title: RoyaltiesController.previousPeriod.length > 0 ? RoyaltiesController.previousPeriod : qsTr("Previous"),
          width: 120, compactWidth: 100, align: Text.AlignRight, muted: true },
        { id: "change", title: qsTr("Change"), width: 210, compactWidth: 200, sortable: true,
          text: (row) => (row.mark.length > 0 ? row.mark + " " : "") + row.change,
          color: (row) => row.flagged ? Theme.warning : Theme.mutedText,
          bold: (row) => row.flagged }
    ]
    readonly property var workColumns: [
        { id: "work", title: qsTr("Work"), width: -1, sortable: true },
        { id: "toHolders", title: qsTr("To holders (exact)"), width: 170, align: Text.AlignRight, sortable: true },
        { id: "held", title: qsTr("Held (exact)"), width: 150, align: Text.AlignRight, sortable: true,
          color: () => Theme.warning },
        { id: "holders", title: qsTr("Holders"), width: 80, align: Text.AlignRight, sortable: true }
    ]
    readonly property var unmatchedColumns: [
        { id: "line", title: qsTr("Line"), width: 64, align: Text.AlignRight, sortable: true },
        { id: "lines", title: qsTr("Lines"), width: 64, align: Text.AlignRight, sortable: true },
        { id: "amount", title: qsTr("Amount"), width: 130, align: Text.AlignRight, sortable: true },
        { id: "title", title: qsTr("Title"), width: -1, sortable: true },
        { id: "creator", title: qsTr("Creator"), width: 160, compactWidth: 120, sortable: true },
        { id: "identifiers", title: qsTr("Identifiers"), width: 170, compactWidth: 0, mono: true, muted: true },
        { id: "note", title: qsTr("Why unmatched"), width: 160, compactWidth: 0, muted: true,
          text: (row) => row.note.length > 0 ? row.note : qsTr("no work fits") }
    ]
    readonly property var disputeColumns: [
        { id: "work", title: qsTr("Work"), width: 130, mono: true, sortable: true },
        { id: "kindTitle", title: qsTr("Dispute"), width: 130, sortable: true },
        { id: "right", title: qsTr("Right"), width: 110, compactWidth: 0 },
        { id: "held", title: qsTr("Held in this run"), width: 150, align: Text.AlignRight,
          color: () => Theme.warning },
        { id: "message", title: qsTr("Claims"), width: -1, muted: true },
        { id: "entry", title: qsTr("Entry"), width: 64, align: Text.AlignRight, compactWidth: 0 }
    ]
    readonly property var settledColumns: [
        { id: "work", title: qsTr("Work"), width: 130, mono: true, sortable: true },
        { id: "kept", title: qsTr("Kept"), width: 180, compactWidth: 150 },
        { id: "withdrawn", title: qsTr("Withdrawn"), width: 180, compactWidth: 150, muted: true },
        { id: "reason", title: qsTr("Reason"), width: -1 },
        { id: "entry", title: qsTr("Entry"), width: 64, align: Text.AlignRight, sortable: true }
    ]
    readonly property var importColumns: [
        { id: "file", title: qsTr("File"), width: -1, sortable: true },
        { id: "format", title: qsTr("Format"), width: 70 },
        { id: "periods", title: qsTr("Periods"), width: 170, compactWidth: 120, mono: true },
        { id: "records", title: qsTr("Lines"), width: 80, align: Text.AlignRight },
        { id: "totals", title: qsTr("Totals"), width: 200, compactWidth: 150, align: Text.AlignRight },
        { id: "entry", title: qsTr("Entry"), width: 64, align: Text.AlignRight, sortable: true }
    ]

    /** Shows a holder's explanation on the By holder tab, their row selected. */
    function explainHolder(holder: string): void {
        tabs.currentIndex = 0
        holderTable.currentIndex = RoyaltiesController.holders.rowWhere("holder", holder)
        RoyaltiesController.explain(holder)
    }
    function openUnmatched(row: int): void {
        if (row >= 0)
            matchDialog.openFor(row)
    }
    function openDispute(row: int): void {
        if (row >= 0)
            settleDialog.openFor(RoyaltiesController.disputes.value(row, "assetId"))
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Title, period and right, the long work
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.topMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            spacing: Theme.spacing

            PageHeading { text: qsTr("Royalties") }
            ComboBox {
                id: periodBox
                objectName: "royaltyPeriod"
                Layout.preferredWidth: 118
                implicitHeight: 30
                editable: true
                visible: root.hasImports
                model: RoyaltiesController.periodOptions
                ToolTip.visible: hovered
                ToolTip.text: qsTr("The period reviewed: a month (2026-09) or a quarter (2026-Q3), which includes its months")
                Component.onCompleted: editText = RoyaltiesController.period
                onActivated: (index) => RoyaltiesController.period = periodBox.textAt(index)
                onAccepted: RoyaltiesController.period = periodBox.editText
                Connections {
                    target: RoyaltiesController
                    function onPeriodChanged(): void {
                        periodBox.editText = RoyaltiesController.period
                    }
                }
            }
            ComboBox {
                id: rightBox
                objectName: "royaltyRight"
                Layout.preferredWidth: 150
                implicitHeight: 30
                visible: root.hasImports
                model: RoyaltiesController.rightOptions
                textRole: "title"
                valueRole: "id"
                Component.onCompleted: currentIndex = indexOfValue(RoyaltiesController.right)
                onActivated: RoyaltiesController.right = currentValue
                ToolTip.visible: hovered
                ToolTip.text: qsTr("The right whose royalties are reviewed (CWR: PR, MR, SR)")
                Connections {
                    target: RoyaltiesController
                    function onPeriodChanged(): void {
                        rightBox.currentIndex = rightBox.indexOfValue(RoyaltiesController.right)
                    }
                }
            }
            BusyIndicator {
                running: RoyaltiesController.loading
                visible: RoyaltiesController.loading
                implicitWidth: 24
                implicitHeight: 24
            }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "importUsageButton"
                text: qsTr("Import usage…")
                enabled: !RoyaltiesController.busy
                onClicked: importDialog.openFor(false)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("A usage CSV or DDEX DSR report: matched to works, all lines or none (Ctrl+I)")
            }
            Button {
                objectName: "importWorksButton"
                text: qsTr("Import works…")
                enabled: !RoyaltiesController.busy
                onClicked: importDialog.openFor(true)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("CISAC CWR 2.1/2.2 registrations: works, writers and shares per right")
            }
            Button {
                objectName: "runButton"
                text: qsTr("Run…")
                highlighted: root.hasImports && !RoyaltiesController.hasRun
                enabled: !RoyaltiesController.busy && root.hasImports
                onClicked: runDialog.openFor()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Compute the period's distribution, exactly, for review (Ctrl+R)")
            }
        }

        ProgressStrip {
            objectName: "royaltyProgress"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            work: RoyaltiesController
            visible: RoyaltiesController.busy && !importDialog.visible
        }

        NoticeBar {
            objectName: "royaltyNotice"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            work: RoyaltiesController
            visible: text.length > 0 && !RoyaltiesController.busy
        }

        Label {
            objectName: "royaltyLoadError"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            visible: RoyaltiesController.loadError.length > 0
            text: "✗ " + RoyaltiesController.loadError
            color: Theme.danger
            wrapMode: Text.Wrap
        }

        RunSummary {
            id: summary
            objectName: "runSummary"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            visible: RoyaltiesController.hasRun
            onApproveRequested: approveDialog.openFor()
            onStatementsRequested: statementsDialog.openFor()
        }

        TabBar {
            id: tabs
            objectName: "royaltyTabs"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            visible: root.hasImports
            TabButton {
                objectName: "holdersTab"
                text: qsTr("By holder")
                width: implicitWidth
                leftPadding: Theme.spacing * 2
                rightPadding: Theme.spacing * 2
            }
            TabButton {
                objectName: "worksTab"
                text: qsTr("By work")
                width: implicitWidth
                leftPadding: Theme.spacing * 2
                rightPadding: Theme.spacing * 2
            }
            TabButton {
                objectName: "unmatchedTab"
                text: RoyaltiesController.unmatchedGroups > 0 ? qsTr("Unmatched (%1)").arg(Theme.number(RoyaltiesController.unmatchedGroups))
                                                              : qsTr("Unmatched")
                width: implicitWidth
                leftPadding: Theme.spacing * 2
                rightPadding: Theme.spacing * 2
            }
            TabButton {
                objectName: "disputesTab"
                text: RoyaltiesController.disputes.count > 0 ? qsTr("Disputes (%1)").arg(Theme.number(RoyaltiesController.disputes.count))
                                                             : qsTr("Disputes")
                width: implicitWidth
                leftPadding: Theme.spacing * 2
                rightPadding: Theme.spacing * 2
            }
            TabButton {
                objectName: "revenueTab"
                text: qsTr("Revenue")
                width: implicitWidth
                leftPadding: Theme.spacing * 2
                rightPadding: Theme.spacing * 2
            }
            TabButton {
                objectName: "importsTab"
                text: qsTr("Imports (%1)").arg(Theme.number(RoyaltiesController.importCount))
                width: implicitWidth
                leftPadding: Theme.spacing * 2
                rightPadding: Theme.spacing * 2
            }
        }

        StackLayout {
            id: tabPages
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.topMargin: Theme.spacing
            Layout.bottomMargin: Theme.spacing * 2
            currentIndex: tabs.currentIndex
            visible: root.hasImports

            // By holder: the comparison with the previous period, and the explanation beside.
            ColumnLayout {
                spacing: 0
                RowLayout {
                    Layout.fillWidth: true
                    Layout.bottomMargin: Theme.spacing
                    spacing: Theme.spacing
                    visible: RoyaltiesController.hasRun
                    Label {
                        Layout.fillWidth: true
                        text: root.run.previousText ?? ""
                        color: Theme.mutedText
                        elide: Text.ElideRight
                    }
                    Label {
                        text: qsTr("Mark changes over")
                        color: Theme.mutedText
                    }
                    TextField {
                        objectName: "thresholdField"
                        implicitWidth: 56
                        implicitHeight: 28
                        horizontalAlignment: TextInput.AlignRight
                        text: RoyaltiesController.threshold
                        palette.base: RoyaltiesController.thresholdError.length > 0 ? Theme.dangerBackground : Theme.base
                        onEditingFinished: RoyaltiesController.threshold = text
                        ToolTip.visible: RoyaltiesController.thresholdError.length > 0
                        ToolTip.text: RoyaltiesController.thresholdError
                    }
                    Label {
                        text: "%"
                        color: Theme.mutedText
                    }
                    Label {
                        objectName: "flaggedCount"
                        visible: RoyaltiesController.flaggedCount > 0
                        text: qsTr("%n marked", "", RoyaltiesController.flaggedCount)
                        color: Theme.warning
                        font.bold: true
                    }
                }
                RowLayout {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    spacing: Theme.spacing
                    DataTable {
                        id: holderTable
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        listName: "holderTable"
                        rowName: "holderRow"
                        columns: root.holderColumns
                        model: RoyaltiesController.holders
                        sortColumn: RoyaltiesController.holders.sortColumn
                        sortAscending: RoyaltiesController.holders.sortAscending
                        rowToolTip: (row) => row.holder + " — " + row.amount + (row.note.length > 0 ? " (" + row.note + ")" : "")
                        onSortRequested: (column) => RoyaltiesController.holders.sortBy(column)
                        onRowClicked: (row) => RoyaltiesController.explain(RoyaltiesController.holders.value(row, "holder"))
                        onActivated: (row) => RoyaltiesController.explain(RoyaltiesController.holders.value(row, "holder"))
                        EmptyState {
                            objectName: "noRunState"
                            visible: !RoyaltiesController.hasRun && !RoyaltiesController.loading
                            title: qsTr("No run of %1 yet").arg(RoyaltiesController.period)
                            text: qsTr("A run sends each matched amount of the period up its derivation chain by the licence terms, splits it among the owners, deducts the fee and holds what is disputed — exactly. Review it here, then approve and sign.")
                            actionText: qsTr("Run %1…").arg(RoyaltiesController.period)
                            actionName: "emptyRunButton"
                            onAction: runDialog.openFor()
                        }
                    }
                    WayPane {
                        objectName: "explanationPane"
                        Layout.preferredWidth: root.paneWidth
                        Layout.fillHeight: true
                        visible: RoyaltiesController.explainedHolder.length > 0
                        title: RoyaltiesController.explainedHolder
                        subtitle: qsTr("Every amount's way in the %1 %2 run").arg(root.run.period ?? "").arg((root.run.rightTitle ?? "").toLowerCase())
                        totals: RoyaltiesController.explanationTotals
                        error: RoyaltiesController.explanationError
                        loading: RoyaltiesController.explanationLoading
                        model: RoyaltiesController.explanation
                        headRole: "work"
                        listName: "explanationList"
                        onCloseRequested: RoyaltiesController.explain("")
                    }
                }
            }

            // By work: what each work's usage sent; a work's holders, each one click from its way.
            RowLayout {
                spacing: Theme.spacing
                DataTable {
                    id: workTable
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    listName: "workTable"
                    rowName: "workRow"
                    columns: root.workColumns
                    model: RoyaltiesController.works
                    sortColumn: RoyaltiesController.works.sortColumn
                    sortAscending: RoyaltiesController.works.sortAscending
                    rowToolTip: (row) => row.work + " — " + row.toHolders
                    onSortRequested: (column) => RoyaltiesController.works.sortBy(column)
                    onRowClicked: (row) => RoyaltiesController.showWork(RoyaltiesController.works.value(row, "work"))
                    onActivated: (row) => RoyaltiesController.showWork(RoyaltiesController.works.value(row, "work"))
                    EmptyState {
                        visible: !RoyaltiesController.hasRun && !RoyaltiesController.loading
                        title: qsTr("No run of %1 yet").arg(RoyaltiesController.period)
                        text: qsTr("Run the period to see what each work's usage sent to whom.")
                        actionText: qsTr("Run %1…").arg(RoyaltiesController.period)
                        onAction: runDialog.openFor()
                    }
                }
                WayPane {
                    objectName: "workPane"
                    Layout.preferredWidth: root.paneWidth
                    Layout.fillHeight: true
                    visible: RoyaltiesController.shownWork.length > 0
                    title: RoyaltiesController.shownWork
                    subtitle: qsTr("Its amounts in this run; a holder opens their explanation")
                    model: RoyaltiesController.workFlows
                    headRole: "holder"
                    headClickable: true
                    listName: "workFlowList"
                    onHeadClicked: (head) => root.explainHolder(head)
                    onCloseRequested: RoyaltiesController.showWork("")
                }
            }

            // Unmatched: kept apart, never distributed, matched by hand.
            ColumnLayout {
                spacing: 0
                RowLayout {
                    Layout.fillWidth: true
                    Layout.bottomMargin: Theme.spacing
                    spacing: Theme.spacing
                    Label {
                        Layout.fillWidth: true
                        text: RoyaltiesController.unmatchedGroups > RoyaltiesController.unmatched.count
                              ? qsTr("%1 groups of lines no work was matched to; the %2 largest are shown. Kept apart, never distributed.")
                                    .arg(Theme.number(RoyaltiesController.unmatchedGroups)).arg(Theme.number(RoyaltiesController.unmatched.count))
                              : qsTr("Lines no work was matched to, grouped by identification, largest first. Kept apart, never distributed%1.")
                                    .arg(RoyaltiesController.unmatchedTotal.length > 0 ? qsTr(": %1 in this run").arg(RoyaltiesController.unmatchedTotal) : "")
                        color: Theme.mutedText
                        elide: Text.ElideRight
                    }
                    Button {
                        objectName: "matchButton"
                        text: qsTr("Match by hand…")
                        enabled: unmatchedTable.currentIndex >= 0 && !RoyaltiesController.busy
                        onClicked: root.openUnmatched(unmatchedTable.currentIndex)
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Match the selected line, or every line with its title and creator, to a work (signed; Enter)")
                    }
                }
                DataTable {
                    id: unmatchedTable
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    listName: "unmatchedTable"
                    rowName: "unmatchedRow"
                    columns: root.unmatchedColumns
                    model: RoyaltiesController.unmatched
                    sortColumn: RoyaltiesController.unmatched.sortColumn
                    sortAscending: RoyaltiesController.unmatched.sortAscending
                    rowToolTip: (row) => qsTr("Line %1 (%2 lines, import %3): %4, %5 units — \"%6\" by %7")
                                            .arg(row.line).arg(row.lines).arg(row.importShort).arg(row.amount).arg(row.units)
                                            .arg(row.title).arg(row.creator.length > 0 ? row.creator : "?")
                                         + (row.identifiers.length > 0 ? "\n" + row.identifiers : "")
                    onSortRequested: (column) => RoyaltiesController.unmatched.sortBy(column)
                    onActivated: (row) => root.openUnmatched(row)
                    EmptyState {
                        objectName: "unmatchedEmpty"
                        visible: RoyaltiesController.unmatched.count === 0 && !RoyaltiesController.loading
                        title: qsTr("Every line of %1 is matched").arg(RoyaltiesController.period)
                        text: qsTr("Each usage line was matched to a work by its identifiers, or by its title and creator. A new import or registration can change that.")
                    }
                }
            }

            // Disputes: their amounts are held, not paid, until settled; the settled ones below.
            ColumnLayout {
                spacing: 0
                RowLayout {
                    Layout.fillWidth: true
                    Layout.bottomMargin: Theme.spacing
                    spacing: Theme.spacing
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Open disputes hold their works' amounts in every run until the key that controls the work settles them: whose shares stand, and why.")
                        color: Theme.mutedText
                        elide: Text.ElideRight
                    }
                    Button {
                        objectName: "settleButton"
                        text: qsTr("Settle…")
                        enabled: disputeTable.currentIndex >= 0 && !RoyaltiesController.busy
                        onClicked: root.openDispute(disputeTable.currentIndex)
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Settle the selected dispute's work: whose registered shares stand, and why (signed; Enter)")
                    }
                }
                DataTable {
                    id: disputeTable
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    listName: "disputeTable"
                    rowName: "disputeRow"
                    columns: root.disputeColumns
                    model: RoyaltiesController.disputes
                    sortColumn: RoyaltiesController.disputes.sortColumn
                    sortAscending: RoyaltiesController.disputes.sortAscending
                    rowToolTip: (row) => row.work + " — " + row.message + (row.held.length > 0 ? "\n" + qsTr("held: %1").arg(row.held) : "")
                    onSortRequested: (column) => RoyaltiesController.disputes.sortBy(column)
                    onActivated: (row) => root.openDispute(row)
                    EmptyState {
                        objectName: "disputesEmpty"
                        visible: RoyaltiesController.disputes.count === 0 && !RoyaltiesController.loading
                        title: RoyaltiesController.settlements.count > 0 ? qsTr("No open disputes") : qsTr("No disputes")
                        text: qsTr("A work claimed by two senders, or whose shares pass 100 %, becomes a dispute when its registrations are imported; its amounts are then held, not paid, until it is settled: select it here and choose Settle… to say whose shares stand.")
                    }
                }
                RowLayout {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacing * 2
                    Layout.bottomMargin: Theme.spacing
                    spacing: Theme.spacing
                    visible: RoyaltiesController.settlements.count > 0
                    Label {
                        objectName: "settledHeading"
                        text: qsTr("Settled (%1)").arg(Theme.number(RoyaltiesController.settlements.count))
                        font.bold: true
                        color: Theme.text
                    }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("The kept sources' shares stand and runs pay them; the withdrawn ones' stay in the ledger only.")
                        color: Theme.mutedText
                        elide: Text.ElideRight
                    }
                }
                DataTable {
                    Layout.fillWidth: true
                    // Up to five rows; the open disputes keep the rest.
                    Layout.preferredHeight: (Math.min(RoyaltiesController.settlements.count, 5) + 1) * Theme.rowHeight + 4
                    visible: RoyaltiesController.settlements.count > 0
                    listName: "settledTable"
                    rowName: "settledRow"
                    columns: root.settledColumns
                    model: RoyaltiesController.settlements
                    sortColumn: RoyaltiesController.settlements.sortColumn
                    sortAscending: RoyaltiesController.settlements.sortAscending
                    rowToolTip: (row) => qsTr("%1 settled at entry %2: kept %3; withdrawn %4 — %5").arg(row.work).arg(row.entry).arg(row.kept).arg(row.withdrawn).arg(row.reason)
                                         + "\n" + qsTr("Closed: %1").arg(row.closed)
                    onSortRequested: (column) => RoyaltiesController.settlements.sortBy(column)
                }
            }

            // Revenue: by territory and by month, per currency.
            ScrollView {
                id: revenueScroll
                contentWidth: availableWidth
                clip: true
                RowLayout {
                    width: revenueScroll.availableWidth
                    spacing: Theme.spacing * 2
                    Panel {
                        objectName: "territoryChart"
                        title: qsTr("%1 revenue of %2 by territory").arg(rightBox.displayText).arg(RoyaltiesController.period)
                        RevenueChart {
                            Layout.fillWidth: true
                            groups: RoyaltiesController.revenueByTerritory
                        }
                    }
                    Panel {
                        objectName: "monthChart"
                        title: qsTr("%1 revenue of %2 by month").arg(rightBox.displayText).arg(RoyaltiesController.period)
                        RevenueChart {
                            Layout.fillWidth: true
                            groups: RoyaltiesController.revenueByMonth
                            note: qsTr("Lines reported for a whole quarter have their own bar.")
                        }
                    }
                }
            }

            // Imports
            DataTable {
                listName: "importTable"
                rowName: "importRow"
                columns: root.importColumns
                model: RoyaltiesController.imports
                sortColumn: RoyaltiesController.imports.sortColumn
                sortAscending: RoyaltiesController.imports.sortAscending
                rowToolTip: (row) => row.file + "\nSHA-256 " + row.sha256 + (row.loaded ? "" : "\n" + qsTr("its lines are not loaded: import the same file again"))
                onSortRequested: (column) => RoyaltiesController.imports.sortBy(column)
            }
        }

        // Nothing imported yet: the real first screen of the area.
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !root.hasImports
            EmptyState {
                objectName: "royaltiesEmpty"
                visible: !RoyaltiesController.loading
                title: qsTr("No usage yet")
                text: qsTr("Import a usage report (CSV or DDEX DSR) to see what was collected for which works. Register the works first from CWR files if they are not in the portfolio: usage is matched to them by ISWC, ISRC, reference, or title and creator.")
                actionText: qsTr("Import usage…")
                actionName: "emptyImportUsage"
                onAction: importDialog.openFor(false)
                secondText: qsTr("Import works (CWR)…")
                secondName: "emptyImportWorks"
                onSecondAction: importDialog.openFor(true)
            }
        }
    }

    RoyaltyImportDialog {
        id: importDialog
        objectName: "royaltyImportDialog"
        anchors.centerIn: parent
    }
    RunDialog {
        id: runDialog
        objectName: "runDialog"
        anchors.centerIn: parent
    }
    MatchDialog {
        id: matchDialog
        objectName: "matchDialog"
        anchors.centerIn: parent
    }
    SettleDialog {
        id: settleDialog
        objectName: "settleDialog"
        anchors.centerIn: parent
    }
    ApproveRunDialog {
        id: approveDialog
        objectName: "approveRunDialog"
        anchors.centerIn: parent
    }
    StatementsDialog {
        id: statementsDialog
        objectName: "statementsDialog"
        anchors.centerIn: parent
    }

    Shortcut {
        sequence: "Ctrl+I"
        enabled: root.visible && !RoyaltiesController.busy
        onActivated: importDialog.openFor(false)
    }
    Shortcut {
        sequence: "Ctrl+R"
        enabled: root.visible && !RoyaltiesController.busy && root.hasImports
        onActivated: runDialog.openFor()
    }
    Shortcut {
        sequence: "Escape"
        enabled: root.visible && RoyaltiesController.busy && !importDialog.visible
        onActivated: RoyaltiesController.cancel()
    }
}
