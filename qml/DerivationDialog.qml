// SPDX-License-Identifier: GPL-3.0-or-later
// Recording that the open asset was derived from another: the parent, the licence the link uses,
// the kind, the date, and where and for what the derivative is used. The rules (licence, territory
// and field of use, compatibility, cycles, royalty stack) are checked on signing.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    readonly property var asset: AssetController.asset

    title: qsTr("%1 was derived from…").arg(root.asset.reference ?? "")
    submitText: qsTr("Record derivation")
    submitName: "derivationSubmit"
    errorName: "derivationError"
    submitEnabled: parentField.text.length > 0 && dateField.text.length > 0

    function openForAsset(): void {
        root.reset()
        for (const field of [parentField, licenceField, noteField, territoryField, fieldOfUseField])
            field.text = ""
        kindCombo.currentIndex = 0
        dateField.setToday()
        root.open()
        parentField.focusField()
    }

    onSubmitted: root.run(AssetController.recordDerivation(parentField.text, licenceField.text, kindCombo.currentText,
                                                           dateField.text, noteField.text, territoryField.text,
                                                           fieldOfUseField.text))

    FormGrid {

        DialogField {
            id: parentField
            fieldName: "derivationParent"
            label: qsTr("Parent asset")
            error: root.errorFor("parent")
            mono: true
            placeholderText: qsTr("reference, e.g. MBG-DS001")
        }
        DialogField {
            id: licenceField
            fieldName: "derivationLicence"
            label: qsTr("Licence")
            error: root.errorFor("licence")
            mono: true
            hint: qsTr("empty when both have the same owners")
            placeholderText: "LIC-2024-011"
        }
        LabeledField {
            label: qsTr("Kind")
            error: root.errorFor("kind")
            ComboBox {
                id: kindCombo
                objectName: "derivationKind"
                Layout.fillWidth: true
                implicitHeight: 30
                model: AssetController.derivationKinds
            }
        }
        DateField {
            id: dateField
            fieldName: "derivationDate"
            label: qsTr("Date")
            error: root.errorFor("date")
        }
        DialogField {
            id: territoryField
            fieldName: "derivationTerritory"
            label: qsTr("Territory of use")
            error: root.errorFor("territory")
            mono: true
            hint: qsTr("optional; the licence's territory must cover it")
            placeholderText: "DE;AT"
        }
        DialogField {
            id: fieldOfUseField
            fieldName: "derivationField"
            label: qsTr("Field of use")
            error: root.errorFor("field")
            hint: qsTr("optional; the licence's field must cover it")
        }
        DialogField {
            id: noteField
            Layout.columnSpan: 2
            fieldName: "derivationNote"
            label: qsTr("Note")
            error: root.errorFor("note")
            placeholderText: qsTr("optional")
        }
    }
}
