#include "cli/doctor_aws.h"

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/base64.h"
#include "common/json.h"

namespace wifgate::cli {
namespace {

std::string XmlElement(std::string_view xml, std::string_view name) {
  std::string open = "<" + std::string(name) + ">";
  size_t start = xml.find(open);
  if (start == std::string_view::npos) return "";
  start += open.size();
  size_t end = xml.find("</" + std::string(name) + ">", start);
  return end == std::string_view::npos ? "" : std::string(xml.substr(start, end - start));
}

// "/?Action=..." of "https://host/?Action=...": what follows the authority, "/" when nothing
// does. The envelope is the workload's own, but it is still parsed without trusting it.
std::optional<std::string> PathAndQuery(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  size_t authority_end = url.find_first_of("/?#", scheme_end + 3);
  if (authority_end == std::string_view::npos) return "/";
  std::string rest(url.substr(authority_end));
  return rest.starts_with('/') ? rest : "/" + rest;
}

}  // namespace

std::vector<attest::ExplainItem> AwsCallerIdentity(const Env& env, net::HttpClient& http,
                                                   const Attestation& attestation) {
  auto decoded = Base64Decode(attestation.token);
  Result<boost::json::value> envelope = decoded ? ParseStrictJson(*decoded) : Status();
  if (!decoded || !envelope.ok() || !envelope->is_object()) {
    return {{"error", "the attestation is not a base64 JSON envelope"}};
  }
  const auto& o = envelope->as_object();
  net::HttpRequest request;
  request.method = GetString(o, "method").value_or("POST");
  request.url = GetString(o, "url").value_or("");
  if (auto override_url = GetNonEmptyVar(env, "AWS_ENDPOINT_URL_STS")) {
    std::optional<std::string> target = PathAndQuery(request.url);
    if (!target) return {{"error", "the envelope's url is not an absolute URL"}};
    std::string base = *override_url;
    while (base.ends_with('/')) base.pop_back();
    request.url = base + *target;
  }
  if (const auto* headers = GetObject(o, "headers")) {
    for (const auto& [name, value] : *headers) {
      if (value.is_string())
        request.headers.push_back({std::string(name), std::string(value.get_string())});
    }
  }
  std::vector<attest::ExplainItem> out;
  out.push_back({"sent to", request.url.substr(0, request.url.find('?'))});
  auto response = http.Send(request, net::HttpOptions{});
  if (!response.ok()) {
    out.push_back({"error", response.status().ToString()});
    return out;
  }
  std::string arn = XmlElement(response->body, "Arn");
  if (response->status == 200 && !arn.empty()) {
    out.push_back({"arn", arn});
    out.push_back({"account", XmlElement(response->body, "Account")});
    out.push_back({"user id", XmlElement(response->body, "UserId")});
    return out;
  }
  out.push_back({"STS answered", "HTTP " + std::to_string(response->status) + " " +
                                     XmlElement(response->body, "Code") + ": " +
                                     XmlElement(response->body, "Message")});
  out.push_back({"hint",
                 "STS refused the signed request: the credentials are invalid or expired, or "
                 "the clock is off; the server will refuse this attestation the same way"});
  return out;
}

}  // namespace wifgate::cli
