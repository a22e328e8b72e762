#include "calljson.h"

#include "core/timeformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

QJsonObject callJson(const Call &call)
{
    auto optionalTime = [](const std::optional<QDateTime> &time) {
        return time ? QJsonValue(formatUtc(*time)) : QJsonValue(QJsonValue::Null);
    };
    QJsonValue quality(QJsonValue::Null);
    if (call.quality) {
        quality = QJsonObject{
            {u"rtt_ms"_s, call.quality->rttMs},
            {u"jitter_ms"_s, call.quality->jitterMs},
            {u"packet_loss_percent"_s, call.quality->packetLossPercent},
            {u"mos"_s, call.quality->mos},
            {u"packets_received"_s, call.quality->packetsReceived},
        };
    }
    const auto orNull = [](const QString &text) { return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text); };
    return {
        {u"quality"_s, quality},
        {u"notes"_s, orNull(call.notes)},
        {u"outcome"_s, orNull(call.outcome)},
        {u"contact_name"_s, orNull(call.contactName)},
        {u"call_id"_s, call.id},
        {u"user_id"_s, call.userId},
        {u"phone_number"_s, call.phoneNumber},
        {u"start_time"_s, formatUtc(call.startTime)},
        {u"duration"_s, call.durationSeconds},
        {u"status"_s, toString(call.status)},
        {u"session_id"_s, call.sessionId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(call.sessionId)},
        {u"provider"_s, call.provider},
        {u"answered_at"_s, optionalTime(call.answeredAt)},
        {u"end_time"_s, optionalTime(call.endedAt)},
        {u"failure_reason"_s,
         call.failureReason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(call.failureReason)},
        {u"on_hold"_s, call.onHold},
        {u"transferred_to"_s,
         call.transferredTo.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(call.transferredTo)},
        // The seed platform's names: its web client reads history items by these and shows blank
        // rows without them.
        {u"callId"_s, call.id},
        {u"phoneNumber"_s, call.phoneNumber},
        {u"startTime"_s, formatUtc(call.startTime)},
    };
}

} // namespace Switchboard
