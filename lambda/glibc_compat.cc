// arc4random for a bootstrap built on a newer glibc than the Lambda runtime's.
//
// lambda/package.sh links libstdc++ statically so that the function needs nothing from
// provided.al2023 beyond glibc 2.34 and libgcc_s. GCC 12's static libstdc++, built against
// Debian 12's glibc 2.36, refers to arc4random (new in glibc 2.36) from std::random_device,
// which every program linking std::logic_error pulls in. Defined here, in the executable, the
// reference binds to this definition instead of to glibc's versioned one, so the binary loads
// on glibc 2.34. The function keeps arc4random(3)'s contract: 32 bits from the kernel's
// CSPRNG, never failing (getrandom blocks only until the pool is first seeded at boot).
// Only the packaged Lambda build compiles this file (WIFGATE_LAMBDA_AL2023).

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

extern "C" std::uint32_t arc4random() {
  std::uint32_t value = 0;
  auto* out = reinterpret_cast<unsigned char*>(&value);
  std::size_t filled = 0;
  while (filled < sizeof value) {
    ssize_t n = getrandom(out + filled, sizeof value - filled, 0);
    if (n > 0) {
      filled += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      std::abort();  // arc4random cannot report failure; glibc's own aborts likewise
    }
  }
  return value;
}
