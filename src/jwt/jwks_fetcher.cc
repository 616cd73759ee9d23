#include "jwt/jwks_fetcher.h"

#include <memory>
#include <utility>

#include "common/json.h"
#include "common/strings.h"
#include "net/internal_address.h"

namespace wifgate::jwt {
namespace {

namespace json = boost::json;

Status Unavailable(std::string what) {
  return Status(Code::kUnavailable, "jwt.jwks_unavailable",
                "cannot load the issuer's keys: " + what,
                "The token issuer's keys are unavailable; try again later.");
}

Status InvalidDocument(std::string what) {
  return Status(Code::kUnavailable, "jwt.jwks_invalid",
                "the issuer's discovery or key document is not acceptable: " + what,
                "The token issuer's keys could not be loaded.");
}

// What to do about keys on an internal address, which are never fetched outside dev mode.
constexpr std::string_view kPrivateIssuerHint =
    "; an issuer on a private network must be given its keys as a static JWKS file instead";

Result<std::string> ResponseBody(const Result<net::HttpResponse>& response, std::string_view what) {
  if (!response.ok()) {
    bool internal = response.status().reason() == "net.address_refused";
    return Unavailable(std::string(what) + " request failed (" + response.status().ToString() +
                       ")" + std::string(internal ? kPrivateIssuerHint : ""));
  }
  if (response->status != 200) {
    return Unavailable(std::string(what) + " answered HTTP " + std::to_string(response->status));
  }
  return response->body;
}

}  // namespace

std::string DiscoveryUrl(std::string_view issuer) {
  if (issuer.ends_with('/')) issuer.remove_suffix(1);
  return std::string(issuer) + "/.well-known/openid-configuration";
}

Status CheckKeyUrl(std::string_view url, bool allow_insecure) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (allow_insecure && url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return InvalidDocument("'" + std::string(url) + "' is not an https URL");
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos ||
      url.find('#') != std::string_view::npos) {
    return InvalidDocument("'" + std::string(url) + "' is not a plain absolute URL");
  }
  if (allow_insecure) return Status::Ok();
  std::string host;
  if (authority.starts_with('[')) {
    host = std::string(authority.substr(1, authority.find(']') - 1));
  } else {
    host = std::string(authority.substr(0, authority.find(':')));
  }
  if (net::IsInternalHost(host)) {
    return InvalidDocument("'" + std::string(url) +
                           "' points at a loopback, private or link-local address (or a "
                           "numeric host name that resolves like one)" +
                           std::string(kPrivateIssuerHint));
  }
  return Status::Ok();
}

void HttpJwksFetcher::Fetch(const KeySource& source, Callback done) {
  if (source.jwks_uri) {
    FetchJwks(source, *source.jwks_uri, std::move(done));
    return;
  }
  if (Status s = CheckKeyUrl(source.issuer, source.allow_insecure); !s.ok()) {
    done(s);
    return;
  }
  net::HttpRequest request;
  request.url = DiscoveryUrl(source.issuer);
  request.headers.push_back({"Accept", "application/json"});
  net::HttpOptions opts;
  opts.timeout = options_.timeout;
  opts.max_response_bytes = options_.max_discovery_bytes;
  opts.public_addresses_only = !source.allow_insecure;
  http_.AsyncSend(
      std::move(request), opts,
      [this, source, done = std::move(done)](Result<net::HttpResponse> response) {
        Result<std::string> body = ResponseBody(response, "discovery");
        if (!body.ok()) return done(body.status());
        Result<json::value> doc = ParseStrictJson(*body);
        if (!doc.ok() || !doc->is_object()) {
          return done(InvalidDocument("the discovery document is not a JSON object"));
        }
        std::optional<std::string> issuer = GetString(doc->as_object(), "issuer");
        if (issuer != source.issuer) {
          return done(InvalidDocument("the discovery document's issuer does not equal '" +
                                      source.issuer + "' (OIDC Discovery 4.3)"));
        }
        std::optional<std::string> jwks_uri = GetString(doc->as_object(), "jwks_uri");
        if (!jwks_uri) return done(InvalidDocument("no string `jwks_uri`"));
        FetchJwks(source, std::move(*jwks_uri), std::move(done));
      });
}

void HttpJwksFetcher::FetchJwks(const KeySource& source, std::string jwks_uri, Callback done) {
  if (Status s = CheckKeyUrl(jwks_uri, source.allow_insecure); !s.ok()) {
    done(s);
    return;
  }
  net::HttpRequest request;
  request.url = std::move(jwks_uri);
  request.headers.push_back({"Accept", "application/json"});
  net::HttpOptions opts;
  opts.timeout = options_.timeout;
  opts.max_response_bytes = options_.jwks_limits.max_bytes;
  opts.public_addresses_only = !source.allow_insecure;
  http_.AsyncSend(std::move(request), opts,
                  [this, done = std::move(done)](Result<net::HttpResponse> response) {
                    Result<std::string> body = ResponseBody(response, "JWKS");
                    if (!body.ok()) return done(body.status());
                    done(ParseJwkSet(*body, options_.jwks_limits));
                  });
}

}  // namespace wifgate::jwt
