// SPDX-License-Identifier: GPL-3.0-or-later
// One asset: its register data, its value chain (four phases, sub-phases with states and dated
// events), its documents and deadlines; edit, advance, record events, mark fees paid.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Shapes
import QtQuick.Dialogs
import Cartulary.Model

Item {
    id: root

    property string backTitle: qsTr("Portfolio")

    signal backRequested()
    signal editRequested()
    signal proofRequested(int entryIndex)
    signal lineageRequested(string assetId)

    readonly property var asset: PortfolioController.asset
    readonly property bool hasAsset: (root.asset.id ?? "").length > 0
    // A dismissed error stays hidden until a different one comes.
    property string dismissedError: ""

    /** Hides the current asset error: the dialog that showed it was closed. */
    function acknowledgeError(): void {
        root.dismissedError = PortfolioController.assetError
    }

    function today(): string {
        return Qt.formatDate(new Date(), "yyyy-MM-dd")
    }
    function stateTitle(state: string): string {
        switch (state) {
        case "not-started": return qsTr("Not started")
        case "in-progress": return qsTr("In progress")
        case "done": return qsTr("Done")
        case "not-applicable": return qsTr("Not applicable")
        }
        return state
    }
    function orDash(text: var): string {
        return text !== undefined && String(text).length > 0 ? String(text) : "—"
    }
    function ownersText(owners: var): string {
        if (!owners)
            return "—"
        return owners.map(o => owners.length > 1 ? qsTr("%1 (%2 %)").arg(o.name).arg(o.percent) : o.name).join(" · ")
    }
    function identifiersText(identifiers: var): string {
        if (!identifiers || identifiers.length === 0)
            return "—"
        return identifiers.map(i => i.scheme + " " + i.value).join(" · ")
    }
    function setState(state: string): void {
        if (subPhaseMenu.subState !== state)
            PortfolioController.setPhaseState(subPhaseMenu.subPhaseId, state)
    }
    function openSubPhaseMenu(button: Item, subPhase: var): void {
        subPhaseMenu.subPhaseId = subPhase.id
        subPhaseMenu.subPhaseTitle = subPhase.title
        subPhaseMenu.subState = subPhase.state
        subPhaseMenu.next = subPhase.next
        subPhaseMenu.nextTitle = subPhase.nextTitle
        subPhaseMenu.popup(button, 0, button.height)
    }

    Label {
        id: fontProbe   // the style's default font
        visible: false
    }

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
                text: root.asset.typeTitle ?? ""
                color: Theme.mutedText
            }
            PhaseBadge {
                anchors.left: typeLabel.right
                anchors.leftMargin: Theme.spacing
                anchors.verticalCenter: parent.verticalCenter
                phaseId: root.asset.currentPhase ?? ""
                text: {
                    const p = PortfolioController.phases.find(ph => ph.current)
                    return p ? qsTr("%1 phase").arg(p.title) : ""
                }
            }
            Row {
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                spacing: Theme.spacing
                BusyIndicator {
                    anchors.verticalCenter: parent.verticalCenter
                    running: PortfolioController.busy
                    visible: PortfolioController.busy
                    width: 24
                    height: 24
                }
                Label {
                    anchors.verticalCenter: parent.verticalCenter
                    visible: PortfolioController.busy
                    text: PortfolioController.progressText
                    color: Theme.mutedText
                }
                Button {
                    objectName: "grantLicenceButton"
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Grant licence…")
                    enabled: root.hasAsset && !PortfolioController.busy
                    onClicked: licenceDialog.openForAsset()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("License this asset to another party: term, territory, derivatives, royalties")
                }
                Button {
                    objectName: "derivedFromButton"
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Derived from…")
                    enabled: root.hasAsset && !PortfolioController.busy
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
                    enabled: root.hasAsset && !PortfolioController.busy
                    onClicked: root.editRequested()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Change the register data; saving signs an update entry (Ctrl+E)")
                }
            }
        }

        NoticeBar {
            objectName: "assetError"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.smallSpacing
            // Dialogs show their own errors; the bar shows the rest (a failed advance, an unknown asset).
            visible: text.length > 0 && !eventDialog.visible && !markPaidDialog.visible
                     && !licenceDialog.visible && !derivationDialog.visible
            text: PortfolioController.assetError !== root.dismissedError
                  && PortfolioController.assetError !== PortfolioController.notice ? PortfolioController.assetError : ""
            error: true
            onDismissed: root.dismissedError = PortfolioController.assetError
        }
        NoticeBar {
            objectName: "assetNotice"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Layout.bottomMargin: Theme.smallSpacing
            // An error a dialog already showed stays in the dialog (and in the error log).
            visible: text.length > 0 && !PortfolioController.busy
                     && !licenceDialog.visible && !derivationDialog.visible
                     && !(PortfolioController.noticeIsError && PortfolioController.notice === root.dismissedError)
            text: PortfolioController.notice
            error: PortfolioController.noticeIsError
            onDismissed: PortfolioController.clearNotice()
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

                // Register data
                Rectangle {
                    objectName: "assetHeader"
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacing * 2
                    Layout.rightMargin: Theme.spacing * 2
                    implicitHeight: headerColumn.implicitHeight + Theme.spacing * 2
                    color: Theme.base
                    border.color: Theme.border
                    radius: 4

                    ColumnLayout {
                        id: headerColumn
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.top: parent.top
                        anchors.margins: Theme.spacing
                        spacing: Theme.smallSpacing

                        Label {
                            objectName: "assetTitle"
                            Layout.fillWidth: true
                            text: root.asset.title ?? ""
                            font.pixelSize: 18
                            font.bold: true
                            wrapMode: Text.Wrap
                            color: Theme.text
                        }

                        GridLayout {
                            Layout.fillWidth: true
                            columns: 8
                            columnSpacing: Theme.spacing
                            rowSpacing: 2

                            component Key: Label {
                                color: Theme.mutedText
                                font.pixelSize: 12
                                Layout.alignment: Qt.AlignTop | Qt.AlignLeft
                            }
                            component Value: Label {
                                Layout.fillWidth: true
                                Layout.preferredWidth: 10
                                Layout.alignment: Qt.AlignTop | Qt.AlignLeft
                                color: Theme.text
                                wrapMode: Text.Wrap
                            }
                            component DateValue: Value {
                                font.family: Theme.monoFont
                                font.pixelSize: 12
                            }

                            Key { text: qsTr("Type") }
                            Value { text: root.orDash(root.asset.typeTitle) }
                            Key { text: qsTr("Status") }
                            Value { objectName: "assetStatus"; text: root.orDash(root.asset.status) }
                            Key { text: qsTr("Jurisdictions") }
                            Value { text: root.orDash((root.asset.jurisdictions ?? "").split(";").join(", ")) }
                            Key { text: qsTr("Family") }
                            Value { text: root.orDash(root.asset.family); font.family: Theme.monoFont; font.pixelSize: 12 }

                            Key { text: qsTr("Priority") }
                            DateValue { text: root.orDash(root.asset.priorityDate) }
                            Key { text: qsTr("Filing") }
                            DateValue { text: root.orDash(root.asset.filingDate) }
                            Key { text: qsTr("Grant") }
                            DateValue { text: root.orDash(root.asset.grantDate) }
                            Key { text: qsTr("Registration") }
                            DateValue { text: root.orDash(root.asset.registrationDate) }

                            Key { text: qsTr("Expiry") }
                            DateValue { text: root.orDash(root.asset.expiryDate) }
                            Key { text: qsTr("Owners") }
                            Value {
                                objectName: "assetOwners"
                                Layout.columnSpan: 5
                                text: root.ownersText(root.asset.owners)
                            }

                            Key { text: qsTr("Identifiers") }
                            Value {
                                Layout.columnSpan: 3
                                text: root.identifiersText(root.asset.identifiers)
                            }
                            Key { text: qsTr("Creators") }
                            Value {
                                Layout.columnSpan: 3
                                text: root.orDash(root.asset.creators)
                            }

                            Key { text: qsTr("Tags") }
                            Value {
                                Layout.columnSpan: 3
                                text: root.orDash(root.asset.tags)
                            }
                            Key { text: qsTr("Controller") }
                            Value {
                                Layout.columnSpan: 3
                                text: root.orDash(root.asset.controller)
                                font.family: Theme.monoFont
                                font.pixelSize: 12
                                ToolTip.visible: controllerMouse.containsMouse
                                ToolTip.text: qsTr("Fingerprint of the key that registered the asset: only it may change the asset.")
                                MouseArea {
                                    id: controllerMouse
                                    anchors.fill: parent
                                    hoverEnabled: true
                                    acceptedButtons: Qt.NoButton
                                }
                            }

                            Key { text: qsTr("Notes"); visible: (root.asset.notes ?? "").length > 0 }
                            Value {
                                Layout.columnSpan: 7
                                visible: (root.asset.notes ?? "").length > 0
                                text: root.asset.notes ?? ""
                            }
                        }
                    }
                }

                // The value chain: legend, then four phases left to right
                RowLayout {
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacing * 2
                    Layout.rightMargin: Theme.spacing * 2
                    Layout.topMargin: Theme.smallSpacing
                    spacing: Theme.spacing * 2
                    Label {
                        text: qsTr("Value chain")
                        font.bold: true
                        font.pixelSize: 15
                        color: Theme.text
                    }
                    Item { Layout.fillWidth: true }
                    Repeater {
                        model: ["not-started", "in-progress", "done", "not-applicable"]
                        Label {
                            required property string modelData
                            text: Theme.stateSymbol(modelData) + " " + root.stateTitle(modelData)
                            color: Theme.stateColor(modelData)
                            font.pixelSize: Theme.smallFont
                        }
                    }
                }

                RowLayout {
                    objectName: "valueChain"
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.spacing * 2
                    Layout.rightMargin: Theme.spacing * 2
                    spacing: Theme.spacing

                    Repeater {
                        model: PortfolioController.phases

                        Rectangle {
                            id: phaseColumn
                            required property var modelData
                            readonly property string phaseId: modelData.id
                            readonly property bool current: modelData.current
                            objectName: "phase_" + phaseColumn.phaseId
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            Layout.preferredWidth: 10
                            Layout.alignment: Qt.AlignTop
                            implicitHeight: phaseContent.implicitHeight + 2
                            color: Theme.base
                            border.color: phaseColumn.current ? Theme.phaseColor(phaseColumn.phaseId) : Theme.border
                            border.width: phaseColumn.current ? 2 : 1
                            radius: 4

                            ColumnLayout {
                                id: phaseContent
                                anchors.left: parent.left
                                anchors.right: parent.right
                                anchors.top: parent.top
                                anchors.margins: phaseColumn.border.width
                                spacing: 0

                                // Heading: phase colour, name, and whether it is the current one
                                Rectangle {
                                    Layout.fillWidth: true
                                    implicitHeight: 34
                                    color: Theme.phaseTint(phaseColumn.phaseId)
                                    Rectangle {
                                        width: parent.width
                                        height: 3
                                        color: Theme.phaseColor(phaseColumn.phaseId)
                                    }
                                    RowLayout {
                                        anchors.fill: parent
                                        anchors.topMargin: 3
                                        anchors.leftMargin: Theme.spacing
                                        anchors.rightMargin: Theme.spacing
                                        Label {
                                            Layout.fillWidth: true
                                            text: phaseColumn.modelData.title
                                            font.bold: true
                                            font.pixelSize: phaseColumn.current ? 14 : 13
                                            elide: Text.ElideRight
                                            color: Theme.text
                                        }
                                        Label {
                                            visible: phaseColumn.current
                                            text: qsTr("◆ current")
                                            font.pixelSize: Theme.smallFont
                                            font.bold: true
                                            color: Theme.phaseColor(phaseColumn.phaseId)
                                        }
                                    }
                                }

                                Repeater {
                                    model: phaseColumn.modelData.subPhases

                                    ColumnLayout {
                                        id: sub
                                        required property var modelData
                                        required property int index
                                        readonly property string subState: sub.modelData.state
                                        readonly property bool applicable: sub.modelData.applicable
                                        readonly property bool inactive: !sub.applicable || sub.subState === "not-applicable"
                                        objectName: "subPhase_" + sub.modelData.id
                                        Layout.fillWidth: true
                                        Layout.leftMargin: Theme.smallSpacing
                                        Layout.rightMargin: Theme.smallSpacing
                                        Layout.topMargin: Theme.smallSpacing
                                        Layout.bottomMargin: sub.index === phaseColumn.modelData.subPhases.length - 1 ? Theme.smallSpacing : 0
                                        spacing: 0

                                        Item {
                                            id: subBox
                                            Layout.fillWidth: true
                                            implicitHeight: 28

                                            // Not applicable: a dashed outline, greyed.
                                            Shape {
                                                anchors.fill: parent
                                                visible: sub.inactive
                                                ShapePath {
                                                    strokeColor: Theme.border
                                                    strokeWidth: 1
                                                    strokeStyle: ShapePath.DashLine
                                                    dashPattern: [3, 3]
                                                    fillColor: "transparent"
                                                    startX: 0.5
                                                    startY: 0.5
                                                    PathLine { x: subBox.width - 0.5; y: 0.5 }
                                                    PathLine { x: subBox.width - 0.5; y: 27.5 }
                                                    PathLine { x: 0.5; y: 27.5 }
                                                    PathLine { x: 0.5; y: 0.5 }
                                                }
                                            }
                                            Rectangle {
                                                anchors.fill: parent
                                                visible: !sub.inactive
                                                radius: 3
                                                color: sub.subState === "in-progress" ? Theme.noticeBackground : Theme.alternateBase
                                            }

                                            RowLayout {
                                                anchors.fill: parent
                                                anchors.leftMargin: Theme.smallSpacing
                                                spacing: Theme.smallSpacing
                                                opacity: sub.inactive ? 0.6 : 1
                                                Label {
                                                    Layout.preferredWidth: 16
                                                    horizontalAlignment: Text.AlignHCenter
                                                    text: Theme.stateSymbol(sub.inactive ? "not-applicable" : sub.subState)
                                                    color: Theme.stateColor(sub.subState)
                                                    font.pixelSize: 15
                                                }
                                                Label {
                                                    id: subTitle
                                                    Layout.fillWidth: true
                                                    text: sub.modelData.title
                                                    elide: Text.ElideRight
                                                    color: sub.inactive ? Theme.mutedText : Theme.text
                                                    font.bold: sub.subState === "in-progress"
                                                    HoverHandler { id: subHover }
                                                    ToolTip.visible: subHover.hovered
                                                    ToolTip.delay: 400
                                                    ToolTip.text: sub.modelData.title + " — " + sub.modelData.stateTitle + "\n" + sub.modelData.description
                                                                  + (sub.applicable ? "" : "\n" + qsTr("Not applicable to a %1: %2").arg(root.asset.typeTitle ?? "").arg(root.asset.typeWhy ?? ""))
                                                }
                                                // The state in words; "not started" (and any state in narrow columns) is
                                                // the symbol alone, explained by the legend: titles need the room.
                                                Label {
                                                    objectName: "subPhaseState_" + sub.modelData.id
                                                    visible: sub.inactive || (sub.subState !== "not-started" && subBox.width >= 220)
                                                    text: sub.inactive ? qsTr("n/a") : sub.modelData.stateTitle
                                                    color: Theme.stateColor(sub.subState)
                                                    font.pixelSize: Theme.smallFont
                                                }
                                                ToolButton {
                                                    id: menuButton
                                                    objectName: "subPhaseMenu_" + sub.modelData.id
                                                    visible: sub.applicable
                                                    text: "⋯"
                                                    implicitWidth: 26
                                                    implicitHeight: 26
                                                    enabled: !PortfolioController.busy
                                                    onClicked: root.openSubPhaseMenu(menuButton, sub.modelData)
                                                    Accessible.name: qsTr("Actions for %1").arg(sub.modelData.title)
                                                    ToolTip.visible: hovered
                                                    ToolTip.delay: 600
                                                    ToolTip.text: qsTr("Advance, set state, add event")
                                                }
                                                Item {
                                                    visible: !sub.applicable
                                                    implicitWidth: 26
                                                }
                                            }
                                        }

                                        // Dated events, oldest first, on a small timeline.
                                        Repeater {
                                            model: sub.modelData.events
                                            Item {
                                                id: ev
                                                required property var modelData
                                                required property int index
                                                Layout.fillWidth: true
                                                implicitHeight: evColumn.implicitHeight + 2
                                                Rectangle {   // the line
                                                    x: Theme.smallSpacing + 7
                                                    width: 1
                                                    height: parent.height
                                                    color: Theme.border
                                                }
                                                Rectangle {   // the dot
                                                    x: Theme.smallSpacing + 5
                                                    y: 6
                                                    width: 5
                                                    height: 5
                                                    radius: 2.5
                                                    color: Theme.phaseColor(phaseColumn.phaseId)
                                                }
                                                ColumnLayout {
                                                    id: evColumn
                                                    anchors.left: parent.left
                                                    anchors.right: parent.right
                                                    anchors.leftMargin: Theme.smallSpacing + 20
                                                    spacing: 0
                                                    RowLayout {
                                                        Layout.fillWidth: true
                                                        spacing: Theme.smallSpacing
                                                        Label {
                                                            text: ev.modelData.date
                                                            font.family: Theme.monoFont
                                                            font.pixelSize: Theme.smallFont
                                                            color: Theme.mutedText
                                                        }
                                                        Label {
                                                            Layout.fillWidth: true
                                                            text: ev.modelData.title
                                                            font.pixelSize: 12
                                                            elide: Text.ElideRight
                                                            color: Theme.text
                                                        }
                                                    }
                                                    Label {
                                                        Layout.fillWidth: true
                                                        visible: text.length > 0
                                                        text: [ev.modelData.actorName, ev.modelData.note].filter(s => s && s.length > 0).join(" — ")
                                                        font.pixelSize: Theme.smallFont
                                                        elide: Text.ElideRight
                                                        color: Theme.mutedText
                                                    }
                                                }
                                                MouseArea {
                                                    id: evMouse
                                                    anchors.fill: parent
                                                    hoverEnabled: true
                                                    cursorShape: Qt.PointingHandCursor
                                                    onClicked: root.proofRequested(ev.modelData.entryIndex)
                                                    ToolTip.visible: containsMouse
                                                    ToolTip.delay: 400
                                                    ToolTip.text: [ev.modelData.date + "  " + ev.modelData.title,
                                                                   ev.modelData.actorName, ev.modelData.note,
                                                                   qsTr("Signed in ledger entry %1 — click for its proof").arg(ev.modelData.entryIndex)]
                                                                  .filter(s => s && s.length > 0).join("\n")
                                                }
                                            }
                                        }
                                    }
                                }
                                Item { Layout.fillHeight: true }
                            }
                        }
                    }
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

                    component Panel: Rectangle {
                        Layout.fillWidth: true
                        Layout.preferredWidth: 10
                        Layout.alignment: Qt.AlignTop
                        color: Theme.base
                        border.color: Theme.border
                        radius: 4
                    }

                    Panel {
                        objectName: "deadlinesPanel"
                        implicitHeight: deadlineColumn.implicitHeight + Theme.spacing * 2
                        ColumnLayout {
                            id: deadlineColumn
                            anchors.left: parent.left
                            anchors.right: parent.right
                            anchors.top: parent.top
                            anchors.margins: Theme.spacing
                            spacing: 0
                            Label {
                                text: qsTr("Deadlines (%1)").arg(PortfolioController.assetDeadlines.length)
                                font.bold: true
                                color: Theme.text
                                bottomPadding: Theme.smallSpacing
                            }
                            Label {
                                visible: PortfolioController.assetDeadlines.length === 0
                                text: qsTr("Nothing open, nothing settled in the last two years, nothing due in the next three.")
                                color: Theme.mutedText
                            }
                            Repeater {
                                model: PortfolioController.assetDeadlines
                                Rectangle {
                                    id: dl
                                    required property var modelData
                                    required property int index
                                    Layout.fillWidth: true
                                    implicitHeight: Theme.rowHeight
                                    color: dl.index % 2 ? Theme.alternateBase : Theme.base
                                    RowLayout {
                                        anchors.fill: parent
                                        anchors.leftMargin: Theme.smallSpacing
                                        spacing: Theme.spacing
                                        Label {
                                            Layout.preferredWidth: 86
                                            text: Theme.deadlineSymbol(dl.modelData.state) + " " + dl.modelData.stateTitle
                                            color: Theme.deadlineColor(dl.modelData.state)
                                            font.bold: dl.modelData.overdue
                                            font.pixelSize: 12
                                        }
                                        Label {
                                            Layout.preferredWidth: 86
                                            text: dl.modelData.due
                                            font.family: Theme.monoFont
                                            font.pixelSize: 12
                                            color: Theme.text
                                        }
                                        Label {
                                            Layout.preferredWidth: 118
                                            text: dl.modelData.graceEnd.length > 0 ? qsTr("grace %1").arg(dl.modelData.graceEnd) : ""
                                            font.family: Theme.monoFont
                                            font.pixelSize: Theme.smallFont
                                            color: Theme.mutedText
                                        }
                                        Label {
                                            id: deadlineLabel
                                            objectName: "deadlineLabel_" + dl.index
                                            Layout.fillWidth: true
                                            text: dl.modelData.label
                                                  + (dl.modelData.state === "rights lost" && dl.modelData.dependents > 0
                                                     ? qsTr(" — %n later deadline(s) depend on it", "", dl.modelData.dependents) : "")
                                                  + (dl.modelData.blockedBy.length > 0 ? qsTr(" — waits on %1").arg(dl.modelData.blockedByLabel) : "")
                                                  + (dl.modelData.remedy.length > 0 ? qsTr(" — remedy: %1").arg(dl.modelData.remedy) : "")
                                            elide: Text.ElideRight
                                            color: Theme.text
                                            HoverHandler { id: labelHover }
                                            ToolTip.visible: labelHover.hovered && deadlineLabel.truncated
                                            ToolTip.delay: 500
                                            ToolTip.text: deadlineLabel.text
                                                          + (dl.modelData.remedyEnds.length > 0 ? "\n" + qsTr("Remedy at the latest by %1").arg(dl.modelData.remedyEnds) : "")
                                        }
                                        Button {
                                            objectName: "markPaid_" + dl.index
                                            Layout.preferredWidth: 96
                                            implicitHeight: 24
                                            visible: !dl.modelData.done
                                            enabled: !PortfolioController.busy
                                            text: dl.modelData.state === "rights lost" ? qsTr("Record…") : qsTr("Mark paid…")
                                            font.pixelSize: 12
                                            onClicked: markPaidDialog.openFor(dl.modelData)
                                        }
                                        Item {
                                            visible: dl.modelData.done
                                            Layout.preferredWidth: 96
                                        }
                                    }
                                }
                            }
                        }
                    }

                    Panel {
                        objectName: "documentsPanel"
                        implicitHeight: documentColumn.implicitHeight + Theme.spacing * 2
                        ColumnLayout {
                            id: documentColumn
                            anchors.left: parent.left
                            anchors.right: parent.right
                            anchors.top: parent.top
                            anchors.margins: Theme.spacing
                            spacing: 0
                            RowLayout {
                                Layout.fillWidth: true
                                Label {
                                    Layout.fillWidth: true
                                    text: qsTr("Documents (%1)").arg(PortfolioController.documents.length)
                                    font.bold: true
                                    color: Theme.text
                                    bottomPadding: Theme.smallSpacing
                                }
                                Button {
                                    objectName: "recordAssetDocumentButton"
                                    text: qsTr("Record document…")
                                    enabled: !LedgerController.busy
                                    onClicked: documentFileDialog.open()
                                    ToolTip.visible: hovered
                                    ToolTip.text: qsTr("Sign the SHA-256 of files as documents of this asset (the files are not copied)")
                                }
                            }
                            Label {
                                Layout.fillWidth: true
                                visible: PortfolioController.documents.length === 0
                                text: qsTr("No documents recorded for this asset.")
                                color: Theme.mutedText
                                wrapMode: Text.Wrap
                            }
                            Repeater {
                                model: PortfolioController.documents
                                Rectangle {
                                    id: doc
                                    required property var modelData
                                    required property int index
                                    Layout.fillWidth: true
                                    implicitHeight: Theme.rowHeight
                                    color: doc.index % 2 ? Theme.alternateBase : Theme.base
                                    RowLayout {
                                        anchors.fill: parent
                                        anchors.leftMargin: Theme.smallSpacing
                                        anchors.rightMargin: Theme.smallSpacing
                                        spacing: Theme.spacing
                                        Label {
                                            Layout.fillWidth: true
                                            text: doc.modelData.name
                                            elide: Text.ElideMiddle
                                            color: Theme.text
                                        }
                                        Label {
                                            text: String(doc.modelData.sha256).substring(0, 12) + "…"
                                            font.family: Theme.monoFont
                                            font.pixelSize: 12
                                            color: Theme.mutedText
                                        }
                                        Label {
                                            text: doc.modelData.recorded ?? ""
                                            font.family: Theme.monoFont
                                            font.pixelSize: Theme.smallFont
                                            color: Theme.mutedText
                                        }
                                        Button {
                                            flat: true
                                            implicitHeight: 24
                                            font.pixelSize: 12
                                            text: qsTr("entry %1").arg(doc.modelData.entryIndex)
                                            onClicked: root.proofRequested(doc.modelData.entryIndex)
                                            ToolTip.visible: hovered
                                            ToolTip.text: qsTr("Open the signed ledger entry and its proof")
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // One menu for every sub-phase: advance, set any state, add an event.
    Menu {
        id: subPhaseMenu
        objectName: "subPhaseMenu"
        property string subPhaseId
        property string subPhaseTitle
        property string subState
        property string next        // where Advance leads (from the controller), "" for nowhere
        property string nextTitle

        MenuItem {
            objectName: "advanceMenuItem"
            text: subPhaseMenu.next.length > 0 ? qsTr("Advance to “%1”").arg(subPhaseMenu.nextTitle)
                                               : qsTr("Advance")
            enabled: subPhaseMenu.next.length > 0
            onTriggered: PortfolioController.advanceSubPhase(subPhaseMenu.subPhaseId)
        }
        MenuItem {
            objectName: "addEventMenuItem"
            text: qsTr("Add event…")
            onTriggered: eventDialog.openFor(subPhaseMenu.subPhaseId, subPhaseMenu.subPhaseTitle)
        }
        MenuSeparator {}
        MenuItem {
            objectName: "setState_not-started"
            text: qsTr("Set %1 %2").arg(Theme.stateSymbol("not-started")).arg(root.stateTitle("not-started"))
                  + (subPhaseMenu.subState === "not-started" ? qsTr(" (current)") : "")
            enabled: subPhaseMenu.subState !== "not-started"
            onTriggered: root.setState("not-started")
        }
        MenuItem {
            objectName: "setState_in-progress"
            text: qsTr("Set %1 %2").arg(Theme.stateSymbol("in-progress")).arg(root.stateTitle("in-progress"))
                  + (subPhaseMenu.subState === "in-progress" ? qsTr(" (current)") : "")
            enabled: subPhaseMenu.subState !== "in-progress"
            onTriggered: root.setState("in-progress")
        }
        MenuItem {
            objectName: "setState_done"
            text: qsTr("Set %1 %2").arg(Theme.stateSymbol("done")).arg(root.stateTitle("done"))
                  + (subPhaseMenu.subState === "done" ? qsTr(" (current)") : "")
            enabled: subPhaseMenu.subState !== "done"
            onTriggered: root.setState("done")
        }
        MenuItem {
            objectName: "setState_not-applicable"
            text: qsTr("Set %1 %2").arg(Theme.stateSymbol("not-applicable")).arg(root.stateTitle("not-applicable"))
                  + (subPhaseMenu.subState === "not-applicable" ? qsTr(" (current)") : "")
            enabled: subPhaseMenu.subState !== "not-applicable"
            onTriggered: root.setState("not-applicable")
        }
    }

    EventDialog {
        id: eventDialog
        objectName: "eventDialog"
        anchors.centerIn: parent
        onClosed: root.acknowledgeError()
    }

    // Settling a deadline: an event that names it — paid (also late), a remedy filed, or the lapse
    // accepted. A lost right stays on the lists until one of these is recorded.
    Dialog {
        id: markPaidDialog
        objectName: "markPaidDialog"
        anchors.centerIn: parent
        modal: true
        focus: true
        width: 520
        Overlay.modal: Rectangle { color: Theme.dimmer }
        title: markPaidDialog.lost ? qsTr("Record what happened") : qsTr("Mark paid")
        property var deadline: ({})
        property bool pending: false
        property string errorText: ""
        readonly property bool lost: (markPaidDialog.deadline.state ?? "") === "rights lost"
        readonly property var outcomes: [
            { id: "paid", title: qsTr("Paid (late, with surcharge, if so)") },
            { id: "remedy", title: qsTr("Remedy filed (further processing, re-establishment, revival)") },
            { id: "lapsed", title: qsTr("Lapse accepted: the right ends here") }
        ]
        onClosed: root.acknowledgeError()

        function openFor(d: var): void {
            markPaidDialog.deadline = d
            markPaidDialog.errorText = ""
            markPaidDialog.pending = false
            outcomeCombo.currentIndex = (d.state ?? "") === "rights lost" && (d.remedy ?? "").length > 0 ? 1 : 0
            paidDateField.text = root.today()
            noteField.text = ""
            markPaidDialog.open()
            paidDateField.forceActiveFocus()
        }
        function submit(): void {
            markPaidDialog.pending = true
            markPaidDialog.errorText = ""
            PortfolioController.recordDeadlineOutcome(markPaidDialog.deadline.key,
                                                      markPaidDialog.outcomes[outcomeCombo.currentIndex].id,
                                                      paidDateField.text, noteField.text)
        }
        Connections {
            target: PortfolioController
            function onAssetSaved(): void {
                if (markPaidDialog.pending) {
                    markPaidDialog.pending = false
                    markPaidDialog.close()
                }
            }
            function onAssetErrorChanged(): void {
                if (markPaidDialog.pending && PortfolioController.assetError.length > 0) {
                    markPaidDialog.pending = false
                    markPaidDialog.errorText = PortfolioController.assetError
                }
            }
        }

        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.text
                text: qsTr("%1 — due %2%3").arg(markPaidDialog.deadline.label ?? "").arg(markPaidDialog.deadline.due ?? "")
                      .arg((markPaidDialog.deadline.graceEnd ?? "").length > 0 ? qsTr(", grace until %1").arg(markPaidDialog.deadline.graceEnd) : "")
                font.bold: true
            }
            Label {
                Layout.fillWidth: true
                visible: (markPaidDialog.deadline.remedy ?? "").length > 0
                wrapMode: Text.Wrap
                color: Theme.danger
                text: qsTr("Rights lost. Remedy: %1").arg(markPaidDialog.deadline.remedy ?? "")
                      + ((markPaidDialog.deadline.remedyEnds ?? "").length > 0 ? " " + qsTr("At the latest by %1.").arg(markPaidDialog.deadline.remedyEnds) : "")
            }
            Label { text: qsTr("What happened"); color: Theme.text }
            ComboBox {
                id: outcomeCombo
                objectName: "outcomeCombo"
                Layout.fillWidth: true
                model: markPaidDialog.outcomes
                textRole: "title"
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.mutedText
                text: qsTr("Signs an event on the value chain that settles this deadline; it then no longer appears as open.")
            }
            Label { text: qsTr("On (YYYY-MM-DD)"); color: Theme.text }
            TextField {
                id: paidDateField
                objectName: "paidDateField"
                Layout.preferredWidth: 160
                font.family: Theme.monoFont
                placeholderText: "YYYY-MM-DD"
                onAccepted: markPaidDialog.submit()
            }
            TextField {
                id: noteField
                objectName: "outcomeNote"
                Layout.fillWidth: true
                placeholderText: qsTr("Note (optional), e.g. the office's reference")
                onAccepted: markPaidDialog.submit()
            }
            Label {
                Layout.fillWidth: true
                visible: markPaidDialog.errorText.length > 0
                text: "✗ " + markPaidDialog.errorText
                color: Theme.danger
                wrapMode: Text.Wrap
            }
            RowLayout {
                Layout.fillWidth: true
                Item { Layout.fillWidth: true }
                Button {
                    text: qsTr("Cancel")
                    onClicked: markPaidDialog.close()
                }
                Button {
                    objectName: "markPaidSubmit"
                    text: markPaidDialog.lost ? qsTr("Record") : qsTr("Mark paid")
                    highlighted: true
                    enabled: !PortfolioController.busy
                    onClicked: markPaidDialog.submit()
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
        enabled: root.visible && root.hasAsset && !PortfolioController.busy
        onActivated: root.editRequested()
    }

    FileDialog {
        id: documentFileDialog
        title: qsTr("Choose documents to record for this asset")
        fileMode: FileDialog.OpenFiles
        onAccepted: LedgerController.recordDocuments(documentFileDialog.selectedFiles, "",
                                                     PortfolioController.assetId)
    }

    LicenceDialog {
        id: licenceDialog
        objectName: "licenceDialog"
        anchors.centerIn: parent
        onClosed: root.acknowledgeError()
    }
    DerivationDialog {
        id: derivationDialog
        objectName: "derivationDialog"
        anchors.centerIn: parent
        onClosed: root.acknowledgeError()
    }
}
