// SPDX-License-Identifier: GPL-3.0-or-later
// Recording a dated event on one sub-phase of the open asset: kind, date, actor, note.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    property string subPhaseId
    property string subPhaseTitle

    title: qsTr("Add event — %1").arg(root.subPhaseTitle)
    submitText: qsTr("Record event")
    submitName: "eventSubmit"
    errorName: "eventError"
    submitEnabled: eventCombo.currentIndex >= 0 && dateField.text.length > 0

    // Sub-phase id → title, to say where an event usually belongs.
    readonly property var subPhaseTitles: {
        const titles = {}
        for (const phase of AssetController.phases) {
            for (const sub of phase.subPhases)
                titles[sub.id] = sub.title
        }
        return titles
    }
    // This sub-phase's usual events first, then every other kind.
    readonly property var events: {
        const own = []
        const other = []
        for (const e of AssetController.eventOptions) {
            if (e.subPhase === root.subPhaseId)
                own.push(e)
            else
                other.push({ id: e.id, subPhase: e.subPhase,
                             title: qsTr("%1 (usually %2)").arg(e.title).arg(root.subPhaseTitles[e.subPhase] ?? e.subPhase) })
        }
        return own.concat(other)
    }
    readonly property var actors: {
        const list = [{ id: "", title: qsTr("— none —") }]
        for (const actor of AssetController.actorOptions)
            list.push(actor)
        return list
    }

    function openFor(subPhase: string, title: string): void {
        root.reset()
        root.subPhaseId = subPhase
        root.subPhaseTitle = title
        eventCombo.currentIndex = 0
        dateField.setToday()
        actorCombo.currentIndex = 0
        actorField.text = ""
        noteField.text = ""
        root.open()
        eventCombo.forceActiveFocus()
    }
    function submit(): void {
        if (root.submitEnabled && !root.pending)
            root.submitted()
    }

    onSubmitted: root.run(AssetController.addPhaseEvent(root.subPhaseId, root.events[eventCombo.currentIndex].id, dateField.text,
                                                        root.actors[actorCombo.currentIndex].id, actorField.text, noteField.text))

    LabeledField {
        label: qsTr("Event")
        error: root.errorFor("event") || root.errorFor("subPhase")
        ComboBox {
            id: eventCombo
            objectName: "eventKindCombo"
            Layout.fillWidth: true
            implicitHeight: 30
            model: root.events
            textRole: "title"
            valueRole: "id"
        }
    }
    DateField {
        id: dateField
        fieldName: "eventDateField"
        label: qsTr("Date")
        error: root.errorFor("date")
        onAccepted: root.submit()
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing * 2
        LabeledField {
            label: qsTr("Actor")
            error: root.errorFor("actorKind")
            ComboBox {
                id: actorCombo
                objectName: "eventActorKindCombo"
                Layout.fillWidth: true
                implicitHeight: 30
                model: root.actors
                textRole: "title"
                valueRole: "id"
            }
        }
        DialogField {
            id: actorField
            fieldName: "eventActorField"
            label: qsTr("Actor name")
            error: root.errorFor("actorName")
            placeholderText: qsTr("e.g. European Patent Office")
            onAccepted: root.submit()
        }
    }
    DialogField {
        id: noteField
        fieldName: "eventNoteField"
        label: qsTr("Note")
        error: root.errorFor("note")
        placeholderText: qsTr("optional")
        onAccepted: root.submit()
    }
}
