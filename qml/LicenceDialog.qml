// SPDX-License-Identifier: GPL-3.0-or-later
// Granting a licence on the open asset: parties, term, territory, use, derivatives, payment terms.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Dialog {
    id: root

    property bool pending: false
    property string errorText: ""
    readonly property var asset: PortfolioController.asset

    title: qsTr("Grant a licence on %1").arg(root.asset.reference ?? "")
    modal: true
    focus: true
    Overlay.modal: Rectangle { color: Theme.dimmer }
    width: 640
    closePolicy: Popup.CloseOnEscape

    function openForAsset(): void {
        root.pending = false
        root.errorText = ""
        for (const field of [referenceField, titleField, licenseeField, expiresField, territoryField,
                             fieldOfUseField, spdxField, royaltyField, upfrontField])
            field.text = ""
        licensorCombo.currentIndex = 0
        grantedField.text = Qt.formatDate(new Date(), "yyyy-MM-dd")
        currencyField.text = "EUR"
        derivativesCombo.currentIndex = 1
        policyCombo.currentIndex = 0
        for (const box of [exclusiveBox, shareAlikeBox, attributionBox, sublicensingBox, breachBox, controlBox])
            box.checked = false
        commercialBox.checked = true
        root.open()
        referenceField.forceActiveFocus()
    }
    /** Cents from "1,250.00" or "1250": the text form users type; the compiler checks the rest. */
    function minorUnits(text: string): int {
        const clean = text.replace(/,/g, "").trim()
        if (clean.length === 0)
            return 0
        const parts = clean.split(".")
        const cents = ((parts[1] ?? "") + "00").substring(0, 2)
        return parseInt(parts[0], 10) * 100 + parseInt(cents, 10)
    }
    function submit(): void {
        if (PortfolioController.busy)
            return
        const c = {
            command: "grant-licence",
            reference: referenceField.text.trim(),
            title: titleField.text.trim(),
            asset: root.asset.id,
            licensor: licensorCombo.currentText,
            licensee: licenseeField.text.trim(),
            granted: grantedField.text.trim(),
            exclusive: exclusiveBox.checked,
            commercial: commercialBox.checked,
            derivatives: derivativesCombo.currentValue,
            share_alike: shareAlikeBox.checked,
            attribution: attributionBox.checked,
            sublicensing: sublicensingBox.checked,
            policy: policyCombo.currentValue,
            currency: currencyField.text.trim(),
            revocable_on: [breachBox.checked ? "breach" : "", controlBox.checked ? "change-of-control" : ""].filter(r => r.length > 0)
        }
        const optional = { expires: expiresField, territory: territoryField, field: fieldOfUseField,
                           spdx: spdxField, royalty: royaltyField }
        for (const key in optional) {
            if (optional[key].text.trim().length > 0)
                c[key] = optional[key].text.trim()
        }
        const upfront = root.minorUnits(upfrontField.text)
        if (isNaN(upfront)) {
            root.errorText = qsTr("upfront: '%1' is not an amount like 1,250.00").arg(upfrontField.text)
            return
        }
        c.upfront_minor = upfront
        root.pending = true
        root.errorText = ""
        PortfolioController.applyCommand(c, qsTr("Granted licence %1").arg(c.reference))
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
        columns: 4
        columnSpacing: Theme.spacing
        rowSpacing: Theme.smallSpacing

        Label { text: qsTr("Reference"); color: Theme.text }
        TextField { id: referenceField; objectName: "licenceReference"; Layout.fillWidth: true; placeholderText: "LIC-2026-001" }
        Label { text: qsTr("Title"); color: Theme.text }
        TextField { id: titleField; objectName: "licenceTitle"; Layout.fillWidth: true; placeholderText: qsTr("e.g. Research licence") }

        Label { text: qsTr("Licensor"); color: Theme.text }
        ComboBox {
            id: licensorCombo
            objectName: "licenceLicensor"
            Layout.fillWidth: true
            model: (root.asset.owners ?? []).map(o => o.name)
        }
        Label { text: qsTr("Licensee"); color: Theme.text }
        TextField { id: licenseeField; objectName: "licenceLicensee"; Layout.fillWidth: true; placeholderText: qsTr("the party receiving it") }

        Label { text: qsTr("Granted"); color: Theme.text }
        TextField { id: grantedField; objectName: "licenceGranted"; Layout.fillWidth: true; font.family: Theme.monoFont; placeholderText: "YYYY-MM-DD" }
        Label { text: qsTr("Expires"); color: Theme.text }
        TextField { id: expiresField; Layout.fillWidth: true; font.family: Theme.monoFont; placeholderText: qsTr("YYYY-MM-DD, empty: no end") }

        Label { text: qsTr("Territory"); color: Theme.text }
        TextField { id: territoryField; Layout.fillWidth: true; placeholderText: qsTr("DE;AT — empty: worldwide") }
        Label { text: qsTr("Field of use"); color: Theme.text }
        TextField { id: fieldOfUseField; Layout.fillWidth: true; placeholderText: qsTr("empty: any") }

        Label { text: qsTr("Derivatives"); color: Theme.text }
        ComboBox {
            id: derivativesCombo
            objectName: "licenceDerivatives"
            Layout.fillWidth: true
            textRole: "text"
            valueRole: "value"
            model: [
                { value: "prohibited", text: qsTr("Prohibited") },
                { value: "allowed", text: qsTr("Allowed") },
                { value: "with-approval", text: qsTr("With the licensor's approval") }
            ]
        }
        Label { text: qsTr("SPDX"); color: Theme.text }
        TextField { id: spdxField; Layout.fillWidth: true; placeholderText: qsTr("e.g. CC-BY-SA-4.0 (optional)") }

        Flow {
            Layout.columnSpan: 4
            Layout.fillWidth: true
            spacing: Theme.spacing
            CheckBox { id: commercialBox; text: qsTr("Commercial use") }
            CheckBox { id: exclusiveBox; text: qsTr("Exclusive") }
            CheckBox { id: shareAlikeBox; text: qsTr("Share-alike (reciprocal)") }
            CheckBox { id: attributionBox; text: qsTr("Attribution") }
            CheckBox { id: sublicensingBox; text: qsTr("Sublicensing") }
        }

        Label { text: qsTr("Royalty"); color: Theme.text }
        TextField {
            id: royaltyField
            objectName: "licenceRoyalty"
            Layout.fillWidth: true
            placeholderText: qsTr("% of derivatives' revenue, e.g. 5.25")
            horizontalAlignment: Text.AlignRight
        }
        Label { text: qsTr("Policy"); color: Theme.text }
        ComboBox {
            id: policyCombo
            Layout.fillWidth: true
            textRole: "text"
            valueRole: "value"
            model: [
                { value: "absolute", text: qsTr("Absolute: every descendant pays") },
                { value: "relative", text: qsTr("Relative: the direct child pays") }
            ]
        }

        Label { text: qsTr("Upfront fee"); color: Theme.text }
        TextField { id: upfrontField; Layout.fillWidth: true; placeholderText: "0.00"; horizontalAlignment: Text.AlignRight }
        Label { text: qsTr("Currency"); color: Theme.text }
        TextField { id: currencyField; Layout.preferredWidth: 80; font.family: Theme.monoFont }

        Label { text: qsTr("Revocable on"); color: Theme.text }
        Flow {
            Layout.columnSpan: 3
            Layout.fillWidth: true
            spacing: Theme.spacing
            CheckBox { id: breachBox; text: qsTr("Breach") }
            CheckBox { id: controlBox; text: qsTr("Change of control") }
        }

        Label {
            objectName: "licenceError"
            Layout.columnSpan: 4
            Layout.fillWidth: true
            visible: root.errorText.length > 0
            text: "✗ " + root.errorText
            color: Theme.danger
            wrapMode: Text.Wrap
        }

        RowLayout {
            Layout.columnSpan: 4
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: qsTr("Signed into the ledger with your identity.")
                color: Theme.mutedText
                font.pixelSize: Theme.smallFont
            }
            Button { text: qsTr("Cancel"); onClicked: root.close() }
            Button {
                objectName: "licenceSubmit"
                text: qsTr("Grant licence")
                highlighted: true
                enabled: !PortfolioController.busy && referenceField.text.length > 0 && licenseeField.text.length > 0
                onClicked: root.submit()
            }
        }
    }
}
