// SPDX-License-Identifier: GPL-3.0-or-later
// Recording a dated event on one sub-phase of the open asset: kind, date, actor, note.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Dialog {
    id: root

    property string subPhaseId
    property string subPhaseTitle
    property bool pending: false
    property string errorText: ""

    title: qsTr("Add event — %1").arg(root.subPhaseTitle)
    modal: true
    focus: true
    Overlay.modal: Rectangle { color: Theme.dimmer }
    width: 560
    closePolicy: Popup.CloseOnEscape

    // Sub-phase id → title, to say where an event usually belongs.
    readonly property var subPhaseTitles: {
        const titles = {}
        for (const phase of PortfolioController.phases) {
            for (const sub of phase.subPhases)
                titles[sub.id] = sub.title
        }
        return titles
    }
    // This sub-phase's usual events first, then every other kind.
    readonly property var events: {
        const own = []
        const other = []
        for (const e of PortfolioController.eventOptions) {
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
        for (const actor of PortfolioController.actorOptions)
            list.push(actor)
        return list
    }

    function openFor(subPhase: string, title: string): void {
        root.subPhaseId = subPhase
        root.subPhaseTitle = title
        root.pending = false
        root.errorText = ""
        eventCombo.currentIndex = 0
        dateField.text = Qt.formatDate(new Date(), "yyyy-MM-dd")
        actorCombo.currentIndex = 0
        actorField.text = ""
        noteField.text = ""
        root.open()
        eventCombo.forceActiveFocus()
    }
    function submit(): void {
        if (eventCombo.currentIndex < 0 || PortfolioController.busy)
            return
        root.pending = true
        root.errorText = ""
        PortfolioController.addEvent(root.subPhaseId, root.events[eventCombo.currentIndex].id, dateField.text.trim(),
                                     root.actors[actorCombo.currentIndex].id, actorField.text.trim(), noteField.text.trim())
    }

    Connections {
        target: PortfolioController
        function onAssetSaved(): void {
            if (root.pending) {
                root.pending = false
                root.close()
            }
        }
        function onAssetErrorChanged(): void {
            if (root.pending && PortfolioController.assetError.length > 0) {
                root.pending = false
                root.errorText = PortfolioController.assetError
            }
        }
    }

    GridLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        columns: 2
        columnSpacing: Theme.spacing
        rowSpacing: Theme.spacing

        Label { text: qsTr("Event"); color: Theme.text }
        ComboBox {
            id: eventCombo
            objectName: "eventKindCombo"
            Layout.fillWidth: true
            model: root.events
            textRole: "title"
            valueRole: "id"
        }

        Label { text: qsTr("Date"); color: Theme.text }
        TextField {
            id: dateField
            objectName: "eventDateField"
            Layout.preferredWidth: 160
            placeholderText: "YYYY-MM-DD"
            font.family: Theme.monoFont
            onAccepted: root.submit()
        }

        Label { text: qsTr("Actor"); color: Theme.text }
        ComboBox {
            id: actorCombo
            objectName: "eventActorKindCombo"
            Layout.fillWidth: true
            model: root.actors
            textRole: "title"
            valueRole: "id"
        }

        Label { text: qsTr("Actor name"); color: Theme.text }
        TextField {
            id: actorField
            objectName: "eventActorField"
            Layout.fillWidth: true
            placeholderText: qsTr("e.g. European Patent Office, Dr. Weiss & Partner")
            onAccepted: root.submit()
        }

        Label { text: qsTr("Note"); color: Theme.text }
        TextField {
            id: noteField
            objectName: "eventNoteField"
            Layout.fillWidth: true
            placeholderText: qsTr("optional")
            onAccepted: root.submit()
        }

        Label {
            objectName: "eventError"
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: root.errorText.length > 0
            text: "✗ " + root.errorText
            color: Theme.danger
            wrapMode: Text.Wrap
        }

        RowLayout {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: qsTr("Signed into the ledger with your identity.")
                color: Theme.mutedText
                font.pixelSize: Theme.smallFont
            }
            Button {
                objectName: "eventCancel"
                text: qsTr("Cancel")
                onClicked: root.close()
            }
            Button {
                objectName: "eventSubmit"
                text: qsTr("Record event")
                highlighted: true
                enabled: !PortfolioController.busy && dateField.text.length > 0
                onClicked: root.submit()
            }
        }
    }
}
