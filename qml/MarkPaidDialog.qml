// SPDX-License-Identifier: GPL-3.0-or-later
// Settling a deadline of the open asset: an event on maintenance that names the deadline — paid
// ("renewed", also late), a remedy filed, or the lapse accepted; a national phase entered is a
// "filed" event on prosecution — so that it no longer appears as open.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    property var deadline: ({})
    readonly property bool lost: (root.deadline.state ?? "") === "rights lost"
    readonly property var outcomes: [
        { id: "paid", title: qsTr("Paid (late, with surcharge, if so)") },
        { id: "remedy", title: qsTr("Remedy filed (further processing, re-establishment, revival)") },
        { id: "lapsed", title: qsTr("Lapse accepted: the right ends here") }
    ]

    title: root.lost ? qsTr("Record what happened") : qsTr("Mark paid")
    width: 520
    submitText: root.lost ? qsTr("Record") : qsTr("Mark paid")
    submitName: "markPaidSubmit"
    errorName: "markPaidError"
    submitEnabled: dateField.text.length > 0

    function openFor(d: var): void {
        root.reset()
        root.deadline = d
        outcomeCombo.currentIndex = (d.state ?? "") === "rights lost" && (d.remedy ?? "").length > 0 ? 1 : 0
        noteField.text = ""
        dateField.setToday()
        root.open()
        dateField.focusField()
    }

    onSubmitted: root.run(AssetController.recordOutcome(root.deadline.key, root.outcomes[outcomeCombo.currentIndex].id,
                                                        dateField.text, noteField.text))

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
        visible: (root.deadline.remedy ?? "").length > 0
        wrapMode: Text.Wrap
        color: Theme.danger
        text: qsTr("Rights lost. Remedy: %1").arg(root.deadline.remedy ?? "")
              + ((root.deadline.remedyEnds ?? "").length > 0 ? " " + qsTr("At the latest by %1.").arg(root.deadline.remedyEnds) : "")
    }
    Label { text: qsTr("What happened"); color: Theme.text }
    ComboBox {
        id: outcomeCombo
        objectName: "outcomeCombo"
        Layout.fillWidth: true
        model: root.outcomes
        textRole: "title"
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.mutedText
        text: outcomeCombo.currentIndex > 0
              ? qsTr("Signs an event on Maintenance that settles this deadline; it then no longer appears as open.")
              : root.deadline.kind === "national-phase"
              ? qsTr("Signs a “Filed” event on Prosecution that settles this deadline; it then no longer appears as due.")
              : qsTr("Signs a “Renewed” event on Maintenance that settles this deadline; it then no longer appears as due.")
    }
    DateField {
        id: dateField
        fieldName: "paidDateField"
        label: outcomeCombo.currentIndex === 0 ? qsTr("Paid on") : qsTr("On")
        error: root.errorFor("date")
        onAccepted: if (root.submitEnabled && !root.pending) root.submitted()
    }
    TextField {
        id: noteField
        objectName: "outcomeNote"
        Layout.fillWidth: true
        placeholderText: qsTr("Note (optional), e.g. the office's reference")
        onAccepted: if (root.submitEnabled && !root.pending) root.submitted()
    }
}
