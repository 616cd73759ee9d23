// SnowflakeApi: the HTTP endpoints the official connectors call, routed onto the login
// service, the session store and the query service (specs/snowflake-rest.md §7.1).
//
// Replies follow the spec's rules for avoiding retry storms: every application error is
// HTTP 200 with success:false; an unknown or revoked session token is HTTP 401 with code
// 390104; an expired one is 200 with 390112 (the connectors renew); unknown paths are 404
// with a JSON body; nothing else is ever non-200.
//
// Every authenticated call also re-checks the session against the current registry, so a
// session whose user was dropped or disabled, or whose workload identity was removed, ends
// at its next call — even when the change was made by another process.
#ifndef WIFGATE_SERVER_SNOWFLAKE_API_H_
#define WIFGATE_SERVER_SNOWFLAKE_API_H_

#include <memory>
#include <string>

#include "net/http_server.h"
#include "registry/snapshot.h"
#include "server/login.h"
#include "server/query_service.h"
#include "server/session_store.h"

namespace wifgate::server {

class SnowflakeApi {
 public:
  SnowflakeApi(LoginService& login, SessionStore& sessions, QueryService& queries,
               registry::Registry& registry, std::string server_version);

  // Adds the routes to `server`.
  void Register(net::HttpServer& server);

 private:
  void HandleLogin(net::ServerRequest request, net::Responder respond);
  void HandleQuery(net::ServerRequest request, net::Responder respond);
  void HandleRenew(net::ServerRequest request, net::Responder respond);
  void HandleHeartbeat(net::ServerRequest request, net::Responder respond);
  void HandleLogout(net::ServerRequest request, net::Responder respond);
  void HandleAbort(net::ServerRequest request, net::Responder respond);

  // The session named by the request's Authorization header, still allowed by the
  // registry; on failure the reply has been sent and nullptr is returned.
  std::shared_ptr<Session> Authenticate(const net::ServerRequest& request,
                                        const net::Responder& respond);
  // Why `session` may no longer be used, or OK.
  Status StillAllowed(const Session& session);

  LoginService& login_;
  SessionStore& sessions_;
  QueryService& queries_;
  registry::Registry& registry_;
  std::string server_version_;
};

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_SNOWFLAKE_API_H_
