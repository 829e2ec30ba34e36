// SPDX-License-Identifier: GPL-3.0-or-later
// The name of a value in a key–value grid (register data, an entry's fields).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Label {
    id: root

    color: Theme.mutedText
    font.pixelSize: 12
    Layout.alignment: Qt.AlignTop | Qt.AlignLeft
}
