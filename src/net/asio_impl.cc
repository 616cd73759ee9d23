// The one translation unit that compiles Asio, Asio's SSL support and Beast.
//
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION are defined for the
// whole tree (top-level CMakeLists.txt), so every other file includes only declarations and
// the template-free implementation is built here, once. This keeps each file that touches
// HTTP cheap to compile on the project's two cores.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
