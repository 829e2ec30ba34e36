// SPDX-License-Identifier: GPL-3.0-or-later
// Granting a licence on the open asset: parties, term, territory, use, derivatives, payment terms.
// Amounts and rates are typed as the user's locale writes them; the controller reads them exactly.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    readonly property var asset: AssetController.asset

    title: qsTr("Grant a licence on %1").arg(root.asset.reference ?? "")
    width: 680
    submitText: qsTr("Grant licence")
    submitName: "licenceSubmit"
    errorName: "licenceError"
    submitEnabled: referenceField.text.length > 0 && licenseeField.text.length > 0

    function openForAsset(): void {
        root.reset()
        for (const field of [referenceField, titleField, licenseeField, expiresField, territoryField,
                             fieldOfUseField, spdxField, royaltyField, upfrontField])
            field.text = ""
        licensorCombo.currentIndex = 0
        grantedField.setToday()
        currencyField.text = "EUR"
        derivativesCombo.currentIndex = 1
        policyCombo.currentIndex = 0
        for (const box of [exclusiveBox, shareAlikeBox, attributionBox, sublicensingBox, breachBox, controlBox])
            box.checked = false
        commercialBox.checked = true
        root.open()
        referenceField.focusField()
    }

    onSubmitted: root.run(AssetController.grantLicence({
        reference: referenceField.text,
        title: titleField.text,
        licensor: licensorCombo.currentText,
        licensee: licenseeField.text,
        granted: grantedField.text,
        expires: expiresField.text,
        territory: territoryField.text,
        field: fieldOfUseField.text,
        derivatives: derivativesCombo.currentValue,
        spdx: spdxField.text,
        exclusive: exclusiveBox.checked,
        commercial: commercialBox.checked,
        shareAlike: shareAlikeBox.checked,
        attribution: attributionBox.checked,
        sublicensing: sublicensingBox.checked,
        royalty: royaltyField.text,
        policy: policyCombo.currentValue,
        upfront: upfrontField.text,
        currency: currencyField.text,
        revocableOn: [breachBox.checked ? "breach" : "", controlBox.checked ? "change-of-control" : ""]
    }))

    FormGrid {

        DialogField {
            id: referenceField
            fieldName: "licenceReference"
            label: qsTr("Reference")
            error: root.errorFor("reference")
            mono: true
            placeholderText: "LIC-2026-001"
        }
        DialogField {
            id: titleField
            fieldName: "licenceTitle"
            label: qsTr("Title")
            error: root.errorFor("title")
            placeholderText: qsTr("e.g. Research licence")
        }
        LabeledField {
            label: qsTr("Licensor")
            error: root.errorFor("licensor")
            ComboBox {
                id: licensorCombo
                objectName: "licenceLicensor"
                Layout.fillWidth: true
                implicitHeight: 30
                model: (root.asset.owners ?? []).map(o => o.name)
            }
        }
        DialogField {
            id: licenseeField
            fieldName: "licenceLicensee"
            label: qsTr("Licensee")
            error: root.errorFor("licensee")
            placeholderText: qsTr("the party receiving it")
        }
        DateField {
            id: grantedField
            fieldName: "licenceGranted"
            label: qsTr("Granted")
            error: root.errorFor("granted")
        }
        DateField {
            id: expiresField
            fieldName: "licenceExpires"
            label: qsTr("Expires")
            error: root.errorFor("expires")
            placeholderText: qsTr("empty: no end")
        }
        DialogField {
            id: territoryField
            fieldName: "licenceTerritory"
            label: qsTr("Territory")
            error: root.errorFor("territory")
            mono: true
            placeholderText: qsTr("DE;AT — empty: worldwide")
        }
        DialogField {
            id: fieldOfUseField
            fieldName: "licenceField"
            label: qsTr("Field of use")
            error: root.errorFor("field")
            placeholderText: qsTr("empty: any")
        }
        LabeledField {
            label: qsTr("Derivatives")
            error: root.errorFor("derivatives")
            ComboBox {
                id: derivativesCombo
                objectName: "licenceDerivatives"
                Layout.fillWidth: true
                implicitHeight: 30
                textRole: "text"
                valueRole: "value"
                model: [
                    { value: "prohibited", text: qsTr("Prohibited") },
                    { value: "allowed", text: qsTr("Allowed") },
                    { value: "with-approval", text: qsTr("With the licensor's approval") }
                ]
            }
        }
        DialogField {
            id: spdxField
            fieldName: "licenceSpdx"
            label: qsTr("SPDX")
            error: root.errorFor("spdx")
            mono: true
            placeholderText: qsTr("e.g. CC-BY-SA-4.0 (optional)")
        }

        Flow {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            spacing: Theme.spacing
            CheckBox { id: commercialBox; text: qsTr("Commercial use") }
            CheckBox { id: exclusiveBox; text: qsTr("Exclusive") }
            CheckBox { id: shareAlikeBox; text: qsTr("Share-alike (reciprocal)") }
            CheckBox { id: attributionBox; text: qsTr("Attribution") }
            CheckBox { id: sublicensingBox; text: qsTr("Sublicensing") }
        }

        DialogField {
            id: royaltyField
            fieldName: "licenceRoyalty"
            label: qsTr("Royalty (% of derivatives' revenue)")
            error: root.errorFor("royalty")
            horizontalAlignment: TextInput.AlignRight
            placeholderText: Qt.locale().decimalPoint === "," ? "5,25" : "5.25"
        }
        LabeledField {
            label: qsTr("Policy")
            error: root.errorFor("policy")
            ComboBox {
                id: policyCombo
                Layout.fillWidth: true
                implicitHeight: 30
                textRole: "text"
                valueRole: "value"
                model: [
                    { value: "absolute", text: qsTr("Absolute: every descendant pays") },
                    { value: "relative", text: qsTr("Relative: the direct child pays") }
                ]
            }
        }
        DialogField {
            id: upfrontField
            fieldName: "licenceUpfront"
            label: qsTr("Upfront fee")
            error: root.errorFor("upfront")
            hint: qsTr("as you write amounts, e.g. %1").arg(AssetController.amountExample(currencyField.text))
            horizontalAlignment: TextInput.AlignRight
            placeholderText: "0"
        }
        DialogField {
            id: currencyField
            fieldName: "licenceCurrency"
            label: qsTr("Currency")
            error: root.errorFor("currency")
            mono: true
            Layout.fillWidth: false
            Layout.preferredWidth: 96
            placeholderText: "EUR"
        }

        LabeledField {
            Layout.columnSpan: 2
            label: qsTr("Revocable on")
            error: root.errorFor("revocableOn")
            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacing
                CheckBox { id: breachBox; text: qsTr("Breach") }
                CheckBox { id: controlBox; text: qsTr("Change of control") }
            }
        }
    }
}
