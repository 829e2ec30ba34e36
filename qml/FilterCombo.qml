// SPDX-License-Identifier: GPL-3.0-or-later
// One filter of a table: "All …" or one option; shows in bold when it narrows the table.
import QtQuick
import QtQuick.Controls

ComboBox {
    id: root

    property string value            // the current filter, "" for all
    property string allText          // e.g. "All types"
    property var options: []         // [{id, title}]

    signal picked(string value)

    model: {
        const list = [{ id: "", title: root.allText }]
        for (const option of root.options)
            list.push(option)
        return list
    }
    textRole: "title"
    valueRole: "id"
    font.bold: root.value.length > 0
    implicitHeight: 30

    function indexFor(v: string): int {
        const list = root.model
        for (let i = 0; i < list.length; ++i) {
            if (list[i].id === v)
                return i
        }
        return 0
    }
    function sync(): void {
        root.currentIndex = root.indexFor(root.value)
    }

    onValueChanged: root.sync()
    onModelChanged: root.sync()
    Component.onCompleted: root.sync()
    onActivated: (index) => root.picked(root.model[index].id)

    ToolTip.visible: hovered && root.value.length > 0
    ToolTip.text: qsTr("Filtered: %1").arg(root.displayText)
}
