#pragma once

#include "apiclient.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// The team's calling policy for an admin (GET and PUT /api/policy): the countries operators may
/// call (none listed: every country) and three limits, 0 meaning none. The server validates; its
/// refusals come back as words in the current language.
class CallingPolicy : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(QStringList allowedCountries READ allowedCountries NOTIFY policyChanged)
    /// The countries as an admin types them: `GB, DE`.
    Q_PROPERTY(QString allowedCountriesText READ allowedCountriesText NOTIFY policyChanged)
    Q_PROPERTY(int callsPerOperatorPerDay READ callsPerOperatorPerDay NOTIFY policyChanged)
    Q_PROPERTY(int maxCallDurationSeconds READ maxCallDurationSeconds NOTIFY policyChanged)
    Q_PROPERTY(int maxConcurrentCalls READ maxConcurrentCalls NOTIFY policyChanged)
    /// When it was last saved, in the local time zone; empty if never.
    Q_PROPERTY(QString updatedAtText READ updatedAtText NOTIFY updatedAtTextChanged)
    /// Who saved it last (an email); empty if nobody has.
    Q_PROPERTY(QString updatedBy READ updatedBy NOTIFY policyChanged)
    /// True once a policy has come from the server.
    Q_PROPERTY(bool loaded READ loaded NOTIFY policyChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// Why the policy could not be loaded, in the operator's words; empty when it was.
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    explicit CallingPolicy(QObject *parent = nullptr);

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    QStringList allowedCountries() const { return m_allowedCountries; }
    QString allowedCountriesText() const { return m_allowedCountries.join(u", "); }
    int callsPerOperatorPerDay() const { return m_callsPerOperatorPerDay; }
    int maxCallDurationSeconds() const { return m_maxCallDurationSeconds; }
    int maxConcurrentCalls() const { return m_maxConcurrentCalls; }
    QString updatedAtText() const;
    QString updatedBy() const { return m_updatedBy; }
    bool loaded() const { return m_loaded; }
    bool busy() const { return m_busy; }
    QString errorText() const;

    /// `GB, de;FR` → `GB DE FR`: codes split at commas, semicolons or spaces, in capitals. The
    /// server decides whether each is a country.
    static QStringList parseCountries(const QString &text);

    Q_INVOKABLE void reload();
    /// Saves the whole policy; saved() tells how it went, and the properties show what the server kept.
    Q_INVOKABLE void save(const QString &allowedCountries, int callsPerOperatorPerDay, int maxCallDurationSeconds,
                          int maxConcurrentCalls);

Q_SIGNALS:
    void clientChanged();
    /// A policy came from the server (loaded, or saved and answered): a form shows it again.
    void policyChanged();
    void updatedAtTextChanged();
    void busyChanged();
    void errorTextChanged();
    void saved(bool ok, const QString &errorText);

private:
    void show(const QJsonObject &policy);
    void setBusy(bool busy);
    void setErrorType(const QString &errorType);

    QPointer<ApiClient> m_client;
    QStringList m_allowedCountries;
    int m_callsPerOperatorPerDay = 0;
    int m_maxCallDurationSeconds = 0;
    int m_maxConcurrentCalls = 0;
    QDateTime m_updatedAt;
    QString m_updatedBy;
    bool m_loaded = false;
    bool m_busy = false;
    QString m_errorType;
};

} // namespace Switchboard::Gui
