#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace Switchboard {

/// A smoke test of Twilio before going live (`switchboard check-twilio`): with the account's test
/// credentials, creates calls from and to Twilio's magic numbers
/// (https://www.twilio.com/docs/iam/test-credentials#test-calls) — nothing is dialled and nothing
/// is charged — and checks that each answer is the one Twilio documents and that Switchboard
/// makes of it what the operator should see (a placed call, a 400 the operator can act on, or a
/// 503 for the administrator). The valid call carries Switchboard's own TwiML and status
/// callback, so Twilio also judges VOICE_PUBLIC_BASE_URL.
class TwilioLiveCheck : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString testAccountSid; ///< Console: Account > API keys & tokens > Test credentials
        QString testAuthToken;
        QString apiBaseUrl = QStringLiteral("https://api.twilio.com"); ///< VOIP_API_BASE_URL
        QString publicBaseUrl; ///< VOICE_PUBLIC_BASE_URL, when callbacks are to be used
    };

    /// One documented outcome.
    struct Case
    {
        QString what;
        QString from;
        QString to;
        int twilioCode = 0; ///< Twilio's error code; 0: the call is created
        QString switchboard; ///< what the operator gets: placed, 400 validation_error, 503 call_initiation_failed
        bool wrongToken = false; ///< sent with a token that is not the account's
    };

    struct Result
    {
        Case expected;
        int twilioCode = 0; ///< what Twilio answered; 0: a call (or no answer, see `seen`)
        QString switchboard;
        QString seen; ///< Twilio's answer, for the report
        bool passed = false;
    };

    explicit TwilioLiveCheck(Settings settings, QObject *parent = nullptr);

    static QList<Case> documentedCases();
    /// Runs the cases one after another and reports once, from the event loop.
    void run(std::function<void(const QList<Result> &)> done);
    /// True when every case came out as documented: the exit status of check-twilio.
    static bool passed(const QList<Result> &results);
    /// A line per case and a verdict, for a terminal.
    static QString report(const QList<Result> &results);

private:
    void runFrom(qsizetype index, std::shared_ptr<QList<Result>> results, std::function<void(const QList<Result> &)> done);

    Settings m_settings;
};

} // namespace Switchboard
