#include "registry/shared_counter.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

namespace wifgate::registry {
namespace {

// Processes share the word through the mapping, so its atomics must not hide a lock.
static_assert(std::atomic_ref<uint64_t>::is_always_lock_free);

Status Refused(const std::string& path, const std::string& what) {
  return Status(Code::kFailedPrecondition, "registry.shared_counter",
                "the registry change counter " + path + " " + what);
}

Status Failure(const std::string& path, const char* what, int err) {
  if (err == ELOOP) {
    return Refused(path,
                   "is a symbolic link, which wifgate does not follow; remove it and "
                   "wifgate recreates the file");
  }
  return Refused(path, std::string("cannot be ") + what + ": " + std::strerror(err) +
                           "; check the data directory's permissions");
}

// The file must be a regular file of this user's: Increment() rewrites its first bytes,
// so a path swapped for a link or device, or another user's file, is never written.
Status CheckFile(const std::string& path, const struct stat& st) {
  if (!S_ISREG(st.st_mode)) {
    return Refused(path, "is not a regular file; remove it and wifgate recreates it");
  }
  if (st.st_uid != geteuid()) {
    return Refused(path, "belongs to uid " + std::to_string(st.st_uid) + ", not to uid " +
                             std::to_string(geteuid()) +
                             " running wifgate; run every wifgate on this data directory as "
                             "its owner, or remove the file");
  }
  return Status();
}

}  // namespace

Result<std::unique_ptr<SharedCounter>> SharedCounter::Open(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Failure(path, "opened", errno);
  struct stat st {};
  Status checked = fstat(fd, &st) != 0 ? Failure(path, "examined", errno) : CheckFile(path, st);
  // Blocks are allocated, not a sparse hole: a full disk fails here rather than as a SIGBUS
  // at the first Increment(). A concurrent opener doing the same is harmless.
  if (checked.ok() && st.st_size < static_cast<off_t>(sizeof(uint64_t))) {
    if (int err = posix_fallocate(fd, 0, sizeof(uint64_t)); err != 0) {
      checked = Failure(path, "sized", err);
    }
  }
  if (!checked.ok()) {
    close(fd);
    return checked;
  }
  void* map = mmap(nullptr, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int map_errno = errno;
  close(fd);  // the mapping keeps the file
  if (map == MAP_FAILED) return Failure(path, "mapped", map_errno);
  return std::unique_ptr<SharedCounter>(new SharedCounter(static_cast<uint64_t*>(map)));
}

SharedCounter::~SharedCounter() { munmap(word_, sizeof(uint64_t)); }

uint64_t SharedCounter::Load() const {
  return std::atomic_ref<uint64_t>(*word_).load(std::memory_order_acquire);
}

void SharedCounter::Increment() {
  std::atomic_ref<uint64_t>(*word_).fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace wifgate::registry
