// SPDX-License-Identifier: GPL-3.0-or-later
// The error log: every error the session met, newest first, so a notice that vanished can be read again.
import QtQuick
import QtQuick.Controls
import Cartulary.Model

Dialog {
    id: root

    title: qsTr("Error log")
    modal: true
    width: 720
    height: 420
    standardButtons: Dialog.Close

    ListView {
        anchors.fill: parent
        clip: true
        model: LedgerController.errorLog
        delegate: Label {
            required property string modelData
            width: ListView.view.width
            text: modelData
            wrapMode: Text.Wrap
            padding: Theme.smallSpacing
            color: Theme.text
        }
        Label {
            anchors.centerIn: parent
            visible: parent.count === 0
            text: qsTr("No errors.")
            color: Theme.mutedText
        }
    }
}
