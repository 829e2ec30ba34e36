// SPDX-License-Identifier: GPL-3.0-or-later
// The application window: identity gate first, then sidebar areas with a header showing ledger state.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

ApplicationWindow {
    id: root

    width: 1280
    height: 800
    minimumWidth: 960
    minimumHeight: 600
    visible: true
    title: Session.organisationName.length > 0 ? qsTr("Cartulary — %1").arg(Session.organisationName)
                                               : qsTr("Cartulary")
    color: Theme.window

    palette.window: Theme.window
    palette.windowText: Theme.text
    palette.base: Theme.base
    palette.alternateBase: Theme.alternateBase
    palette.text: Theme.text
    palette.button: Theme.base
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.highlightedText
    palette.placeholderText: Theme.mutedText
    palette.mid: Theme.border

    readonly property bool unlocked: Session.state === Session.Unlocked
    property bool assetShown: false
    property int returnArea: -1     // the area Back returns to, when the asset was opened elsewhere

    function openAsset(assetId: string, fromArea: int): void {
        AssetController.openAsset(assetId)
        AssetController.clearNotice()   // an old notice says nothing about this asset
        root.showAsset(fromArea)
    }
    // Shows the controller's open asset; Back returns to fromArea (-1: the asset list).
    function showAsset(fromArea: int): void {
        root.returnArea = fromArea
        root.assetShown = true
        sidebar.currentIndex = 0
    }
    function closeAsset(): void {
        root.assetShown = false
        if (root.returnArea >= 0)
            sidebar.currentIndex = root.returnArea
        root.returnArea = -1
    }
    function showLineage(assetId: string): void {
        LineageController.show(assetId)
        sidebar.currentIndex = 2
    }
    function showEntry(entryIndex: int): void {
        ledgerPage.selectedIndex = entryIndex
        sidebar.currentIndex = 4
    }

    header: StatusHeader {
        visible: root.unlocked
        onErrorLogRequested: errorLog.open()
    }

    IdentityPage {
        anchors.fill: parent
        visible: !root.unlocked
    }

    RowLayout {
        anchors.fill: parent
        visible: root.unlocked
        spacing: 0

        Sidebar {
            id: sidebar
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.sidebarWidth
            // Portfolio chosen again while an asset is open: back to the list.
            onAreaReselected: (index) => {
                if (index === 0 && root.assetShown) {
                    root.returnArea = -1
                    root.closeAsset()
                }
            }
        }

        StackLayout {
            id: areas
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: sidebar.currentIndex

            // Portfolio: the table, and over it the page of one asset (the sidebar stays here).
            StackLayout {
                id: portfolioArea
                objectName: "portfolioArea"
                currentIndex: root.assetShown ? 1 : 0

                PortfolioPage {
                    objectName: "portfolioPage"
                    onAssetRequested: (assetId) => root.openAsset(assetId, -1)
                    onNewAssetRequested: assetForm.openFor(true)
                }
                AssetPage {
                    id: assetPage
                    objectName: "assetPage"
                    backTitle: root.returnArea === 1 ? qsTr("Deadlines")
                             : root.returnArea === 2 ? qsTr("Lineage") : qsTr("Portfolio")
                    onBackRequested: root.closeAsset()
                    onEditRequested: assetForm.openFor(false)
                    onProofRequested: (entryIndex) => root.showEntry(entryIndex)
                    onLineageRequested: (assetId) => root.showLineage(assetId)
                }
            }

            DeadlinesPage {
                objectName: "deadlinesPage"
                onAssetRequested: (assetId) => root.openAsset(assetId, 1)
            }

            LineagePage {
                objectName: "lineagePage"
                onAssetRequested: (assetId) => root.openAsset(assetId, 2)
            }

            RoyaltiesPage {
                objectName: "royaltiesPage"
            }

            LedgerPage {
                id: ledgerPage
                objectName: "ledgerPage"
            }
        }
    }

    AssetForm {
        id: assetForm
        objectName: "assetForm"
        anchors.centerIn: parent
        onClosed: AssetController.clearAssetError()   // the form showed it
        // A new asset is the controller's open asset once saved: show it, with its notice.
        onSaved: (assetId, wasNew) => {
            if (wasNew)
                root.showAsset(-1)
        }
    }

    ErrorLogDialog {
        id: errorLog
        anchors.centerIn: parent
    }

    Shortcut {
        sequence: "Ctrl+Shift+D"
        onActivated: Theme.dark = !Theme.dark
    }
}
