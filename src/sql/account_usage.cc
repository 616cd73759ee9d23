#include "sql/account_usage.h"

#include <boost/json.hpp>

#include "common/json.h"

namespace wifgate::sql {
namespace {

using registry::WorkloadIdentity;
using verify::Provider;

Cell Text(std::string s) { return Cell(std::move(s)); }
Cell TextOrNull(const std::string& s) { return s.empty() ? Cell() : Cell(s); }
Cell Time(std::optional<int64_t> t) { return t ? Cell(*t) : Cell(); }

ResultSet Credentials(const registry::RegistryState& state) {
  ResultSet rs;
  rs.columns = {{"CREDENTIAL_ID", ColumnType::kFixed},
                {"NAME", ColumnType::kText},
                {"USER_NAME", ColumnType::kText},
                {"TYPE", ColumnType::kText},
                {"DOMAIN", ColumnType::kText},
                {"COMMENT", ColumnType::kText},
                {"STATUS", ColumnType::kText},
                {"ADDITIONAL_DETAILS", ColumnType::kObject},
                {"CREATED_BY", ColumnType::kText},
                {"LAST_ALTERED_BY", ColumnType::kText},
                {"CREATED_ON", ColumnType::kTimestampLtz},
                {"LAST_USED_ON", ColumnType::kTimestampLtz},
                {"LAST_ALTERED", ColumnType::kTimestampLtz},
                {"EXPIRATION_DATE", ColumnType::kTimestampLtz}};
  for (const auto& u : state.users) {
    for (const auto& w : u.identities) {
      rs.rows.push_back({Cell(w.id), Text(w.name), Text(u.name),
                         Text(std::string(verify::ProviderName(w.type))),
                         Text("WORKLOAD_IDENTITY_FEDERATION_METHOD"), TextOrNull(w.comment),
                         Text(w.disabled ? "DISABLED" : "ENROLLED"),
                         Text(IdentityDetails(w, KeyStyle::kSnakeCase)), Text(w.created_by),
                         Text(w.last_altered_by), Cell(w.created_on), Time(w.last_used_on),
                         Cell(w.last_altered), Cell()});
    }
  }
  return rs;
}

ResultSet LoginHistory(const std::vector<registry::LoginEvent>& history) {
  ResultSet rs;
  rs.columns = {{"EVENT_ID", ColumnType::kFixed},
                {"EVENT_TIMESTAMP", ColumnType::kTimestampLtz},
                {"EVENT_TYPE", ColumnType::kText},
                {"USER_NAME", ColumnType::kText},
                {"CLIENT_IP", ColumnType::kText},
                {"REPORTED_CLIENT_TYPE", ColumnType::kText},
                {"REPORTED_CLIENT_VERSION", ColumnType::kText},
                {"FIRST_AUTHENTICATION_FACTOR", ColumnType::kText},
                {"SECOND_AUTHENTICATION_FACTOR", ColumnType::kText},
                {"IS_SUCCESS", ColumnType::kText},
                {"ERROR_CODE", ColumnType::kText},
                {"ERROR_MESSAGE", ColumnType::kText},
                {"RELATED_EVENT_ID", ColumnType::kFixed},
                {"CONNECTION", ColumnType::kText},
                {"CLIENT_PRIVATE_LINK_ID", ColumnType::kText},
                {"FIRST_AUTHENTICATION_FACTOR_ID", ColumnType::kFixed},
                {"SECOND_AUTHENTICATION_FACTOR_ID", ColumnType::kFixed},
                {"LOGIN_DETAILS", ColumnType::kObject},
                {"AUTHORIZING_INTEGRATION_NAME", ColumnType::kText}};
  for (const auto& e : history) {
    rs.rows.push_back(
        {Cell(e.event_id), Cell(e.event_timestamp), Text("LOGIN"),
         e.user_name ? Cell(*e.user_name) : Cell(), Text(e.client_ip), Text(e.reported_client_type),
         Text(e.reported_client_version), Text(e.first_authentication_factor), Cell(),
         Text(e.is_success ? "YES" : "NO"), e.error_code ? Cell(*e.error_code) : Cell(),
         e.error_message ? Cell(*e.error_message) : Cell(), Cell(int64_t{0}), Cell(), Cell(),
         e.first_authentication_factor_id ? Cell(*e.first_authentication_factor_id) : Cell(),
         Cell(), TextOrNull(e.login_details), Cell()});
  }
  return rs;
}

ResultSet Users(const registry::RegistryState& state) {
  ResultSet rs;
  rs.columns = {{"USER_ID", ColumnType::kFixed},
                {"NAME", ColumnType::kText},
                {"CREATED_ON", ColumnType::kTimestampLtz},
                {"DELETED_ON", ColumnType::kTimestampLtz},
                {"LOGIN_NAME", ColumnType::kText},
                {"DISPLAY_NAME", ColumnType::kText},
                {"EMAIL", ColumnType::kText},
                {"HAS_PASSWORD", ColumnType::kBoolean},
                {"COMMENT", ColumnType::kText},
                {"DISABLED", ColumnType::kBoolean},
                {"DEFAULT_ROLE", ColumnType::kText},
                {"LAST_SUCCESS_LOGIN", ColumnType::kTimestampLtz},
                {"HAS_RSA_PUBLIC_KEY", ColumnType::kBoolean},
                {"OWNER", ColumnType::kText},
                {"TYPE", ColumnType::kText},
                {"HAS_WORKLOAD_IDENTITY", ColumnType::kBoolean}};
  for (const auto& u : state.users) {
    rs.rows.push_back({Cell(u.id), Text(u.name), Cell(u.created_on), Cell(), Text(u.login_name),
                       Text(u.display_name), TextOrNull(u.email), Cell(!u.password_hash.empty()),
                       TextOrNull(u.comment), Cell(u.disabled), TextOrNull(u.default_role),
                       Time(u.last_success_login), Cell(!u.rsa_public_key.empty()), Text(u.owner),
                       Text(std::string(registry::UserTypeName(u.type))),
                       Cell(!u.identities.empty())});
  }
  return rs;
}

}  // namespace

std::string IdentityDetails(const WorkloadIdentity& w, KeyStyle style) {
  bool camel = style == KeyStyle::kCamelCase;
  boost::json::object o;
  switch (w.type) {
    case Provider::kAws: {
      auto parsed = verify::ParseAwsArn(w.arn);
      if (parsed.ok()) {
        bool user = parsed->kind == verify::ParsedAwsArn::Kind::kUser;
        o[camel ? "awsPartition" : "aws_partition"] = parsed->partition;
        o[camel ? "awsAccount" : "aws_account"] = parsed->account;
        o["type"] = user ? "IAM_USER" : "IAM_ROLE";
        o[camel ? "iamRole" : "iam_role"] = parsed->name;
        if (!parsed->path.empty()) o[camel ? "iamPath" : "iam_path"] = parsed->path;
        if (!parsed->session.empty()) o[camel ? "sessionName" : "session_name"] = parsed->session;
      }
      o["arn"] = w.arn;
      if (!w.issuer.empty()) o["issuer"] = w.issuer;
      break;
    }
    case Provider::kGcp:
      o["subject"] = w.subject;
      break;
    case Provider::kAzure:
    case Provider::kOidc:
      o["issuer"] = w.issuer;
      o["subject"] = w.subject;
      if (w.type == Provider::kOidc) {
        boost::json::array a;
        for (const auto& aud : w.audiences) a.emplace_back(aud);
        o[camel ? "audienceList" : "audience_list"] = std::move(a);
      }
      break;
  }
  return ToJson(o);
}

std::optional<ResultSet> AccountUsageView(std::string_view view,
                                          const registry::RegistryState& state,
                                          const std::vector<registry::LoginEvent>& history) {
  if (view == "CREDENTIALS") return Credentials(state);
  if (view == "LOGIN_HISTORY") return LoginHistory(history);
  if (view == "USERS") return Users(state);
  return std::nullopt;
}

}  // namespace wifgate::sql
