import QtQuick
import QtWebEngine
import Switchboard.Gui

// The softphone: the server's own page in a WebEngineView. The token, the language and the
// theme (the Theme's values as CSS custom properties) reach it through a script injected at
// document creation (no URL carries them), and change with the console's at run time; only the
// server's origin may use the microphone.
Item {
    id: page

    required property ApiClient api
    property bool active: false
    property string pendingNumber
    /// A call placed for the operator elsewhere, to hand to the page once it can take it.
    property var pendingCall: null

    /// The page took a call placed for the operator elsewhere (click-to-call) and connects its audio.
    signal callTaken()

    function setNumber(number) {
        pendingNumber = number
        if (!view.loading && view.loadProgress === 100)
            applyPendingNumber()
    }

    function applyPendingNumber() {
        if (pendingNumber === "")
            return
        view.runJavaScript(host.callScript("setNumber", pendingNumber))
        pendingNumber = ""
        view.forceActiveFocus()
    }

    /// Hands the page a live call of the operator that no softphone has answered (CallWatcher's
    /// callAwaitingAudio): the page connects its audio unless it placed the call itself.
    function takeCall(call) {
        pendingCall = call
        if (!view.loading && view.loadProgress === 100)
            applyPendingCall()
    }

    function applyPendingCall() {
        if (pendingCall === null)
            return
        view.runJavaScript(host.callScript("takeCall", pendingCall), (taken) => {
            // undefined: the page's script has not set up its interface yet (it asks the server first).
            if (taken === undefined)
                return pageStarting.start()
            page.pendingCall = null
            if (taken)
                page.callTaken()
        })
    }

    Timer {
        id: pageStarting
        interval: 250
        onTriggered: page.applyPendingCall()
    }

    function focusPage() {
        view.forceActiveFocus()
    }

    /// What the page finds at document creation; kept current, so that a reload gets today's language and theme.
    function injectHost() {
        view.userScripts.collection = [{
            name: "switchboard-host",
            sourceCode: host.bootstrapScript(page.api.token, Language.code, Theme.cssVariables),
            injectionPoint: WebEngineScript.DocumentCreation,
            worldId: WebEngineScript.MainWorld
        }]
    }

    onActiveChanged: if (active) focusPage()

    SoftphoneHost {
        id: host
        baseUrl: page.api.baseUrl
    }

    Connections {
        target: Language
        function onCodeChanged() {
            page.injectHost()
            view.runJavaScript(host.callScript("setLanguage", Language.code))
        }
    }

    // The session refreshes the token while the operator works; the page's requests carry the new one.
    Connections {
        target: page.api
        function onTokenChanged() {
            page.injectHost()
            if (page.api.token !== "")
                view.runJavaScript(host.tokenScript(page.api.token))
        }
    }

    Connections {
        target: Theme
        function onColorsChanged() {
            page.injectHost()
            view.runJavaScript(host.callScript("setTheme", Theme.cssVariables))
        }
    }

    WebEngineView {
        id: view
        objectName: "softphoneView"
        anchors.fill: parent
        focus: true
        // What shows before the page's first paint: the theme's background, never a white flash.
        backgroundColor: Theme.background

        profile: WebEngineProfile {
            offTheRecord: true
        }

        Component.onCompleted: {
            page.injectHost()
            url = host.pageUrl
        }

        onLoadingChanged: (request) => {
            if (request.status === WebEngineView.LoadSucceededStatus) {
                page.applyPendingNumber()
                page.applyPendingCall()
            }
        }

        onFeaturePermissionRequested: (securityOrigin, feature) => {
            const microphone = feature === WebEngineView.MediaAudioCapture
            const granted = microphone && host.isOwnOrigin(securityOrigin)
            console.info((granted ? "granted " : "denied ") + feature + " to " + securityOrigin)
            view.grantFeaturePermission(securityOrigin, feature, granted)
        }

        // The view shows the server's softphone and nothing else; other links open in the
        // system's browser, where the operator's token is not.
        onNavigationRequested: (request) => {
            if (host.mayNavigate(request.url))
                return
            request.reject()
            if (host.opensExternally(request.url))
                Qt.openUrlExternally(request.url)
        }

        onNewWindowRequested: (request) => {
            if (host.opensExternally(request.requestedUrl))
                Qt.openUrlExternally(request.requestedUrl)
        }

        onJavaScriptConsoleMessage: (level, message, lineNumber, sourceID) => {
            console.info("softphone: " + message + " (" + sourceID + ":" + lineNumber + ")")
        }
    }
}
