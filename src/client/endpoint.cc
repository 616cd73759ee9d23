#include "client/endpoint.h"

#include "common/strings.h"

namespace wifgate::client {
namespace {

bool IsAccountLabel(std::string_view label) {
  if (label.empty() || label.size() > 255) return false;
  for (char c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The Snowflake domain for an account identifier: regions named "cn-..." are served from
// snowflakecomputing.cn, everything else (privatelink included) from .com.
std::string DefaultHost(std::string_view account) {
  std::vector<std::string_view> labels = Split(account, '.');
  bool china = labels.size() > 1 && AsciiLower(labels[1]).starts_with("cn-");
  std::string host = AsciiLower(account);
  // Snowflake host names use '-' where organisation-account identifiers use '_'.
  for (char& c : host) {
    if (c == '_') c = '-';
  }
  return host + (china ? ".snowflakecomputing.cn" : ".snowflakecomputing.com");
}

}  // namespace

Result<Endpoint> ResolveEndpoint(std::string_view url, std::string_view account) {
  if (account.empty()) {
    return Status(Code::kInvalidArgument, "client.bad_account",
                  "no account given; pass the account identifier (e.g. myorg-myaccount)");
  }
  for (std::string_view label : Split(account, '.')) {
    if (!IsAccountLabel(label)) {
      return Status(Code::kInvalidArgument, "client.bad_account",
                    "account \"" + std::string(account) +
                        "\" is not an account identifier: dot-separated labels of letters, "
                        "digits, '_' and '-'");
    }
  }

  Endpoint out;
  out.account_name = std::string(Split(account, '.').front());
  std::string base = url.empty() ? "https://" + DefaultHost(account) : std::string(url);
  while (base.ends_with('/')) base.pop_back();
  WIFGATE_ASSIGN_OR_RETURN(out.url, net::ParseHttpUrl(base));
  if (out.url.target != "/") {
    return Status(Code::kInvalidArgument, "client.bad_url",
                  "URL \"" + base + "\" has a path or query; give only scheme://host[:port]");
  }
  out.base_url = std::string(out.url.scheme()) + "://" + out.url.HostHeader();
  return out;
}

}  // namespace wifgate::client
