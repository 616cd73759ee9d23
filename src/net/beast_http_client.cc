#include "net/beast_http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "common/logging.h"
#include "common/strings.h"
#include "net/internal_address.h"
#include "net/proxy.h"
#include "net/url.h"

namespace wifgate::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMaxResponseHeaderBytes = 64 * 1024;

Status BadRequest(std::string_view why) {
  return Status(Code::kInvalidArgument, "net.bad_request",
                "invalid outbound request: " + std::string(why));
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsSafeHeaderValue(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Headers the client owns: framing, connection management and content coding are decided
// here, never by callers.
bool IsClientOwnedHeader(std::string_view name) {
  for (std::string_view owned : {"content-length", "transfer-encoding", "connection",
                                 "accept-encoding", "proxy-authorization", "te", "upgrade"}) {
    if (AsciiEqualsIgnoreCase(name, owned)) return true;
  }
  return false;
}

// Whether `dir` holds OpenSSL's subject-hash links ("5ad8a5d6.0"), as c_rehash and
// update-ca-certificates make them.
bool HasHashedCertificates(const std::string& dir) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() >= 10 && name[8] == '.' && name.find_first_not_of("0123456789abcdef") == 8) {
      return true;
    }
  }
  return false;
}

// Trusts the system's CAs. OpenSSL's default verify paths parse the whole CA bundle at once
// (about 40 ms for Debian's ~140 roots, most of a CLI run's budget), whereas the hashed
// certificate directory is consulted lazily, one issuer at a time. So: SSL_CERT_FILE or
// SSL_CERT_DIR when set (as OpenSSL honours them), else the hashed directory when it is
// populated, else the bundle.
Status LoadSystemTrust(const Env& env, ssl::context& context) {
  error_code ec;
  std::optional<std::string> file = GetNonEmptyVar(env, X509_get_default_cert_file_env());
  std::optional<std::string> dir = GetNonEmptyVar(env, X509_get_default_cert_dir_env());
  if (!file && !dir) {
    if (HasHashedCertificates(X509_get_default_cert_dir())) {
      dir = X509_get_default_cert_dir();
    } else {
      file = X509_get_default_cert_file();
    }
  }
  if (dir) context.add_verify_path(*dir, ec);
  if (!ec && file) context.load_verify_file(*file, ec);
  if (ec) {
    return Status(Code::kFailedPrecondition, "net.tls_config",
                  "loading the system trust store (" + file.value_or(dir.value_or("")) +
                      ") failed: " + ec.message() +
                      "; install ca-certificates or set SSL_CERT_FILE");
  }
  return Status::Ok();
}

// A transport to one origin. On the heap so that the TLS stream's reference to its socket
// stays valid while the connection passes from one exchange to the next through the pool.
struct Connection {
  explicit Connection(const asio::any_io_executor& executor) : socket(executor) {}

  void Close() {
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  // Whether the socket became readable while idle: the server closed it (end of stream or
  // reset) or sent something unasked (for TLS, a record after the response: rare, as
  // servers send session tickets before it), either of which makes it unfit for a request.
  // Checked before reuse so that the common case, a server's idle timeout, costs a new
  // connection instead of failing a request that cannot be safely repeated. A failed poll
  // (EINTR) also counts as dropped: a spare handshake is the safe side.
  bool DroppedWhileIdle() {
    pollfd p{socket.native_handle(), POLLIN | POLLRDHUP, 0};
    return ::poll(&p, 1, 0) != 0;
  }

  tcp::socket socket;
  std::optional<ssl::stream<tcp::socket&>> tls;  // set for https, after the handshake
  std::chrono::steady_clock::time_point idle_since;
};

}  // namespace

struct BeastHttpClient::Shared : std::enable_shared_from_this<Shared> {
  Shared(const Env& e, asio::io_context* i, BeastHttpClientOptions o)
      : env(e), io(i), options(std::move(o)) {
    if (io != nullptr) sweeper_.emplace(*io);
  }

  // The TLS context, created on first https use: loading the trust store costs
  // milliseconds that plain-http exchanges and process start should not pay.
  Result<ssl::context*> TlsContext();

  const Env& env;
  asio::io_context* const io;  // null for a synchronous-only client
  const BeastHttpClientOptions options;
  std::atomic<size_t> in_flight{0};

  // A synchronous-only client's event loop, kept from one Send to the next so that pooled
  // connections (bound to it) outlive the exchange that opened them. Created on first use;
  // sync_mu serializes Sends, as the loop is run by one caller at a time.
  std::mutex sync_mu;
  std::unique_ptr<asio::io_context> sync_io;

  // The idle pool, by origin ("https://host:port"): AsyncSend's connections for a client on
  // an io_context, Send's for a synchronous-only one. TakeIdle returns
  // the most recently idled unexpired connection, or null; PutIdle keeps `connection` unless
  // the pool is closed, evicting the oldest idle connections over the bounds.
  std::unique_ptr<Connection> TakeIdle(const std::string& origin);
  void PutIdle(const std::string& origin, std::unique_ptr<Connection> connection);
  // Closes idle connections past idle_timeout; a synchronous client, which has no timer
  // to do it, calls this at each Send.
  void CloseExpired();
  // Closes every idle connection: DropIdle to go on pooling (the synchronous loop is being
  // replaced), CloseIdle to stop (the client is being destroyed).
  void DropIdle();
  void CloseIdle();
  size_t IdleCount();

 private:
  using Clock = std::chrono::steady_clock;
  bool Expired(const Connection& c, Clock::time_point now) const {
    return now - c.idle_since >= options.idle_timeout;
  }
  void EvictOldestLocked();
  void SweepLocked(Clock::time_point now);
  void DropIdleLocked();
  void ArmSweeperLocked();

  std::mutex tls_mu_;
  std::unique_ptr<ssl::context> tls_;

  std::mutex pool_mu_;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;  // oldest first
  size_t idle_total_ = 0;
  bool pool_closed_ = false;
  std::optional<asio::steady_timer> sweeper_;  // closes expired idle connections
  bool sweeper_armed_ = false;
};

std::unique_ptr<Connection> BeastHttpClient::Shared::TakeIdle(const std::string& origin) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  auto it = idle_.find(origin);
  if (it == idle_.end()) return nullptr;
  std::unique_ptr<Connection> taken;
  Clock::time_point now = Clock::now();
  while (!it->second.empty() && !taken) {
    std::unique_ptr<Connection> c = std::move(it->second.back());
    it->second.pop_back();
    --idle_total_;
    if (Expired(*c, now)) {
      c->Close();
    } else if (c->DroppedWhileIdle()) {
      // Logged so that a server whose idle connections always look dropped (costing a
      // handshake per request) can be told from one that closes them.
      Log(LogLevel::kDebug, "net.idle_connection_dropped", {{"origin", origin}});
      c->Close();
    } else {
      taken = std::move(c);
    }
  }
  if (it->second.empty()) idle_.erase(it);
  return taken;
}

void BeastHttpClient::Shared::PutIdle(const std::string& origin,
                                      std::unique_ptr<Connection> connection) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (pool_closed_ || options.max_idle_total == 0 || options.max_idle_per_origin == 0) {
    connection->Close();
    return;
  }
  connection->idle_since = Clock::now();
  std::vector<std::unique_ptr<Connection>>& list = idle_[origin];
  if (list.size() >= options.max_idle_per_origin) {
    list.front()->Close();
    list.erase(list.begin());
    --idle_total_;
  }
  list.push_back(std::move(connection));
  ++idle_total_;
  while (idle_total_ > options.max_idle_total) EvictOldestLocked();
  ArmSweeperLocked();
}

void BeastHttpClient::Shared::EvictOldestLocked() {
  auto oldest = idle_.end();
  for (auto it = idle_.begin(); it != idle_.end(); ++it) {
    if (oldest == idle_.end() ||
        it->second.front()->idle_since < oldest->second.front()->idle_since) {
      oldest = it;
    }
  }
  oldest->second.front()->Close();
  oldest->second.erase(oldest->second.begin());
  --idle_total_;
  if (oldest->second.empty()) idle_.erase(oldest);
}

void BeastHttpClient::Shared::SweepLocked(Clock::time_point now) {
  for (auto it = idle_.begin(); it != idle_.end();) {
    std::vector<std::unique_ptr<Connection>>& list = it->second;
    size_t expired = 0;
    while (expired < list.size() && Expired(*list[expired], now)) list[expired++]->Close();
    list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(expired));
    idle_total_ -= expired;
    it = list.empty() ? idle_.erase(it) : std::next(it);
  }
}

// One timer for the whole pool, due when the oldest idle connection expires.
void BeastHttpClient::Shared::ArmSweeperLocked() {
  if (sweeper_armed_ || !sweeper_ || idle_total_ == 0) return;
  Clock::time_point oldest = Clock::time_point::max();
  for (const auto& [origin, list] : idle_) oldest = std::min(oldest, list.front()->idle_since);
  sweeper_armed_ = true;
  sweeper_->expires_at(oldest + options.idle_timeout);
  sweeper_->async_wait([weak = weak_from_this()](error_code) {
    std::shared_ptr<Shared> self = weak.lock();
    if (!self) return;
    std::lock_guard<std::mutex> lock(self->pool_mu_);
    self->sweeper_armed_ = false;
    if (self->pool_closed_) return;
    self->SweepLocked(Clock::now());
    self->ArmSweeperLocked();
  });
}

void BeastHttpClient::Shared::CloseExpired() {
  std::lock_guard<std::mutex> lock(pool_mu_);
  SweepLocked(Clock::now());
}

void BeastHttpClient::Shared::DropIdle() {
  std::lock_guard<std::mutex> lock(pool_mu_);
  DropIdleLocked();
}

void BeastHttpClient::Shared::CloseIdle() {
  std::lock_guard<std::mutex> lock(pool_mu_);
  pool_closed_ = true;
  DropIdleLocked();
  if (sweeper_) sweeper_->cancel();
}

void BeastHttpClient::Shared::DropIdleLocked() {
  for (auto& [origin, list] : idle_) {
    for (auto& c : list) c->Close();
  }
  idle_.clear();
  idle_total_ = 0;
}

size_t BeastHttpClient::Shared::IdleCount() {
  std::lock_guard<std::mutex> lock(pool_mu_);
  return idle_total_;
}

Result<ssl::context*> BeastHttpClient::Shared::TlsContext() {
  std::lock_guard<std::mutex> lock(tls_mu_);
  if (tls_) return tls_.get();
  auto fail = [](std::string what, const error_code& ec) {
    return Status(Code::kFailedPrecondition, "net.tls_config",
                  "setting up TLS: " + what + ": " + ec.message() +
                      "; check the CA file and the system trust store");
  };
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_verify_mode(ssl::verify_peer);
  error_code ec;
  if (options.trust_system_roots) {
    WIFGATE_RETURN_IF_ERROR(LoadSystemTrust(env, *context));
  }
  if (!options.ca_file.empty()) {
    Result<std::string> pem = env.ReadFile(options.ca_file);
    if (!pem.ok()) return pem.status().WithContext("reading the CA file");
    context->add_certificate_authority(asio::buffer(*pem), ec);
    if (ec) return fail("loading CA file " + options.ca_file, ec);
  }
  if (!options.ca_pem.empty()) {
    context->add_certificate_authority(asio::buffer(options.ca_pem), ec);
    if (ec) return fail("loading the configured CA certificates", ec);
  }
  tls_ = std::move(context);
  return tls_.get();
}

namespace {

// One request/response exchange. Everything it touches runs on its strand; the deadline
// timer closes the transport, which makes the pending operation fail, and reports
// net.timeout at once. `done` is called exactly once.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  // `asynchronous`: an AsyncSend exchange, which resolves without blocking and holds a
  // slot of the in-flight cap. `pooled`: it may take its connection from the idle pool and
  // return it there, which needs `executor` to be the one every pooled connection uses.
  Exchange(asio::any_io_executor executor, std::shared_ptr<BeastHttpClient::Shared> shared,
           bool asynchronous, bool pooled, HttpClient::Callback done)
      : executor_(executor),
        strand_(asio::make_strand(executor)),
        resolver_(strand_),
        deadline_(strand_),
        shared_(std::move(shared)),
        asynchronous_(asynchronous),
        pooled_(pooled),
        done_(std::move(done)) {}

  // Validates the request and builds the wire message; nothing touches the network yet.
  Status Prepare(const HttpRequest& request, const HttpOptions& options);

  // Starts the exchange, or reports `prepared` when it failed.
  void Start(Status prepared) {
    asio::dispatch(strand_, [self = shared_from_this(), prepared = std::move(prepared)] {
      if (!prepared.ok()) return self->Finish(prepared);
      self->deadline_.expires_after(self->options_.timeout);
      self->deadline_.async_wait([self](error_code ec) {
        if (!ec) self->OnDeadline();
      });
      asio::co_spawn(self->strand_, self->Run(), [self](std::exception_ptr e) {
        if (e) {
          self->Finish(Status(Code::kInternal, "net.internal",
                              "unexpected exception talking to " + self->Where()));
        }
      });
    });
  }

 private:
  asio::awaitable<void> Run() {
    Result<HttpResponse> result = co_await Perform();
    if (result.ok() && reusable_ && !timed_out_) shared_->PutIdle(origin_, std::move(conn_));
    CloseTransport();
    Finish(std::move(result));
  }

  asio::awaitable<Result<HttpResponse>> Perform();
  asio::awaitable<Result<HttpResponse>> Connect();
  asio::awaitable<Result<HttpResponse>> TalkOnConnection() {
    if (conn_->tls) co_return co_await Talk(*conn_->tls);
    co_return co_await Talk(conn_->socket);
  }
  template <typename Stream>
  asio::awaitable<Result<HttpResponse>> Talk(Stream& stream);
  asio::awaitable<Status> Tunnel();
  asio::awaitable<Status> Handshake();

  void OnDeadline() {
    timed_out_ = true;
    Finish(Status(Code::kDeadlineExceeded, "net.timeout",
                  step_ + " " + Where() + " did not complete within the " +
                      std::to_string(options_.timeout.count()) + " ms deadline"));
    CloseTransport();
  }

  void CloseTransport() {
    resolver_.cancel();
    if (conn_) conn_->Close();
  }

  void Finish(Result<HttpResponse> result) {
    if (finished_) return;
    finished_ = true;
    deadline_.cancel();
    if (asynchronous_) shared_->in_flight.fetch_sub(1);
    HttpClient::Callback done = std::move(done_);
    done(std::move(result));
  }

  // "host:port", plus the proxy when there is one: the subject of every error message.
  std::string Where() const {
    std::string where = target_.HostPort();
    if (proxy_) where += " (via proxy " + proxy_->proxy.HostPort() + ")";
    return where;
  }

  Status Failed(std::string reason, const error_code& ec) const {
    if (timed_out_) {
      return Status(Code::kDeadlineExceeded, "net.timeout", step_ + " " + Where() + " timed out");
    }
    return Status(Code::kUnavailable, std::move(reason),
                  step_ + " " + Where() + " failed: " + ec.message());
  }

  asio::any_io_executor executor_;
  asio::strand<asio::any_io_executor> strand_;
  tcp::resolver resolver_;
  std::unique_ptr<Connection> conn_;
  asio::steady_timer deadline_;
  beast::flat_buffer buffer_;

  std::shared_ptr<BeastHttpClient::Shared> shared_;
  const bool asynchronous_;
  const bool pooled_;
  HttpClient::Callback done_;

  std::string origin_;       // the pool key; empty when the connection is not to be reused
  bool idempotent_ = false;  // safe to send again after a stale reused connection
  bool reused_ = false;      // conn_ came from the idle pool
  bool stale_ = false;       // conn_ failed before any byte of the response arrived
  bool reusable_ = false;    // the response left conn_ fit for another request

  ParsedUrl target_;
  std::optional<ProxyRoute> proxy_;
  ssl::context* tls_context_ = nullptr;
  HttpOptions options_;
  http::request<http::string_body> request_;
  std::string step_ = "resolving";
  bool timed_out_ = false;
  bool finished_ = false;
};

Status Exchange::Prepare(const HttpRequest& request, const HttpOptions& options) {
  options_ = options;
  WIFGATE_ASSIGN_OR_RETURN(target_, ParseHttpUrl(request.url));
  if (options.use_proxy) {
    WIFGATE_ASSIGN_OR_RETURN(proxy_, ChooseProxy(shared_->env, target_));
  }
  if (target_.https) {
    WIFGATE_ASSIGN_OR_RETURN(tls_context_, shared_->TlsContext());
  }
  if (!IsToken(request.method)) return BadRequest("the method is not an HTTP token");
  if (pooled_ && !proxy_ && shared_->options.max_idle_total > 0) {
    origin_ = (target_.https ? "https://" : "http://") + target_.HostPort();
  }
  idempotent_ = request.idempotent || request.method == "GET" || request.method == "HEAD";

  request_.method_string(request.method);
  // Through a proxy, plain http requests name the whole URL (absolute form).
  bool absolute_form = proxy_ && !target_.https;
  request_.target(absolute_form ? "http://" + target_.HostHeader() + target_.target
                                : target_.target);
  request_.version(11);
  bool has_host = false;
  for (const HttpHeader& h : request.headers) {
    if (!IsToken(h.name)) return BadRequest("a header name is not an HTTP token");
    if (!IsSafeHeaderValue(h.value)) {
      return BadRequest("header " + h.name + " has a line break or NUL in its value");
    }
    if (IsClientOwnedHeader(h.name)) continue;
    // A caller-supplied Host wins: signed requests forwarded to a test endpoint keep the
    // Host they were signed for. TLS still verifies the URL's host.
    if (AsciiEqualsIgnoreCase(h.name, "host")) has_host = true;
    request_.insert(h.name, h.value);
  }
  if (!has_host) request_.set(http::field::host, target_.HostHeader());
  request_.set(http::field::accept_encoding, "identity");
  if (origin_.empty()) request_.set(http::field::connection, "close");
  if (absolute_form && !proxy_->proxy_authorization.empty()) {
    request_.set(http::field::proxy_authorization, proxy_->proxy_authorization);
  }
  request_.body() = request.body;
  request_.prepare_payload();
  return Status::Ok();
}

bool IsInternalAddress(const asio::ip::address& address) {
  return address.is_v4() ? IsInternalIpv4(address.to_v4().to_bytes())
                         : IsInternalIpv6(address.to_v6().to_bytes());
}

bool ResolvesInward(const tcp::resolver::results_type& endpoints) {
  for (const auto& entry : endpoints) {
    if (IsInternalAddress(entry.endpoint().address())) return true;
  }
  return false;
}

bool IsPublicPeer(const Connection& connection) {
  error_code ec;
  tcp::endpoint peer = connection.socket.remote_endpoint(ec);
  return !ec && !IsInternalAddress(peer.address());
}

asio::awaitable<Result<HttpResponse>> Exchange::Perform() {
  if (!origin_.empty()) conn_ = shared_->TakeIdle(origin_);
  // An idle connection opened by a request without the public-only rule must not carry one
  // with it: a new connection is checked as it is made.
  if (conn_ && options_.public_addresses_only && !IsPublicPeer(*conn_)) {
    conn_->Close();
    conn_.reset();
  }
  if (!conn_) co_return co_await Connect();
  reused_ = true;
  Result<HttpResponse> result = co_await TalkOnConnection();
  if (result.ok() || !stale_ || timed_out_) co_return result;
  if (!idempotent_) {
    co_return Status(result.status().code(), result.status().reason(),
                     result.status().message() +
                         " (on a reused idle connection the server had closed; not retried, "
                         "as the request is not marked safe to repeat)");
  }
  // The server closed the idle connection before reading the request: send it again on a
  // new one, once.
  conn_->Close();
  conn_.reset();
  buffer_.clear();
  reused_ = false;
  stale_ = false;
  co_return co_await Connect();
}

// Opens a new connection (through the proxy, with TLS, as needed) and talks on it.
asio::awaitable<Result<HttpResponse>> Exchange::Connect() {
  step_ = "resolving";
  conn_ = std::make_unique<Connection>(executor_);
  const ParsedUrl& hop = proxy_ ? proxy_->proxy : target_;
  std::string port = std::to_string(hop.port);
  error_code ec;
  tcp::resolver::results_type endpoints;
  if (!asynchronous_) {  // synchronous use: getaddrinfo inline, no resolver thread
    endpoints = resolver_.resolve(hop.host, port, ec);
  } else {
    std::tie(ec, endpoints) = co_await resolver_.async_resolve(hop.host, port, kNoThrow);
  }
  if (ec) co_return Failed("net.resolve", ec);
  // A blocking resolve may outlast the deadline; do not connect after reporting timeout.
  if (timed_out_) co_return Failed("net.timeout", asio::error::timed_out);
  // Checked on the very addresses about to be dialled, so a name that resolves inward, or
  // re-resolves inward after an earlier check (DNS rebinding), is refused all the same.
  if (options_.public_addresses_only && !proxy_ && ResolvesInward(endpoints)) {
    co_return Status(Code::kPermissionDenied, "net.address_refused",
                     Where() +
                         " resolves to a loopback, private or link-local address, "
                         "which this request may not reach");
  }

  step_ = "connecting to";
  std::tie(ec, std::ignore) = co_await asio::async_connect(conn_->socket, endpoints, kNoThrow);
  if (ec) co_return Failed("net.connect", ec);

  if (proxy_ && target_.https) {
    Status tunnel = co_await Tunnel();
    if (!tunnel.ok()) co_return tunnel;
  }
  if (target_.https) {
    Status handshake = co_await Handshake();
    if (!handshake.ok()) co_return handshake;
  }
  co_return co_await TalkOnConnection();
}

// Asks the proxy for a tunnel to the target (CONNECT host:port).
asio::awaitable<Status> Exchange::Tunnel() {
  step_ = "opening a CONNECT tunnel to";
  http::request<http::empty_body> connect{http::verb::connect, target_.HostPort(), 11};
  connect.set(http::field::host, target_.HostPort());
  if (!proxy_->proxy_authorization.empty()) {
    connect.set(http::field::proxy_authorization, proxy_->proxy_authorization);
  }
  auto [write_ec, written] = co_await http::async_write(conn_->socket, connect, kNoThrow);
  if (write_ec) co_return Failed("net.proxy", write_ec);
  http::response_parser<http::empty_body> parser;
  parser.skip(true);  // a CONNECT response has no body: the tunnel starts right after it
  parser.header_limit(kMaxResponseHeaderBytes);
  auto [read_ec, read] = co_await http::async_read(conn_->socket, buffer_, parser, kNoThrow);
  if (read_ec) co_return Failed("net.proxy", read_ec);
  int status = parser.get().result_int();
  if (status / 100 != 2) {
    co_return Status(Code::kUnavailable, "net.proxy",
                     "proxy " + proxy_->proxy.HostPort() + " refused to open a tunnel to " +
                         target_.HostPort() + " (HTTP " + std::to_string(status) + ")");
  }
  if (buffer_.size() != 0) {
    co_return Status(Code::kUnavailable, "net.proxy",
                     "proxy " + proxy_->proxy.HostPort() +
                         " sent data after its CONNECT response, before the TLS handshake");
  }
  co_return Status::Ok();
}

asio::awaitable<Status> Exchange::Handshake() {
  step_ = "TLS handshake with";
  conn_->tls.emplace(conn_->socket, *tls_context_);
  SSL* ssl = conn_->tls->native_handle();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  int configured = 0;
  if (target_.host_is_ip) {
    configured = X509_VERIFY_PARAM_set1_ip_asc(param, target_.host.c_str());
  } else {
    // SSL_set_tlsext_host_name, spelled out: the macro uses an old-style cast.
    configured = SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                          const_cast<char*>(target_.host.c_str())) == 1 &&
                 X509_VERIFY_PARAM_set1_host(param, target_.host.data(), target_.host.size());
  }
  if (configured != 1) {
    co_return Status(Code::kInternal, "net.tls", "cannot set up host verification for " + Where());
  }
  auto [ec] = co_await conn_->tls->async_handshake(ssl::stream_base::client, kNoThrow);
  if (!ec) co_return Status::Ok();
  long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK && !timed_out_) {
    co_return Status(Code::kUnavailable, "net.tls",
                     "the certificate of " + Where() +
                         " did not verify: " + X509_verify_cert_error_string(verify));
  }
  co_return Failed("net.tls", ec);
}

template <typename Stream>
asio::awaitable<Result<HttpResponse>> Exchange::Talk(Stream& stream) {
  step_ = "sending the request to";
  auto [write_ec, written] = co_await http::async_write(stream, request_, kNoThrow);
  if (write_ec) {
    stale_ = reused_;
    co_return Failed("net.io", write_ec);
  }

  step_ = "reading the response from";
  http::response_parser<http::string_body> parser;
  parser.header_limit(kMaxResponseHeaderBytes);
  parser.body_limit(options_.max_response_bytes);
  if (request_.method() == http::verb::head) parser.skip(true);
  auto [read_ec, read] = co_await http::async_read(stream, buffer_, parser, kNoThrow);
  stale_ = reused_ && read_ec && !parser.got_some() && buffer_.size() == 0;
  // Closed by the server while idle (EOF or reset before a byte): an I/O failure, not a
  // malformed response.
  if (stale_) co_return Failed("net.io", read_ec);
  if (read_ec == http::error::body_limit) {
    co_return Status(Code::kResourceExhausted, "net.response_too_large",
                     "the response from " + Where() + " exceeds the " +
                         std::to_string(options_.max_response_bytes) + "-byte limit");
  }
  if (read_ec && read_ec.category() == http::make_error_code(http::error::bad_version).category()) {
    co_return Status(Code::kUnavailable, "net.protocol",
                     "malformed HTTP response from " + Where() + ": " + read_ec.message());
  }
  if (read_ec) co_return Failed("net.io", read_ec);

  http::response<http::string_body>& response = parser.get();
  // keep_alive() is false for HTTP/1.0, `Connection: close` and bodies ended by EOF; bytes
  // beyond the response would be lost, so such a connection is not reused either.
  reusable_ = !origin_.empty() && parser.keep_alive() && buffer_.size() == 0;
  auto coding = response.find(http::field::content_encoding);
  if (coding != response.end() && !AsciiEqualsIgnoreCase(coding->value(), "identity")) {
    co_return Status(Code::kUnavailable, "net.protocol",
                     Where() + " answered with an unrequested Content-Encoding");
  }
  HttpResponse out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  out.body = std::move(response.body());
  co_return out;
}

}  // namespace

BeastHttpClient::BeastHttpClient(const Env& env, BeastHttpClientOptions options)
    : shared_(std::make_shared<Shared>(env, nullptr, std::move(options))) {}

BeastHttpClient::BeastHttpClient(const Env& env, asio::io_context& io,
                                 BeastHttpClientOptions options)
    : shared_(std::make_shared<Shared>(env, &io, std::move(options))) {}

BeastHttpClient::~BeastHttpClient() { shared_->CloseIdle(); }

size_t BeastHttpClient::in_flight() const { return shared_->in_flight.load(); }

size_t BeastHttpClient::idle_connections() const { return shared_->IdleCount(); }

Result<HttpResponse> BeastHttpClient::Send(const HttpRequest& request, const HttpOptions& options) {
  // A client on a shared io_context keeps its pool for AsyncSend, whose connections belong
  // to that loop; its Send runs a private loop and opens a connection of its own.
  const bool pooled = shared_->io == nullptr;
  std::unique_lock<std::mutex> lock(shared_->sync_mu, std::defer_lock);
  std::optional<asio::io_context> private_io;
  asio::io_context* io = nullptr;
  if (pooled) {
    lock.lock();
    shared_->CloseExpired();
    if (!shared_->sync_io) shared_->sync_io = std::make_unique<asio::io_context>(1);
    io = shared_->sync_io.get();
    io->restart();
  } else {
    io = &private_io.emplace(1);
  }
  std::optional<Result<HttpResponse>> result;
  auto exchange = std::make_shared<Exchange>(
      io->get_executor(), shared_, /*asynchronous=*/false, pooled,
      [&result](Result<HttpResponse> r) { result.emplace(std::move(r)); });
  exchange->Start(exchange->Prepare(request, options));
  io->run();      // returns once the exchange is done: idle connections wait on nothing
  if (!result) {  // only if the loop stopped early, which nothing here does
    return Status(Code::kInternal, "net.internal", "the exchange ended without a result");
  }
  return std::move(*result);
}

void BeastHttpClient::AsyncSend(HttpRequest request, HttpOptions options, Callback done) {
  if (shared_->io == nullptr) {
    done(Send(request, options));
    return;
  }
  asio::io_context& io = *shared_->io;
  if (shared_->in_flight.fetch_add(1) >= shared_->options.max_in_flight) {
    shared_->in_flight.fetch_sub(1);
    Result<ParsedUrl> parsed = ParseHttpUrl(request.url);
    std::string where = parsed.ok() ? parsed->HostPort() : "an outbound host";
    Status overloaded(Code::kResourceExhausted, "net.overloaded",
                      "not calling " + where + ": " +
                          std::to_string(shared_->options.max_in_flight) +
                          " outbound requests are already in flight");
    asio::post(io,
               [done = std::move(done), overloaded = std::move(overloaded)] { done(overloaded); });
    return;
  }
  auto exchange = std::make_shared<Exchange>(io.get_executor(), shared_, /*asynchronous=*/true,
                                             /*pooled=*/true, std::move(done));
  exchange->Start(exchange->Prepare(request, options));
}

}  // namespace wifgate::net
