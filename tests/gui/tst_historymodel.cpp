// HistoryModel against the real backend over HTTP: rows in the local time zone with formatted
// numbers, durations and translated statuses; pages loaded as the view asks; filters; empty,
// loading and error-with-retry states; CSV export of everything that matches.

#include "apiclient.h"
#include "historymodel.h"
#include "httpclient.h"
#include "testbackend.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::HistoryModel;

class tst_HistoryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void durationText_data();
    void durationText();
    void csvLine_quotes();

    void rows_showCallsNewestFirst();
    void fetchMore_loadsThePagesInTurn();
    void filters_reloadFromTheFirstPage();
    void noCalls_isEmptyState();
    void serverGone_isErrorState_thenRetryLoads();
    void exportCsv_writesEveryMatchingCall();
    void annotate_showsNotesOutcomeAndContactName();

private:
    /// Places `number` and ends it at once (canceled: never active without media).
    void placeCall(HttpClient &client, const QString &number);
    std::unique_ptr<HistoryModel> newModel(ApiClient &api);

    std::unique_ptr<TestBackend> m_backend;
    HttpClient *m_operator = nullptr;
    std::unique_ptr<HttpClient> m_owner;
};

void tst_HistoryModel::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    m_owner = std::make_unique<HttpClient>(m_backend->baseUrl());
    m_operator = m_owner.get();
    m_operator->registerUser(u"history"_s);
    // Seven calls: five to Germany, two to the UK, the last one placed last.
    for (int i = 0; i < 5; ++i)
        placeCall(*m_operator, u"+4915123456%1"_s.arg(770 + i));
    placeCall(*m_operator, u"+442079460958"_s);
    placeCall(*m_operator, u"+442079460959"_s);
}

void tst_HistoryModel::cleanupTestCase()
{
    m_owner.reset();
    m_backend.reset();
}

void tst_HistoryModel::placeCall(HttpClient &client, const QString &number)
{
    const HttpResult started = client.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, number}});
    QCOMPARE(started.status, 200);
    const HttpResult ended = client.post(u"/api/calls/terminate"_s,
                                         {{u"call_id"_s, started.json.value(u"call_id"_s).toString()}});
    QCOMPARE(ended.status, 200);
}

std::unique_ptr<HistoryModel> tst_HistoryModel::newModel(ApiClient &api)
{
    auto model = std::make_unique<HistoryModel>();
    new QAbstractItemModelTester(model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, model.get());
    model->setClient(&api);
    return model;
}

void tst_HistoryModel::durationText_data()
{
    QTest::addColumn<int>("seconds");
    QTest::addColumn<QString>("text");
    QTest::addRow("zero") << 0 << u"0:00"_s;
    QTest::addRow("seconds") << 7 << u"0:07"_s;
    QTest::addRow("minutes") << 754 << u"12:34"_s;
    QTest::addRow("hours") << 3723 << u"1:02:03"_s;
}

void tst_HistoryModel::durationText()
{
    QFETCH(int, seconds);
    QFETCH(QString, text);
    QCOMPARE(HistoryModel::durationText(seconds), text);
}

void tst_HistoryModel::csvLine_quotes()
{
    const QJsonObject call{{u"call_id"_s, u"id-1"_s},     {u"start_time"_s, u"2026-11-25T03:00:00Z"_s},
                           {u"phone_number"_s, u"+4915123456789"_s}, {u"duration"_s, 61},
                           {u"status"_s, u"failed"_s},   {u"failure_reason"_s, u"busy, \"really\""_s},
                           {u"contact_name"_s, u"Anna"_s}, {u"outcome"_s, u"callback"_s},
                           {u"notes"_s, u"two\nlines"_s}};
    QCOMPARE(HistoryModel::csvLine(call),
             u"id-1,2026-11-25T03:00:00Z,+4915123456789,Anna,61,failed,\"busy, \"\"really\"\"\",callback,\"two\nlines\""_s);
}

void tst_HistoryModel::rows_showCallsNewestFirst()
{
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(m_operator->token());
    auto model = newModel(api);
    QSignalSpy states(model.get(), &HistoryModel::stateChanged);
    model->reload();
    QCOMPARE(model->state(), HistoryModel::State::Loading);
    QTRY_COMPARE(model->state(), HistoryModel::State::Ready);
    QCOMPARE(model->total(), 7);
    QCOMPARE(model->rowCount(), 7);

    const QModelIndex newest = model->index(0);
    QCOMPARE(newest.data(HistoryModel::PhoneNumberRole).toString(), u"+442079460959"_s);
    QCOMPARE(newest.data(HistoryModel::DisplayNumberRole).toString(), u"+44 20 7946 0959"_s);
    QCOMPARE(newest.data(HistoryModel::StatusRole).toString(), u"canceled"_s);
    QCOMPARE(newest.data(HistoryModel::StatusTextRole).toString(), u"Canceled"_s);
    QCOMPARE(newest.data(HistoryModel::DurationTextRole).toString(), u"0:00"_s);
    const QDateTime start = newest.data(HistoryModel::StartTimeRole).toDateTime();
    QCOMPARE(start.timeSpec(), Qt::LocalTime);
    QVERIFY(qAbs(start.secsTo(QDateTime::currentDateTime())) < 120);
    QCOMPARE(newest.data(HistoryModel::StartTimeTextRole).toString(), QLocale().toString(start, QLocale::ShortFormat));
    QCOMPARE(model->index(6).data(HistoryModel::PhoneNumberRole).toString(), u"+4915123456770"_s);
    QCOMPARE(model->roleNames().value(HistoryModel::DisplayNumberRole), QByteArray("displayNumber"));
}

void tst_HistoryModel::fetchMore_loadsThePagesInTurn()
{
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(m_operator->token());
    auto model = newModel(api);
    model->setPageSize(3);
    model->reload();
    QTRY_COMPARE(model->state(), HistoryModel::State::Ready);
    QCOMPARE(model->rowCount(), 3);
    QVERIFY(model->canFetchMore({}));

    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
    model->fetchMore({});
    QVERIFY(!model->canFetchMore({})); // one page at a time
    QTRY_COMPARE(model->rowCount(), 6);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 3);
    QCOMPARE(inserted.first().at(2).toInt(), 5);
    model->fetchMore({});
    QTRY_COMPARE(model->rowCount(), 7);
    QVERIFY(!model->canFetchMore({}));

    QStringList ids;
    for (int row = 0; row < model->rowCount(); ++row)
        ids.append(model->index(row).data(HistoryModel::CallIdRole).toString());
    ids.removeDuplicates();
    QCOMPARE(ids.size(), 7); // no call twice, none missing
}

void tst_HistoryModel::filters_reloadFromTheFirstPage()
{
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(m_operator->token());
    auto model = newModel(api);
    model->setSearch(u"+44 20"_s); // typed with a space: only digits and + are searched
    QTRY_COMPARE(model->state(), HistoryModel::State::Ready);
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->total(), 2);

    model->setSearch(QString());
    model->setStatusFilter(u"completed"_s);
    QTRY_COMPARE(model->state(), HistoryModel::State::Empty);
    QCOMPARE(model->rowCount(), 0);

    model->setStatusFilter(u"canceled"_s);
    QTRY_COMPARE(model->state(), HistoryModel::State::Ready);
    QCOMPARE(model->rowCount(), 7);

    const QDate today = QDate::currentDate();
    model->setDateFrom(today.addDays(1));
    QTRY_COMPARE(model->state(), HistoryModel::State::Empty);
    model->setDateFrom(today);
    model->setDateTo(today);
    QTRY_COMPARE(model->state(), HistoryModel::State::Ready);
    QCOMPARE(model->rowCount(), 7);
    model->setDateTo(today.addDays(-1));
    model->setDateFrom(today.addDays(-2));
    QTRY_COMPARE(model->state(), HistoryModel::State::Empty);
}

void tst_HistoryModel::noCalls_isEmptyState()
{
    HttpClient fresh(m_backend->baseUrl());
    fresh.registerUser(u"nocalls"_s);
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(fresh.token());
    auto model = newModel(api);
    model->reload();
    QTRY_COMPARE(model->state(), HistoryModel::State::Empty);
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(!model->canFetchMore({}));
    QVERIFY(model->errorText().isEmpty());
}

void tst_HistoryModel::serverGone_isErrorState_thenRetryLoads()
{
    ApiClient api;
    api.setToken(m_operator->token());
    api.setBaseUrl(QUrl(u"http://127.0.0.1:9"_s)); // nothing listens there
    auto model = newModel(api);
    model->reload();
    QTRY_COMPARE(model->state(), HistoryModel::State::Error);
    QCOMPARE(model->errorText(), u"The Switchboard server cannot be reached."_s);

    api.setBaseUrl(m_backend->baseUrl()); // the server is back
    model->reload();
    QTRY_COMPARE(model->state(), HistoryModel::State::Ready);
    QCOMPARE(model->rowCount(), 7);
    QVERIFY(model->errorText().isEmpty());
}

void tst_HistoryModel::exportCsv_writesEveryMatchingCall()
{
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(m_operator->token());
    auto model = newModel(api);
    model->setPageSize(2);
    model->setSearch(u"+49"_s);
    QTRY_COMPARE(model->state(), HistoryModel::State::Ready);
    QCOMPARE(model->rowCount(), 2); // only a page is loaded …

    QTemporaryDir dir;
    const QString path = dir.filePath(u"calls.csv"_s);
    QSignalSpy finished(model.get(), &HistoryModel::exportFinished);
    model->exportCsv(QUrl::fromLocalFile(path));
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(3).toString()));
    QCOMPARE(finished.first().at(2).toInt(), 5); // … but every matching call is exported

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u"\r\n"_s, Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines.first(), HistoryModel::csvHeader());
    for (const QString &line : lines.mid(1)) {
        QVERIFY2(line.contains(u",+4915123456"_s), qPrintable(line));
        QVERIFY2(line.endsWith(u",0,canceled,,,"_s), qPrintable(line)); // no failure reason, outcome or notes
    }

    model->exportCsv(QUrl::fromLocalFile(dir.filePath(u"no-such-dir/calls.csv"_s)));
    QTRY_COMPARE(finished.size(), 2);
    QVERIFY(!finished.last().at(0).toBool());
    QCOMPARE(finished.last().at(3).toString(), u"The file could not be written."_s);
}

// A call's notes and outcome written through the model, the contact's name from the address
// book, the outcome filter, and the three in the CSV.
void tst_HistoryModel::annotate_showsNotesOutcomeAndContactName()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser(u"annotate"_s);
    placeCall(owner, u"+442079460960"_s);
    placeCall(owner, u"+442079460961"_s);
    QCOMPARE(owner.post(u"/api/contacts"_s, {{u"name"_s, u"Sherlock"_s}, {u"phone_number"_s, u"+442079460961"_s}}).status, 201);

    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(owner.token());
    auto model = newModel(api);
    model->reload();
    QTRY_COMPARE(model->state(), HistoryModel::State::Ready);
    QCOMPARE(model->rowCount(), 2);
    const QModelIndex newest = model->index(0);
    QCOMPARE(newest.data(HistoryModel::ContactNameRole).toString(), u"Sherlock"_s);
    QCOMPARE(model->index(1).data(HistoryModel::ContactNameRole).toString(), QString());
    QCOMPARE(newest.data(HistoryModel::OutcomeTextRole).toString(), QString());

    QSignalSpy annotated(model.get(), &HistoryModel::annotated);
    QSignalSpy changed(model.get(), &HistoryModel::dataChanged);
    model->annotate(newest.data(HistoryModel::CallIdRole).toString(), u"Asked for a \"quote\", call again"_s,
                    u"callback"_s);
    QTRY_COMPARE(annotated.size(), 1);
    QVERIFY2(annotated.first().at(0).toBool(), qPrintable(annotated.first().at(1).toString()));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(newest.data(HistoryModel::NotesRole).toString(), u"Asked for a \"quote\", call again"_s);
    QCOMPARE(newest.data(HistoryModel::OutcomeRole).toString(), u"callback"_s);
    QCOMPARE(newest.data(HistoryModel::OutcomeTextRole).toString(), u"Call back"_s);
    QCOMPARE(newest.data(HistoryModel::ContactNameRole).toString(), u"Sherlock"_s);

    model->annotate(newest.data(HistoryModel::CallIdRole).toString(), QString(4001, u'x'), {});
    QTRY_COMPARE(annotated.size(), 2);
    QVERIFY(!annotated.last().at(0).toBool());
    QCOMPARE(annotated.last().at(1).toString(), u"Please check the data you entered."_s);

    model->setOutcomeFilter(u"callback"_s);
    QTRY_COMPARE(model->state(), HistoryModel::State::Ready);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->total(), 1);
    model->setOutcomeFilter(u"voicemail"_s);
    QTRY_COMPARE(model->state(), HistoryModel::State::Empty);

    model->setOutcomeFilter({});
    QTemporaryDir dir;
    QSignalSpy finished(model.get(), &HistoryModel::exportFinished);
    model->exportCsv(QUrl::fromLocalFile(dir.filePath(u"calls.csv"_s)));
    QTRY_COMPARE(finished.size(), 1);
    QFile file(dir.filePath(u"calls.csv"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString csv = QString::fromUtf8(file.readAll());
    QVERIFY2(csv.contains(u",Sherlock,0,canceled,,callback,\"Asked for a \"\"quote\"\", call again\"\r\n"_s), qPrintable(csv));
}

QTEST_GUILESS_MAIN(tst_HistoryModel)
#include "tst_historymodel.moc"
