// The one translation unit that compiles toml++, the TOML parser behind the configuration
// files (server, dev STS, verify --config).
//
// toml++ is a header library that can also be built as a library; Debian ships it as a
// shared object, which would cost every wifgate process a shared-object load at start-up
// (see the top-level CMakeLists.txt). Compiled here once instead, with TOML_HEADER_ONLY=0
// set for every user through the wifgate_toml target, so the files that parse TOML include
// only declarations.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
