// SPDX-License-Identifier: GPL-3.0-or-later
// The one table of the application: dense rows, a header that sorts on click, columns that resize
// by dragging (double-click: default width) and give way in narrow windows, headings for groups of
// rows, and the keyboard: arrows, Page Up/Down, Home/End, Enter.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root

    /**
     * The columns, in order: {id, title, width (-1: shares the rest), role (default id), mono, muted,
     * align (Text.AlignRight for numbers), sortable, compactWidth (its width in a narrow table; 0
     * hides it), text: (row) => string, color: (row) => color, bold: (row) => bool, phase: the role
     * of a phase id (the cell is a phase badge)}.
     */
    property var columns: []
    property var model
    /** The sorted column's id, and its direction (the header shows both). */
    property string sortColumn
    property bool sortAscending: true
    /**
     * Rows grouped under headings: the role holding a row's group title; the first row of each
     * group has groupStart set and draws the heading above itself (Qt 6.4's ListView cannot create
     * the section delegate of a bound component). "" for no groups.
     */
    property string sectionRole
    /** heading → {note, alert}: what a group's heading says beside its title, and whether in red. */
    property var sections: ({})
    /** The model is a list of maps (each row's data is the map), not an item model with roles. */
    property bool listOfMaps: false
    /** (row) => text shown over a row when a cell is cut off or a column hidden; null for none. */
    property var rowToolTip: null
    /** objectNames of the list and its rows (tests and accessibility find them). */
    property alias listName: list.objectName
    property string rowName: "tableRow"
    property alias currentIndex: list.currentIndex
    property alias count: list.count
    /** Items over the rows, e.g. the empty state. */
    default property alias overlay: overlayArea.data

    /** Narrow tables drop the columns with a compactWidth of 0 and narrow the others. */
    readonly property bool compact: root.width < 1000
    // Widths the user dragged, by column id.
    property var userWidths: ({})

    /** A header was clicked on a sortable column. */
    signal sortRequested(string column)
    /** A row was clicked. */
    signal rowClicked(int row)
    /** A row was chosen: Enter, or a double click. */
    signal activated(int row)

    function positionViewAtIndex(index: int, mode: int): void {
        list.positionViewAtIndex(index, mode)
    }
    function forceFocus(): void {
        list.forceActiveFocus()
    }
    function widthOf(column: var): real {
        const dragged = root.userWidths[column.id]
        if (dragged !== undefined)
            return dragged
        if (root.compact && column.compactWidth !== undefined && column.width >= 0)
            return Math.min(column.width, column.compactWidth)
        return column.width
    }
    function setColumnWidth(column: var, width: real): void {
        const widths = Object.assign({}, root.userWidths)
        widths[column.id] = Math.round(Math.max(48, width))
        root.userWidths = widths
    }
    function resetColumnWidth(column: var): void {
        const widths = Object.assign({}, root.userWidths)
        delete widths[column.id]
        root.userWidths = widths
    }
    function toolTipFor(row: var): string {
        const describe = root.rowToolTip
        return describe && row ? describe(row) : ""
    }
    /** What a cell shows for a row (its model data, or the roles of an item). */
    function cellText(column: var, row: var): string {
        if (!row)
            return "" // a delegate kept for reuse
        if (column.text)
            return column.text(row)
        const value = row[column.role ?? column.id]
        return value === undefined || value === null ? "" : String(value)
    }

    readonly property real rowWidth: list.width - Theme.spacing - 12   // 12: the scroll bar
    readonly property var cellWidths: {
        const widths = root.columns.map(c => root.widthOf(c))
        let fixed = 0
        let fills = 0
        for (const w of widths) {
            if (w >= 0)
                fixed += w
            else
                ++fills
        }
        const share = fills > 0 ? Math.max(root.compact ? 120 : 160, Math.floor((root.rowWidth - fixed) / fills)) : 0
        return widths.map(w => w >= 0 ? w : share)
    }
    readonly property real contentRowWidth: {
        let sum = Theme.spacing
        for (const w of root.cellWidths)
            sum += w
        return sum
    }

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
                x: -list.contentX
                height: Theme.rowHeight
                leftPadding: Theme.spacing
                Repeater {
                    model: root.columns.length
                    Rectangle {
                        id: headerCell
                        required property int index
                        readonly property var column: root.columns[index]
                        readonly property bool sortable: headerCell.column.sortable ?? false
                        readonly property bool sorted: headerCell.sortable && root.sortColumn === headerCell.column.id
                        objectName: "header_" + headerCell.column.id
                        width: root.cellWidths[index]
                        visible: width > 0
                        height: Theme.rowHeight
                        color: headerMouse.containsMouse && headerCell.sortable ? Theme.alternateBase : "transparent"
                        Label {
                            anchors.fill: parent
                            rightPadding: Theme.spacing
                            verticalAlignment: Text.AlignVCenter
                            horizontalAlignment: headerCell.column.align ?? Text.AlignLeft
                            elide: Text.ElideRight
                            text: headerCell.column.title + (headerCell.sorted ? (root.sortAscending ? " ▲" : " ▼") : "")
                            font.bold: true
                            font.pixelSize: 12
                            color: headerCell.sorted ? Theme.text : Theme.mutedText
                        }
                        MouseArea {
                            id: headerMouse
                            anchors.fill: parent
                            hoverEnabled: true
                            cursorShape: headerCell.sortable ? Qt.PointingHandCursor : Qt.ArrowCursor
                            onClicked: if (headerCell.sortable) root.sortRequested(headerCell.column.id)
                            ToolTip.visible: containsMouse && headerCell.sortable
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Sort by %1; again to reverse").arg(headerCell.column.title)
                        }
                        // Drag the right edge to resize; double-click for the default width.
                        MouseArea {
                            visible: headerCell.column.width > 0
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
                                    root.setColumnWidth(headerCell.column, startWidth + mapToItem(null, mouse.x, 0).x - pressX)
                            }
                            onDoubleClicked: root.resetColumnWidth(headerCell.column)
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

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: list
                anchors.fill: parent
                clip: true
                model: root.model
                boundsBehavior: Flickable.StopAtBounds
                reuseItems: true
                keyNavigationEnabled: true
                currentIndex: -1
                activeFocusOnTab: true
                contentWidth: root.contentRowWidth
                flickableDirection: Flickable.AutoFlickIfNeeded
                // Always shown when there is more: in a long table the bar says where one is.
                ScrollBar.vertical: ScrollBar {
                    policy: list.contentHeight > list.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded
                }
                // Only when the columns do not fit (Fusion draws an AsNeeded bar's track regardless).
                ScrollBar.horizontal: ScrollBar {
                    policy: root.contentRowWidth > list.width ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
                }
                readonly property int pageRows: Math.max(1, Math.floor(height / Theme.rowHeight) - 1)
                Keys.onPressed: (event) => {
                    if (list.count === 0)
                        return
                    let target = -1
                    if (event.key === Qt.Key_PageDown)
                        target = Math.min(list.count - 1, Math.max(0, list.currentIndex) + list.pageRows)
                    else if (event.key === Qt.Key_PageUp)
                        target = Math.max(0, list.currentIndex - list.pageRows)
                    else if (event.key === Qt.Key_Home)
                        target = 0
                    else if (event.key === Qt.Key_End)
                        target = list.count - 1
                    else if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && list.currentIndex >= 0) {
                        root.activated(list.currentIndex)
                        event.accepted = true
                        return
                    }
                    if (target >= 0) {
                        list.currentIndex = target
                        list.positionViewAtIndex(target, ListView.Contain)
                        event.accepted = true
                    }
                }

                delegate: Item {
                    id: row
                    required property int index
                    required property var model
                    // An item model's row gives its roles; a list of maps gives the map.
                    readonly property var rowData: root.listOfMaps ? row.model.modelData : row.model
                    readonly property bool heading: root.sectionRole.length > 0 && (row.rowData?.groupStart ?? false)
                    readonly property string group: row.heading ? String(row.rowData[root.sectionRole]) : ""
                    readonly property var groupInfo: root.sections[row.group] ?? ({})

                    function truncated(): bool {
                        for (let i = 0; i < cells.count; ++i) {
                            const cell = cells.itemAt(i)
                            if (cell && (cell.truncated || !cell.visible))
                                return true
                        }
                        return false
                    }

                    objectName: root.rowName
                    width: Math.max(ListView.view.width, root.contentRowWidth)
                    height: Theme.rowHeight + (row.heading ? 32 : 0)

                    // The group's heading, above its first row.
                    Rectangle {
                        objectName: "tableSection"
                        visible: row.heading
                        width: parent.width
                        height: 32
                        color: row.groupInfo.alert ? Theme.dangerBackground : Theme.alternateBase
                        RowLayout {
                            anchors.fill: parent
                            anchors.leftMargin: Theme.spacing
                            anchors.rightMargin: Theme.spacing
                            Label {
                                text: (row.groupInfo.alert ? "⚠ " : "") + row.group
                                font.bold: true
                                color: row.groupInfo.alert ? Theme.danger : Theme.text
                            }
                            Label {
                                text: row.groupInfo.note ?? ""
                                color: row.groupInfo.alert ? Theme.danger : Theme.mutedText
                                font.pixelSize: 12
                            }
                            Item { Layout.fillWidth: true }
                        }
                        Rectangle {
                            anchors.bottom: parent.bottom
                            width: parent.width
                            height: 1
                            color: row.groupInfo.alert ? Theme.danger : Theme.border
                        }
                    }

                    Rectangle {
                        y: row.heading ? 32 : 0
                        width: parent.width
                        height: Theme.rowHeight
                        color: row.ListView.isCurrentItem ? Theme.highlight
                             : rowMouse.containsMouse ? Theme.alternateBase
                             : (row.index % 2 ? Theme.alternateBase : Theme.base)

                        Row {
                            anchors.fill: parent
                            leftPadding: Theme.spacing
                            Repeater {
                                id: cells
                                model: root.columns.length
                                Cell {
                                    id: cell
                                    required property int index
                                    readonly property var column: root.columns[index]
                                    width: root.cellWidths[index]
                                    visible: width > 0
                                    mono: cell.column.mono ?? false
                                    horizontalAlignment: cell.column.align ?? Text.AlignLeft
                                    text: cell.column.phase ? "" : root.cellText(cell.column, row.rowData)
                                    color: cell.column.color && row.rowData ? cell.column.color(row.rowData)
                                         : cell.column.muted ? Theme.mutedText : Theme.text
                                    font.bold: cell.column.bold && row.rowData ? cell.column.bold(row.rowData) : false
                                    PhaseBadge {
                                        anchors.verticalCenter: parent.verticalCenter
                                        visible: cell.column.phase !== undefined
                                        phaseId: cell.column.phase && row.rowData ? row.rowData[cell.column.phase] : ""
                                        text: cell.column.phase ? root.cellText(cell.column, row.rowData) : ""
                                    }
                                }
                            }
                        }
                    }
                    MouseArea {
                        id: rowMouse
                        anchors.fill: parent
                        hoverEnabled: true
                        cursorShape: Qt.PointingHandCursor
                        // Cut-off text in full, after a pause.
                        ToolTip.visible: containsMouse && root.rowToolTip !== null && row.truncated()
                        ToolTip.delay: 800
                        ToolTip.text: root.toolTipFor(row.rowData)
                        onClicked: {
                            list.currentIndex = row.index
                            list.forceActiveFocus()
                            root.rowClicked(row.index)
                        }
                        onDoubleClicked: root.activated(row.index)
                    }
                }
            }

            Item {
                id: overlayArea
                anchors.fill: parent
            }
        }
    }
}
