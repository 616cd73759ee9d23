// The real Env's randomness (Env::Default()): filled from the kernel's CSPRNG.
#include "wifgate/env.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

namespace wifgate {
namespace {

TEST(PosixEnv, RandomBytesFillsLargeBuffers) {
  // getrandom may return short for requests over 256 bytes; the whole buffer must be filled.
  std::vector<uint8_t> a(4096), b(4096);
  Env::Default().RandomBytes(a);
  Env::Default().RandomBytes(b);
  EXPECT_NE(a, b);
  // Every byte value should appear in 4 KiB of random bytes (the chance one is missing is
  // about 256 * (255/256)^4096, under 1e-5); a buffer left partly unfilled would not pass.
  std::array<bool, 256> seen{};
  for (uint8_t v : a) seen[v] = true;
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 256);
  // The last bytes are filled too.
  EXPECT_FALSE(std::all_of(a.end() - 64, a.end(), [](uint8_t v) { return v == 0; }));
}

TEST(PosixEnv, RandomBytesAcceptsAnEmptyBuffer) {
  std::vector<uint8_t> none;
  Env::Default().RandomBytes(none);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace wifgate
