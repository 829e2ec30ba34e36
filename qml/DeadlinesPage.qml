// SPDX-License-Identifier: GPL-3.0-or-later
// The Deadlines area: rights lost, what is overdue or in grace, what waits on a lost right, then
// the next 90 days week by week, and a chart of the same deadlines by month.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtCharts
import Cartulary.Model

Item {
    id: root

    signal assetRequested(string assetId)

    // Each group's heading says how many deadlines it holds; the overdue one is red.
    readonly property var sections: {
        const out = {}
        for (const g of DeadlinesController.deadlineGroups)
            out[g.title] = { alert: g.overdue, note: g.items.length === 1 ? qsTr("1 deadline") : qsTr("%1 deadlines").arg(Theme.number(g.items.length)) }
        return out
    }
    readonly property var byMonth: DeadlinesController.deadlinesByMonth

    // What a row adds to its label: the remedy of a lost right, or the lost right it waits on.
    function detail(item: var): string {
        if ((item.state ?? "") === "rights lost") {
            let text = item.dependents > 0 ? qsTr(" — %n later deadline(s) depend on it", "", item.dependents) : ""
            if ((item.remedy ?? "").length > 0)
                text += qsTr(" — remedy: %1").arg(item.remedy)
            return text
        }
        if ((item.blockedBy ?? "").length > 0)
            return qsTr(" — waits on %1").arg(item.blockedByLabel)
        return ""
    }
    // "2026-12" when there is room, "Dec 26" when the chart is narrow (categories must stay unique).
    readonly property bool shortMonths: chart.plotArea.width / Math.max(1, root.byMonth.length) < 56
    readonly property var months: root.byMonth.map(m => root.shortMonths ? Qt.locale().standaloneMonthName(Number(m.month.substring(5, 7)) - 1, Locale.ShortFormat) + " " + m.month.substring(2, 4) : m.month)
    readonly property var dueValues: root.byMonth.map(m => m.count)
    readonly property var overdueValues: root.byMonth.map(m => m.overdue)
    // The value axis has five ticks (four steps) of a round size: 1, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ.
    readonly property int axisMax: {
        const step = Math.max(1, Math.max(4, ...root.dueValues) / 4)
        const magnitude = Math.pow(10, Math.floor(Math.log10(step)))
        for (const m of [1, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
            const candidate = m * magnitude
            if (candidate >= step && Number.isInteger(candidate))
                return 4 * candidate
        }
        return 4 * Math.ceil(step)
    }

    readonly property var columns: [
        { id: "due", title: qsTr("Due"), width: 96, mono: true, bold: (row) => row.late },
        { id: "state", title: qsTr("State"), width: 104, bold: (row) => row.late,
          text: (row) => Theme.deadlineSymbol(row.state) + " " + row.stateTitle,
          color: (row) => Theme.deadlineColor(row.state) },
        { id: "reference", title: qsTr("Reference"), width: 132, mono: true },
        { id: "label", title: qsTr("Deadline"), width: -1, text: (row) => row.label + root.detail(row) },
        { id: "title", title: qsTr("Asset"), width: -1, muted: true },
        { id: "graceEnd", title: qsTr("Grace ends"), width: 100, compactWidth: 0, mono: true, muted: true }
    ]

    function openRow(row: int): void {
        const item = DeadlinesController.deadlineRows[row]
        if (item)
            root.assetRequested(item.assetId)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.topMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            spacing: Theme.spacing

            PageHeading { text: qsTr("Deadlines") }
            Label {
                objectName: "overdueCount"
                Layout.alignment: Qt.AlignBottom
                text: qsTr("%1 overdue (in grace, overdue or rights lost)").arg(Theme.number(DeadlinesController.overdueCount))
                color: DeadlinesController.overdueCount > 0 ? Theme.danger : Theme.mutedText
                font.bold: DeadlinesController.overdueCount > 0
            }
            Label {
                Layout.alignment: Qt.AlignBottom
                text: "·"
                color: Theme.mutedText
            }
            Label {
                objectName: "upcomingCount"
                Layout.alignment: Qt.AlignBottom
                text: qsTr("%1 due in the next 90 days").arg(Theme.number(DeadlinesController.upcomingCount))
                color: Theme.mutedText
            }
            Item { Layout.fillWidth: true }
            BusyIndicator {
                objectName: "deadlinesBusy"
                running: DeadlinesController.busy
                visible: DeadlinesController.busy
                implicitWidth: 28
                implicitHeight: 28
            }
            Label {
                visible: DeadlinesController.busy
                text: qsTr("Computing deadlines…")
                color: Theme.mutedText
            }
            Button {
                objectName: "refreshDeadlines"
                text: qsTr("Refresh")
                enabled: !DeadlinesController.busy
                onClicked: DeadlinesController.refresh()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Recompute every deadline from the rules and today's date (F5)")
            }
        }

        // Deadlines by month: how many fall due, and how many of those are late.
        Rectangle {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing
            Layout.preferredHeight: 210
            color: Theme.base
            border.color: Theme.border
            visible: root.months.length > 0

            ChartView {
                id: chart
                objectName: "deadlinesChart"
                anchors.fill: parent
                anchors.margins: 1
                antialiasing: true
                animationOptions: ChartView.NoAnimation
                // One chart theme; colours follow Theme by binding (a theme change would reset them).
                backgroundColor: Theme.base
                plotAreaColor: Theme.base
                backgroundRoundness: 0
                dropShadowEnabled: false
                legend.alignment: Qt.AlignTop
                legend.labelColor: Theme.text
                margins.top: 0
                margins.bottom: 0
                margins.left: 4
                margins.right: 4

                BarSeries {
                    id: series
                    barWidth: 0.8
                    axisX: BarCategoryAxis {
                        categories: root.months
                        labelsColor: Theme.mutedText
                        labelsFont.pixelSize: root.shortMonths ? 10 : Theme.smallFont
                        gridVisible: false
                        color: Theme.border
                    }
                    // ValuesAxis: the same type as ValueAxis, whose Qt 6.4 qmltypes entry qmllint
                    // cannot resolve.
                    axisY: ValuesAxis {
                        min: 0
                        max: root.axisMax
                        tickCount: 5
                        labelFormat: "%d"
                        labelsColor: Theme.mutedText
                        labelsFont.pixelSize: Theme.smallFont
                        gridLineColor: Theme.border
                        color: Theme.border
                    }
                    BarSet {
                        label: qsTr("due")
                        values: root.dueValues
                        color: Theme.accent
                        borderColor: Theme.accent
                    }
                    BarSet {
                        label: qsTr("of which overdue")
                        values: root.overdueValues
                        color: Theme.danger
                        borderColor: Theme.danger
                    }
                }
            }
        }

        DataTable {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.spacing * 2
            listName: "deadlinesList"
            rowName: "deadlineRow"
            columns: root.columns
            model: DeadlinesController.deadlineRows
            listOfMaps: true
            sectionRole: "group"
            sections: root.sections
            rowToolTip: (row) => row.reference + " — " + row.label + root.detail(row) + "\n" + row.title
                                 + (row.graceEnd.length > 0 ? "\n" + qsTr("grace ends %1").arg(row.graceEnd) : "")
                                 + ((row.remedyEnds ?? "").length > 0 ? "\n" + qsTr("Remedy at the latest by %1").arg(row.remedyEnds) : "")
            onRowClicked: (row) => root.openRow(row)
            onActivated: (row) => root.openRow(row)

            ColumnLayout {
                anchors.centerIn: parent
                visible: list.count === 0 && !DeadlinesController.busy
                spacing: Theme.spacing
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    text: qsTr("Nothing due")
                    font.pixelSize: 18
                    color: Theme.text
                }
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    Layout.maximumWidth: 480
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    text: qsTr("No right is lost, nothing is overdue and nothing falls due in the next 90 days. Deadlines come from the rules for each asset's type, jurisdictions and dates.")
                    color: Theme.mutedText
                }
            }
        }
    }

    Shortcut {
        sequence: "F5"
        enabled: root.visible && !DeadlinesController.busy
        onActivated: DeadlinesController.refresh()
    }

    onVisibleChanged: if (visible) list.forceFocus()
}
