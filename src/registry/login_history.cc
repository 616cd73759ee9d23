#include "registry/login_history.h"

#include <boost/json/object.hpp>

#include "common/json.h"

namespace wifgate::registry {

LoginEvent MakeLoginEvent(const LoginAttempt& attempt, const Status& outcome,
                          const ClientInfo& client, int64_t now) {
  LoginEvent e;
  e.event_timestamp = now;
  e.user_name = attempt.user_name;
  e.client_ip = client.ip;
  e.reported_client_type = client.client_type;
  e.reported_client_version = client.client_version;
  e.first_authentication_factor = attempt.factor;
  e.is_success = outcome.ok();
  boost::json::object details;
  if (!attempt.provider.empty()) details["provider"] = attempt.provider;
  if (attempt.identity != nullptr) {
    details["provider"] = verify::ProviderName(attempt.identity->provider);
    details["identity"] = attempt.identity->Describe();
    details["match_key"] = verify::IdentityKey(*attempt.identity);
  }
  if (attempt.workload_identity != nullptr) {
    e.first_authentication_factor_id = attempt.workload_identity->id;
    details["workload_identity"] = attempt.workload_identity->name;
  }
  if (!outcome.ok()) {
    e.error_code = outcome.reason();
    e.error_message = outcome.message();
  }
  e.login_details = ToJson(details);
  return e;
}

LoginEvent WorkloadLoginEvent(const verify::VerifiedIdentity* identity, const Principal* principal,
                              const Status& outcome, const ClientInfo& client, int64_t now) {
  LoginAttempt attempt;
  attempt.factor = "WORKLOAD_IDENTITY";
  attempt.identity = identity;
  if (principal != nullptr) {
    attempt.user_name = principal->user->name;
    attempt.workload_identity = principal->identity;
  }
  return MakeLoginEvent(attempt, outcome, client, now);
}

}  // namespace wifgate::registry
