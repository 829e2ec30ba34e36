// SPDX-License-Identifier: GPL-3.0-or-later
// One cell of a table row: a line of text, elided, vertically centred; numbers right-aligned.
import QtQuick
import QtQuick.Controls

Label {
    id: root

    /** Set once, when created: references, dates and hashes in the monospaced face. */
    property bool mono: false

    height: Theme.rowHeight
    verticalAlignment: Text.AlignVCenter
    rightPadding: Theme.spacing
    elide: Text.ElideRight
    color: Theme.text
    Component.onCompleted: {
        if (root.mono) {
            root.font.family = Theme.monoFont
            root.font.pixelSize = 12
        }
    }
}
