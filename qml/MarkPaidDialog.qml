// SPDX-License-Identifier: GPL-3.0-or-later
// Settling a deadline of the open asset: a "renewed" event on maintenance (a "filed" one for a
// national phase) that names the deadline, so it no longer appears as due.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    property var deadline: ({})

    title: qsTr("Mark paid")
    width: 480
    submitText: qsTr("Mark paid")
    submitName: "markPaidSubmit"
    errorName: "markPaidError"
    submitEnabled: dateField.text.length > 0

    function openFor(d: var): void {
        root.reset()
        root.deadline = d
        dateField.setToday()
        root.open()
        dateField.focusField()
    }

    onSubmitted: root.run(AssetController.markPaid(root.deadline.key, dateField.text))

    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.text
        text: qsTr("%1 — due %2%3").arg(root.deadline.label ?? "").arg(root.deadline.due ?? "")
              .arg((root.deadline.graceEnd ?? "").length > 0 ? qsTr(", grace until %1").arg(root.deadline.graceEnd) : "")
        font.bold: true
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.mutedText
        text: root.deadline.kind === "national-phase"
              ? qsTr("Signs a “Filed” event on Prosecution that settles this deadline; it then no longer appears as due.")
              : qsTr("Signs a “Renewed” event on Maintenance that settles this deadline; it then no longer appears as due.")
    }
    DateField {
        id: dateField
        fieldName: "paidDateField"
        label: qsTr("Paid on")
        error: root.errorFor("date")
        onAccepted: if (root.submitEnabled && !root.pending) root.submitted()
    }
}
