// Correctness under concurrency: 64 operators against the real `switchboard --headless` with two
// serving threads, the call service's thread and the group-commit writer. Each operator races two
// initiates (one live call per operator: at most one may win), then two terminates (idempotent:
// both answer the same outcome), in a loop; meanwhile a reader pages through history by cursor.
// Afterwards every acknowledged call is in its owner's history exactly once, nothing is left
// live, the counts the triggers keep equal a full recount, and they still do after a restart.
// Runs on SQLite and on PostgreSQL.
#include "httpclient.h"
#include "integrationsupport.h"
#include "serverprocess.h"
#include "storage/database.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSet>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;
using namespace Switchboard;

namespace {

constexpr int kOperators = 64;
constexpr int kLoops = 12;
constexpr int kWaitMs = 120000;

/// One operator racing itself: two initiates at once, then two terminates at once, kLoops times.
class Operator : public QObject
{
public:
    Operator(const QUrl &baseUrl, QString token) : m_baseUrl(baseUrl), m_token(std::move(token))
    {
        m_network.setProxy(QNetworkProxy::NoProxy);
    }

    void start() { raceInitiates(); }
    bool finished() const { return m_finished; }
    QStringList problems() const { return m_problems; }
    const QStringList &acknowledged() const { return m_acknowledged; }
    const QString &token() const { return m_token; }

private:
    void post(const QString &path, const QJsonObject &body, std::function<void(int, const QJsonObject &)> then)
    {
        QNetworkRequest request(m_baseUrl.resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
        QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        connect(reply, &QNetworkReply::finished, this, [reply, then = std::move(then)]() {
            reply->deleteLater();
            then(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                 QJsonDocument::fromJson(reply->readAll()).object());
        });
    }

    void fail(const QString &problem)
    {
        m_problems << problem;
        m_finished = true;
    }

    void raceInitiates()
    {
        auto answers = std::make_shared<QList<std::pair<int, QJsonObject>>>();
        for (int i = 0; i < 2; ++i) {
            post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550199"_s}},
                 [this, answers](int status, const QJsonObject &body) {
                     answers->append({status, body});
                     if (answers->size() == 2)
                         onInitiates(*answers);
                 });
        }
    }

    void onInitiates(const QList<std::pair<int, QJsonObject>> &answers)
    {
        QStringList placed;
        for (const auto &[status, body] : answers) {
            if (status == 200)
                placed << body.value(u"call_id"_s).toString();
            else if (!(status == 409 && body.value(u"error"_s).toString() == u"call_already_active"_s))
                return fail(u"initiate answered %1 %2"_s.arg(status).arg(QString::fromUtf8(QJsonDocument(body).toJson())));
        }
        if (placed.size() != 1)
            return fail(u"%1 of two racing initiates were placed"_s.arg(placed.size()));
        m_acknowledged << placed.first();
        raceTerminates(placed.first());
    }

    void raceTerminates(const QString &callId)
    {
        auto answers = std::make_shared<QList<std::pair<int, QJsonObject>>>();
        for (int i = 0; i < 2; ++i) {
            post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}, [this, answers](int status, const QJsonObject &body) {
                answers->append({status, body});
                if (answers->size() == 2)
                    onTerminates(*answers);
            });
        }
    }

    void onTerminates(const QList<std::pair<int, QJsonObject>> &answers)
    {
        for (const auto &[status, body] : answers) {
            if (status != 200)
                return fail(u"terminate answered %1"_s.arg(status));
        }
        if (answers[0].second != answers[1].second) {
            return fail(u"two terminates of one call disagree: %1 / %2"_s.arg(
                QString::fromUtf8(QJsonDocument(answers[0].second).toJson(QJsonDocument::Compact)),
                QString::fromUtf8(QJsonDocument(answers[1].second).toJson(QJsonDocument::Compact))));
        }
        if (++m_loops == kLoops)
            m_finished = true;
        else
            raceInitiates();
    }

    QUrl m_baseUrl;
    QString m_token;
    QNetworkAccessManager m_network;
    QStringList m_acknowledged;
    QStringList m_problems;
    int m_loops = 0;
    bool m_finished = false;
};

/// Every call of the operator behind `client`, read page by page through next_cursor.
QStringList readHistoryByCursor(HttpClient &client, int limit, QString *problem)
{
    QStringList ids;
    QString next;
    do {
        const QString query = u"/api/calls/history?limit=%1"_s.arg(limit) + (next.isEmpty() ? QString() : u"&cursor="_s + next);
        const HttpResult page = client.get(query);
        if (page.status != 200) {
            *problem = u"history answered %1"_s.arg(page.status);
            return ids;
        }
        for (const QJsonValue &call : page.json.value(u"calls"_s).toArray())
            ids << call.toObject().value(u"call_id"_s).toString();
        next = page.json.value(u"next_cursor"_s).toString();
    } while (!next.isEmpty());
    return ids;
}

} // namespace

class tst_Concurrency : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void racingOperatorsKeepEveryRule();
    void historyByCursorListsEveryCallOnceWhileCallsArrive();
    void countsEqualARecountAfterTheRunAndARestart();
    void cleanupTestCase();

private:
    /// The counts the triggers keep that differ from a recount of the calls, as text; empty when equal.
    QStringList countsDifferingFromRecount();

    QTemporaryDir m_dir;
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<ServerProcess> m_server;
    std::vector<std::unique_ptr<Operator>> m_operators;
};

void tst_Concurrency::initTestCase()
{
    m_database = std::make_unique<TestDatabase>();
    REQUIRE_TEST_DATABASE(*m_database);
    m_server = ServerProcess::serve(m_dir.filePath(u"data"_s), databaseArgument(*m_database->url()),
                                    {{u"SERVER_THREADS"_s, u"2"_s}, {u"LOGIN_RATE_LIMIT"_s, u"100000"_s}});
    VERIFY_RUNNING_HEALTHY(*m_server);
}

void tst_Concurrency::cleanupTestCase()
{
    m_operators.clear();
    if (m_server) {
        m_server->process().terminate();
        VERIFY_CLEAN_EXIT(*m_server);
    }
}

void tst_Concurrency::racingOperatorsKeepEveryRule()
{
    for (int i = 0; i < kOperators; ++i) {
        HttpClient registrar(m_server->baseUrl());
        QVERIFY(!registrar.registerUser(u"racer"_s).isEmpty());
        m_operators.push_back(std::make_unique<Operator>(m_server->baseUrl(), registrar.token()));
    }
    for (const auto &op : m_operators)
        op->start();
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(m_operators.cbegin(), m_operators.cend(),
                                         [](const auto &op) { return op->finished(); }),
                             kWaitMs);
    for (const auto &op : m_operators)
        QVERIFY2(op->problems().isEmpty(), qPrintable(op->problems().join(u"; "_s)));

    // Every acknowledged call is its owner's, once, and ended; nothing else is there.
    for (const auto &op : m_operators) {
        HttpClient client(m_server->baseUrl());
        client.setToken(op->token());
        QString problem;
        const QStringList listed = readHistoryByCursor(client, 5, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(QSet<QString>(listed.cbegin(), listed.cend()).size(), listed.size());
        QCOMPARE(QSet<QString>(listed.cbegin(), listed.cend()), QSet<QString>(op->acknowledged().cbegin(), op->acknowledged().cend()));
        const HttpResult live = client.get(u"/api/calls/history?status=connecting"_s);
        QCOMPARE(live.json.value(u"total"_s).toInt(-1), 0);
    }
}

void tst_Concurrency::historyByCursorListsEveryCallOnceWhileCallsArrive()
{
    // One operator's history paged by cursor while the same operator keeps adding calls: every
    // call there before the paging began is listed exactly once, and nothing twice.
    QVERIFY2(!m_operators.empty(), "the operators are registered by racingOperatorsKeepEveryRule");
    HttpClient reader(m_server->baseUrl());
    reader.setToken(m_operators.front()->token());
    const QStringList before = m_operators.front()->acknowledged();
    Operator adder(m_server->baseUrl(), m_operators.front()->token());
    adder.start();

    QStringList listed;
    QString next;
    do {
        const HttpResult page = reader.get(u"/api/calls/history?limit=3"_s + (next.isEmpty() ? QString() : u"&cursor="_s + next));
        QCOMPARE(page.status, 200);
        for (const QJsonValue &call : page.json.value(u"calls"_s).toArray())
            listed << call.toObject().value(u"call_id"_s).toString();
        next = page.json.value(u"next_cursor"_s).toString();
        QTest::qWait(20); // the adder places calls in between
    } while (!next.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(adder.finished(), kWaitMs);
    QVERIFY2(adder.problems().isEmpty(), qPrintable(adder.problems().join(u"; "_s)));

    QCOMPARE(QSet<QString>(listed.cbegin(), listed.cend()).size(), listed.size());
    for (const QString &callId : before)
        QVERIFY2(listed.contains(callId), qPrintable(callId + u" was skipped"_s));
}

QStringList tst_Concurrency::countsDifferingFromRecount()
{
    Result<std::unique_ptr<Database>> opened = Database::open(*m_database->url(), u"tst_concurrency"_s);
    if (!opened)
        return {opened.error().message};
    Database &database = *opened.value();
    const auto rows = [&database](const QString &sql) {
        QStringList lines;
        Result<QList<QSqlRecord>> result = database.select(sql);
        for (const QSqlRecord &row : result.value()) {
            QStringList fields;
            for (int i = 0; i < row.count(); ++i)
                fields << row.value(i).toString();
            lines << fields.join(u'|');
        }
        return lines;
    };
    const QStringList counted = rows(u"SELECT user_id, status, failure_reason, calls, duration_seconds FROM call_counts "
                                     "WHERE calls <> 0 ORDER BY 1, 2, 3"_s);
    const QStringList recounted = rows(u"SELECT user_id, status, COALESCE(failure_reason, ''), COUNT(*), SUM(duration) "
                                       "FROM calls GROUP BY user_id, status, COALESCE(failure_reason, '') ORDER BY 1, 2, 3"_s);
    if (counted == recounted)
        return {};
    return {u"counted: "_s + counted.join(u", "_s), u"recounted: "_s + recounted.join(u", "_s)};
}

void tst_Concurrency::countsEqualARecountAfterTheRunAndARestart()
{
    QVERIFY2(countsDifferingFromRecount().isEmpty(), qPrintable(countsDifferingFromRecount().join(u'\n')));
    HttpClient client(m_server->baseUrl());
    const double before = metricValue(parseMetrics(client.get(u"/metrics"_s).body), u"switchboard_calls_initiated_total"_s);
    QVERIFY(before >= kOperators * kLoops);

    m_server->process().terminate();
    VERIFY_CLEAN_EXIT(*m_server);
    m_server = ServerProcess::serve(m_dir.filePath(u"data"_s), databaseArgument(*m_database->url()),
                                    {{u"SERVER_THREADS"_s, u"2"_s}});
    VERIFY_RUNNING_HEALTHY(*m_server);
    QVERIFY2(countsDifferingFromRecount().isEmpty(), qPrintable(countsDifferingFromRecount().join(u'\n')));
    HttpClient after(m_server->baseUrl());
    QCOMPARE(metricValue(parseMetrics(after.get(u"/metrics"_s).body), u"switchboard_calls_initiated_total"_s), before);
}

QTEST_GUILESS_MAIN(tst_Concurrency)
#include "tst_concurrency.moc"
