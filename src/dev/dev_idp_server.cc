#include "dev/dev_idp_server.h"

#include <boost/json.hpp>

#include "common/crypto.h"
#include "common/json.h"
#include "common/strings.h"

namespace wifgate::dev {
namespace {

namespace json = boost::json;
using net::ServerRequest;
using net::ServerResponse;

ServerResponse Error(int status, std::string_view code, std::string_view text) {
  return ServerResponse::Json(status,
                              ToJson(json::object{{"error", code}, {"error_description", text}}));
}

// application/x-www-form-urlencoded, strictly: '+' is a space, %XX must be valid hex.
std::optional<std::string> FormValue(std::string_view body, std::string_view name) {
  for (std::string_view pair : Split(body, '&')) {
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string out;
    std::string_view v = pair.substr(eq + 1);
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '+') {
        out += ' ';
      } else if (v[i] == '%') {
        if (i + 2 >= v.size()) return std::nullopt;
        std::string byte;
        if (!HexDecode(v.substr(i + 1, 2), &byte)) return std::nullopt;
        out += byte;
        i += 2;
      } else {
        out += v[i];
      }
    }
    return out;
  }
  return std::nullopt;
}

// A stable GUID-shaped object id for a client id, so each dev identity has its own.
std::string DevObjectId(std::string_view client_id) {
  std::string h = HexEncode(Sha256(client_id)).substr(0, 32);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

ServerResponse AzureTokenResponse(const std::string& token, const std::string& resource) {
  return ServerResponse::Json(200, ToJson(json::object{{"access_token", token},
                                                       {"expires_in", "3599"},
                                                       {"resource", resource},
                                                       {"token_type", "Bearer"}}));
}

// An Entra v1 token for `resource` as IMDS and the Functions endpoint return it.
ServerResponse ManagedIdentityToken(DevIdp& idp, const ServerRequest& req) {
  std::optional<std::string> resource = req.Query("resource");
  if (!resource || resource->empty()) return Error(400, "invalid_request", "resource is required");
  std::optional<std::string> client_id = req.Query("client_id");
  MintRequest mint;
  mint.kind = IdpKind::kAzureV1;
  mint.subject = client_id ? DevObjectId(*client_id) : idp.options().azure_object_id;
  mint.audiences = {*resource};
  Result<std::string> token = idp.Mint(mint);
  if (!token.ok()) return Error(500, "mint_failed", token.status().message());
  return AzureTokenResponse(*token, *resource);
}

void Answer(net::Responder& respond, ServerResponse response) { respond(std::move(response)); }

// The GCE metadata server labels every answer, and Google's client libraries refuse one
// without the label.
void AnswerAsMetadataServer(net::Responder& respond, ServerResponse response) {
  response.headers.push_back({"Metadata-Flavor", "Google"});
  respond(std::move(response));
}

}  // namespace

std::string DevServiceAccountId(std::string_view email) {
  std::string digest = Sha256(email);
  std::string id = "1";
  for (size_t i = 0; i < 20; ++i)
    id += static_cast<char>('0' + static_cast<uint8_t>(digest[i]) % 10);
  return id;
}

void InstallDevIdpRoutes(net::HttpServer& server, DevIdp& idp, DevWorkloadSecrets secrets) {
  const std::string base = idp.base_url();
  for (IdpKind kind : {IdpKind::kOidc, IdpKind::kGcp, IdpKind::kAzure, IdpKind::kAzureV1}) {
    std::string path = idp.IssuerUrl(kind).substr(base.size());
    if (path.ends_with('/')) path.pop_back();
    server.Route("GET", path + "/.well-known/openid-configuration",
                 [&idp, kind](ServerRequest, net::Responder respond) {
                   Answer(respond, ServerResponse::Json(200, idp.DiscoveryJson(kind)));
                 });
    server.Route("GET", path + "/jwks", [&idp](ServerRequest, net::Responder respond) {
      Answer(respond, ServerResponse::Json(200, idp.JwksJson()));
    });
  }

  server.Route("POST", "/rotate", [&idp](ServerRequest, net::Responder respond) {
    Status s = idp.Rotate();
    Answer(respond, s.ok() ? ServerResponse::Json(200, idp.JwksJson())
                           : Error(500, "rotate_failed", s.message()));
  });

  // GCP metadata server.
  const std::string sa = "/computeMetadata/v1/instance/service-accounts/default";
  server.Route("GET", sa + "/identity", [&idp](ServerRequest req, net::Responder respond) {
    if (req.Header("Metadata-Flavor") != "Google") {
      return AnswerAsMetadataServer(
          respond, ServerResponse::Text(403, "Missing Metadata-Flavor: Google header"));
    }
    std::optional<std::string> audience = req.Query("audience");
    if (!audience || audience->empty()) {
      return AnswerAsMetadataServer(respond, ServerResponse::Text(400, "audience is required"));
    }
    MintRequest mint;
    mint.kind = IdpKind::kGcp;
    mint.subject = idp.options().gcp_subject;
    mint.audiences = {*audience};
    Result<std::string> token = idp.Mint(mint);
    AnswerAsMetadataServer(respond, token.ok()
                                        ? ServerResponse::Text(200, *token)
                                        : ServerResponse::Text(500, token.status().message()));
  });
  server.Route("GET", sa + "/token", [secrets](ServerRequest req, net::Responder respond) {
    if (req.Header("Metadata-Flavor") != "Google") {
      return AnswerAsMetadataServer(
          respond, ServerResponse::Text(403, "Missing Metadata-Flavor: Google header"));
    }
    AnswerAsMetadataServer(
        respond,
        ServerResponse::Json(200, ToJson(json::object{{"access_token", secrets.gcp_access_token},
                                                      {"expires_in", 3599},
                                                      {"token_type", "Bearer"}})));
  });

  // Azure IMDS and the App Service / Functions identity endpoint.
  server.Route(
      "GET", "/metadata/identity/oauth2/token", [&idp](ServerRequest req, net::Responder respond) {
        if (req.Header("Metadata") != "true") {
          return Answer(respond,
                        Error(400, "bad_request", "Required metadata header not specified"));
        }
        Answer(respond, ManagedIdentityToken(idp, req));
      });
  server.Route("GET", "/msi/token", [&idp, secrets](ServerRequest req, net::Responder respond) {
    std::optional<std::string> header = req.Header("X-IDENTITY-HEADER");
    if (!header || !ConstantTimeEquals(*header, secrets.identity_header)) {
      return Answer(respond, Error(401, "unauthorized", "X-IDENTITY-HEADER is missing or wrong"));
    }
    Answer(respond, ManagedIdentityToken(idp, req));
  });

  // Entra token endpoint: client credentials with a federated (AKS) assertion.
  server.Route(
      "POST", "/azure/" + idp.options().tenant + "/oauth2/v2.0/token",
      [&idp](ServerRequest req, net::Responder respond) {
        std::optional<std::string> assertion = FormValue(req.body, "client_assertion");
        std::optional<std::string> client_id = FormValue(req.body, "client_id");
        std::optional<std::string> scope = FormValue(req.body, "scope");
        if (FormValue(req.body, "grant_type") != "client_credentials" || !assertion || !client_id ||
            !scope || !scope->ends_with("/.default") ||
            FormValue(req.body, "client_assertion_type") !=
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
          return Answer(respond, Error(400, "invalid_request", "malformed client credentials"));
        }
        Result<json::object> claims = idp.VerifyOwnToken(*assertion);
        if (!claims.ok()) {
          return Answer(respond, Error(401, "invalid_client", claims.status().message()));
        }
        std::string resource =
            scope->substr(0, scope->size() - std::string_view("/.default").size());
        MintRequest mint;
        mint.kind = IdpKind::kAzure;
        mint.subject = DevObjectId(*client_id);
        mint.audiences = {resource};
        Result<std::string> token = idp.Mint(mint);
        if (!token.ok())
          return Answer(respond, Error(500, "mint_failed", token.status().message()));
        Answer(respond, ServerResponse::Json(200, ToJson(json::object{{"access_token", *token},
                                                                      {"expires_in", 3599},
                                                                      {"token_type", "Bearer"}})));
      });

  // IAM Credentials generateIdToken: the path carries the service account, so it is matched
  // in the fallback.
  server.SetFallback([&idp, secrets](ServerRequest req, net::Responder respond) {
    constexpr std::string_view kPrefix = "/v1/projects/-/serviceAccounts/";
    constexpr std::string_view kSuffix = ":generateIdToken";
    if (req.method != "POST" || !req.path.starts_with(kPrefix) || !req.path.ends_with(kSuffix)) {
      return Answer(respond, ServerResponse::Text(404, "not found"));
    }
    std::optional<std::string> auth = req.Header("Authorization");
    if (!auth || !ConstantTimeEquals(*auth, "Bearer " + secrets.gcp_access_token)) {
      return Answer(respond, Error(401, "unauthenticated", "a valid access token is required"));
    }
    std::string email(
        req.path.substr(kPrefix.size(), req.path.size() - kPrefix.size() - kSuffix.size()));
    Result<json::value> body = ParseStrictJson(req.body);
    std::optional<std::string> audience;
    if (body.ok() && body->is_object()) audience = GetString(body->as_object(), "audience");
    if (!audience || email.empty()) {
      return Answer(respond, Error(400, "invalid_argument", "audience is required"));
    }
    MintRequest mint;
    mint.kind = IdpKind::kGcp;
    mint.subject = DevServiceAccountId(email);
    mint.audiences = {*audience};
    if (body->as_object().contains("includeEmail")) mint.extra_claims["email"] = email;
    Result<std::string> token = idp.Mint(mint);
    if (!token.ok()) return Answer(respond, Error(500, "mint_failed", token.status().message()));
    Answer(respond, ServerResponse::Json(200, ToJson(json::object{{"token", *token}})));
  });
}

}  // namespace wifgate::dev
