// Crash under load: 64 operators place calls as fast as they can (initiate → answer → terminate)
// against the real `switchboard --headless`; the process is killed with SIGKILL in the middle and
// started again on the same database. Every call the server acknowledged must exist exactly once,
// none may stay live after the restart's reconciliation, and revoked tokens stay revoked.
// Runs on SQLite and on PostgreSQL.

#include "httpclient.h"
#include "integrationsupport.h"
#include "serverprocess.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

constexpr int kOperators = 64;
constexpr int kRevoked = 4;
constexpr int kLoadMs = 3000;

/// One operator calling in a loop until the server stops answering. Keeps the id of every call
/// whose initiate was answered 200: those are the calls the server promised to know.
class Operator : public QObject
{
public:
    Operator(const QUrl &baseUrl, QString token) : m_baseUrl(baseUrl), m_token(std::move(token))
    {
        m_network.setProxy(QNetworkProxy::NoProxy);
    }

    void start() { initiate(); }
    bool stopped() const { return m_stopped; }
    const QStringList &acknowledged() const { return m_acknowledged; }
    const QString &token() const { return m_token; }
    int completedLoops() const { return m_loops; }
    QString stopReason() const { return m_stopReason; }

private:
    void post(const QString &path, const QJsonObject &body, std::function<void(int, const QJsonObject &)> then)
    {
        QNetworkRequest request(m_baseUrl.resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
        QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        connect(reply, &QNetworkReply::finished, this, [this, reply, then = std::move(then)]() {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (reply->error() != QNetworkReply::NoError && status == 0)
                return stop(reply->errorString());
            then(status, QJsonDocument::fromJson(reply->readAll()).object());
        });
    }

    void stop(const QString &reason)
    {
        m_stopped = true;
        m_stopReason = reason;
    }

    void initiate()
    {
        post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550199"_s}},
             [this](int status, const QJsonObject &body) {
                 if (status != 200)
                     return stop(u"initiate answered %1"_s.arg(status));
                 const QString callId = body.value(u"call_id"_s).toString();
                 m_acknowledged << callId;
                 answer(callId);
             });
    }

    void answer(const QString &callId)
    {
        post(u"/api/calls/answer"_s, {{u"call_id"_s, callId}, {u"sdp_answer"_s, sdpAnswer()}},
             [this, callId](int status, const QJsonObject &) {
                 if (status != 200)
                     return stop(u"answer answered %1"_s.arg(status));
                 terminate(callId);
             });
    }

    void terminate(const QString &callId)
    {
        post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}, [this](int status, const QJsonObject &) {
            if (status != 200)
                return stop(u"terminate answered %1"_s.arg(status));
            ++m_loops;
            initiate();
        });
    }

    QNetworkAccessManager m_network;
    QUrl m_baseUrl;
    QString m_token;
    QStringList m_acknowledged;
    int m_loops = 0;
    bool m_stopped = false;
    QString m_stopReason;
};

/// Every call in `client`'s history, all pages.
QJsonArray wholeHistory(HttpClient &client)
{
    QJsonArray calls;
    for (int page = 1;; ++page) {
        const HttpResult result = client.get(u"/api/calls/history?limit=100&page=%1"_s.arg(page));
        if (result.status != 200)
            return {};
        const QJsonArray part = result.json.value(u"calls"_s).toArray();
        for (const QJsonValue &call : part)
            calls.append(call);
        if (part.size() < 100)
            return calls;
    }
}

} // namespace

class tst_CrashRecovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedUnderLoad_losesNothing();
};

void tst_CrashRecovery::killedUnderLoad_losesNothing()
{
    TestDatabase database;
    REQUIRE_TEST_DATABASE(database);
    const QString databaseArg = databaseArgument(*database.url());
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(u"data"_s);
    const QHash<QString, QString> environment{{u"LOGIN_RATE_LIMIT"_s, u"100000"_s}};

    std::vector<std::unique_ptr<Operator>> operators;
    QStringList revokedTokens;
    int acknowledged = 0;
    {
        auto crashing = ServerProcess::serve(dataDir, databaseArg, environment);
        VERIFY_RUNNING_HEALTHY(*crashing);

        for (int i = 0; i < kRevoked; ++i) {
            HttpClient client(crashing->baseUrl());
            client.registerUser(u"revoked"_s);
            QCOMPARE(client.post(u"/api/auth/logout"_s, QJsonObject{}).status, 204);
            QCOMPARE(client.get(u"/api/calls/history"_s).status, 401);
            revokedTokens << client.token();
        }
        for (int i = 0; i < kOperators; ++i) {
            HttpClient client(crashing->baseUrl());
            client.registerUser(u"crash"_s);
            QVERIFY(!client.token().isEmpty());
            operators.push_back(std::make_unique<Operator>(crashing->baseUrl(), client.token()));
        }
        for (auto &op : operators)
            op->start();
        QTest::qWait(kLoadMs);
        for (auto &op : operators)
            QVERIFY2(!op->stopped(), qPrintable(op->stopReason())); // all still calling: the load is real
        crashing->process().kill();
        QVERIFY(crashing->waitForExit());
        QCOMPARE(crashing->process().exitStatus(), QProcess::CrashExit);
        // Each operator notices the closed connection and stops.
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(operators.cbegin(), operators.cend(),
                                             [](const auto &op) { return op->stopped(); }),
                                 30000);
    }
    int loops = 0;
    for (const auto &op : operators) {
        acknowledged += int(op->acknowledged().size());
        loops += op->completedLoops();
    }
    QVERIFY2(loops >= kOperators, qPrintable(u"only %1 calls completed before the kill"_s.arg(loops)));

    auto restarted = ServerProcess::serve(dataDir, databaseArg, environment);
    VERIFY_RUNNING_HEALTHY(*restarted);

    int stored = 0;
    QHash<QString, int> statuses;
    for (const auto &op : operators) {
        HttpClient client(restarted->baseUrl());
        client.setToken(op->token());
        const QJsonArray history = wholeHistory(client);
        QSet<QString> ids;
        for (const QJsonValue &value : history) {
            const QJsonObject call = value.toObject();
            const QString id = call.value(u"call_id"_s).toString();
            QVERIFY2(!ids.contains(id), qPrintable(u"call %1 listed twice"_s.arg(id)));
            ids.insert(id);
            const QString status = call.value(u"status"_s).toString();
            ++statuses[status];
            QVERIFY2(status == u"completed"_s || status == u"canceled"_s || status == u"failed"_s,
                     qPrintable(u"call %1 is %2 after the restart"_s.arg(id, status)));
        }
        for (const QString &id : op->acknowledged()) {
            QVERIFY2(ids.contains(id), qPrintable(u"acknowledged call %1 is missing"_s.arg(id)));
            QCOMPARE(fetchCall(client, id).value(u"call_id"_s).toString(), id);
        }
        // At most the one call whose initiate was in flight when the process died is unacknowledged.
        QVERIFY2(ids.size() <= op->acknowledged().size() + 1,
                 qPrintable(u"%1 calls stored, %2 acknowledged"_s.arg(ids.size()).arg(op->acknowledged().size())));
        stored += int(ids.size());
        // And the operator can call again: nothing of theirs is left live.
        QVERIFY(!initiateCall(client, u"+12025550199"_s).isEmpty());
    }
    for (const QString &token : std::as_const(revokedTokens)) {
        HttpClient client(restarted->baseUrl());
        client.setToken(token);
        QCOMPARE(client.get(u"/api/calls/history"_s).status, 401);
    }
    QStringList byStatus;
    for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
        byStatus << u"%1 %2"_s.arg(it.value()).arg(it.key());
    byStatus.sort();
    qInfo("%d operators: %d calls acknowledged (%d complete loops) before SIGKILL; %d stored after the restart (%s)",
          kOperators, acknowledged, loops, stored, qPrintable(byStatus.join(u", "_s)));

    restarted->process().terminate();
    VERIFY_CLEAN_EXIT(*restarted);
}

QTEST_GUILESS_MAIN(tst_CrashRecovery)
#include "tst_crashrecovery.moc"
