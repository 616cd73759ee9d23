// SharedCounter: a 64-bit counter in a small memory-mapped file that every process opening
// the same path sees, read with one atomic load.
//
// The SQLite store raises it after each committed registry change, so that a server
// notices a change made by `wifgate sql` from another process without querying the
// database before every login. It is a hint that something changed, never the version
// itself: readers that see it move go to the database for the truth. Like SQLite's own WAL
// index (the -shm file), it needs the processes on one host, not a network filesystem.
//
// Open() refuses a symbolic link, anything but a regular file and a file another user owns
// (registry.shared_counter), creates the file 0600 and allocates its blocks. What it cannot
// prevent: a process of the same user truncating the file while it is mapped makes the next
// access fault (SIGBUS), as it would for SQLite's -shm file; nothing in wifgate truncates it.
#ifndef WIFGATE_REGISTRY_SHARED_COUNTER_H_
#define WIFGATE_REGISTRY_SHARED_COUNTER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "wifgate/status.h"

namespace wifgate::registry {

class SharedCounter {
 public:
  // Maps `path`, creating it (zero) when missing. Fails with registry.shared_counter when
  // the file cannot be used, or is a link, not a regular file, or another user's.
  static Result<std::unique_ptr<SharedCounter>> Open(const std::string& path);
  SharedCounter(const SharedCounter&) = delete;
  SharedCounter& operator=(const SharedCounter&) = delete;
  ~SharedCounter();

  uint64_t Load() const;
  void Increment();

 private:
  explicit SharedCounter(uint64_t* word) : word_(word) {}
  uint64_t* word_;  // in the shared mapping
};

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_SHARED_COUNTER_H_
