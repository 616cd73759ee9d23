#include "registry/login_history.h"

#include <boost/json/object.hpp>

#include "common/json.h"

namespace wifgate::registry {

LoginEvent WorkloadLoginEvent(const verify::VerifiedIdentity* identity, const Principal* principal,
                              const Status& outcome, const ClientInfo& client, int64_t now) {
  LoginEvent e;
  e.event_timestamp = now;
  e.client_ip = client.ip;
  e.reported_client_type = client.client_type;
  e.reported_client_version = client.client_version;
  e.first_authentication_factor = "WORKLOAD_IDENTITY";
  e.is_success = outcome.ok();
  boost::json::object details;
  if (identity != nullptr) {
    details["provider"] = verify::ProviderName(identity->provider);
    details["identity"] = identity->Describe();
    details["match_key"] = verify::IdentityKey(*identity);
  }
  if (principal != nullptr) {
    e.user_name = principal->user->name;
    e.first_authentication_factor_id = principal->identity->id;
    details["workload_identity"] = principal->identity->name;
  }
  if (!outcome.ok()) {
    e.error_code = outcome.reason();
    e.error_message = outcome.message();
  }
  e.login_details = ToJson(details);
  return e;
}

}  // namespace wifgate::registry
