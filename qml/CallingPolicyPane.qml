import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// The calling policy every operator works under: the countries they may call and three limits,
// 0 meaning none. The server checks what is saved; its refusal shows under the form, and the
// form shows what the server kept once it has.
Item {
    id: pane

    required property ApiClient api
    property bool active: false

    onActiveChanged: {
        if (active) {
            outcome.text = ""
            policy.reload()
        }
    }

    function fill() {
        countries.text = policy.allowedCountriesText
        perDay.value = policy.callsPerOperatorPerDay
        duration.value = policy.maxCallDurationSeconds
        concurrent.value = policy.maxConcurrentCalls
    }

    CallingPolicy {
        id: policy
        client: pane.api
        onPolicyChanged: pane.fill()
        onSaved: (ok, errorText) => {
            outcome.failed = !ok
            outcome.text = ok ? qsTr("Saved.") : errorText
        }
    }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: parent.width
            spacing: Theme.spacingLarge

            Label {
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacingLarge
                Layout.leftMargin: Theme.spacingLarge
                Layout.rightMargin: Theme.spacingLarge
                wrapMode: Text.Wrap
                color: Theme.textMuted
                text: qsTr("The rules every operator's calls follow.")
            }

            Label {
                objectName: "policyState"
                visible: text !== ""
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingLarge
                Layout.rightMargin: Theme.spacingLarge
                wrapMode: Text.Wrap
                color: policy.errorText !== "" ? Theme.negative : Theme.textMuted
                text: policy.errorText !== "" ? policy.errorText : policy.busy && !policy.loaded ? qsTr("Loading the policy…") : ""
            }
            Button {
                visible: policy.errorText !== ""
                Layout.leftMargin: Theme.spacingLarge
                text: qsTr("Retry")
                onClicked: policy.reload()
            }

            GridLayout {
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingLarge
                Layout.rightMargin: Theme.spacingLarge
                columns: 3
                columnSpacing: Theme.spacingLarge
                rowSpacing: Theme.spacing
                visible: policy.loaded

                Label { text: qsTr("Countries operators may call"); color: Theme.text; wrapMode: Text.Wrap; Layout.preferredWidth: 250 }
                TextField {
                    id: countries
                    objectName: "policyCountries"
                    Layout.preferredWidth: 220
                    placeholderText: qsTr("All countries")
                    maximumLength: 1000
                    Accessible.name: qsTr("Countries operators may call")
                }
                Label {
                    text: qsTr("Two-letter codes separated by commas, such as GB, DE. Empty: every country.")
                    color: Theme.textMuted
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }

                Label { text: qsTr("Calls per operator per day"); color: Theme.text; wrapMode: Text.Wrap; Layout.preferredWidth: 250 }
                SpinBox {
                    id: perDay
                    objectName: "policyPerDay"
                    Layout.preferredWidth: 220
                    from: 0
                    to: 100000
                    editable: true
                    Accessible.name: qsTr("Calls per operator per day")
                }
                Label { text: qsTr("0: no limit."); color: Theme.textMuted; wrapMode: Text.Wrap; Layout.fillWidth: true }

                Label { text: qsTr("Longest call, in seconds"); color: Theme.text; wrapMode: Text.Wrap; Layout.preferredWidth: 250 }
                SpinBox {
                    id: duration
                    objectName: "policyDuration"
                    Layout.preferredWidth: 220
                    from: 0
                    to: 86400
                    stepSize: 60
                    editable: true
                    Accessible.name: qsTr("Longest call, in seconds")
                }
                Label { text: qsTr("0: no limit."); color: Theme.textMuted; wrapMode: Text.Wrap; Layout.fillWidth: true }

                Label { text: qsTr("Calls at the same time, whole team"); color: Theme.text; wrapMode: Text.Wrap; Layout.preferredWidth: 250 }
                SpinBox {
                    id: concurrent
                    objectName: "policyConcurrent"
                    Layout.preferredWidth: 220
                    from: 0
                    to: 10000
                    editable: true
                    Accessible.name: qsTr("Calls at the same time, whole team")
                }
                Label { text: qsTr("0: no limit."); color: Theme.textMuted; wrapMode: Text.Wrap; Layout.fillWidth: true }
            }

            RowLayout {
                visible: policy.loaded
                Layout.leftMargin: Theme.spacingLarge
                Layout.rightMargin: Theme.spacingLarge
                spacing: Theme.spacing
                Button {
                    objectName: "policySave"
                    text: qsTr("Save")
                    highlighted: true
                    enabled: policy.loaded && !policy.busy
                    onClicked: {
                        outcome.text = ""
                        policy.save(countries.text, perDay.value, duration.value, concurrent.value)
                    }
                }
                Button {
                    objectName: "policyUndo"
                    text: qsTr("Undo changes")
                    enabled: policy.loaded && !policy.busy
                    onClicked: {
                        outcome.text = ""
                        pane.fill()
                    }
                }
            }

            Label {
                id: outcome
                objectName: "policyOutcome"
                property bool failed: false
                visible: text !== ""
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingLarge
                Layout.rightMargin: Theme.spacingLarge
                wrapMode: Text.Wrap
                color: failed ? Theme.negative : Theme.positive
            }

            Label {
                objectName: "policyUpdated"
                visible: policy.loaded
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingLarge
                Layout.rightMargin: Theme.spacingLarge
                Layout.bottomMargin: Theme.spacingLarge
                wrapMode: Text.Wrap
                color: Theme.textMuted
                text: policy.updatedAtText === "" ? qsTr("Never changed.")
                    : policy.updatedBy === "" ? qsTr("Last changed %1.").arg(policy.updatedAtText)
                    : qsTr("Last changed %1 by %2.").arg(policy.updatedAtText).arg(policy.updatedBy)
            }
        }
    }
}
