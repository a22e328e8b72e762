import QtQuick
import QtQuick.Controls
import QtWebEngine
import Switchboard.Gui

// The softphone: the server's own page in a WebEngineView. The token and the language reach it
// through a script injected at document creation (no URL carries them); only the server's
// origin may use the microphone.
Item {
    id: page

    required property ApiClient api
    property bool active: false
    property string pendingNumber

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

    onActiveChanged: if (active) view.forceActiveFocus()

    SoftphoneHost {
        id: host
        baseUrl: page.api.baseUrl
    }

    Connections {
        target: Language
        function onCodeChanged() {
            view.runJavaScript(host.callScript("setLanguage", Language.code))
        }
    }

    WebEngineView {
        id: view
        objectName: "softphoneView"
        anchors.fill: parent
        focus: true

        profile: WebEngineProfile {
            offTheRecord: true
        }

        Component.onCompleted: {
            userScripts.collection = [{
                name: "switchboard-host",
                sourceCode: host.bootstrapScript(page.api.token, Language.code),
                injectionPoint: WebEngineScript.DocumentCreation,
                worldId: WebEngineScript.MainWorld
            }]
            url = host.pageUrl
        }

        onLoadingChanged: (request) => {
            if (request.status === WebEngineView.LoadSucceededStatus)
                page.applyPendingNumber()
        }

        onFeaturePermissionRequested: (securityOrigin, feature) => {
            const microphone = feature === WebEngineView.MediaAudioCapture
            const granted = microphone && host.isOwnOrigin(securityOrigin)
            console.info((granted ? "granted " : "denied ") + feature + " to " + securityOrigin)
            view.grantFeaturePermission(securityOrigin, feature, granted)
        }

        onJavaScriptConsoleMessage: (level, message, lineNumber, sourceID) => {
            console.info("softphone: " + message + " (" + sourceID + ":" + lineNumber + ")")
        }
    }
}
