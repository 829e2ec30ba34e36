// SPDX-License-Identifier: GPL-3.0-or-later
// One asset: its register data, its value chain (four phases, sub-phases with states and dated
// events), its deadlines and documents; edit it, and sign what happens to it through its dialogs.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

Item {
    id: root

    property string backTitle: qsTr("Portfolio")

    signal backRequested()
    signal editRequested()
    signal proofRequested(int entryIndex)
    signal lineageRequested(string assetId)

    readonly property var asset: AssetController.asset
    readonly property bool hasAsset: (root.asset.id ?? "").length > 0
    // Narrow windows leave the type and phase to the register card and the value chain: the actions
    // keep their room.
    readonly property bool narrow: root.width < 1040
    readonly property bool dialogOpen: eventDialog.visible || markPaidDialog.visible || licenceDialog.visible
                                       || derivationDialog.visible || approveDialog.visible || assignDialog.visible

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Back, identity of the asset, actions. Anchored, not a RowLayout: Qt 6.4's layouts can miss
        // the first size change of items that were filled in while the page was hidden.
        Item {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing * 2
            Layout.topMargin: Theme.smallSpacing
            implicitHeight: 44

            Button {
                id: backButton
                objectName: "backButton"
                anchors.left: parent.left
                anchors.verticalCenter: parent.verticalCenter
                text: "← " + root.backTitle
                flat: true
                onClicked: root.backRequested()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Back (Alt+Left, Escape)")
            }
            Rectangle {
                id: separator
                anchors.left: backButton.right
                anchors.leftMargin: Theme.spacing
                anchors.verticalCenter: parent.verticalCenter
                width: 1
                height: 24
                color: Theme.border
            }
            Label {
                id: referenceLabel
                objectName: "assetReference"
                anchors.left: separator.right
                anchors.leftMargin: Theme.spacing * 1.5
                anchors.verticalCenter: parent.verticalCenter
                text: root.asset.reference ?? ""
                font.family: Theme.monoFont
                font.pixelSize: 16
                font.bold: true
                color: Theme.text
            }
            Label {
                id: typeLabel
                anchors.left: referenceLabel.right
                anchors.leftMargin: Theme.spacing
                anchors.verticalCenter: parent.verticalCenter
                visible: !root.narrow
                text: root.asset.typeTitle ?? ""
                color: Theme.mutedText
            }
            PhaseBadge {
                visible: !root.narrow && phaseId.length > 0
                anchors.left: typeLabel.right
                anchors.leftMargin: Theme.spacing
                anchors.verticalCenter: parent.verticalCenter
                phaseId: root.asset.currentPhase ?? ""
                text: {
                    const p = AssetController.phases.find(ph => ph.current)
                    return p ? qsTr("%1 phase").arg(p.title) : ""
                }
            }
            Row {
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                spacing: Theme.spacing
                BusyIndicator {
                    anchors.verticalCenter: parent.verticalCenter
                    running: AssetController.busy || AssetController.loading
                    visible: running
                    width: 24
                    height: 24
                }
                Button {
                    objectName: "grantLicenceButton"
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Grant licence…")
                    enabled: root.hasAsset && !AssetController.busy
                    onClicked: licenceDialog.openForAsset()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("License this asset to another party: term, territory, derivatives, royalties")
                }
                Button {
                    objectName: "derivedFromButton"
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Derived from…")
                    enabled: root.hasAsset && !AssetController.busy
                    onClicked: derivationDialog.openForAsset()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Record an asset this one was made from, and the licence that allows it")
                }
                Button {
                    objectName: "lineageButton"
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Lineage")
                    enabled: root.hasAsset
                    onClicked: root.lineageRequested(root.asset.id)
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("What it was derived from and what derives from it, under which licences")
                }
                Button {
                    objectName: "editAssetButton"
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Edit…")
                    enabled: root.hasAsset && !AssetController.busy
                    onClicked: root.editRequested()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Change the register data; saving signs an update entry (Ctrl+E)")
                }
                Button {
                    id: moreButton
                    objectName: "moreAssetActions"
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("More ▾")
                    enabled: root.hasAsset && !AssetController.busy
                    onClicked: moreMenu.popup(moreButton, 0, moreButton.height)
                    Menu {
                        id: moreMenu
                        MenuItem {
                            objectName: "approveDerivationItem"
                            text: qsTr("Approve a derivative…")
                            onTriggered: approveDialog.openForAsset()
                        }
                        MenuItem {
                            objectName: "assignItem"
                            text: qsTr("Assign…")
                            onTriggered: assignDialog.openForAsset()
                        }
                    }
                }
            }
        }

        // Errors of what no dialog shows (an advance refused, an asset that does not exist).
        NoticeBar {
            objectName: "assetError"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.smallSpacing
            visible: text.length > 0 && !root.dialogOpen
            text: AssetController.assetError
            error: true
            onDismissed: AssetController.clearAssetError()
        }
        // What was signed, naming its entry.
        NoticeBar {
            objectName: "assetNotice"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.smallSpacing
            work: AssetController
            visible: text.length > 0 && !AssetController.busy && !root.dialogOpen
        }

        ScrollView {
            id: scroller
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                width: scroller.availableWidth
                spacing: Theme.spacing

                RegisterCard {
                    objectName: "assetHeader"
                    Layout.leftMargin: Theme.spacing * 2
                    Layout.rightMargin: Theme.spacing * 2
                }

                ValueChain {
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacing * 2
                    Layout.rightMargin: Theme.spacing * 2
                    onProofRequested: (entryIndex) => root.proofRequested(entryIndex)
                    onEventRequested: (subPhaseId, title) => eventDialog.openFor(subPhaseId, title)
                }

                // Deadlines and documents: side by side on wide screens, stacked otherwise.
                GridLayout {
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacing * 2
                    Layout.rightMargin: Theme.spacing * 2
                    Layout.bottomMargin: Theme.spacing * 2
                    columns: scroller.availableWidth >= 1400 ? 2 : 1
                    columnSpacing: Theme.spacing
                    rowSpacing: Theme.spacing

                    AssetDeadlines {
                        onMarkPaidRequested: (deadline) => markPaidDialog.openFor(deadline)
                    }
                    AssetDocuments {
                        onProofRequested: (entryIndex) => root.proofRequested(entryIndex)
                    }
                }
            }
        }
    }

    onVisibleChanged: if (visible) root.forceActiveFocus()   // Tab starts at Back

    Shortcut {
        sequences: ["Alt+Left", "Escape"]
        enabled: root.visible
        onActivated: root.backRequested()
    }
    Shortcut {
        sequence: "Ctrl+E"
        enabled: root.visible && root.hasAsset && !AssetController.busy
        onActivated: root.editRequested()
    }

    EventDialog {
        id: eventDialog
        objectName: "eventDialog"
        anchors.centerIn: parent
    }
    MarkPaidDialog {
        id: markPaidDialog
        objectName: "markPaidDialog"
        anchors.centerIn: parent
    }
    LicenceDialog {
        id: licenceDialog
        objectName: "licenceDialog"
        anchors.centerIn: parent
    }
    DerivationDialog {
        id: derivationDialog
        objectName: "derivationDialog"
        anchors.centerIn: parent
    }
    ApproveDialog {
        id: approveDialog
        objectName: "approveDialog"
        anchors.centerIn: parent
    }
    AssignDialog {
        id: assignDialog
        objectName: "assignDialog"
        anchors.centerIn: parent
    }
}
