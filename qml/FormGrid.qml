// SPDX-License-Identifier: GPL-3.0-or-later
// Two columns of a dialog's fields, each field's label above it.
import QtQuick
import QtQuick.Layouts

GridLayout {
    Layout.fillWidth: true
    columns: 2
    columnSpacing: Theme.spacing * 2
    rowSpacing: Theme.spacing
}
