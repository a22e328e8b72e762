#include "privatefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

namespace Switchboard {

namespace {
constexpr auto kOwnerOnlyFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr auto kOwnerOnlyFolder = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
} // namespace

bool makePrivateFolder(const QString &folder)
{
    if (QFileInfo::exists(folder))
        return QFileInfo(folder).isDir();
    return QDir().mkpath(folder) && QFile::setPermissions(folder, kOwnerOnlyFolder);
}

bool keepPrivate(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        QFile file(path);
        return file.open(QIODevice::WriteOnly | QIODevice::NewOnly) && file.setPermissions(kOwnerOnlyFile);
    }
    // Another user's file (a shared database on purpose) is not ours to change.
    if (info.ownerId() != ::getuid())
        return true;
    return QFile::setPermissions(path, kOwnerOnlyFile);
}

} // namespace Switchboard
