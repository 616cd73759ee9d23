// SHA-256 (FIPS 180-4), incremental, with no library initialization.
//
// Why not OpenSSL, which wifgate links anyway: OpenSSL 3's first digest call initializes its
// provider tables, name maps and error strings, which costs more page faults and time than
// the rest of `wifgate attest` or a `wifgate query` start-up together (measured in
// docs/aws.md). SigV4 signing, session-token hashing and cache keys need only SHA-256 over
// short inputs, so they use this instead; signature verification stays on OpenSSL.
// Tested against NIST's published vectors and, differentially, against OpenSSL.
#ifndef WIFGATE_COMMON_SHA256_H_
#define WIFGATE_COMMON_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wifgate {

class Sha256Hasher {
 public:
  static constexpr size_t kBlockSize = 64;
  static constexpr size_t kDigestSize = 32;
  using Digest = std::array<uint8_t, kDigestSize>;

  Sha256Hasher();
  // Wipes the state: it may be derived from a key (HMAC).
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  void Update(const uint8_t* data, size_t size);
  // Pads and returns the digest of everything given since construction or the last
  // Finish(); the hasher then starts over.
  Digest Finish();

 private:
  void Reset();
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, kBlockSize> buffer_;
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace wifgate

#endif  // WIFGATE_COMMON_SHA256_H_
