#include "contactsmodel.h"

#include "calls/phonenumbers.h"
#include "languagewatcher.h"
#include "texts.h"

#include <QFile>
#include <QJsonArray>
#include <QSaveFile>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

QString localPath(const QUrl &file)
{
    return file.isLocalFile() ? file.toLocalFile() : file.toString();
}

bool isVCardFile(const QString &path)
{
    return path.endsWith(u".vcf"_s, Qt::CaseInsensitive) || path.endsWith(u".vcard"_s, Qt::CaseInsensitive);
}

} // namespace

ContactsModel::ContactsModel(QObject *parent) : QAbstractListModel(parent)
{
    new LanguageWatcher(this, [this] { Q_EMIT stateChanged(); });
}

int ContactsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_contacts.size());
}

QVariant ContactsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &contact = m_contacts.at(index.row());
    switch (role) {
    case ContactIdRole:
        return contact.value(u"contact_id"_s).toString();
    case Qt::DisplayRole:
    case NameRole:
        return contact.value(u"name"_s).toString();
    case PhoneNumberRole:
        return contact.value(u"phone_number"_s).toString();
    case DisplayNumberRole:
        return PhoneNumbers::formatInternational(contact.value(u"phone_number"_s).toString());
    case CompanyRole:
        return contact.value(u"company"_s).toString();
    case NotesRole:
        return contact.value(u"notes"_s).toString();
    }
    return {};
}

QHash<int, QByteArray> ContactsModel::roleNames() const
{
    return {
        {ContactIdRole, "contactId"}, {NameRole, "name"},       {PhoneNumberRole, "phoneNumber"},
        {DisplayNumberRole, "displayNumber"}, {CompanyRole, "company"}, {NotesRole, "notes"},
    };
}

bool ContactsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loadedPages > 0 && !m_fetching && m_contacts.size() < m_total;
}

void ContactsModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestPage(m_loadedPages + 1);
}

void ContactsModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

void ContactsModel::setSearch(const QString &search)
{
    if (m_search == search)
        return;
    m_search = search;
    Q_EMIT searchChanged();
    reload();
}

void ContactsModel::setPageSize(int pageSize)
{
    if (m_pageSize == pageSize || pageSize < 1 || pageSize > 500)
        return;
    m_pageSize = pageSize;
    Q_EMIT pageSizeChanged();
}

QString ContactsModel::errorText() const
{
    return Texts::error(m_errorType);
}

void ContactsModel::reload()
{
    ++m_generation;
    if (!m_contacts.isEmpty()) {
        beginResetModel();
        m_contacts.clear();
        endResetModel();
    }
    m_loadedPages = 0;
    m_fetching = false;
    requestPage(1);
}

void ContactsModel::requestPage(int page)
{
    if (!m_client || m_client->token().isEmpty())
        return;
    m_fetching = true;
    if (page == 1)
        setState(State::Loading);
    QUrlQuery query;
    query.addQueryItem(u"page"_s, QString::number(page));
    query.addQueryItem(u"limit"_s, QString::number(m_pageSize));
    if (!m_search.trimmed().isEmpty())
        query.addQueryItem(u"q"_s, QString::fromLatin1(QUrl::toPercentEncoding(m_search.trimmed().left(100))));
    const quint64 generation = m_generation;
    m_client->get(u"/api/contacts?"_s + query.toString(QUrl::FullyEncoded), this,
                  [this, generation, page](const ApiReply &reply) {
        if (generation != m_generation)
            return;
        m_fetching = false;
        if (!reply.ok())
            return setState(State::Error, reply.errorType);
        m_loadedPages = page; // as in HistoryModel: counted before the rows arrive
        const QJsonArray contacts = reply.json.value(u"contacts"_s).toArray();
        if (!contacts.isEmpty()) {
            m_fetching = true;
            beginInsertRows({}, int(m_contacts.size()), int(m_contacts.size() + contacts.size()) - 1);
            for (const QJsonValue &contact : contacts)
                m_contacts.append(contact.toObject());
            endInsertRows();
            m_fetching = false;
        }
        if (const int total = reply.json.value(u"total"_s).toInt(); total != m_total) {
            m_total = total;
            Q_EMIT totalChanged();
        }
        setState(m_contacts.isEmpty() ? State::Empty : State::Ready);
    });
}

void ContactsModel::setState(State state, const QString &errorType)
{
    if (m_state == state && m_errorType == errorType)
        return;
    m_state = state;
    m_errorType = errorType;
    Q_EMIT stateChanged();
}

void ContactsModel::save(const QString &contactId, const QString &name, const QString &phoneNumber,
                         const QString &company, const QString &notes)
{
    if (!m_client)
        return;
    const QJsonObject body{{u"name"_s, name}, {u"phone_number"_s, phoneNumber}, {u"company"_s, company},
                           {u"notes"_s, notes}};
    const bool adding = contactId.isEmpty();
    m_client->send(adding ? "POST" : "PATCH", adding ? u"/api/contacts"_s : u"/api/contacts/"_s + contactId, body,
                   this, [this](const ApiReply &reply) {
        Q_EMIT saved(reply.ok(), Texts::error(reply.errorType));
        if (reply.ok())
            reload();
    });
}

void ContactsModel::remove(const QString &contactId)
{
    if (!m_client)
        return;
    m_client->send("DELETE", u"/api/contacts/"_s + contactId, {}, this, [this](const ApiReply &reply) {
        Q_EMIT removed(reply.ok(), Texts::error(reply.errorType));
        reload();
    });
}

void ContactsModel::importFile(const QUrl &file)
{
    const QString path = localPath(file);
    QFile in(path);
    if (!m_client || !in.open(QIODevice::ReadOnly))
        return Q_EMIT importFinished(false, 0, 0, {}, Texts::error(u"import_failed"_s));
    const QByteArray type = isVCardFile(path) ? "text/vcard" : "text/csv";
    m_client->sendBytes("POST", u"/api/contacts/import"_s, in.readAll(), type, this, [this](const ApiReply &reply) {
        if (!reply.ok())
            return Q_EMIT importFinished(false, 0, 0, {}, Texts::error(reply.errorType));
        const QJsonArray skipped = reply.json.value(u"skipped"_s).toArray();
        QStringList lines;
        for (const QJsonValue &problem : skipped) {
            lines.append(tr("line %1: %2")
                             .arg(problem[u"line"_s].toInt())
                             .arg(Texts::importProblem(problem[u"reason"_s].toString())));
        }
        Q_EMIT importFinished(true, reply.json.value(u"imported"_s).toInt(), int(skipped.size()), lines.join(u'\n'), {});
        reload();
    });
}

void ContactsModel::exportFile(const QUrl &file)
{
    const QString path = localPath(file);
    if (!m_client || path.isEmpty())
        return Q_EMIT exportFinished(false, path, Texts::error(u"export_failed"_s));
    const QString format = isVCardFile(path) ? u"vcard"_s : u"csv"_s;
    m_client->get(u"/api/contacts/export?format="_s + format, this, [this, path](const ApiReply &reply) {
        if (!reply.ok())
            return Q_EMIT exportFinished(false, path, Texts::error(reply.errorType));
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(reply.body) != reply.body.size() || !out.commit())
            return Q_EMIT exportFinished(false, path, Texts::error(u"export_failed"_s));
        Q_EMIT exportFinished(true, path, {});
    });
}

} // namespace Switchboard::Gui
