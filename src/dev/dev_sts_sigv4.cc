#include "dev/dev_sts_sigv4.h"

#include "aws/sigv4.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace wifgate::dev {
namespace {

Status StsError(std::string code, std::string message) {
  return Status(Code::kUnauthenticated, std::move(code), std::move(message));
}

Status Incomplete(std::string what) { return StsError("IncompleteSignature", std::move(what)); }

Status Mismatch() {
  return StsError("SignatureDoesNotMatch",
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your AWS Secret Access Key and signing method.");
}

struct SignatureParts {
  std::string access_key_id, date8, region, service, terminator;
  std::string signed_headers;
  std::string signature;
  std::string amz_date;
  std::string session_token;
};

Status ParseCredential(std::string_view credential, SignatureParts& out) {
  auto scope = Split(credential, '/');
  if (scope.size() != 5)
    return Incomplete("Credential must be AKID/DATE/REGION/SERVICE/aws4_request");
  out.access_key_id = std::string(scope[0]);
  out.date8 = std::string(scope[1]);
  out.region = std::string(scope[2]);
  out.service = std::string(scope[3]);
  out.terminator = std::string(scope[4]);
  if (out.terminator != "aws4_request") return Incomplete("Credential must end in aws4_request");
  return Status::Ok();
}

Result<SignatureParts> FromAuthorizationHeader(const net::ServerRequest& request,
                                               std::string_view value) {
  constexpr std::string_view kPrefix = "AWS4-HMAC-SHA256 ";
  if (!value.starts_with(kPrefix)) return Incomplete("Unsupported Authorization algorithm");
  SignatureParts out;
  bool have_credential = false, have_headers = false, have_signature = false;
  for (auto part : Split(value.substr(kPrefix.size()), ',')) {
    part = TrimWhitespace(part);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) return Incomplete("Authorization parameter without '='");
    std::string_view name = part.substr(0, eq), v = part.substr(eq + 1);
    if (name == "Credential" && !have_credential) {
      WIFGATE_RETURN_IF_ERROR(ParseCredential(v, out));
      have_credential = true;
    } else if (name == "SignedHeaders" && !have_headers) {
      out.signed_headers = std::string(v);
      have_headers = true;
    } else if (name == "Signature" && !have_signature) {
      out.signature = std::string(v);
      have_signature = true;
    } else {
      return Incomplete("Unexpected or repeated Authorization parameter");
    }
  }
  if (!have_credential || !have_headers || !have_signature) {
    return Incomplete("Authorization needs Credential, SignedHeaders and Signature");
  }
  auto date = request.Header("x-amz-date");
  if (!date) return Incomplete("Authorization header requires the X-Amz-Date header");
  out.amz_date = *date;
  out.session_token = request.Header("x-amz-security-token").value_or("");
  return out;
}

Result<SignatureParts> FromPresignedQuery(const std::vector<aws::QueryParam>& query) {
  SignatureParts out;
  std::string algorithm, credential;
  for (const auto& p : query) {
    if (p.name == "X-Amz-Algorithm") algorithm = p.value;
    if (p.name == "X-Amz-Credential") credential = p.value;
    if (p.name == "X-Amz-Date") out.amz_date = p.value;
    if (p.name == "X-Amz-SignedHeaders") out.signed_headers = p.value;
    if (p.name == "X-Amz-Signature") out.signature = p.value;
    if (p.name == "X-Amz-Security-Token") out.session_token = p.value;
  }
  if (algorithm != aws::kSigV4Algorithm)
    return Incomplete("X-Amz-Algorithm must be AWS4-HMAC-SHA256");
  if (credential.empty() || out.amz_date.empty() || out.signed_headers.empty() ||
      out.signature.empty()) {
    return Incomplete(
        "A presigned request needs X-Amz-Credential, -Date, -SignedHeaders, -Signature");
  }
  WIFGATE_RETURN_IF_ERROR(ParseCredential(credential, out));
  return out;
}

// The requested headers' values, in request order, for the names listed as signed.
Result<net::HttpHeaders> SignedHeaderValues(const net::ServerRequest& request,
                                            std::string_view signed_headers) {
  net::HttpHeaders out;
  auto names = Split(signed_headers, ';');
  for (auto name : names) {
    bool found = false;
    for (const auto& h : request.headers) {
      if (AsciiEqualsIgnoreCase(h.name, name)) {
        out.push_back(h);
        found = true;
      }
    }
    if (!found) return Mismatch();
  }
  bool has_host = false;
  for (auto name : names) has_host = has_host || name == "host";
  if (!has_host) return Incomplete("Host must be a signed header");
  return out;
}

}  // namespace

Result<SignedBy> VerifySigV4Request(const net::ServerRequest& request, SystemTime now,
                                    const SecretLookup& lookup) {
  std::string_view target = request.target;
  size_t q = target.find('?');
  std::string_view raw_query = q == std::string_view::npos ? "" : target.substr(q + 1);
  auto query = aws::ParseQuery(raw_query);
  if (!query.ok()) return Incomplete("The query string is not valid percent-encoding");

  auto authorization = request.Header("authorization");
  bool presigned = !authorization.has_value();
  Result<SignatureParts> parts =
      presigned ? FromPresignedQuery(*query) : FromAuthorizationHeader(request, *authorization);
  if (presigned) {
    bool any = false;
    for (const auto& p : *query) any = any || p.name == "X-Amz-Signature";
    if (!any) {
      return StsError("MissingAuthenticationToken", "Request is missing Authentication Token");
    }
  }
  if (!parts.ok()) return parts.status();

  auto signed_at = ParseAmzDate(parts->amz_date);
  if (!signed_at) return Incomplete("X-Amz-Date must be YYYYMMDDTHHMMSSZ");
  if (parts->service != "sts") return Mismatch();
  if (parts->date8 != parts->amz_date.substr(0, 8)) return Mismatch();
  if (*signed_at > now + kSigV4Window) {
    return StsError("RequestExpired", "Signature not yet current: " + parts->amz_date);
  }
  std::chrono::seconds life = kSigV4Window;
  if (presigned) {
    std::string expires;
    for (const auto& p : *query) {
      if (p.name == "X-Amz-Expires") expires = p.value;
    }
    if (expires.empty() || expires.size() > 6 ||
        expires.find_first_not_of("0123456789") != std::string::npos) {
      return Incomplete("X-Amz-Expires must be a number of seconds");
    }
    life = std::min<std::chrono::seconds>(life, std::chrono::seconds(std::stol(expires)));
  }
  if (*signed_at + life < now) {
    return StsError("RequestExpired", "Signature expired: " + parts->amz_date +
                                          " is now earlier than the allowed window");
  }

  WIFGATE_ASSIGN_OR_RETURN(std::string secret, lookup(parts->access_key_id, parts->session_token));

  WIFGATE_ASSIGN_OR_RETURN(net::HttpHeaders headers,
                           SignedHeaderValues(request, parts->signed_headers));
  aws::CanonicalHeaders canonical = aws::BuildCanonicalHeaders(headers);
  if (canonical.signed_headers != parts->signed_headers) return Mismatch();

  std::string payload_hash = HexEncode(Sha256(request.body));
  if (auto declared = request.Header("x-amz-content-sha256"); declared && !presigned) {
    if (*declared != payload_hash) return Mismatch();
  }
  std::vector<aws::QueryParam> canonical_query;
  for (const auto& p : *query) {
    if (!(presigned && p.name == "X-Amz-Signature")) canonical_query.push_back(p);
  }
  const std::string canonical_request =
      aws::CanonicalRequest(request.method, aws::CanonicalUri(request.path, true),
                            aws::CanonicalQueryString(canonical_query), canonical, payload_hash);
  const std::string scope = aws::CredentialScope(parts->date8, parts->region, parts->service);
  const std::string expected = aws::ComputeSignature(
      aws::DeriveSigningKey(secret, parts->date8, parts->region, parts->service),
      aws::StringToSign(parts->amz_date, scope, canonical_request));
  if (!ConstantTimeEquals(expected, parts->signature)) return Mismatch();

  return SignedBy{parts->access_key_id, parts->session_token, parts->region, presigned};
}

}  // namespace wifgate::dev
