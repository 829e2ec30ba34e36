// SPDX-License-Identifier: GPL-3.0-or-later
// Assigning the open asset: the new owners and their shares, and, when it has one, the key of the
// assignee, which then controls the asset.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    readonly property var asset: AssetController.asset

    title: qsTr("Assign %1").arg(root.asset.reference ?? "")
    width: 600
    submitText: qsTr("Assign")
    submitName: "assignSubmit"
    errorName: "assignError"
    submitEnabled: ownersField.text.length > 0 && dateField.text.length > 0

    function openForAsset(): void {
        root.reset()
        ownersField.text = ""
        keyField.text = ""
        noteField.text = ""
        dateField.setToday()
        root.open()
        ownersField.focusField()
    }

    onSubmitted: root.run(AssetController.assign(ownersField.text, keyField.text, dateField.text, noteField.text))

    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.mutedText
        text: qsTr("Now owned by %1.").arg(root.asset.ownersText ?? "")
    }
    DialogField {
        id: ownersField
        fieldName: "assignOwners"
        label: qsTr("New owners")
        error: root.errorFor("owners")
        hint: qsTr("Name:basis-points;Name:basis-points — shares summing to 10000 (6000 = 60 %)")
        placeholderText: qsTr("e.g. Acquirer Inc.:10000")
    }
    DialogField {
        id: keyField
        fieldName: "assignKey"
        label: qsTr("Assignee's key")
        error: root.errorFor("key")
        mono: true
        hint: qsTr("optional, 64 hex digits: that key controls the asset from then on; empty: you keep recording for the new owners")
    }
    DateField {
        id: dateField
        fieldName: "assignDate"
        label: qsTr("Date")
        error: root.errorFor("date")
    }
    DialogField {
        id: noteField
        fieldName: "assignNote"
        label: qsTr("Note")
        error: root.errorFor("note")
        placeholderText: qsTr("optional, e.g. the deed of assignment")
    }
}
