// SPDX-License-Identifier: GPL-3.0-or-later
// A date typed as YYYY-MM-DD (never ambiguous), monospaced; today when asked.
import QtQuick
import QtQuick.Layouts

DialogField {
    id: root

    /** Sets the field to today's date. */
    function setToday(): void {
        root.text = Qt.formatDate(new Date(), "yyyy-MM-dd")
    }

    mono: true
    placeholderText: "YYYY-MM-DD"
    Layout.fillWidth: false
    Layout.preferredWidth: 160
}
