// SPDX-License-Identifier: GPL-3.0-or-later
// The name of an area, at the top left of its page.
import QtQuick
import QtQuick.Controls

Label {
    font.pixelSize: 20
    font.bold: true
    color: Theme.text
}
