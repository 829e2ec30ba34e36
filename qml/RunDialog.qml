// SPDX-License-Identifier: GPL-3.0-or-later
// Running a period's distribution: period, right and administration fee, checked by the
// controller; the page then shows the run's progress and, once computed, the run.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Cartulary.Model

CommandDialog {
    id: root

    title: qsTr("Run a distribution")
    width: 520
    assetCommand: false
    submitText: qsTr("Run")
    hint: qsTr("Computed exactly and kept for review; nothing is signed until the run is approved.")
    errorName: "runError"
    submitName: "runSubmit"

    function openFor(): void {
        root.reset()
        periodField.text = RoyaltiesController.period
        feeField.text = ""
        rightBox.currentIndex = rightBox.indexOfValue(RoyaltiesController.right)
        root.open()
        periodField.focusField()
    }

    onSubmitted: {
        root.run(RoyaltiesController.runDistribution(periodField.text, rightBox.currentValue, feeField.text))
        if (root.pending)
            root.close() // the page shows the progress, then the run
    }

    FormGrid {
        DialogField {
            id: periodField
            label: qsTr("Period")
            fieldName: "runPeriod"
            mono: true
            error: root.errorFor("period")
            hint: qsTr("A month (2026-09) or a quarter (2026-Q3), which includes its months")
            onAccepted: root.submitted()
        }
        LabeledField {
            label: qsTr("Right")
            error: root.errorFor("right")
            ComboBox {
                id: rightBox
                objectName: "runRight"
                Layout.fillWidth: true
                implicitHeight: 30
                model: RoyaltiesController.rightOptions
                textRole: "title"
                valueRole: "id"
            }
        }
        DialogField {
            id: feeField
            label: qsTr("Administration fee (%)")
            fieldName: "runFee"
            error: root.errorFor("fee")
            hint: qsTr("Deducted from every amount, e.g. %1").arg(Number(12.5).toLocaleString(Qt.locale(), "f", 1))
            horizontalAlignment: TextInput.AlignRight
            onAccepted: root.submitted()
        }
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.mutedText
        font.pixelSize: Theme.smallFont
        text: qsTr("Each matched amount goes up its derivation chain by the licence terms as of the period's last day and is split among the owners of the right; disputed works and unclaimed shares are held. Each holder's total is rounded once, so collected = distributed + held + unmatched + fees exactly.")
    }
}
