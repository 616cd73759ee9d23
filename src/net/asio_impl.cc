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

// Only Beast's core and HTTP parts, not <boost/beast/src.hpp>: that also compiles WebSocket
// (whose std::random_device pulls libstdc++'s arc4random, a glibc 2.36 symbol, into static
// binaries meant for older systems such as Lambda's provided.al2023), Beast's own zlib and
// its test stream, none of which wifgate uses. BOOST_BEAST_SOURCE is what src.hpp defines
// to make the .ipp files emit their explicit instantiations.
#define BOOST_BEAST_SOURCE
#include <boost/beast/core/detail/config.hpp>
#include <boost/beast/core/detail/impl/temporary_buffer.ipp>
#include <boost/beast/core/impl/error.ipp>
#include <boost/beast/core/impl/string.ipp>
#include <boost/beast/http/detail/basic_parser.ipp>
#include <boost/beast/http/detail/rfc7230.ipp>
#include <boost/beast/http/impl/basic_parser.ipp>
#include <boost/beast/http/impl/error.ipp>
#include <boost/beast/http/impl/field.ipp>
#include <boost/beast/http/impl/fields.ipp>
#include <boost/beast/http/impl/rfc7230.ipp>
#include <boost/beast/http/impl/status.ipp>
#include <boost/beast/http/impl/verb.ipp>
