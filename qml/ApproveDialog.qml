// SPDX-License-Identifier: GPL-3.0-or-later
// The licensor approves one derivative under a licence of the open asset whose derivatives need
// approval; the derivation can then be recorded under it.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    readonly property var asset: AssetController.asset

    /** Licences on the open asset that need the licensor's approval for each derivative. */
    readonly property var licences: (AssetController.licences ?? []).filter(l => l.derivatives === "with-approval" && !l.revoked)

    title: qsTr("Approve a derivative of %1").arg(root.asset.reference ?? "")
    width: 520
    submitText: qsTr("Approve")
    submitName: "approveSubmit"
    errorName: "approveError"
    submitEnabled: licenceCombo.currentIndex >= 0 && childField.text.length > 0 && dateField.text.length > 0

    function openForAsset(): void {
        root.reset()
        licenceCombo.currentIndex = root.licences.length > 0 ? 0 : -1
        childField.text = ""
        noteField.text = ""
        dateField.setToday()
        root.open()
        childField.focusField()
    }

    onSubmitted: root.run(AssetController.approveDerivation(licenceCombo.currentValue ?? "", childField.text,
                                                            dateField.text, noteField.text))

    LabeledField {
        label: qsTr("Licence")
        error: root.errorFor("licence")
        hint: root.licences.length === 0 ? qsTr("No licence on this asset needs approval for its derivatives.") : ""
        ComboBox {
            id: licenceCombo
            objectName: "approveLicence"
            Layout.fillWidth: true
            implicitHeight: 30
            model: root.licences
            textRole: "title"
            valueRole: "reference"
            displayText: currentIndex >= 0 ? root.licences[currentIndex].reference + " — " + currentText : qsTr("— none —")
        }
    }
    DialogField {
        id: childField
        fieldName: "approveChild"
        label: qsTr("Derivative")
        error: root.errorFor("child")
        mono: true
        placeholderText: qsTr("its reference, e.g. MBG-C004")
    }
    DateField {
        id: dateField
        fieldName: "approveDate"
        label: qsTr("Date")
        error: root.errorFor("date")
    }
    DialogField {
        id: noteField
        fieldName: "approveNote"
        label: qsTr("Note")
        error: root.errorFor("note")
        placeholderText: qsTr("optional, e.g. approved after a listening session")
    }
}
