// SPDX-License-Identifier: GPL-3.0-or-later
// A licence on a link of the graph: the licence and its rate in a pill where dot reserved room
// beside the link (the derivation kind when no licence was needed); red and struck through when
// revoked.
import QtQuick

Rectangle {
    id: root
    required property int index
    required property string kind
    required property string licenceReference
    required property string rateText
    required property bool revoked
    required property bool highlighted
    required property bool dimmed
    required property real labelX
    required property real labelY

    /** The link's curve or label is under the pointer: framed like a highlighted one. */
    property bool hovered: false

    /** The pointer came onto (true) or left (false) this label. */
    signal pointerHovered(bool inside)

    objectName: "edgeLabel"
    readonly property bool hasLicence: root.licenceReference.length > 0
    // dot put the label's box (the text's size) just right of its link: the pill's padding goes
    // to the right, so the pill's left side stays off the line.
    x: Math.round(root.labelX - labelText.implicitWidth / 2) + 1
    y: Math.round(root.labelY - root.height / 2)
    width: labelText.implicitWidth + 8
    height: labelText.implicitHeight + 2
    radius: 4
    visible: root.labelX !== 0 || root.labelY !== 0
    opacity: root.dimmed ? 0.3 : 1
    color: root.revoked ? Theme.dangerBackground : Theme.base
    border.color: root.revoked ? Theme.danger
                               : root.highlighted || root.hovered ? Theme.accent : Theme.border
    border.width: root.highlighted || root.hovered ? 1.5 : 1

    Text {
        id: labelText
        anchors.centerIn: parent
        horizontalAlignment: Text.AlignHCenter
        // The licence and its rate; without a licence, how the asset was derived.
        text: root.hasLicence ? (root.rateText.length > 0 ? root.licenceReference + "\n" + root.rateText
                                                          : root.licenceReference)
                              : root.kind
        font.pixelSize: 8
        font.italic: !root.hasLicence
        font.strikeout: root.revoked
        lineHeight: 0.95
        color: root.revoked ? Theme.danger : root.hasLicence ? Theme.text : Theme.mutedText
    }
    HoverHandler {
        onHoveredChanged: root.pointerHovered(hovered)
    }
}
