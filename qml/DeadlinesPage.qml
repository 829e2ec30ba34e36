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

    // The groups as one list of headings and rows, so a long overdue group stays one lazy ListView.
    readonly property var rows: {
        const out = []
        for (const g of PortfolioController.deadlineGroups) {
            out.push({ header: true, title: g.title, kind: g.kind, overdue: g.overdue, count: g.items.length, item: ({}) })
            for (const item of g.items)
                out.push({ header: false, title: "", kind: g.kind, overdue: g.overdue, count: 0, item: item })
        }
        return out
    }

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
    readonly property var byMonth: PortfolioController.deadlinesByMonth
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
        { title: qsTr("Due"), width: 96 },
        { title: qsTr("State"), width: 104 },
        { title: qsTr("Reference"), width: 132 },
        { title: qsTr("Deadline"), width: -1 },
        { title: qsTr("Asset"), width: -1 },
        { title: qsTr("Grace ends"), width: 100 }
    ]
    // Fixed columns keep their width; the deadline and the asset title share the rest.
    readonly property var cellWidths: {
        const total = list.width - Theme.spacing - 12   // 12: the scroll bar
        let fixed = 0
        let shares = 0
        for (const c of root.columns) {
            if (c.width > 0)
                fixed += c.width
            else
                ++shares
        }
        const share = Math.max(120, Math.floor((total - fixed) / shares))
        return root.columns.map(c => c.width > 0 ? c.width : share)
    }

    function number(n: int): string {
        return Number(n).toLocaleString(Qt.locale(), "f", 0)
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

            Label {
                text: qsTr("Deadlines")
                font.pixelSize: 20
                font.bold: true
                color: Theme.text
            }
            Label {
                objectName: "overdueCount"
                Layout.alignment: Qt.AlignBottom
                text: qsTr("%1 overdue (in grace, overdue or rights lost)").arg(root.number(PortfolioController.overdueCount))
                color: PortfolioController.overdueCount > 0 ? Theme.danger : Theme.mutedText
                font.bold: PortfolioController.overdueCount > 0
            }
            Label {
                Layout.alignment: Qt.AlignBottom
                text: "·"
                color: Theme.mutedText
            }
            Label {
                objectName: "upcomingCount"
                Layout.alignment: Qt.AlignBottom
                text: qsTr("%1 due in the next 90 days").arg(root.number(PortfolioController.upcomingCount))
                color: Theme.mutedText
            }
            Item { Layout.fillWidth: true }
            BusyIndicator {
                objectName: "deadlinesBusy"
                running: PortfolioController.deadlinesLoading
                visible: PortfolioController.deadlinesLoading
                implicitWidth: 28
                implicitHeight: 28
            }
            Label {
                visible: PortfolioController.deadlinesLoading
                text: qsTr("Computing deadlines…")
                color: Theme.mutedText
            }
            Button {
                objectName: "refreshDeadlines"
                text: qsTr("Refresh")
                enabled: !PortfolioController.deadlinesLoading
                onClicked: PortfolioController.refreshDeadlines()
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

        Rectangle {
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

                Row {
                    Layout.fillWidth: true
                    height: Theme.rowHeight
                    leftPadding: Theme.spacing
                    Repeater {
                        model: root.columns.length
                        Label {
                            required property int index
                            width: root.cellWidths[index]
                            height: Theme.rowHeight
                            verticalAlignment: Text.AlignVCenter
                            rightPadding: Theme.spacing
                            text: root.columns[index].title
                            font.bold: true
                            color: Theme.mutedText
                        }
                    }
                }
                Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }

                ListView {
                    id: list
                    objectName: "deadlinesList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: root.rows
                    boundsBehavior: Flickable.StopAtBounds
                    reuseItems: true
                    keyNavigationEnabled: true
                    currentIndex: -1
                    activeFocusOnTab: true
                    ScrollBar.vertical: ScrollBar {
                        policy: list.contentHeight > list.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded
                    }
                    Keys.onReturnPressed: list.openCurrent()
                    Keys.onEnterPressed: list.openCurrent()

                    function openCurrent(): void {
                        if (list.currentIndex < 0)
                            return
                        const row = root.rows[list.currentIndex]
                        if (!row.header)
                            root.assetRequested(row.item.assetId)
                    }

                    delegate: Rectangle {
                        id: line
                        required property var modelData
                        required property int index
                        readonly property bool header: line.modelData.header
                        readonly property var item: line.modelData.item
                        objectName: line.header ? "deadlineGroup" : "deadlineRow"
                        width: ListView.view.width
                        height: line.header ? 32 : Theme.rowHeight
                        color: line.header ? (line.modelData.overdue ? Theme.dangerBackground : Theme.alternateBase)
                             : ListView.isCurrentItem ? Theme.highlight
                             : lineMouse.containsMouse ? Theme.alternateBase : Theme.base

                        // Group heading
                        RowLayout {
                            anchors.fill: parent
                            anchors.leftMargin: Theme.spacing
                            anchors.rightMargin: Theme.spacing
                            visible: line.header
                            Label {
                                text: (line.modelData.overdue ? "⚠ " : "") + line.modelData.title
                                font.bold: true
                                color: line.modelData.overdue ? Theme.danger : Theme.text
                            }
                            Label {
                                text: line.modelData.count === 1 ? qsTr("1 deadline") : qsTr("%1 deadlines").arg(root.number(line.modelData.count))
                                color: line.modelData.overdue ? Theme.danger : Theme.mutedText
                                font.pixelSize: 12
                            }
                            Item { Layout.fillWidth: true }
                        }
                        Rectangle {
                            visible: line.header
                            anchors.bottom: parent.bottom
                            width: parent.width
                            height: 1
                            color: line.modelData.overdue ? Theme.danger : Theme.border
                        }

                        // One deadline
                        component Cell: Label {
                            height: Theme.rowHeight
                            verticalAlignment: Text.AlignVCenter
                            rightPadding: Theme.spacing
                            elide: Text.ElideRight
                            color: Theme.text
                        }
                        Row {
                            anchors.fill: parent
                            leftPadding: Theme.spacing
                            visible: !line.header
                            Cell {
                                width: root.cellWidths[0]
                                text: line.item.due ?? ""
                                font.family: Theme.monoFont
                                font.pixelSize: 12
                                font.bold: line.modelData.overdue
                            }
                            Cell {
                                width: root.cellWidths[1]
                                text: Theme.deadlineSymbol(line.item.state ?? "") + " " + (line.item.stateTitle ?? "")
                                color: Theme.deadlineColor(line.item.state ?? "")
                                font.bold: line.modelData.overdue
                            }
                            Cell {
                                width: root.cellWidths[2]
                                text: line.item.reference ?? ""
                                font.family: Theme.monoFont
                                font.pixelSize: 12
                            }
                            Cell {
                                width: root.cellWidths[3]
                                text: (line.item.label ?? "") + root.detail(line.item)
                            }
                            Cell {
                                width: root.cellWidths[4]
                                text: line.item.title ?? ""
                                color: Theme.mutedText
                            }
                            Cell {
                                width: root.cellWidths[5]
                                text: line.item.graceEnd ?? ""
                                font.family: Theme.monoFont
                                font.pixelSize: 12
                                color: Theme.mutedText
                            }
                        }
                        MouseArea {
                            id: lineMouse
                            anchors.fill: parent
                            enabled: !line.header
                            hoverEnabled: true
                            cursorShape: Qt.PointingHandCursor
                            ToolTip.visible: containsMouse && root.detail(line.item).length > 0
                            ToolTip.delay: 500
                            ToolTip.text: (line.item.label ?? "") + root.detail(line.item)
                                          + ((line.item.remedyEnds ?? "").length > 0 ? "\n" + qsTr("Remedy at the latest by %1").arg(line.item.remedyEnds) : "")
                            onClicked: {
                                list.currentIndex = line.index
                                root.assetRequested(line.item.assetId)
                            }
                        }
                    }

                    ColumnLayout {
                        anchors.centerIn: parent
                        visible: list.count === 0 && !PortfolioController.deadlinesLoading
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
        }
    }

    Shortcut {
        sequence: "F5"
        enabled: root.visible && !PortfolioController.deadlinesLoading
        onActivated: PortfolioController.refreshDeadlines()
    }

    onVisibleChanged: if (visible) list.forceActiveFocus()
}
