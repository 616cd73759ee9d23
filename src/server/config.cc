#include "server/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <set>

#include "common/logging.h"
#include "common/strings.h"

namespace wifgate::server {
namespace {

Status ConfigError(std::string_view source, std::string_view what) {
  return Status(Code::kInvalidArgument, "config.invalid",
                std::string(source) + ": " + std::string(what));
}

// Reads TOML tables strictly: every key must be known, every value of the right type.
class TomlReader {
 public:
  TomlReader(const toml::table& root, std::string source)
      : root_(root), source_(std::move(source)) {}

  Status Read(ServerConfig* c) {
    WIFGATE_RETURN_IF_ERROR(Known(root_, "",
                                  {"account", "listen", "data_dir", "dev", "tls", "sessions",
                                   "limits", "aws", "jwt", "registry", "sql", "log"}));
    WIFGATE_RETURN_IF_ERROR(Str(root_, "account", &c->account));
    std::string listen;
    WIFGATE_RETURN_IF_ERROR(Str(root_, "listen", &listen));
    if (!listen.empty()) {
      Status s = ParseListenAddress(listen, &c->listen_host, &c->listen_port);
      if (!s.ok()) return ConfigError(source_, "listen: " + s.message());
    }
    WIFGATE_RETURN_IF_ERROR(Str(root_, "data_dir", &c->data_dir));
    WIFGATE_RETURN_IF_ERROR(Bool(root_, "dev", &c->dev));
    if (const toml::table* t = root_["tls"].as_table()) {
      WIFGATE_RETURN_IF_ERROR(Known(*t, "tls.", {"cert_file", "key_file", "self_signed"}));
      WIFGATE_RETURN_IF_ERROR(Str(*t, "cert_file", &c->tls_cert_file));
      WIFGATE_RETURN_IF_ERROR(Str(*t, "key_file", &c->tls_key_file));
      WIFGATE_RETURN_IF_ERROR(Bool(*t, "self_signed", &c->tls_self_signed));
    }
    if (const toml::table* t = root_["sessions"].as_table()) {
      WIFGATE_RETURN_IF_ERROR(Known(*t, "sessions.",
                                    {"token_validity_seconds", "master_validity_seconds",
                                     "idle_timeout_seconds", "absolute_lifetime_seconds", "max"}));
      WIFGATE_RETURN_IF_ERROR(
          Seconds(*t, "token_validity_seconds", &c->sessions.session_token_validity));
      WIFGATE_RETURN_IF_ERROR(
          Seconds(*t, "master_validity_seconds", &c->sessions.master_token_validity));
      WIFGATE_RETURN_IF_ERROR(Seconds(*t, "idle_timeout_seconds", &c->sessions.idle_timeout));
      WIFGATE_RETURN_IF_ERROR(
          Seconds(*t, "absolute_lifetime_seconds", &c->sessions.absolute_lifetime));
      WIFGATE_RETURN_IF_ERROR(Size(*t, "max", &c->sessions.max_sessions));
    }
    if (const toml::table* t = root_["limits"].as_table()) {
      WIFGATE_RETURN_IF_ERROR(Known(*t, "limits.",
                                    {"max_body_bytes", "max_connections_per_address",
                                     "worker_threads", "login_rate_per_minute", "login_burst"}));
      WIFGATE_RETURN_IF_ERROR(Size(*t, "max_body_bytes", &c->max_body_bytes));
      WIFGATE_RETURN_IF_ERROR(
          Size(*t, "max_connections_per_address", &c->max_connections_per_address));
      WIFGATE_RETURN_IF_ERROR(Size(*t, "worker_threads", &c->worker_threads));
      WIFGATE_RETURN_IF_ERROR(Double(*t, "login_rate_per_minute", &c->login_rate_per_minute));
      WIFGATE_RETURN_IF_ERROR(Double(*t, "login_burst", &c->login_burst));
    }
    if (const toml::table* t = root_["aws"].as_table()) {
      WIFGATE_RETURN_IF_ERROR(
          Known(*t, "aws.",
                {"audience", "one_time_use", "extra_sts_endpoints", "sts_endpoint_overrides"}));
      WIFGATE_RETURN_IF_ERROR(Str(*t, "audience", &c->aws_audience));
      WIFGATE_RETURN_IF_ERROR(Bool(*t, "one_time_use", &c->aws_one_time_use));
      WIFGATE_RETURN_IF_ERROR(StsEndpoints(*t, &c->extra_sts_endpoints));
      WIFGATE_RETURN_IF_ERROR(StrMap(*t, "sts_endpoint_overrides", &c->sts_endpoint_overrides));
    }
    if (const toml::table* t = root_["jwt"].as_table()) {
      WIFGATE_RETURN_IF_ERROR(Known(*t, "jwt.",
                                    {"leeway_seconds", "max_lifetime_seconds",
                                     "allow_extra_audiences", "static_jwks_files"}));
      WIFGATE_RETURN_IF_ERROR(Seconds(*t, "leeway_seconds", &c->jwt_leeway));
      WIFGATE_RETURN_IF_ERROR(Seconds(*t, "max_lifetime_seconds", &c->jwt_max_lifetime));
      WIFGATE_RETURN_IF_ERROR(Bool(*t, "allow_extra_audiences", &c->jwt_allow_extra_audiences));
      WIFGATE_RETURN_IF_ERROR(StrMap(*t, "static_jwks_files", &c->static_jwks_files));
    }
    if (const toml::table* t = root_["registry"].as_table()) {
      WIFGATE_RETURN_IF_ERROR(Known(*t, "registry.", {"login_history_sync"}));
      std::string sync;
      WIFGATE_RETURN_IF_ERROR(Str(*t, "login_history_sync", &sync));
      if (!sync.empty()) {
        auto parsed = registry::ParseLoginHistorySync(sync);
        if (!parsed) {
          return ConfigError(
              source_, "login_history_sync must be \"normal\" or \"full\", not '" + sync + "'");
        }
        c->login_history_sync = *parsed;
      }
    }
    if (const toml::table* t = root_["sql"].as_table()) {
      WIFGATE_RETURN_IF_ERROR(Known(*t, "sql.", {"statement_timeout_seconds"}));
      WIFGATE_RETURN_IF_ERROR(Seconds(*t, "statement_timeout_seconds", &c->statement_timeout));
    }
    if (const toml::table* t = root_["log"].as_table()) {
      WIFGATE_RETURN_IF_ERROR(Known(*t, "log.", {"level", "format"}));
      WIFGATE_RETURN_IF_ERROR(Str(*t, "level", &c->log_level));
      WIFGATE_RETURN_IF_ERROR(Str(*t, "format", &c->log_format));
    }
    return Status();
  }

 private:
  Status Known(const toml::table& t, std::string_view prefix, std::set<std::string_view> keys) {
    for (const auto& [key, value] : t) {
      if (!keys.contains(key.str())) {
        std::string known;
        for (auto k : keys)
          known += (known.empty() ? "" : ", ") + std::string(prefix) + std::string(k);
        return ConfigError(source_, "unknown setting '" + std::string(prefix) +
                                        std::string(key.str()) +
                                        "'; known settings here: " + known);
      }
    }
    return Status();
  }
  Status Str(const toml::table& t, std::string_view key, std::string* out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return Status();
    if (!n->is_string()) return ConfigError(source_, std::string(key) + " must be a string");
    *out = n->as_string()->get();
    return Status();
  }
  Status Bool(const toml::table& t, std::string_view key, bool* out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return Status();
    if (!n->is_boolean()) return ConfigError(source_, std::string(key) + " must be true or false");
    *out = n->as_boolean()->get();
    return Status();
  }
  Status Int(const toml::table& t, std::string_view key, int64_t* out, bool* present) {
    const toml::node* n = t.get(key);
    *present = n != nullptr;
    if (n == nullptr) return Status();
    if (!n->is_integer() || n->as_integer()->get() < 0) {
      return ConfigError(source_, std::string(key) + " must be a non-negative integer");
    }
    *out = n->as_integer()->get();
    return Status();
  }
  Status Seconds(const toml::table& t, std::string_view key, std::chrono::seconds* out) {
    int64_t v = 0;
    bool present = false;
    WIFGATE_RETURN_IF_ERROR(Int(t, key, &v, &present));
    if (present) *out = std::chrono::seconds(v);
    return Status();
  }
  Status Size(const toml::table& t, std::string_view key, size_t* out) {
    int64_t v = 0;
    bool present = false;
    WIFGATE_RETURN_IF_ERROR(Int(t, key, &v, &present));
    if (present) *out = static_cast<size_t>(v);
    return Status();
  }
  Status Double(const toml::table& t, std::string_view key, double* out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return Status();
    if (n->is_integer()) {
      *out = static_cast<double>(n->as_integer()->get());
    } else if (n->is_floating_point()) {
      *out = n->as_floating_point()->get();
    } else {
      return ConfigError(source_, std::string(key) + " must be a number");
    }
    return Status();
  }
  Status StsEndpoints(const toml::table& t, std::vector<verify::StsEndpoint>* out) {
    const toml::node* n = t.get("extra_sts_endpoints");
    if (n == nullptr) return Status();
    const toml::array* a = n->as_array();
    if (a == nullptr) {
      return ConfigError(source_,
                         "aws.extra_sts_endpoints must be an array of tables "
                         "({host, region, partition})");
    }
    for (const auto& e : *a) {
      const toml::table* entry = e.as_table();
      if (entry == nullptr)
        return ConfigError(source_, "aws.extra_sts_endpoints entries must be tables");
      WIFGATE_RETURN_IF_ERROR(
          Known(*entry, "aws.extra_sts_endpoints.", {"host", "region", "partition", "fips"}));
      verify::StsEndpoint ep;
      WIFGATE_RETURN_IF_ERROR(Str(*entry, "host", &ep.host));
      WIFGATE_RETURN_IF_ERROR(Str(*entry, "region", &ep.region));
      WIFGATE_RETURN_IF_ERROR(Str(*entry, "partition", &ep.partition));
      WIFGATE_RETURN_IF_ERROR(Bool(*entry, "fips", &ep.fips));
      if (ep.host.empty() || ep.region.empty() || ep.partition.empty()) {
        return ConfigError(source_,
                           "each aws.extra_sts_endpoints entry needs host, region and partition");
      }
      out->push_back(std::move(ep));
    }
    return Status();
  }
  Status StrMap(const toml::table& t, std::string_view key,
                std::map<std::string, std::string>* out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return Status();
    const toml::table* m = n->as_table();
    if (m == nullptr) return ConfigError(source_, std::string(key) + " must be a table of strings");
    for (const auto& [k, v] : *m) {
      if (!v.is_string())
        return ConfigError(source_,
                           std::string(key) + "." + std::string(k.str()) + " must be a string");
      (*out)[std::string(k.str())] = v.as_string()->get();
    }
    return Status();
  }

  const toml::table& root_;
  std::string source_;
};

}  // namespace

Status ParseListenAddress(std::string_view text, std::string* host, uint16_t* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status(Code::kInvalidArgument, "config.invalid",
                  "'" + std::string(text) + "' is not HOST:PORT (for example 127.0.0.1:8080)");
  }
  std::string_view h = text.substr(0, colon), p = text.substr(colon + 1);
  if (h.starts_with('[') && h.ends_with(']')) h = h.substr(1, h.size() - 2);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || value > 65535 || p.empty()) {
    return Status(Code::kInvalidArgument, "config.invalid",
                  "'" + std::string(p) + "' is not a port number (0-65535)");
  }
  *host = std::string(h);
  *port = static_cast<uint16_t>(value);
  return Status();
}

Result<ServerConfig> LoadServerConfig(const ServerFlags& flags, const Env& env) {
  ServerConfig c;
  if (flags.config_file) {
    auto text = env.ReadFile(*flags.config_file);
    if (!text.ok()) return text.status().WithContext("reading the configuration");
    toml::table root;
    try {
      root = toml::parse(*text, *flags.config_file);
    } catch (const toml::parse_error& e) {
      return ConfigError(*flags.config_file, "line " + std::to_string(e.source().begin.line) +
                                                 ": " + std::string(e.description()));
    }
    WIFGATE_RETURN_IF_ERROR(TomlReader(root, *flags.config_file).Read(&c));
  }

  if (auto v = GetNonEmptyVar(env, "WIFGATE_ACCOUNT")) c.account = *v;
  if (auto v = GetNonEmptyVar(env, "WIFGATE_DATA")) c.data_dir = *v;
  if (auto v = GetNonEmptyVar(env, "WIFGATE_LOG_LEVEL")) c.log_level = *v;
  if (auto v = GetNonEmptyVar(env, "WIFGATE_LOG_FORMAT")) c.log_format = *v;
  if (auto v = GetNonEmptyVar(env, "WIFGATE_LISTEN")) {
    Status s = ParseListenAddress(*v, &c.listen_host, &c.listen_port);
    if (!s.ok()) return ConfigError("WIFGATE_LISTEN", s.message());
  }

  if (flags.account) c.account = *flags.account;
  if (flags.data_dir) c.data_dir = *flags.data_dir;
  if (flags.dev) c.dev = true;
  if (flags.listen) {
    Status s = ParseListenAddress(*flags.listen, &c.listen_host, &c.listen_port);
    if (!s.ok()) return ConfigError("--listen", s.message());
  }

  // Cross-field rules.
  if (c.account.empty()) return ConfigError("account", "the account name must not be empty");
  for (char ch : c.account) {
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-';
    if (!ok)
      return ConfigError(
          "account", "'" + c.account + "' is not an account name: use letters, digits, _ and -");
  }
  c.account = AsciiUpper(c.account);
  if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
    return ConfigError("tls", "set both tls.cert_file and tls.key_file, or neither");
  }
  if (!c.dev && (!c.sts_endpoint_overrides.empty() || c.tls_self_signed)) {
    return ConfigError("aws.sts_endpoint_overrides / tls.self_signed",
                       "endpoint overrides and self-signed certificates are for development only; "
                       "they are refused unless the server runs with --dev");
  }
  if (c.worker_threads == 0) return ConfigError("limits.worker_threads", "must be at least 1");
  if (LogLevel level; !ParseLogLevel(c.log_level, &level)) {
    return ConfigError("log.level",
                       "'" + c.log_level + "' is not one of debug, info, warn, error, off");
  }
  if (c.log_format != "json" && c.log_format != "text") {
    return ConfigError("log.format", "must be \"json\" or \"text\"");
  }
  return c;
}

}  // namespace wifgate::server
