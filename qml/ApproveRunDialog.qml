// SPDX-License-Identifier: GPL-3.0-or-later
// Approving the run under review: its totals and its statement set's SHA-256 signed into the
// ledger. A refusal (a stale run, one approved already) stays in the dialog as the model words it.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    readonly property var run: RoyaltiesController.run

    title: qsTr("Approve and sign")
    width: 560
    assetCommand: false
    submitText: qsTr("Approve && sign")
    errorName: "approveRunError"
    submitName: "approveRunSubmit"

    function openFor(): void {
        root.reset()
        root.open()
    }

    onSubmitted: {
        root.errorText = ""
        root.pending = true
        RoyaltiesController.approve()
    }

    Connections {
        target: RoyaltiesController
        enabled: root.pending
        function onApprovalFinished(ok: bool, message: string): void {
            root.pending = false
            if (ok)
                root.close()
            else
                root.errorText = qsTr("Not approved: %1").arg(message)
        }
    }

    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.text
        font.bold: true
        text: qsTr("The %1 %2 run %3 (fee %4)").arg(root.run.period ?? "").arg((root.run.rightTitle ?? "").toLowerCase())
                  .arg(root.run.shortId ?? "").arg(root.run.fee ?? "")
    }
    Repeater {
        model: root.run.currencies ?? []
        Label {
            required property var modelData
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.text
            text: qsTr("%1: collected %2 = distributed %3 + held %4 + unmatched %5 + fees %6")
                      .arg(modelData.currency).arg(modelData.collected).arg(modelData.distributed)
                      .arg(modelData.held).arg(modelData.unmatched).arg(modelData.fees)
        }
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.mutedText
        text: qsTr("Signs the period, the right, the fee, the totals per currency and per holder, and the SHA-256 of the statement set (each holder's CSV statement). An approved run never changes: a later run of the period is a correction that names this approval.")
    }
    Label {
        Layout.fillWidth: true
        visible: root.run.stale ?? false
        wrapMode: Text.Wrap
        color: Theme.warning
        text: "⚠ " + (root.run.staleText ?? "")
    }
}
