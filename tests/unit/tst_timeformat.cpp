#include "core/timeformat.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

class tst_TimeFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formatUtc_data();
    void formatUtc();
    void formattedTimesSortAsText();
    void parseUtcRoundTrip();
    void parseUtcRejectsGarbage_data();
    void parseUtcRejectsGarbage();
    void parseClientTime_data();
    void parseClientTime();
    void parseClientTimeRejects_data();
    void parseClientTimeRejects();
};

void tst_TimeFormat::formatUtc_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("text");

    QTest::addRow("UTC with milliseconds")
        << QDateTime(QDate(2026, 11, 24), QTime(22, 52, 7, 123), Qt::UTC) << u"2026-11-24T22:52:07.123Z"_s;
    QTest::addRow("zero-padded fields")
        << QDateTime(QDate(2026, 1, 5), QTime(3, 4, 5, 7), Qt::UTC) << u"2026-01-05T03:04:05.007Z"_s;
    QTest::addRow("whole second keeps .000")
        << QDateTime(QDate(2026, 1, 5), QTime(0, 0), Qt::UTC) << u"2026-01-05T00:00:00.000Z"_s;
    QTest::addRow("positive offset converted to UTC")
        << QDateTime(QDate(2026, 3, 1), QTime(1, 30, 0, 500), Qt::OffsetFromUTC, 3 * 3600)
        << u"2026-02-28T22:30:00.500Z"_s;
    QTest::addRow("negative offset converted to UTC")
        << QDateTime(QDate(2026, 12, 31), QTime(20, 0), Qt::OffsetFromUTC, -5 * 3600) << u"2027-01-01T01:00:00.000Z"_s;
    QTest::addRow("named time zone converted to UTC")
        << QDateTime(QDate(2026, 7, 1), QTime(12, 0), QTimeZone("Europe/Berlin")) << u"2026-07-01T10:00:00.000Z"_s;
}

void tst_TimeFormat::formatUtc()
{
    QFETCH(QDateTime, time);
    QFETCH(QString, text);
    QCOMPARE(Switchboard::formatUtc(time), text);
}

void tst_TimeFormat::formattedTimesSortAsText()
{
    // Stored times are compared as text by SQL (start_time >= ?): text order must be time order.
    const QDateTime base(QDate(2026, 1, 1), QTime(9, 59, 59, 999), Qt::UTC);
    const QList<QDateTime> times{base, base.addMSecs(1), base.addSecs(1), base.addDays(40), base.addYears(1)};
    for (qsizetype i = 1; i < times.size(); ++i) {
        const QString earlier = Switchboard::formatUtc(times.at(i - 1));
        const QString later = Switchboard::formatUtc(times.at(i));
        QCOMPARE(earlier.size(), later.size());
        QVERIFY2(earlier < later, qPrintable(earlier + u" !< "_s + later));
    }
}

void tst_TimeFormat::parseUtcRoundTrip()
{
    const QDateTime time(QDate(2026, 11, 24), QTime(22, 52, 7, 123), Qt::OffsetFromUTC, 2 * 3600);
    const QDateTime parsed = parseUtc(Switchboard::formatUtc(time));
    QVERIFY(parsed.isValid());
    QCOMPARE(parsed, time);
    QCOMPARE(parsed.timeSpec(), Qt::UTC);
    QCOMPARE(parsed.time().msec(), 123);
    QCOMPARE(parsed.time().hour(), 20);
}

void tst_TimeFormat::parseUtcRejectsGarbage_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("empty") << QString();
    QTest::addRow("words") << u"yesterday"_s;
    QTest::addRow("impossible date") << u"2026-02-30T10:00:00.000Z"_s;
    QTest::addRow("impossible hour") << u"2026-01-01T24:30:00.000Z"_s;
}

void tst_TimeFormat::parseUtcRejectsGarbage()
{
    QFETCH(QString, text);
    QVERIFY(!parseUtc(text).isValid());
}

void tst_TimeFormat::parseClientTime_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");

    QTest::addRow("date only is midnight UTC") << u"2026-03-01"_s << QDateTime(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC);
    QTest::addRow("leap day") << u"2028-02-29"_s << QDateTime(QDate(2028, 2, 29), QTime(0, 0), Qt::UTC);
    QTest::addRow("Z") << u"2026-03-01T12:00:00Z"_s << QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    QTest::addRow("positive offset") << u"2026-03-01T12:00:00+02:00"_s
                                     << QDateTime(QDate(2026, 3, 1), QTime(10, 0), Qt::UTC);
    QTest::addRow("negative offset crosses midnight")
        << u"2026-03-01T22:30:00-05:00"_s << QDateTime(QDate(2026, 3, 2), QTime(3, 30), Qt::UTC);
    QTest::addRow("milliseconds") << u"2026-03-01T12:00:00.250Z"_s
                                  << QDateTime(QDate(2026, 3, 1), QTime(12, 0, 0, 250), Qt::UTC);
    QTest::addRow("what formatUtc writes") << Switchboard::formatUtc(QDateTime(QDate(2026, 5, 6), QTime(7, 8, 9, 10), Qt::UTC))
                                           << QDateTime(QDate(2026, 5, 6), QTime(7, 8, 9, 10), Qt::UTC);
}

void tst_TimeFormat::parseClientTime()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const std::optional<QDateTime> parsed = Switchboard::parseClientTime(text);
    QVERIFY2(parsed.has_value(), "not parsed");
    QCOMPARE(*parsed, expected);
    QCOMPARE(parsed->timeSpec(), Qt::UTC);
}

void tst_TimeFormat::parseClientTimeRejects_data()
{
    QTest::addColumn<QString>("text");

    QTest::addRow("empty") << QString();
    QTest::addRow("words") << u"yesterday"_s;
    QTest::addRow("unix seconds") << u"1767225600"_s;
    QTest::addRow("impossible date") << u"2026-02-30"_s;
    QTest::addRow("month 13") << u"2026-13-01"_s;
    QTest::addRow("not leap year") << u"2026-02-29"_s;
    QTest::addRow("single-digit month") << u"2026-3-1"_s;
    QTest::addRow("day first") << u"01-03-2026"_s;
    QTest::addRow("slashes") << u"2026/03/01"_s;
    QTest::addRow("no offset") << u"2026-03-01T12:00:00"_s;
    QTest::addRow("space instead of T") << u"2026-03-01 12:00:00Z"_s;
    QTest::addRow("hour 25") << u"2026-03-01T25:00:00Z"_s;
    QTest::addRow("no seconds") << u"2026-03-01T12:00Z"_s;
    QTest::addRow("offset without colon") << u"2026-03-01T12:00:00+0200"_s;
    QTest::addRow("trailing text") << u"2026-03-01T12:00:00Zjunk"_s;
    QTest::addRow("leading space") << u" 2026-03-01"_s;
    QTest::addRow("trailing newline after date") << u"2026-03-01\n"_s;
    QTest::addRow("trailing newline after time") << u"2026-03-01T12:00:00Z\n"_s;
    QTest::addRow("SQL") << u"2026-03-01' OR '1'='1"_s;
}

void tst_TimeFormat::parseClientTimeRejects()
{
    QFETCH(QString, text);
    const std::optional<QDateTime> parsed = Switchboard::parseClientTime(text);
    QVERIFY2(!parsed.has_value(), qPrintable(u"parsed as "_s + (parsed ? parsed->toString(Qt::ISODateWithMs) : QString())));
}

QTEST_GUILESS_MAIN(tst_TimeFormat)
#include "tst_timeformat.moc"
