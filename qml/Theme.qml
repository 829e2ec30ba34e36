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
    readonly property color highlightedText: dark ? "#0d1522" : "#ffffff"   // text on accent
    readonly property color success: dark ? "#5cc98a" : "#1b7a43"
    readonly property color danger: dark ? "#ff7b72" : "#b42318"
    readonly property color warning: dark ? "#e3b341" : "#9a6700"
    readonly property color noticeBackground: dark ? "#23364f" : "#e8f1fd"
    readonly property color dangerBackground: dark ? "#4a2322" : "#fdecea"
    readonly property color dimmer: dark ? "#a0000000" : "#40101820"   // behind modal dialogs

    readonly property string monoFont: "DejaVu Sans Mono"
    readonly property int smallFont: 11

    /** A count as the user's locale groups it: "1,250" or "1.250". */
    function number(n: real): string {
        return Number(n).toLocaleString(Qt.locale(), "f", 0)
    }

    // The four value-chain phases: one colour each, the same in badges, columns and charts.
    // Always shown with the phase's name beside it, never colour alone.
    function phaseColor(phaseId: string): color {
        switch (phaseId) {
        case "generation": return theme.dark ? "#b69df8" : "#6a45b0"
        case "protection": return theme.dark ? "#6ea8ff" : "#1f5fbf"
        case "management": return theme.dark ? "#f0a24b" : "#b35c00"
        case "commercialization": return theme.dark ? "#5cc98a" : "#1b7a43"
        default: return theme.mutedText
        }
    }
    // A light wash of the phase colour, for badge and heading backgrounds.
    function phaseTint(phaseId: string): color {
        switch (phaseId) {
        case "generation": return theme.dark ? "#3a3150" : "#f0eaf9"
        case "protection": return theme.dark ? "#233650" : "#e6eefa"
        case "management": return theme.dark ? "#4a3520" : "#fcefdf"
        case "commercialization": return theme.dark ? "#1e4030" : "#e3f3e9"
        default: return theme.alternateBase
        }
    }

    // Sub-phase states: a shape and a colour (○ not started, ◐ in progress, ● done, n/a).
    function stateSymbol(state: string): string {
        switch (state) {
        case "in-progress": return "◐"
        case "done": return "●"
        case "not-applicable": return "–"
        default: return "○"
        }
    }
    function stateColor(state: string): color {
        switch (state) {
        case "in-progress": return theme.accent
        case "done": return theme.success
        default: return theme.mutedText
        }
    }

    // Deadline states ("upcoming", "due", "in grace", "overdue", "rights lost", "blocked", "done",
    // "lapsed"): shape and colour, never colour alone.
    function deadlineSymbol(state: string): string {
        switch (state) {
        case "rights lost": return "✕"
        case "overdue": return "!"
        case "in grace": return "▲"
        case "due": return "◆"
        case "blocked": return "⊘"
        case "done": return "✓"
        case "lapsed": return "–"
        default: return "○"
        }
    }
    function deadlineColor(state: string): color {
        switch (state) {
        case "rights lost": return theme.danger
        case "overdue": return theme.danger
        case "in grace": return theme.warning
        case "due": return theme.accent
        case "blocked": return theme.warning
        case "done": return theme.success
        default: return theme.mutedText
        }
    }
}
