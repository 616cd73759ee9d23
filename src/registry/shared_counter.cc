#include "registry/shared_counter.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace wifgate::registry {
namespace {

// Processes share the word through the mapping, so its atomics must not hide a lock.
static_assert(std::atomic_ref<uint64_t>::is_always_lock_free);

Status Failure(const std::string& path, const char* what) {
  return Status(Code::kFailedPrecondition, "registry.shared_counter",
                std::string("cannot ") + what + " the registry change counter " + path + ": " +
                    std::strerror(errno) + "; check the data directory's permissions");
}

}  // namespace

Result<std::unique_ptr<SharedCounter>> SharedCounter::Open(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Failure(path, "open");
  struct stat st {};
  // Growing a short file pads it with zeros; a concurrent opener doing the same is harmless.
  if (fstat(fd, &st) != 0 ||
      (st.st_size < static_cast<off_t>(sizeof(uint64_t)) && ftruncate(fd, sizeof(uint64_t)) != 0)) {
    Status s = Failure(path, "size");
    close(fd);
    return s;
  }
  void* map = mmap(nullptr, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);  // the mapping keeps the file
  if (map == MAP_FAILED) return Failure(path, "map");
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
