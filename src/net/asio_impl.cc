// The one translation unit that compiles Asio, Asio's SSL support and Beast.
//
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION are defined for the
// whole tree (top-level CMakeLists.txt), so every other file includes only declarations and
// the template-free implementation is built here, once. This keeps each file that touches
// HTTP cheap to compile on the project's two cores.
// GCC 12 with -fsanitize reports a false maybe-uninitialized in Beast's parser (a
// boost::optional returned as none); the code is third-party, the warning is not ours.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
