// SPDX-License-Identifier: GPL-3.0-or-later
// The open asset's register data: title, type, status, jurisdictions, dates, owners, identifiers,
// creators, tags, the key that controls it, notes.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Panel {
    id: root

    readonly property var asset: AssetController.asset

    function ownersText(owners: var): string {
        if (!owners)
            return ""
        return owners.map(o => owners.length > 1 ? qsTr("%1 (%2)").arg(o.name).arg(o.percent) : o.name).join(" · ")
    }
    function identifiersText(identifiers: var): string {
        return (identifiers ?? []).map(i => i.scheme + " " + i.value).join(" · ")
    }

    Label {
        objectName: "assetTitle"
        Layout.fillWidth: true
        text: root.asset.title ?? ""
        font.pixelSize: 18
        font.bold: true
        wrapMode: Text.Wrap
        color: Theme.text
        bottomPadding: Theme.smallSpacing
    }

    GridLayout {
        Layout.fillWidth: true
        columns: 8
        columnSpacing: Theme.spacing
        rowSpacing: 2

        Key { text: qsTr("Type") }
        Value { value: root.asset.typeTitle ?? "" }
        Key { text: qsTr("Status") }
        Value { objectName: "assetStatus"; value: root.asset.status ?? "" }
        Key { text: qsTr("Jurisdictions") }
        Value { value: (root.asset.jurisdictions ?? "").split(";").join(", ") }
        Key { text: qsTr("Family") }
        Value { value: root.asset.family ?? ""; mono: true }

        Key { text: qsTr("Priority") }
        Value { value: root.asset.priorityDate ?? ""; mono: true }
        Key { text: qsTr("Filing") }
        Value { value: root.asset.filingDate ?? ""; mono: true }
        Key { text: qsTr("Grant") }
        Value { value: root.asset.grantDate ?? ""; mono: true }
        Key { text: qsTr("Registration") }
        Value { value: root.asset.registrationDate ?? ""; mono: true }

        Key { text: qsTr("Expiry") }
        Value { value: root.asset.expiryDate ?? ""; mono: true }
        Key { text: qsTr("Owners") }
        Value {
            objectName: "assetOwners"
            Layout.columnSpan: 5
            value: root.ownersText(root.asset.owners)
        }

        Key { text: qsTr("Identifiers") }
        Value {
            Layout.columnSpan: 3
            value: root.identifiersText(root.asset.identifiers)
        }
        Key { text: qsTr("Creators") }
        Value {
            Layout.columnSpan: 3
            value: root.asset.creators ?? ""
        }

        Key { text: qsTr("Tags") }
        Value {
            Layout.columnSpan: 3
            value: root.asset.tags ?? ""
        }
        Key {
            text: qsTr("Controller")
            HoverHandler { id: controllerHover }
            ToolTip.visible: controllerHover.hovered
            ToolTip.text: qsTr("Fingerprint of the key that controls the asset: only it may change the asset.")
        }
        Value {
            Layout.columnSpan: 3
            value: root.asset.controller ?? ""
            mono: true
        }

        Key { text: qsTr("Notes"); visible: (root.asset.notes ?? "").length > 0 }
        Value {
            Layout.columnSpan: 7
            visible: (root.asset.notes ?? "").length > 0
            value: root.asset.notes ?? ""
        }
    }
}
