// ContactsModel against the real backend over HTTP: the address book by name, search, pages
// loaded as the view asks, add / edit / delete with the API's errors in words, import of a file
// with malformed lines, export as CSV and vCard.

#include "apiclient.h"
#include "contactsmodel.h"
#include "httpclient.h"
#include "testbackend.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::ContactsModel;

class tst_ContactsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void rows_byNameWithSearch();
    void fetchMore_loadsThePagesInTurn();
    void save_addsAndEdits_andReportsErrors();
    void remove_deletes();
    void importFile_reportsSkippedLines();
    void exportFile_writesCsvAndVCard();

private:
    std::unique_ptr<ContactsModel> newModel();

    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<HttpClient> m_owner;
    std::unique_ptr<ApiClient> m_api;
};

void tst_ContactsModel::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    m_owner = std::make_unique<HttpClient>(m_backend->baseUrl());
    m_owner->registerUser(u"contacts"_s);
    const QList<std::pair<QString, QString>> contacts{{u"Bravo"_s, u"+4915123456771"_s},
                                                      {u"alpha"_s, u"+4915123456772"_s},
                                                      {u"Charlie"_s, u"+442079460958"_s}};
    for (const auto &[name, number] : contacts)
        QCOMPARE(m_owner->post(u"/api/contacts"_s, {{u"name"_s, name}, {u"phone_number"_s, number}}).status, 201);
    m_api = std::make_unique<ApiClient>();
    m_api->setBaseUrl(m_backend->baseUrl());
    m_api->setToken(m_owner->token());
}

void tst_ContactsModel::cleanupTestCase()
{
    m_api.reset();
    m_owner.reset();
    m_backend.reset();
}

std::unique_ptr<ContactsModel> tst_ContactsModel::newModel()
{
    auto model = std::make_unique<ContactsModel>();
    new QAbstractItemModelTester(model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, model.get());
    model->setClient(m_api.get());
    return model;
}

void tst_ContactsModel::rows_byNameWithSearch()
{
    auto model = newModel();
    model->reload();
    QCOMPARE(model->state(), ContactsModel::State::Loading);
    QTRY_COMPARE(model->state(), ContactsModel::State::Ready);
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->total(), 3);
    const QModelIndex first = model->index(0);
    QCOMPARE(first.data(ContactsModel::NameRole).toString(), u"alpha"_s);
    QCOMPARE(first.data(Qt::DisplayRole).toString(), u"alpha"_s);
    QCOMPARE(first.data(ContactsModel::PhoneNumberRole).toString(), u"+4915123456772"_s);
    QCOMPARE(first.data(ContactsModel::DisplayNumberRole).toString(), u"+49 1512 3456772"_s);
    QVERIFY(!first.data(ContactsModel::ContactIdRole).toString().isEmpty());
    QCOMPARE(model->roleNames().value(ContactsModel::DisplayNumberRole), QByteArray("displayNumber"));

    model->setSearch(u"CHAR"_s);
    QTRY_COMPARE(model->state(), ContactsModel::State::Ready);
    QCOMPARE(model->rowCount(), 1);
    model->setSearch(u"20 7946"_s); // digits of the number
    QTRY_COMPARE(model->state(), ContactsModel::State::Ready);
    QCOMPARE(model->index(0).data(ContactsModel::NameRole).toString(), u"Charlie"_s);
    model->setSearch(u"nobody"_s);
    QTRY_COMPARE(model->state(), ContactsModel::State::Empty);
    QCOMPARE(model->rowCount(), 0);
}

void tst_ContactsModel::fetchMore_loadsThePagesInTurn()
{
    auto model = newModel();
    model->setPageSize(2);
    model->reload();
    QTRY_COMPARE(model->state(), ContactsModel::State::Ready);
    QCOMPARE(model->rowCount(), 2);
    QVERIFY(model->canFetchMore({}));
    model->fetchMore({});
    QTRY_COMPARE(model->rowCount(), 3);
    QVERIFY(!model->canFetchMore({}));
}

void tst_ContactsModel::save_addsAndEdits_andReportsErrors()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser(u"editor"_s);
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(owner.token());
    auto model = std::make_unique<ContactsModel>();
    new QAbstractItemModelTester(model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, model.get());
    model->setClient(&api);
    model->reload();
    QTRY_COMPARE(model->state(), ContactsModel::State::Empty);

    QSignalSpy saved(model.get(), &ContactsModel::saved);
    model->save({}, u"Ann"_s, u"+44 20 7946 0999"_s, u"Acme"_s, u"Prefers mornings"_s);
    QTRY_COMPARE(saved.size(), 1);
    QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
    QTRY_COMPARE(model->rowCount(), 1);
    const QString id = model->index(0).data(ContactsModel::ContactIdRole).toString();
    QCOMPARE(model->index(0).data(ContactsModel::CompanyRole).toString(), u"Acme"_s);
    QCOMPARE(model->index(0).data(ContactsModel::NotesRole).toString(), u"Prefers mornings"_s);

    model->save(id, u"Ann Smith"_s, u"+442079460999"_s, {}, {});
    QTRY_COMPARE(saved.size(), 2);
    QVERIFY(saved.last().at(0).toBool());
    QTRY_COMPARE(model->index(0).data(ContactsModel::NameRole).toString(), u"Ann Smith"_s);
    QCOMPARE(model->index(0).data(ContactsModel::CompanyRole).toString(), QString());

    model->save({}, u"Duplicate"_s, u"+442079460999"_s, {}, {});
    QTRY_COMPARE(saved.size(), 3);
    QVERIFY(!saved.last().at(0).toBool());
    QCOMPARE(saved.last().at(1).toString(), u"A contact with this number already exists."_s);
    model->save({}, u"Bad"_s, u"12"_s, {}, {});
    QTRY_COMPARE(saved.size(), 4);
    QCOMPARE(saved.last().at(1).toString(), u"Please check the data you entered."_s);
}

void tst_ContactsModel::remove_deletes()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser(u"remover"_s);
    QCOMPARE(owner.post(u"/api/contacts"_s, {{u"name"_s, u"Gone"_s}, {u"phone_number"_s, u"+442079460998"_s}}).status, 201);
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(owner.token());
    ContactsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&api);
    model.reload();
    QTRY_COMPARE(model.rowCount(), 1);
    QSignalSpy removed(&model, &ContactsModel::removed);
    model.remove(model.index(0).data(ContactsModel::ContactIdRole).toString());
    QTRY_COMPARE(removed.size(), 1);
    QVERIFY(removed.first().at(0).toBool());
    QTRY_COMPARE(model.state(), ContactsModel::State::Empty);
}

void tst_ContactsModel::importFile_reportsSkippedLines()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser(u"importer"_s);
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(owner.token());
    ContactsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&api);

    QTemporaryDir dir;
    QFile csv(dir.filePath(u"book.csv"_s));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("name,phone\nOne,+442079460901\nTwo,oops\nThree,+442079460903\n");
    csv.close();
    QSignalSpy finished(&model, &ContactsModel::importFinished);
    model.importFile(QUrl::fromLocalFile(csv.fileName()));
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(4).toString()));
    QCOMPARE(finished.first().at(1).toInt(), 2);
    QCOMPARE(finished.first().at(2).toInt(), 1);
    QCOMPARE(finished.first().at(3).toString(), u"line 3: the number is missing or not a valid international number"_s);
    QTRY_COMPARE(model.rowCount(), 2);

    QFile vcf(dir.filePath(u"card.vcf"_s));
    QVERIFY(vcf.open(QIODevice::WriteOnly));
    vcf.write("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Four\r\nTEL:+442079460904\r\nEND:VCARD\r\n");
    vcf.close();
    model.importFile(QUrl::fromLocalFile(vcf.fileName()));
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(finished.last().at(1).toInt(), 1);
    QTRY_COMPARE(model.rowCount(), 3);

    model.importFile(QUrl::fromLocalFile(dir.filePath(u"missing.csv"_s)));
    QTRY_COMPARE(finished.size(), 3);
    QVERIFY(!finished.last().at(0).toBool());
    QCOMPARE(finished.last().at(4).toString(), u"The file could not be read."_s);
}

void tst_ContactsModel::exportFile_writesCsvAndVCard()
{
    auto model = newModel();
    QTemporaryDir dir;
    QSignalSpy finished(model.get(), &ContactsModel::exportFinished);
    model->exportFile(QUrl::fromLocalFile(dir.filePath(u"book.csv"_s)));
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    QFile csv(dir.filePath(u"book.csv"_s));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll(), QByteArray("name,phone_number,company,notes\r\nalpha,+4915123456772,,\r\n"
                                       "Bravo,+4915123456771,,\r\nCharlie,+442079460958,,\r\n"));

    model->exportFile(QUrl::fromLocalFile(dir.filePath(u"book.vcf"_s)));
    QTRY_COMPARE(finished.size(), 2);
    QFile vcf(dir.filePath(u"book.vcf"_s));
    QVERIFY(vcf.open(QIODevice::ReadOnly));
    const QByteArray cards = vcf.readAll();
    QCOMPARE(cards.count("BEGIN:VCARD"), 3);
    QVERIFY(cards.contains("FN:Charlie\r\n"));

    model->exportFile(QUrl::fromLocalFile(dir.filePath(u"no-such-dir/book.csv"_s)));
    QTRY_COMPARE(finished.size(), 3);
    QVERIFY(!finished.last().at(0).toBool());
}

QTEST_GUILESS_MAIN(tst_ContactsModel)
#include "tst_contactsmodel.moc"
