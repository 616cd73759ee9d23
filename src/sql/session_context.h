// SessionContext: who runs a statement and where — what the executor needs to enforce
// privileges and to answer CURRENT_USER() and friends. The server fills it from the
// session; `wifgate sql` uses LocalAdmin().
#ifndef WIFGATE_SQL_SESSION_CONTEXT_H_
#define WIFGATE_SQL_SESSION_CONTEXT_H_

#include <chrono>
#include <string>

namespace wifgate::sql {

struct SessionContext {
  std::string user;  // empty for the local administrator
  std::string role;  // the current role, already checked to be granted to `user`
  std::string account;
  std::string database;
  std::string schema;
  std::string warehouse;
  std::string session;            // the session id, as CURRENT_SESSION() shows it
  std::string client;             // the connector and its version, as CURRENT_CLIENT() shows it
  std::string version = "0.1.0";  // CURRENT_VERSION()
  std::chrono::milliseconds statement_timeout{std::chrono::seconds(60)};

  // The local shell (`wifgate sql`): acts as ACCOUNTADMIN, as the issue specifies.
  static SessionContext LocalAdmin() {
    SessionContext c;
    c.role = "ACCOUNTADMIN";
    c.account = "LOCAL";
    return c;
  }
  // The name recorded as owner / creator of objects.
  std::string Actor() const { return user.empty() ? "LOCAL_ADMIN" : user; }
};

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_SESSION_CONTEXT_H_
