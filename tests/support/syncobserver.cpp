#include "syncobserver.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace SyncObserver {

namespace {

std::atomic<quint64> g_syncs = 0;
std::atomic<bool> g_diskFull = false;
sqlite3_vfs *g_real = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods; // version 3, as the unix VFS's own

/// Our file: SQLite allocates szOsFile bytes; the real VFS's file follows our header.
struct File
{
    sqlite3_file base;
    sqlite3_file *real() { return reinterpret_cast<sqlite3_file *>(this + 1); }
};

File *wrapped(sqlite3_file *file)
{
    return reinterpret_cast<File *>(file);
}

int closeFile(sqlite3_file *file)
{
    return wrapped(file)->real()->pMethods->xClose(wrapped(file)->real());
}

int readFile(sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
    return wrapped(file)->real()->pMethods->xRead(wrapped(file)->real(), buffer, amount, offset);
}

int writeFile(sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
    if (g_diskFull.load())
        return SQLITE_FULL;
    return wrapped(file)->real()->pMethods->xWrite(wrapped(file)->real(), buffer, amount, offset);
}

int syncFile(sqlite3_file *file, int flags)
{
    if (g_diskFull.load())
        return SQLITE_IOERR_FSYNC;
    const int result = wrapped(file)->real()->pMethods->xSync(wrapped(file)->real(), flags);
    g_syncs.fetch_add(1);
    return result;
}

// The rest pass through unchanged.
int truncateFile(sqlite3_file *f, sqlite3_int64 size) { return wrapped(f)->real()->pMethods->xTruncate(wrapped(f)->real(), size); }
int fileSize(sqlite3_file *f, sqlite3_int64 *size) { return wrapped(f)->real()->pMethods->xFileSize(wrapped(f)->real(), size); }
int lockFile(sqlite3_file *f, int lock) { return wrapped(f)->real()->pMethods->xLock(wrapped(f)->real(), lock); }
int unlockFile(sqlite3_file *f, int lock) { return wrapped(f)->real()->pMethods->xUnlock(wrapped(f)->real(), lock); }
int checkReservedLock(sqlite3_file *f, int *out) { return wrapped(f)->real()->pMethods->xCheckReservedLock(wrapped(f)->real(), out); }
int fileControl(sqlite3_file *f, int op, void *arg) { return wrapped(f)->real()->pMethods->xFileControl(wrapped(f)->real(), op, arg); }
int sectorSize(sqlite3_file *f) { return wrapped(f)->real()->pMethods->xSectorSize(wrapped(f)->real()); }
int deviceCharacteristics(sqlite3_file *f) { return wrapped(f)->real()->pMethods->xDeviceCharacteristics(wrapped(f)->real()); }
int shmMap(sqlite3_file *f, int page, int size, int extend, void volatile **out) { return wrapped(f)->real()->pMethods->xShmMap(wrapped(f)->real(), page, size, extend, out); }
int shmLock(sqlite3_file *f, int offset, int n, int flags) { return wrapped(f)->real()->pMethods->xShmLock(wrapped(f)->real(), offset, n, flags); }
void shmBarrier(sqlite3_file *f) { wrapped(f)->real()->pMethods->xShmBarrier(wrapped(f)->real()); }
int shmUnmap(sqlite3_file *f, int deleteFlag) { return wrapped(f)->real()->pMethods->xShmUnmap(wrapped(f)->real(), deleteFlag); }
int fetch(sqlite3_file *f, sqlite3_int64 offset, int amount, void **out) { return wrapped(f)->real()->pMethods->xFetch(wrapped(f)->real(), offset, amount, out); }
int unfetch(sqlite3_file *f, sqlite3_int64 offset, void *page) { return wrapped(f)->real()->pMethods->xUnfetch(wrapped(f)->real(), offset, page); }

int openFile(sqlite3_vfs *, const char *name, sqlite3_file *file, int flags, int *outFlags)
{
    File *ours = wrapped(file);
    const int result = g_real->xOpen(g_real, name, ours->real(), flags, outFlags);
    // SQLite calls xClose only when pMethods is set: on failure the real file is not ours to close.
    ours->base.pMethods = result == SQLITE_OK && ours->real()->pMethods ? &g_methods : nullptr;
    return result;
}

} // namespace

void install()
{
    static std::once_flag once;
    std::call_once(once, [] {
        g_real = sqlite3_vfs_find(nullptr);
        std::memcpy(&g_vfs, g_real, sizeof g_vfs);
        g_vfs.szOsFile = int(sizeof(File)) + g_real->szOsFile;
        g_vfs.zName = "switchboard-sync-observer";
        g_vfs.pNext = nullptr;
        g_vfs.xOpen = openFile;
        g_methods = sqlite3_io_methods{3,         closeFile,    readFile,  writeFile, truncateFile, syncFile,
                                       fileSize,  lockFile,     unlockFile, checkReservedLock, fileControl,
                                       sectorSize, deviceCharacteristics, shmMap, shmLock, shmBarrier, shmUnmap,
                                       fetch,     unfetch};
        sqlite3_vfs_register(&g_vfs, 1);
    });
}

quint64 syncs()
{
    return g_syncs.load();
}

void setDiskFull(bool full)
{
    g_diskFull.store(full);
}

} // namespace SyncObserver
