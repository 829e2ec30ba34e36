// SPDX-License-Identifier: GPL-3.0-or-later
// The Lineage area: the derivation graph around one asset (ancestors above, descendants below),
// with the selected asset's licences, royalty stack and legal-status flags beside it.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Cartulary.Model

Item {
    id: root

    signal assetRequested(string assetId)

    readonly property var focusInfo: LineageController.focus
    readonly property bool hasGraph: LineageController.assetId.length > 0
    /** What the side pane shows: the focus until a node is clicked (read off the GUI thread). */
    readonly property var details: LineageController.selection

    function exportAs(format: string): void {
        exportDialog.format = format
        exportDialog.currentFile = "file:///" + (root.focusInfo.reference ?? "lineage") + "." + format
        exportDialog.open()
    }

    Connections {
        target: LineageController
        function onFocusChanged(): void {
            // A new focus starts without a selection (the controller's too): pane and graph agree.
            graphView.select("")
        }
    }
    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Toolbar: which asset, how deep, what to highlight, export.
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            spacing: Theme.spacing

            TextField {
                id: assetField
                objectName: "lineageAssetField"
                Layout.preferredWidth: 220
                placeholderText: qsTr("Asset reference, e.g. MBG-M003")
                text: root.focusInfo.reference ?? ""
                onAccepted: LineageController.show(assetField.text.trim())
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Type a reference and press Enter")
            }
            Label {
                text: qsTr("Depth")
                color: Theme.mutedText
            }
            SpinBox {
                id: depthBox
                objectName: "lineageDepth"
                from: 1
                to: 20
                value: LineageController.depth
                editable: true
                onValueModified: LineageController.depth = depthBox.value
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Generations shown above and below the asset")
            }
            Label {
                text: qsTr("Highlight")
                color: Theme.mutedText
            }
            ComboBox {
                id: highlightBox
                objectName: "lineageHighlight"
                Layout.preferredWidth: 210
                textRole: "text"
                valueRole: "value"
                model: [
                    { value: "lineage", text: qsTr("Ancestors and descendants") },
                    { value: "ancestors", text: qsTr("Ancestors") },
                    { value: "descendants", text: qsTr("Descendants") },
                    { value: "none", text: qsTr("Nothing") }
                ]
                ToolTip.visible: hovered
                ToolTip.text: qsTr("What clicking an asset highlights")
            }
            BusyIndicator {
                running: LineageController.loading || LineageController.scene.busy || LineageController.selectionLoading
                visible: running
                Layout.preferredWidth: 24
                Layout.preferredHeight: 24
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                color: Theme.mutedText
                visible: root.hasGraph
                text: {
                    const f = LineageController.focus
                    if (!f.reference)
                        return ""
                    let t = qsTr("%1 shown: %2, %3").arg(f.shown)
                        .arg(f.ancestorCount === 1 ? qsTr("1 ancestor") : qsTr("%1 ancestors").arg(f.ancestorCount))
                        .arg(f.descendantCount === 1 ? qsTr("1 descendant") : qsTr("%1 descendants").arg(f.descendantCount))
                    if (f.omitted > 0)
                        t += " · " + qsTr("%1 more not drawn (nearest %2 shown)").arg(f.omitted).arg(LineageController.maxNodes)
                    return t
                }
            }
            Button {
                objectName: "lineageExport"
                text: qsTr("Export…")
                enabled: root.hasGraph
                onClicked: exportMenu.popup(this, 0, height)
                Menu {
                    id: exportMenu
                    MenuItem { text: qsTr("DOT (Graphviz source)"); onTriggered: root.exportAs("dot") }
                    MenuItem { text: qsTr("SVG"); onTriggered: root.exportAs("svg") }
                    MenuItem { text: qsTr("PDF"); onTriggered: root.exportAs("pdf") }
                    MenuItem { text: qsTr("PNG"); onTriggered: root.exportAs("png") }
                }
            }
        }

        NoticeBar {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            visible: text.length > 0
            text: LineageController.errorString.length > 0 ? LineageController.errorString : LineageController.notice
            error: LineageController.errorString.length > 0 || LineageController.noticeIsError
            onDismissed: LineageController.clearNotice()
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: Theme.border
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            // The graph, or where to start.
            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true

                GraphView {
                    id: graphView
                    objectName: "lineageGraph"
                    anchors.fill: parent
                    visible: root.hasGraph
                    scene: LineageController.scene
                    selectionHighlight: highlightBox.currentValue ?? "lineage"
                    onNodeClicked: (assetId) => LineageController.select(assetId)
                    // Click: the pane explains the asset; double-click: its page.
                    onNodeActivated: (assetId) => root.assetRequested(assetId)
                }

                ColumnLayout {
                    anchors.centerIn: parent
                    width: Math.min(parent.width - Theme.spacing * 4, 560)
                    visible: !root.hasGraph
                    spacing: Theme.spacing
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("No lineage shown yet")
                        font.pixelSize: 18
                        font.bold: true
                        color: Theme.text
                    }
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.WordWrap
                        color: Theme.mutedText
                        text: LineageController.suggestions.length > 0
                              ? qsTr("Choose an asset to see what it was derived from and what was derived from it, under which licences. These have the most derivations:")
                              : qsTr("No derivations are recorded yet. Record them with 'cartulary apply' (record-derivation, grant-licence; see COMMANDS.md), or open an asset and choose Lineage.")
                    }
                    Repeater {
                        model: LineageController.suggestions
                        delegate: ItemDelegate {
                            id: suggestion
                            required property var modelData
                            Layout.fillWidth: true
                            objectName: "lineageSuggestion_" + suggestion.modelData.reference
                            text: suggestion.modelData.reference + "  —  " + suggestion.modelData.title
                                  + "  (" + (suggestion.modelData.links === 1 ? qsTr("1 link")
                                             : qsTr("%1 links").arg(suggestion.modelData.links)) + ")"
                            onClicked: LineageController.show(suggestion.modelData.id)
                        }
                    }
                }
            }

            Rectangle {
                Layout.fillHeight: true
                implicitWidth: 1
                color: Theme.border
                visible: root.hasGraph
            }

            // The selected asset: what it owes up its chain and what is wrong above it.
            ScrollView {
                id: pane
                objectName: "lineageDetails"
                Layout.fillHeight: true
                Layout.preferredWidth: 340
                visible: root.hasGraph
                contentWidth: availableWidth
                clip: true

                ColumnLayout {
                    width: pane.availableWidth - Theme.spacing * 2
                    x: Theme.spacing
                    spacing: Theme.smallSpacing

                    Item { implicitHeight: Theme.smallSpacing }
                    Label {
                        objectName: "lineageSelectedReference"
                        text: root.details.asset ? root.details.asset.reference : ""
                        font.family: Theme.monoFont
                        font.bold: true
                        font.pixelSize: 15
                        color: Theme.text
                    }
                    Label {
                        Layout.fillWidth: true
                        text: root.details.asset ? root.details.asset.title : ""
                        wrapMode: Text.WordWrap
                        color: Theme.text
                    }
                    Label {
                        Layout.fillWidth: true
                        text: root.details.asset
                              ? root.details.asset.type + " · " + root.details.asset.status + " · "
                                + root.details.asset.owners.map(o => o.name).join(", ")
                              : ""
                        wrapMode: Text.WordWrap
                        color: Theme.mutedText
                    }
                    RowLayout {
                        spacing: Theme.smallSpacing
                        Button {
                            objectName: "lineageOpenAsset"
                            text: qsTr("Open asset")
                            enabled: root.details.asset !== undefined
                            onClicked: root.assetRequested(root.details.asset.id)
                        }
                        Button {
                            text: qsTr("Centre here")
                            enabled: root.details.asset !== undefined && root.details.asset.id !== LineageController.assetId
                            onClicked: LineageController.show(root.details.asset.id)
                            ToolTip.visible: hovered
                            ToolTip.text: qsTr("Show this asset's own neighbourhood")
                        }
                    }

                    Label {
                        Layout.topMargin: Theme.spacing
                        text: qsTr("Royalty stack")
                        font.bold: true
                        color: Theme.text
                    }
                    Label {
                        objectName: "lineageStack"
                        Layout.fillWidth: true
                        wrapMode: Text.WordWrap
                        color: Theme.text
                        text: root.details.stack === root.details.activeStack
                              ? qsTr("%1 of its revenue goes up its chain").arg(root.details.stack ?? "")
                              : qsTr("%1 by the licences; %2 in effect today").arg(root.details.stack ?? "").arg(root.details.activeStack ?? "")
                    }
                    Repeater {
                        model: root.details.royalty_stack ? root.details.royalty_stack.shares : []
                        delegate: Label {
                            required property var modelData
                            Layout.fillWidth: true
                            wrapMode: Text.WordWrap
                            font.pixelSize: 12
                            color: modelData.active ? Theme.text : Theme.mutedText
                            font.strikeout: !modelData.active
                            text: qsTr("%1 to %2 (%3, %4, via %5)").arg(modelData.rate).arg(modelData.licensor)
                                  .arg(modelData.licence).arg(modelData.policy).arg(modelData.via_reference)
                                  + (modelData.active ? "" : " — " + modelData.inactive_reason)
                        }
                    }

                    Label {
                        Layout.topMargin: Theme.spacing
                        visible: flagsRepeater.count > 0
                        text: qsTr("⚠ Legal status (%1)").arg(flagsRepeater.count)
                        font.bold: true
                        color: Theme.warning
                    }
                    Repeater {
                        id: flagsRepeater
                        model: root.details.flags ?? []
                        delegate: Rectangle {
                            id: flagCard
                            required property var modelData
                            Layout.fillWidth: true
                            implicitHeight: flagText.implicitHeight + Theme.spacing
                            radius: 4
                            color: Theme.dangerBackground
                            Label {
                                id: flagText
                                anchors.fill: parent
                                anchors.margins: Theme.smallSpacing
                                wrapMode: Text.WordWrap
                                font.pixelSize: 12
                                color: Theme.text
                                text: "<b>" + flagCard.modelData.message + "</b><br/>" + flagCard.modelData.effect
                                textFormat: Text.StyledText
                            }
                        }
                    }

                    Label {
                        Layout.topMargin: Theme.spacing
                        text: qsTr("Derived from")
                        font.bold: true
                        color: Theme.text
                    }
                    Repeater {
                        model: (root.details.edges ?? []).filter(e => root.details.asset && e.child === root.details.asset.id)
                        delegate: Label {
                            required property var modelData
                            Layout.fillWidth: true
                            wrapMode: Text.WordWrap
                            font.pixelSize: 12
                            color: Theme.text
                            text: modelData.parent_reference + " — " + modelData.kind + " " + modelData.date + "\n"
                                  + (modelData.licence
                                     ? qsTr("under %1 (%2 → %3), %4 %5").arg(modelData.licence.reference)
                                           .arg(modelData.licence.licensor).arg(modelData.licence.licensee)
                                           .arg(modelData.licence.royalty).arg(modelData.licence.policy)
                                       + (modelData.licence.revoked ? " — " + qsTr("REVOKED %1").arg(modelData.licence.revoked) : "")
                                     : qsTr("no licence needed (same owners)"))
                        }
                    }
                    Label {
                        visible: root.details.edges !== undefined
                                 && root.details.edges.filter(e => root.details.asset && e.child === root.details.asset.id).length === 0
                        text: qsTr("Nothing: an original")
                        color: Theme.mutedText
                    }

                    Label {
                        Layout.topMargin: Theme.spacing
                        text: qsTr("Licences granted on it")
                        font.bold: true
                        color: Theme.text
                    }
                    Repeater {
                        model: root.details.licences ?? []
                        delegate: ColumnLayout {
                            id: licenceItem
                            required property var modelData
                            Layout.fillWidth: true
                            spacing: 2
                            Label {
                                Layout.fillWidth: true
                                wrapMode: Text.WordWrap
                                font.pixelSize: 12
                                color: licenceItem.modelData.revoked ? Theme.mutedText : Theme.text
                                text: licenceItem.modelData.terms
                                      + (licenceItem.modelData.revoked ? "\n" + qsTr("Revoked %1").arg(licenceItem.modelData.revoked) : "")
                            }
                            Button {
                                objectName: "revokeLicence_" + licenceItem.modelData.reference
                                visible: !licenceItem.modelData.revoked && licenceItem.modelData.revocableOn.length > 0
                                text: qsTr("Revoke…")
                                onClicked: revokeDialog.openFor(licenceItem.modelData.reference, licenceItem.modelData.revocableOn)
                                ToolTip.visible: hovered
                                ToolTip.text: qsTr("End this licence for a condition its terms name")
                            }
                        }
                    }
                    Label {
                        visible: (root.details.licences ?? []).length === 0
                        text: qsTr("None")
                        color: Theme.mutedText
                    }
                    Item { implicitHeight: Theme.spacing }
                }
            }
        }
    }

    FileDialog {
        id: exportDialog
        property string format: "svg"
        title: qsTr("Export the graph as %1").arg(exportDialog.format.toUpperCase())
        fileMode: FileDialog.SaveFile
        nameFilters: [exportDialog.format.toUpperCase() + " (*." + exportDialog.format + ")"]
        onAccepted: LineageController.exportGraph(exportDialog.format, exportDialog.selectedFile)
    }

    RevokeDialog {
        id: revokeDialog
        objectName: "revokeDialog"
        anchors.centerIn: parent
    }
}
