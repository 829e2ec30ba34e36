// SPDX-License-Identifier: GPL-3.0-or-later
// The asset form: register a new asset or edit the open one; the controller checks every field as
// the user types and each field's message shows under it, all of them at once.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Dialog {
    id: root

    property bool isNew: false
    property var errors: ({})      // field → message, from AssetController.validateAsset
    property var touched: ({})     // fields the user changed: their errors show at once
    property bool pending: false
    property string saveError: ""

    signal saved(string assetId, bool wasNew)

    readonly property bool valid: Object.keys(root.errors).length === 0
    readonly property var labels: ({
        reference: qsTr("Reference"), title: qsTr("Title"), type: qsTr("Type"), status: qsTr("Status"),
        jurisdictions: qsTr("Jurisdictions"), filingDate: qsTr("Filing date"), priorityDate: qsTr("Priority date"),
        grantDate: qsTr("Grant date"), registrationDate: qsTr("Registration date"), expiryDate: qsTr("Expiry date"),
        family: qsTr("Family"), owners: qsTr("Owners"), identifiers: qsTr("Identifiers"), creators: qsTr("Creators"),
        tags: qsTr("Tags"), notes: qsTr("Notes")
    })
    // The first error, when it is on a field the user has not touched yet (e.g. an empty new form).
    readonly property string hiddenError: {
        for (const field of Object.keys(root.errors)) {
            if (!root.touched[field])
                return qsTr("%1: %2").arg(root.labels[field] ?? field).arg(root.errors[field])
        }
        return ""
    }
    readonly property var typeOptions: PortfolioController.typeOptions
    readonly property var statusOptions: {
        const list = [""]
        for (const s of PortfolioController.statusOptions)
            list.push(s)
        return list
    }
    readonly property var asset: AssetController.asset

    title: root.isNew ? qsTr("New asset") : qsTr("Edit %1").arg(root.asset.reference ?? "")
    modal: true
    focus: true
    Overlay.modal: Rectangle { color: Theme.dimmer }
    closePolicy: Popup.CloseOnEscape
    width: 800
    // As tall as the form, at most the window less a margin (then it scrolls).
    height: Math.min(root.implicitHeight, (root.parent ? root.parent.height : 720) - Theme.spacing * 6)
    padding: Theme.spacing * 2

    function fields(): var {
        return {
            new: root.isNew,
            reference: referenceField.text,
            title: titleField.text,
            type: typeCombo.currentIndex >= 0 ? root.typeOptions[typeCombo.currentIndex].id : "",
            status: statusCombo.currentIndex >= 0 ? root.statusOptions[statusCombo.currentIndex] : "",
            jurisdictions: jurisdictionsField.text,
            priorityDate: priorityField.text,
            filingDate: filingField.text,
            grantDate: grantField.text,
            registrationDate: registrationField.text,
            expiryDate: expiryField.text,
            family: familyField.text,
            owners: ownersField.text,
            identifiers: identifiersField.text,
            creators: creatorsField.text,
            tags: tagsField.text,
            notes: notesField.text
        }
    }
    function validate(): void {
        root.errors = AssetController.validateAsset(root.fields())
    }
    function touch(field: string): void {
        if (root.touched[field])
            return
        const t = Object.assign({}, root.touched)
        t[field] = true
        root.touched = t
    }
    function indexOfType(id: string): int {
        for (let i = 0; i < root.typeOptions.length; ++i) {
            if (root.typeOptions[i].id === id)
                return i
        }
        return 0
    }

    /** Opens the form for a new asset (empty) or for the open asset (its current values). */
    function openFor(asNew: bool): void {
        const a = asNew ? ({}) : root.asset
        root.isNew = asNew
        root.pending = false
        root.saveError = ""
        referenceField.text = a.reference ?? ""
        titleField.text = a.title ?? ""
        typeCombo.currentIndex = root.indexOfType(a.type ?? "patent")
        statusCombo.currentIndex = Math.max(0, root.statusOptions.indexOf(a.status ?? ""))
        jurisdictionsField.text = a.jurisdictions ?? ""
        priorityField.text = a.priorityDate ?? ""
        filingField.text = a.filingDate ?? ""
        grantField.text = a.grantDate ?? ""
        registrationField.text = a.registrationDate ?? ""
        expiryField.text = a.expiryDate ?? ""
        familyField.text = a.family ?? ""
        ownersField.text = a.ownersText ?? ""
        identifiersField.text = a.identifiersText ?? ""
        creatorsField.text = a.creators ?? ""
        tagsField.text = a.tags ?? ""
        notesField.text = a.notes ?? ""
        root.touched = asNew ? ({}) : root.labels   // editing: every message shows
        root.validate()
        root.open()
        referenceField.forceActiveFocus()
    }
    function save(): void {
        root.validate()
        if (!root.valid) {
            // Every message beside its field, also on fields the user has not touched yet.
            root.touched = Object.assign({}, root.touched, root.errors)
            return
        }
        if (AssetController.busy)
            return
        root.pending = true
        root.saveError = ""
        AssetController.saveAsset(root.fields(), root.isNew)
    }

    Connections {
        target: AssetController
        function onAssetSaved(assetId: string): void {
            if (!root.pending)
                return
            root.pending = false
            root.close()
            root.saved(assetId, root.isNew)
        }
        function onAssetErrorChanged(): void {
            if (root.pending && AssetController.assetError.length > 0) {
                root.pending = false
                root.saveError = AssetController.assetError
            }
        }
    }

    function errorFor(field: string): string {
        return root.touched[field] ? (root.errors[field] ?? "") : ""
    }
    function edited(field: string): void {
        root.touch(field)
        root.validate()
    }

    // A labelled text field with its message (or a hint) underneath. Inline components do not
    // see this file's ids: the form passes the label and the error in, and hears edits back.
    component FormField: ColumnLayout {
        id: formField
        required property string field
        property string label
        property string error
        property string hint
        property bool mono: false
        property alias text: input.text
        property alias placeholderText: input.placeholderText
        signal edited()
        signal accepted()
        Layout.fillWidth: true
        Layout.preferredWidth: 10
        Layout.alignment: Qt.AlignTop
        spacing: 2
        Label {
            text: formField.label
            color: formField.error.length > 0 ? Theme.danger : Theme.text
            font.pixelSize: 12
        }
        TextField {
            id: input
            objectName: "form_" + formField.field
            Layout.fillWidth: true
            implicitHeight: 30
            selectByMouse: true
            onTextEdited: formField.edited()
            onAccepted: formField.accepted()
            palette.base: formField.error.length > 0 ? Theme.dangerBackground : Theme.base
            Component.onCompleted: if (formField.mono) input.font.family = Theme.monoFont
        }
        Label {
            objectName: "formError_" + formField.field
            Layout.fillWidth: true
            visible: formField.error.length > 0 || formField.hint.length > 0
            text: formField.error.length > 0 ? "✗ " + formField.error : formField.hint
            color: formField.error.length > 0 ? Theme.danger : Theme.mutedText
            font.pixelSize: Theme.smallFont
            wrapMode: Text.Wrap
        }
    }
    component DateField: FormField {
        mono: true
        placeholderText: "YYYY-MM-DD"
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        ScrollView {
            id: formScroll
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                width: formScroll.availableWidth
                spacing: Theme.spacing

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing * 2
                    FormField {
                        id: referenceField
                        field: "reference"
                        label: root.labels.reference
                        error: root.errorFor("reference")
                        onEdited: root.edited("reference")
                        onAccepted: root.save()
                        mono: true
                        placeholderText: qsTr("docket number, e.g. MBG-P037-EP")
                    }
                    FormField {
                        id: titleField
                        field: "title"
                        label: root.labels.title
                        error: root.errorFor("title")
                        onEdited: root.edited("title")
                        onAccepted: root.save()
                        Layout.preferredWidth: 20
                        placeholderText: qsTr("e.g. Lipid nanoparticle formulation for mRNA delivery")
                    }
                }

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing * 2
                    ColumnLayout {
                        Layout.fillWidth: true
                        Layout.preferredWidth: 10
                        Layout.alignment: Qt.AlignTop
                        spacing: 2
                        Label { text: root.labels.type; font.pixelSize: 12; color: Theme.text }
                        ComboBox {
                            id: typeCombo
                            objectName: "form_type"
                            Layout.fillWidth: true
                            implicitHeight: 30
                            model: root.typeOptions
                            textRole: "title"
                            valueRole: "id"
                            onActivated: root.edited("type")
                        }
                        Label {
                            objectName: "formError_type"
                            Layout.fillWidth: true
                            visible: root.errorFor("type").length > 0
                            text: "✗ " + root.errorFor("type")
                            color: Theme.danger
                            font.pixelSize: Theme.smallFont
                            wrapMode: Text.Wrap
                        }
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        Layout.preferredWidth: 10
                        Layout.alignment: Qt.AlignTop
                        spacing: 2
                        Label { text: root.labels.status; font.pixelSize: 12; color: Theme.text }
                        ComboBox {
                            id: statusCombo
                            objectName: "form_status"
                            Layout.fillWidth: true
                            implicitHeight: 30
                            model: root.statusOptions
                            displayText: currentIndex > 0 ? currentText : qsTr("— none —")
                            onActivated: root.edited("status")
                        }
                        Label {
                            objectName: "formError_status"
                            Layout.fillWidth: true
                            visible: root.errorFor("status").length > 0
                            text: "✗ " + root.errorFor("status")
                            color: Theme.danger
                            font.pixelSize: Theme.smallFont
                            wrapMode: Text.Wrap
                        }
                    }
                    FormField {
                        id: jurisdictionsField
                        field: "jurisdictions"
                        label: root.labels.jurisdictions
                        error: root.errorFor("jurisdictions")
                        onEdited: root.edited("jurisdictions")
                        onAccepted: root.save()
                        mono: true
                        placeholderText: qsTr("EP, or US;CA")
                    }
                    FormField {
                        id: familyField
                        field: "family"
                        label: root.labels.family
                        error: root.errorFor("family")
                        onEdited: root.edited("family")
                        onAccepted: root.save()
                        mono: true
                        placeholderText: qsTr("first filing's reference")
                    }
                }

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing * 2
                    DateField {
                        id: priorityField
                        field: "priorityDate"
                        label: root.labels.priorityDate
                        error: root.errorFor("priorityDate")
                        onEdited: root.edited("priorityDate")
                        onAccepted: root.save()
                    }
                    DateField {
                        id: filingField
                        field: "filingDate"
                        label: root.labels.filingDate
                        error: root.errorFor("filingDate")
                        onEdited: root.edited("filingDate")
                        onAccepted: root.save()
                    }
                    DateField {
                        id: grantField
                        field: "grantDate"
                        label: root.labels.grantDate
                        error: root.errorFor("grantDate")
                        onEdited: root.edited("grantDate")
                        onAccepted: root.save()
                    }
                    DateField {
                        id: registrationField
                        field: "registrationDate"
                        label: root.labels.registrationDate
                        error: root.errorFor("registrationDate")
                        onEdited: root.edited("registrationDate")
                        onAccepted: root.save()
                    }
                    DateField {
                        id: expiryField
                        field: "expiryDate"
                        label: root.labels.expiryDate
                        error: root.errorFor("expiryDate")
                        onEdited: root.edited("expiryDate")
                        onAccepted: root.save()
                    }
                }

                FormField {
                    id: ownersField
                    field: "owners"
                    label: root.labels.owners
                    error: root.errorFor("owners")
                    onEdited: root.edited("owners")
                    onAccepted: root.save()
                    placeholderText: qsTr("empty: %1 owns 100 %").arg(Session.organisationName)
                    hint: qsTr("Name:basis-points;Name:basis-points — shares in basis points summing to 10000 (6000 = 60 %)")
                }

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing * 2
                    FormField {
                        id: identifiersField
                        field: "identifiers"
                        label: root.labels.identifiers
                        error: root.errorFor("identifiers")
                        onEdited: root.edited("identifiers")
                        onAccepted: root.save()
                        mono: true
                        placeholderText: qsTr("application:EP23712345.6;DOI:10.1000/182")
                        hint: qsTr("SCHEME:value;SCHEME:value")
                    }
                    FormField {
                        id: creatorsField
                        field: "creators"
                        label: root.labels.creators
                        error: root.errorFor("creators")
                        onEdited: root.edited("creators")
                        onAccepted: root.save()
                        placeholderText: qsTr("Dr. Lena Hofmann; Dr. Arjun Mehta")
                        hint: qsTr("Inventors, authors; separated by ;")
                    }
                }

                FormField {
                    id: tagsField
                    field: "tags"
                    label: root.labels.tags
                    error: root.errorFor("tags")
                    onEdited: root.edited("tags")
                    onAccepted: root.save()
                    placeholderText: qsTr("platform; biotech")
                }

                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Label { text: root.labels.notes; font.pixelSize: 12; color: Theme.text }
                    TextArea {
                        id: notesField
                        objectName: "form_notes"
                        Layout.fillWidth: true
                        Layout.preferredHeight: 64
                        wrapMode: TextEdit.Wrap
                        selectByMouse: true
                        onTextChanged: if (activeFocus) root.edited("notes")
                        background: Rectangle {
                            color: Theme.base
                            border.color: notesField.activeFocus ? Theme.accent : Theme.border
                            radius: 2
                        }
                    }
                    Label {
                        objectName: "formError_notes"
                        visible: root.errorFor("notes").length > 0
                        text: "✗ " + root.errorFor("notes")
                        color: Theme.danger
                        font.pixelSize: Theme.smallFont
                    }
                }
            }
        }

        Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                objectName: "formStatus"
                Layout.fillWidth: true
                text: root.saveError.length > 0 ? "✗ " + root.saveError
                    : root.hiddenError.length > 0 ? qsTr("To save: %1").arg(root.hiddenError)
                    : !root.valid ? qsTr("Correct the fields marked in red to save.")
                    : root.isNew ? qsTr("Saving signs a register-asset entry with your identity.")
                    : qsTr("Saving signs an update-asset entry with your identity.")
                color: root.saveError.length > 0 || !root.valid ? Theme.danger : Theme.mutedText
                wrapMode: Text.Wrap
                font.pixelSize: 12
            }
            BusyIndicator {
                running: root.pending
                visible: root.pending
                implicitWidth: 24
                implicitHeight: 24
            }
            Button {
                objectName: "formCancel"
                text: qsTr("Cancel")
                onClicked: root.close()
            }
            Button {
                objectName: "formSave"
                text: root.isNew ? qsTr("Register") : qsTr("Save")
                highlighted: true
                enabled: root.valid && !root.pending && !AssetController.busy
                onClicked: root.save()
            }
        }
    }
}
