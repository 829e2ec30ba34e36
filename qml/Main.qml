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
    palette.highlightedText: "#ffffff"
    palette.placeholderText: Theme.mutedText
    palette.mid: Theme.border

    readonly property bool unlocked: Session.state === Session.Unlocked

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
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: sidebar.currentIndex

            LedgerPage {
                objectName: "ledgerPage"
            }
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
