// SPDX-License-Identifier: GPL-3.0-or-later
// Colours, spacing and type sizes shared by every view; light and dark.
pragma Singleton
import QtQuick

QtObject {
    id: theme

    property bool dark: false

    readonly property int spacing: 8
    readonly property int smallSpacing: 4
    readonly property int rowHeight: 28
    readonly property int sidebarWidth: 188
    readonly property int detailWidth: 420

    readonly property color window: dark ? "#1e2024" : "#f6f7f9"
    readonly property color base: dark ? "#26292e" : "#ffffff"
    readonly property color alternateBase: dark ? "#2b2e34" : "#f3f5f8"
    readonly property color sidebar: dark ? "#181a1d" : "#eceef2"
    readonly property color text: dark ? "#e6e8eb" : "#1d2127"
    readonly property color mutedText: dark ? "#9aa1ab" : "#5c6470"
    readonly property color border: dark ? "#3a3e45" : "#d5d9e0"
    readonly property color highlight: dark ? "#2f5f9e" : "#cfe0f7"
    readonly property color accent: dark ? "#6ea8ff" : "#1f5fbf"
    readonly property color success: dark ? "#5cc98a" : "#1b7a43"
    readonly property color danger: dark ? "#ff7b72" : "#b42318"
    readonly property color warning: dark ? "#e3b341" : "#9a6700"
    readonly property color noticeBackground: dark ? "#23364f" : "#e8f1fd"
    readonly property color dangerBackground: dark ? "#4a2322" : "#fdecea"

    readonly property string monoFont: "DejaVu Sans Mono"
}
