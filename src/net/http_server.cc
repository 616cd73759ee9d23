#include "net/http_server.h"

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "common/logging.h"
#include "common/strings.h"
#include "net/gzip.h"

namespace wifgate::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds kTlsShutdownTimeout{1};
constexpr std::chrono::seconds kLingerTimeout{1};
constexpr size_t kMaxLingerBytes = 4 << 20;

// Whether the request's length is beyond dispute (RFC 9112 §6.1, §6.3): no
// Transfer-Encoding, or exactly one, `chunked`, and then no Content-Length. A request
// coded otherwise ("gzip", "chunked, identity", chunked beside a length) has a body whose
// end a front proxy may see elsewhere; answering it and reading on would let the rest of
// the bytes pass as a second, smuggled request. Such a request gets 400 and the connection
// is closed.
bool HasUnambiguousLength(const http::request<http::string_body>& message) {
  size_t codings = message.count(http::field::transfer_encoding);
  if (codings == 0) return true;
  if (codings > 1 || message.count(http::field::content_length) > 0) return false;
  return AsciiLower(TrimWhitespace(message[http::field::transfer_encoding])) == "chunked";
}

// What Stop() needs from a connection, whatever its stream type.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Finish the request in progress, if any, then close; close at once when idle.
  virtual void RequestStop() = 0;
};

bool IsSafeHeader(const HttpHeader& h) {
  if (h.name.empty() || h.name.find_first_of(" \t\r\n:") != std::string::npos) return false;
  return h.value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

// Headers the server owns: framing and connection management.
bool IsServerOwnedHeader(std::string_view name) {
  return AsciiEqualsIgnoreCase(name, "content-length") ||
         AsciiEqualsIgnoreCase(name, "transfer-encoding") ||
         AsciiEqualsIgnoreCase(name, "connection");
}

}  // namespace

struct HttpServer::Impl {
  explicit Impl(HttpServerOptions o) : options(std::move(o)) {}

  asio::awaitable<void> Accept();
  void StartSession(tcp::socket socket);
  const Handler& FindHandler(const std::string& method, const std::string& path) const {
    auto it = routes.find(method + " " + path);
    return it != routes.end() ? it->second : fallback;
  }
  // Counts a connection from `address` against its cap, or refuses it.
  bool Admit(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu);
    size_t& open = connections_by_address[address];
    if (open >= options.max_connections_per_address) return false;
    ++open;
    return true;
  }
  void Register(SessionBase* session, std::weak_ptr<SessionBase> weak) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.emplace(session, std::move(weak));
  }
  void Unregister(SessionBase* session, const std::string& address) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.erase(session);
    if (auto it = connections_by_address.find(address);
        it != connections_by_address.end() && --it->second == 0) {
      connections_by_address.erase(it);
    }
    cv.notify_all();
  }
  Status StartServing(int extra_threads);

  const HttpServerOptions options;
  std::map<std::string, Handler> routes;  // "METHOD /path"
  Handler fallback = [](ServerRequest, Responder respond) {
    respond(ServerResponse::Text(404, "not found\n"));
  };

  // Declared before `io` so they outlive the sessions destroyed with it.
  std::mutex mu;
  std::condition_variable cv;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
  std::map<std::string, size_t> connections_by_address;  // open connections per client
  bool serving = false;
  bool stopped = false;
  bool run_active = false;  // Run() is between io.run() and its return

  std::unique_ptr<ssl::context> tls;  // before `io`: sessions' TLS streams use it
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{
      asio::make_work_guard(io)};
  tcp::acceptor acceptor{io};
  uint16_t bound_port = 0;
  std::vector<std::thread> threads;
};

namespace {

// Calls `deliver` with the first response; a 500 when every copy is dropped unanswered.
class ResponderState {
 public:
  explicit ResponderState(std::function<void(ServerResponse)> deliver)
      : deliver_(std::move(deliver)) {}
  ~ResponderState() {
    if (!used_.exchange(true)) deliver_(ServerResponse::Text(500, "the handler did not respond\n"));
  }
  void Respond(ServerResponse response) {
    if (!used_.exchange(true)) deliver_(std::move(response));
  }

 private:
  std::function<void(ServerResponse)> deliver_;
  std::atomic<bool> used_{false};
};

// One connection: reads requests one at a time, hands each to its handler, waits for the
// response (which may come from another thread) and writes it. Runs on its own strand.
template <typename Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(HttpServer::Impl* server, Stream stream, std::string remote_address, uint16_t remote_port)
      : server_(server),
        stream_(std::move(stream)),
        signal_(stream_.get_executor()),
        remote_address_(std::move(remote_address)),
        remote_port_(remote_port) {}
  ~Session() override { server_->Unregister(this, remote_address_); }

  asio::awaitable<void> Serve();
  asio::any_io_executor executor() { return stream_.get_executor(); }

  void RequestStop() override {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      self->stopping_ = true;
      if (!self->busy_) beast::get_lowest_layer(self->stream_).close();
    });
  }

 private:
  // The handler's answer, or the server's own error reply.
  asio::awaitable<ServerResponse> Dispatch(http::request<http::string_body> message);
  asio::awaitable<error_code> Write(ServerResponse response, unsigned version, bool keep_alive);
  asio::awaitable<void> Close();

  void Deliver(ServerResponse response) {
    asio::post(stream_.get_executor(),
               [self = this->shared_from_this(), response = std::move(response)]() mutable {
                 self->response_ = std::move(response);
                 self->signal_.cancel();
               });
  }

  HttpServer::Impl* const server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  asio::steady_timer signal_;  // cancelled when the handler's response arrives
  std::optional<ServerResponse> response_;
  const std::string remote_address_;
  const uint16_t remote_port_;
  bool busy_ = false;      // between reading a request and writing its response
  bool stopping_ = false;  // Stop() was called
};

template <typename Stream>
asio::awaitable<void> Session<Stream>::Serve() {
  const HttpServerOptions& options = server_->options;
  if constexpr (kTls) {
    beast::get_lowest_layer(stream_).expires_after(options.idle_timeout);
    auto [ec] = co_await stream_.async_handshake(ssl::stream_base::server, kNoThrow);
    if (ec) {
      Log(LogLevel::kDebug, "http.tls_handshake_failed",
          {{"remote", remote_address_}, {"error", ec.message()}});
      co_return;
    }
  }
  while (!stopping_) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(options.idle_timeout);
    auto [read_ec, read] = co_await http::async_read(stream_, buffer_, parser, kNoThrow);
    if (read_ec == http::error::header_limit) {
      co_await Write(ServerResponse::Text(431, "request headers too large\n"), 11, false);
      break;
    }
    if (read_ec == http::error::body_limit) {
      co_await Write(ServerResponse::Text(413, "request body too large\n"), 11, false);
      break;
    }
    if (read_ec == http::error::end_of_stream || read_ec == http::error::partial_message) break;
    if (read_ec &&
        read_ec.category() == http::make_error_code(http::error::bad_target).category()) {
      co_await Write(ServerResponse::Text(400, "malformed request\n"), 11, false);
      break;
    }
    if (read_ec) break;  // timeout, reset, or closed by Stop()

    http::request<http::string_body> message = parser.release();
    if (!HasUnambiguousLength(message)) {
      co_await Write(ServerResponse::Text(400, "ambiguous request length\n"), 11, false);
      break;
    }
    busy_ = true;
    unsigned version = message.version();
    bool keep_alive = message.keep_alive();
    ServerResponse response = co_await Dispatch(std::move(message));
    error_code write_ec = co_await Write(std::move(response), version, keep_alive && !stopping_);
    busy_ = false;
    if (write_ec || !keep_alive) break;
  }
  co_await Close();
}

template <typename Stream>
asio::awaitable<ServerResponse> Session<Stream>::Dispatch(
    http::request<http::string_body> message) {
  ServerRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.remote_address = remote_address_;
  request.remote_port = remote_port_;
  auto target = boost::urls::parse_origin_form(request.target);
  if (!target) co_return ServerResponse::Text(400, "malformed request target\n");
  request.path = target->path();
  for (const auto& param : target->params(boost::urls::encoding_opts(true))) {
    request.query.emplace_back(param.key, param.value);
  }
  std::optional<std::string> coding;
  for (const auto& field : message) {
    if (field.name() == http::field::content_encoding) {
      coding = AsciiLower(TrimWhitespace(field.value()));
      continue;
    }
    request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  request.body = std::move(message.body());
  if (coding && *coding == "gzip") {
    Result<std::string> decoded = GzipDecode(request.body, server_->options.max_decoded_body_bytes);
    if (!decoded.ok()) {
      bool too_large = decoded.status().code() == Code::kResourceExhausted;
      co_return ServerResponse::Text(too_large ? 413 : 400, too_large
                                                                ? "request body too large\n"
                                                                : "invalid gzip request body\n");
    }
    request.body = std::move(decoded).value();
  } else if (coding && *coding != "identity") {
    co_return ServerResponse::Text(415, "unsupported Content-Encoding\n");
  }

  const Handler& handler = server_->FindHandler(request.method, request.path);
  response_.reset();
  {
    auto state = std::make_shared<ResponderState>(
        [self = this->shared_from_this()](ServerResponse r) { self->Deliver(std::move(r)); });
    try {
      handler(std::move(request),
              [state = std::move(state)](ServerResponse r) { state->Respond(std::move(r)); });
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "http.handler_threw", {{"error", std::string_view(e.what())}});
    }
  }
  if (!response_) {
    signal_.expires_at(asio::steady_timer::time_point::max());
    co_await signal_.async_wait(kNoThrow);
  }
  co_return std::move(*response_);
}

template <typename Stream>
asio::awaitable<error_code> Session<Stream>::Write(ServerResponse response, unsigned version,
                                                   bool keep_alive) {
  bool safe = true;
  for (const HttpHeader& h : response.headers) safe = safe && IsSafeHeader(h);
  if (!safe) {
    Log(LogLevel::kError, "http.unsafe_response_header", {{"remote", remote_address_}});
    response = ServerResponse::Text(500, "internal error\n");
  }
  http::response<http::string_body> message{static_cast<http::status>(response.status), version};
  for (const HttpHeader& h : response.headers) {
    if (!IsServerOwnedHeader(h.name)) message.insert(h.name, h.value);
  }
  message.body() = std::move(response.body);
  message.keep_alive(keep_alive);
  message.prepare_payload();
  beast::get_lowest_layer(stream_).expires_after(server_->options.idle_timeout);
  auto [ec, written] = co_await http::async_write(stream_, message, kNoThrow);
  co_return ec;
}

template <typename Stream>
asio::awaitable<void> Session<Stream>::Close() {
  auto& lowest = beast::get_lowest_layer(stream_);
  error_code ignored;
  if constexpr (kTls) {
    lowest.expires_after(kTlsShutdownTimeout);
    co_await stream_.async_shutdown(kNoThrow);
  } else {
    // Lingering close: after a 413 the client may still be sending the body it was refused
    // for; closing with unread data would reset the connection and lose the reply. Read
    // and discard for a little while, until the client closes its side.
    lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest.expires_after(kLingerTimeout);
    char scratch[4096];
    size_t drained = 0;
    while (drained < kMaxLingerBytes && lowest.socket().is_open()) {
      auto [ec, n] = co_await lowest.async_read_some(asio::buffer(scratch), kNoThrow);
      if (ec) break;
      drained += n;
    }
  }
  lowest.close();
}

template <typename Stream>
void Spawn(HttpServer::Impl* server, Stream stream, std::string remote, uint16_t port) {
  auto session =
      std::make_shared<Session<Stream>>(server, std::move(stream), std::move(remote), port);
  server->Register(session.get(), session);
  asio::co_spawn(session->executor(), session->Serve(), [session](std::exception_ptr e) {
    if (e) Log(LogLevel::kError, "http.session_failed");
  });
}

}  // namespace

void HttpServer::Impl::StartSession(tcp::socket socket) {
  error_code ec;
  tcp::endpoint peer = socket.remote_endpoint(ec);
  std::string remote = peer.address().to_string();
  if (!Admit(remote)) {
    Log(LogLevel::kDebug, "http.connection_refused",
        {{"remote", remote}, {"why", "too many open connections from this address"}});
    socket.close(ec);
    return;
  }
  if (tls) {
    Spawn(this, ssl::stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls),
          std::move(remote), peer.port());
  } else {
    Spawn(this, beast::tcp_stream(std::move(socket)), std::move(remote), peer.port());
  }
}

asio::awaitable<void> HttpServer::Impl::Accept() {
  asio::steady_timer backoff(io);
  for (;;) {
    tcp::socket socket(asio::make_strand(io));
    auto [ec] = co_await acceptor.async_accept(socket, kNoThrow);
    if (!acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of file descriptors and the like: wait briefly rather than spin.
      Log(LogLevel::kWarn, "http.accept_failed", {{"error", ec.message()}});
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kNoThrow);
      continue;
    }
    StartSession(std::move(socket));
  }
}

ServerResponse ServerResponse::Text(int status, std::string body) {
  return ServerResponse{status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body)};
}

ServerResponse ServerResponse::Json(int status, std::string body) {
  return ServerResponse{status, {{"Content-Type", "application/json"}}, std::move(body)};
}

std::optional<std::string> ServerRequest::Query(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

Result<ServerTls> LoadServerTls(const Env& env, const std::string& cert_file,
                                const std::string& key_file) {
  ServerTls tls;
  WIFGATE_ASSIGN_OR_RETURN(tls.cert_chain_pem, env.ReadFile(cert_file));
  WIFGATE_ASSIGN_OR_RETURN(tls.key_pem, env.ReadFile(key_file));
  return tls;
}

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_shared<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { Stop(std::chrono::milliseconds(500)); }

void HttpServer::Route(std::string method, std::string path, Handler handler) {
  impl_->routes[method + " " + path] = std::move(handler);
}

void HttpServer::SetFallback(Handler handler) { impl_->fallback = std::move(handler); }

uint16_t HttpServer::port() const { return impl_->bound_port; }

std::string HttpServer::base_url() const {
  std::string host = impl_->options.host.find(':') != std::string::npos
                         ? "[" + impl_->options.host + "]"
                         : impl_->options.host;
  return (impl_->options.tls ? "https://" : "http://") + host + ":" + std::to_string(port());
}

asio::io_context& HttpServer::io_context() { return impl_->io; }

Status HttpServer::Listen() {
  Impl& s = *impl_;
  if (s.acceptor.is_open()) return Status::Ok();
  const HttpServerOptions& o = s.options;
  std::string where = o.host + ":" + std::to_string(o.port);
  auto failed = [&](std::string_view step, const error_code& ec) {
    return Status(Code::kUnavailable, "net.listen",
                  "cannot listen on " + where + ": " + std::string(step) + ": " + ec.message());
  };
  error_code ec;
  asio::ip::address address =
      asio::ip::make_address(o.host == "localhost" ? "127.0.0.1" : o.host, ec);
  if (ec) {
    return Status(Code::kInvalidArgument, "net.listen",
                  "cannot listen on " + where + ": the host must be an IP address or localhost");
  }
  if (o.tls) {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    context->use_certificate_chain(asio::buffer(o.tls->cert_chain_pem), ec);
    if (!ec) context->use_private_key(asio::buffer(o.tls->key_pem), ssl::context::pem, ec);
    if (ec) {
      return Status(Code::kFailedPrecondition, "net.tls_config",
                    "cannot serve TLS on " + where +
                        ": the certificate chain or key is invalid: " + ec.message());
    }
    s.tls = std::move(context);
  }
  tcp::endpoint endpoint(address, o.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) return failed("open", ec);
  s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  s.acceptor.bind(endpoint, ec);
  if (ec) {
    s.acceptor.close(ec);
    return failed("bind", ec);
  }
  s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    s.acceptor.close(ec);
    return failed("listen", ec);
  }
  s.bound_port = s.acceptor.local_endpoint(ec).port();
  return Status::Ok();
}

Status HttpServer::Impl::StartServing(int extra_threads) {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (serving || stopped) {
      return Status(Code::kFailedPrecondition, "net.listen",
                    "the HTTP server was already started or stopped");
    }
    serving = true;
  }
  asio::co_spawn(io, Accept(), asio::detached);
  for (int i = 0; i < extra_threads; ++i) threads.emplace_back([this] { io.run(); });
  return Status::Ok();
}

Status HttpServer::Start() {
  WIFGATE_RETURN_IF_ERROR(Listen());
  return impl_->StartServing(std::max(1, impl_->options.threads));
}

Status HttpServer::Run() {
  WIFGATE_RETURN_IF_ERROR(Listen());
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.run_active = true;
  }
  Status started = s.StartServing(std::max(1, s.options.threads) - 1);
  if (started.ok()) s.io.run();
  std::lock_guard<std::mutex> lock(s.mu);
  s.run_active = false;
  s.cv.notify_all();
  return started;
}

void HttpServer::Stop(std::chrono::milliseconds grace) {
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.stopped) return;
    s.stopped = true;
  }
  asio::post(s.io, [&s] {
    error_code ignored;
    s.acceptor.close(ignored);
    // Locked copies, released outside the lock: a session's destructor takes the lock.
    std::vector<std::shared_ptr<SessionBase>> live;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      for (auto& [raw, weak] : s.sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (auto& session : live) session->RequestStop();
  });
  {
    std::unique_lock<std::mutex> lock(s.mu);
    if (s.serving) s.cv.wait_for(lock, grace, [&s] { return s.sessions.empty(); });
  }
  s.work.reset();
  s.io.stop();
  for (std::thread& t : s.threads) t.join();
  s.threads.clear();
  std::unique_lock<std::mutex> lock(s.mu);
  s.cv.wait(lock, [&s] { return !s.run_active; });
}

}  // namespace wifgate::net
