import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Switchboard.Gui

// The logged-in console: the navigation rail (Call, History, Contacts, Dashboard, Settings, and
// Team for an admin), the section, the status line, the help overlay with every shortcut, and the
// wrap-up offered when a call ends.
Page {
    id: page

    required property ApiClient api
    required property Session session
    required property string apiUrl
    required property string databaseName
    required property string providerName
    /// The window's tray icon, for the setting that keeps the console running in the tray.
    required property TrayIcon tray
    /// Whether the operator has a call live (as the CallWatcher last saw it), for the tray icon.
    readonly property bool inCall: callWatcher.inCall

    /// A call ended (CallWatcher::callEnded's values without the id), for the tray's notification.
    signal callFinished(string party, string status, string failureReason, date endedAt)
    /// The softphone took a call another client placed for the operator (click-to-call): the
    /// console comes to the front on the call page.
    signal callArrived()

    /// Shows the call page with `number` filled in (tel: links, redial from History).
    function dial(number) {
        rail.currentIndex = 0
        callPage.setNumber(number)
    }

    background: Rectangle { color: Theme.background }

    // Ctrl+1…5 (…6 for an admin) reach every section without a mouse.
    Repeater {
        model: page.session.isAdmin ? 6 : 5
        Item {
            required property int index
            Shortcut {
                sequence: "Ctrl+" + (index + 1)
                onActivated: rail.currentIndex = index
            }
        }
    }

    Shortcut {
        sequence: "F1"
        onActivated: help.visible ? help.close() : help.open()
    }
    // `?` is a character in a text field, and the softphone page owns the keyboard on the call page.
    Shortcut {
        sequence: "?"
        enabled: rail.currentIndex !== 0 && !(page.Window.activeFocusItem instanceof TextInput)
        onActivated: help.open()
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        NavigationRail {
            id: rail
            objectName: "navigation"
            Layout.fillHeight: true
            showTeam: page.session.isAdmin
            onHelpRequested: help.open()
            onLogOutRequested: page.session.logOut()
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: rail.currentIndex

            CallPage {
                id: callPage
                api: page.api
                active: rail.currentIndex === 0
                onCallTaken: {
                    rail.currentIndex = 0
                    page.callArrived()
                }
            }
            HistoryPage {
                id: historyPage
                api: page.api
                active: rail.currentIndex === 1
                onRedial: (number) => page.dial(number)
            }
            ContactsPage {
                api: page.api
                active: rail.currentIndex === 2
                onCallNumber: (number) => page.dial(number)
            }
            DashboardPage {
                api: page.api
                active: rail.currentIndex === 3
            }
            SettingsPage {
                api: page.api
                session: page.session
                tray: page.tray
            }
            // Not even made for an operator: its models would only be refused.
            Loader {
                active: page.session.isAdmin
                sourceComponent: TeamPage {
                    api: page.api
                    session: page.session
                    active: rail.currentIndex === 5
                }
            }
        }
    }

    // Every change of the operator's calls as it happens (GET /api/events), while logged in.
    EventStream {
        id: events
        client: page.api
        active: true
    }
    // The wrap-up: when a call ends, its outcome and a note, which the operator may skip. A call
    // placed for the operator by another client goes to the softphone, which connects its audio.
    CallWatcher {
        id: callWatcher
        client: page.api
        events: events
        userId: page.session.userId
        active: true
        onCallEnded: (callId, party, status, failureReason, endedAt) => {
            wrapUp.openFor(callId, party, "", "", true)
            page.callFinished(party, status, failureReason, endedAt)
            if (historyPage.active)
                historyPage.reload()
        }
        onCallAwaitingAudio: (callId, call) => callPage.takeCall(call)
    }
    HistoryModel {
        id: wrapUpWriter
        client: page.api
        onAnnotated: (ok, errorText) => {
            if (!ok)
                return wrapUp.fail(errorText)
            wrapUp.close()
            historyPage.reload()
        }
    }
    CallNotesDialog {
        id: wrapUp
        onSubmitted: (callId, notes, outcome) => wrapUpWriter.annotate(callId, notes, outcome)
    }

    HelpOverlay {
        id: help
        showTeam: page.session.isAdmin
        // Back to where the operator was typing.
        onClosed: if (rail.currentIndex === 0) callPage.focusPage()
    }

    footer: StatusLine {
        providerName: page.providerName
        apiUrl: page.apiUrl
        databaseName: page.databaseName
        operatorEmail: page.session.email
    }
}
