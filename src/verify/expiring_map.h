// ExpiringMap: string keys to values that each expire, in bounded memory. When full, expired
// entries go first, then the ones closest to expiry (whose usefulness ends soonest anyway).
// Shared by the AWS verification cache and the replay guard, which differ only in what they
// keep per signed request. Not synchronized: its owners hold their own locks.
#ifndef WIFGATE_VERIFY_EXPIRING_MAP_H_
#define WIFGATE_VERIFY_EXPIRING_MAP_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "wifgate/env.h"

namespace wifgate::verify {

template <typename Value>
class ExpiringMap {
 public:
  // Holds at most `capacity` entries; 0 holds none.
  explicit ExpiringMap(size_t capacity) : capacity_(capacity) {}

  // The value of `key` if it has not expired at `now`, else null.
  const Value* Find(std::string_view key, SystemTime now) const {
    auto it = entries_.find(key);
    return it == entries_.end() || it->second.expiry <= now ? nullptr : &it->second.value;
  }

  // Keeps `value` for `key` until `expiry`, replacing an expired entry for the key; does
  // nothing when the key is live already, the value is already expired, or capacity is 0.
  void Insert(const std::string& key, Value value, SystemTime expiry, SystemTime now) {
    if (capacity_ == 0 || expiry <= now || Find(key, now) != nullptr) return;
    if (auto it = entries_.find(key); it != entries_.end()) Erase(it);
    if (entries_.size() >= capacity_) Evict(now);
    entries_.emplace(key, Entry{std::move(value), expiry});
    by_expiry_.emplace(expiry, key);
  }

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Value value;
    SystemTime expiry;
  };
  using Entries = std::map<std::string, Entry, std::less<>>;

  void Erase(typename Entries::iterator it) {
    auto [first, last] = by_expiry_.equal_range(it->second.expiry);
    for (auto e = first; e != last; ++e) {
      if (e->second == it->first) {
        by_expiry_.erase(e);
        break;
      }
    }
    entries_.erase(it);
  }

  // by_expiry_ is ordered soonest first: expired entries, then the ones about to expire.
  void Evict(SystemTime now) {
    auto it = by_expiry_.begin();
    while (it != by_expiry_.end() && (it->first <= now || entries_.size() >= capacity_)) {
      entries_.erase(it->second);
      it = by_expiry_.erase(it);
    }
  }

  const size_t capacity_;
  Entries entries_;
  std::multimap<SystemTime, std::string> by_expiry_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_EXPIRING_MAP_H_
