#pragma once

#include "domain/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace Switchboard {

/// An answer waiting to be written: status, headers and body.
struct ApiResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    /// The head of an answer whose body follows in pieces (Reply::writePiece, Reply::endStream),
    /// sent with chunked transfer coding; `body` is its first piece.
    bool streamed = false;

    static ApiResponse json(int status, const QJsonObject &object);
    static ApiResponse text(int status, const QByteArray &contentType, const QByteArray &body);
    static ApiResponse noContent();
    /// The head of a streamed answer (Server-Sent Events and the like).
    static ApiResponse stream(const QByteArray &contentType, const QByteArray &firstPiece);

    /// Every error answer is built here: `{"error": type, "message": message}`.
    static ApiResponse error(int status, const QString &type, const QString &message);

    /// The HTTP status and error type of a use case's Error.
    static ApiResponse fromError(const Error &error);
};

} // namespace Switchboard
