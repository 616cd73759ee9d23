#include "server/snowflake_api.h"

#include <map>

#include "common/logging.h"
#include "server/snowflake_protocol.h"

namespace wifgate::server {
namespace {

net::ServerResponse Json(std::string body) {
  return net::ServerResponse::Json(200, std::move(body));
}

std::map<std::string, std::string> QueryMap(const net::ServerRequest& request) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : request.query) out.emplace(k, v);  // first value wins
  return out;
}

// Session-level failures as the connectors expect them (spec §3.2).
void ReplySessionFailure(const Status& status, const net::Responder& respond) {
  if (status.reason() == "session.token_expired") {
    respond(Json(ErrorReply("390112", status.client_message())));
    return;
  }
  respond(net::ServerResponse::Json(401, ErrorReply("390104", status.client_message())));
}

}  // namespace

SnowflakeApi::SnowflakeApi(LoginService& login, SessionStore& sessions, QueryService& queries,
                           registry::Registry& registry, std::string server_version)
    : login_(login),
      sessions_(sessions),
      queries_(queries),
      registry_(registry),
      server_version_(std::move(server_version)) {}

void SnowflakeApi::Register(net::HttpServer& server) {
  auto route = [&](const char* method, const char* path, auto member) {
    server.Route(method, path, [this, member](net::ServerRequest req, net::Responder respond) {
      (this->*member)(std::move(req), std::move(respond));
    });
  };
  route("POST", "/session/v1/login-request", &SnowflakeApi::HandleLogin);
  route("POST", "/queries/v1/query-request", &SnowflakeApi::HandleQuery);
  route("POST", "/session/token-request", &SnowflakeApi::HandleRenew);
  route("POST", "/session/heartbeat", &SnowflakeApi::HandleHeartbeat);
  route("POST", "/session", &SnowflakeApi::HandleLogout);
  route("POST", "/queries/v1/abort-request", &SnowflakeApi::HandleAbort);
  // Telemetry is accepted and dropped (spec §5.4): the payload is the client's business.
  server.Route("POST", "/telemetry/send",
               [](net::ServerRequest, net::Responder respond) { respond(Json(SuccessReply())); });
}

void SnowflakeApi::HandleLogin(net::ServerRequest request, net::Responder respond) {
  auto parsed = ParseLoginRequest(request.body, QueryMap(request));
  if (!parsed.ok()) {
    respond(Json(ErrorReply(login_codes::kMalformed, parsed.status().client_message())));
    return;
  }
  login_.Login(std::move(*parsed), ClientContext{request.remote_address},
               [this, respond](LoginResult result) {
                 if (!result.status.ok()) {
                   respond(Json(ErrorReply(result.code, result.status.client_message())));
                   return;
                 }
                 std::lock_guard lock(result.session->mu);
                 respond(Json(LoginSuccessReply(result.tokens, *result.session, server_version_)));
               });
}

std::shared_ptr<Session> SnowflakeApi::Authenticate(const net::ServerRequest& request,
                                                    const net::Responder& respond) {
  auto header = request.Header("Authorization");
  auto token = header ? ParseSnowflakeAuthorization(*header) : std::nullopt;
  if (!token) {
    respond(net::ServerResponse::Json(
        401, ErrorReply("390101", "Authorization header not found in the request data.")));
    return nullptr;
  }
  auto session = sessions_.Authenticate(*token);
  if (!session.ok()) {
    ReplySessionFailure(session.status(), respond);
    return nullptr;
  }
  Status allowed = StillAllowed(**session);
  if (!allowed.ok()) {
    sessions_.Remove(*token);
    Log(LogLevel::kInfo, "session_revoked",
        {{"user", (*session)->user}, {"reason", allowed.reason()}, {"detail", allowed.message()}});
    ReplySessionFailure(allowed, respond);
    return nullptr;
  }
  return *session;
}

Status SnowflakeApi::StillAllowed(const Session& session) {
  auto snapshot = registry_.Current();
  if (!snapshot.ok()) return snapshot.status();
  auto revoked = [](std::string why) {
    return Status(Code::kUnauthenticated, "session.revoked", why,
                  "User must login again to access the service.");
  };
  const registry::User* user = (*snapshot)->state().FindUser(session.user);
  if (user == nullptr) return revoked("user " + session.user + " was dropped");
  if (user->disabled) return revoked("user " + session.user + " was disabled");
  if (!session.identity_key.empty()) {
    const auto* entry = (*snapshot)->FindByKey(session.identity_key);
    if (entry == nullptr || entry->user->name != session.user) {
      return revoked("the workload identity that opened this session was removed from " +
                     session.user);
    }
  }
  return Status();
}

void SnowflakeApi::HandleQuery(net::ServerRequest request, net::Responder respond) {
  auto session = Authenticate(request, respond);
  if (!session) return;
  auto query = ParseQueryRequest(request.body);
  if (!query.ok()) {
    respond(Json(ErrorReply("000900", query.status().client_message())));
    return;
  }
  respond(Json(queries_.Execute(*session, *query)));
}

void SnowflakeApi::HandleRenew(net::ServerRequest request, net::Responder respond) {
  auto header = request.Header("Authorization");
  auto master = header ? ParseSnowflakeAuthorization(*header) : std::nullopt;
  auto old_token = ParseRenewRequest(request.body);
  if (!master || !old_token.ok()) {
    respond(Json(ErrorReply("390113", "Master token not found.")));
    return;
  }
  auto tokens = sessions_.Renew(*master, *old_token);
  if (!tokens.ok()) {
    bool expired = tokens.status().reason() == "session.master_expired";
    respond(Json(ErrorReply(expired ? "390114" : "390113", tokens.status().client_message())));
    return;
  }
  respond(Json(RenewReply(*tokens)));
}

void SnowflakeApi::HandleHeartbeat(net::ServerRequest request, net::Responder respond) {
  if (Authenticate(request, respond)) respond(Json(SuccessReply()));
}

void SnowflakeApi::HandleLogout(net::ServerRequest request, net::Responder respond) {
  if (request.Query("delete") != "true") {
    respond(net::ServerResponse::Json(404, ErrorReply("404", "Not found.")));
    return;
  }
  auto header = request.Header("Authorization");
  auto token = header ? ParseSnowflakeAuthorization(*header) : std::nullopt;
  // Logging out an unknown session succeeds: the client's goal, no session, is met.
  if (token) sessions_.Remove(*token);
  respond(Json(SuccessReply()));
}

void SnowflakeApi::HandleAbort(net::ServerRequest request, net::Responder respond) {
  // Statements run synchronously to completion (or their timeout), so there is nothing in
  // flight to abort by the time a client could ask.
  if (Authenticate(request, respond)) respond(Json(SuccessReply()));
}

}  // namespace wifgate::server
