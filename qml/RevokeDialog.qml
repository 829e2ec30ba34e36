// SPDX-License-Identifier: GPL-3.0-or-later
// Revoking a licence for one of the conditions its terms name; signed by the licensor's key.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    property string licenceReference
    property var reasons: []

    title: qsTr("Revoke licence %1").arg(root.licenceReference)
    width: 520
    submitText: qsTr("Revoke")
    submitName: "revokeSubmit"
    errorName: "revokeError"
    submitEnabled: dateField.text.length > 0 && reasonCombo.currentIndex >= 0

    function openFor(reference: string, revocableOn: var): void {
        root.reset()
        root.licenceReference = reference
        root.reasons = revocableOn
        reasonCombo.currentIndex = 0
        dateField.setToday()
        noteField.text = ""
        root.open()
    }

    onSubmitted: root.run(AssetController.revokeLicence(root.licenceReference, reasonCombo.currentText,
                                                        dateField.text, noteField.text))

    LabeledField {
        label: qsTr("Reason")
        error: root.errorFor("reason")
        ComboBox {
            id: reasonCombo
            objectName: "revokeReason"
            Layout.fillWidth: true
            implicitHeight: 30
            model: root.reasons
        }
    }
    DateField {
        id: dateField
        fieldName: "revokeDate"
        label: qsTr("Date")
        error: root.errorFor("date")
    }
    DialogField {
        id: noteField
        fieldName: "revokeNote"
        label: qsTr("Note")
        error: root.errorFor("note")
        placeholderText: qsTr("e.g. the breach and its notice")
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.mutedText
        text: qsTr("From this date the licence cannot be used for new derivations, its royalty share leaves every stack, and every asset derived under it is flagged.")
    }
}
