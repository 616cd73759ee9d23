#include "aws/sigv4.h"

#include <algorithm>
#include <chrono>

#include "common/crypto.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace wifgate::aws {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trims and collapses every whitespace run to a single space.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : TrimWhitespace(value)) {
    if (IsSpace(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Resolves "." and ".." and drops empty segments; keeps a trailing slash.
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> kept;
  for (std::string_view segment : Split(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  std::string out = "/";
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += '/';
    out += kept[i];
  }
  const bool trailing = path.ends_with("/") || path.ends_with("/.") || path.ends_with("/..");
  if (!kept.empty() && trailing) out += '/';
  return out;
}

Status CheckInputs(const SignableRequest& request, const SigningParams& params) {
  if (request.method.empty()) {
    return Status(Code::kInvalidArgument, "aws.sigv4_bad_request",
                  "the request to sign has no HTTP method");
  }
  if (!FindHeader(request.headers, "host").has_value()) {
    return Status(Code::kInvalidArgument, "aws.sigv4_bad_request",
                  "the request to sign has no Host header; SigV4 always signs Host");
  }
  for (std::string_view owned : {"authorization", "x-amz-date", "x-amz-security-token"}) {
    if (FindHeader(request.headers, owned).has_value()) {
      return Status(Code::kInvalidArgument, "aws.sigv4_bad_request",
                    "the request to sign already has a " + std::string(owned) +
                        " header; the signer adds it itself");
    }
  }
  if (params.credentials.access_key_id.empty() || params.credentials.secret_access_key.empty()) {
    return Status(Code::kInvalidArgument, "aws.sigv4_bad_params",
                  "cannot sign: the access key id or the secret access key is empty");
  }
  if (params.region.empty() || params.service.empty()) {
    return Status(Code::kInvalidArgument, "aws.sigv4_bad_params",
                  "cannot sign: the region or the service name is empty");
  }
  return Status::Ok();
}

std::string PayloadHash(const SignableRequest& request, const SigningParams& params) {
  if (params.payload_hash.has_value()) return *params.payload_hash;
  return HexEncode(Sha256(request.body));
}

// Everything after the canonical request is the same for both signing styles.
void FinishSignature(const SigningParams& params, SignedRequest& out) {
  const std::string date8 = out.amz_date.substr(0, 8);
  out.string_to_sign = StringToSign(out.amz_date, out.credential_scope, out.canonical_request);
  const std::string key =
      DeriveSigningKey(params.credentials.secret_access_key, date8, params.region, params.service);
  out.signature = ComputeSignature(key, out.string_to_sign);
}

std::string Param(std::string_view name, std::string_view value) {
  return std::string(name) + "=" + UriEncode(value, /*encode_slash=*/true);
}

}  // namespace

std::string UriEncode(std::string_view bytes, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (c == '/' && !encode_slash)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = HexValue(text[i + 1]);
    const int lo = HexValue(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string CanonicalUri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  return UriEncode(normalize ? NormalizePath(path) : std::string(path), /*encode_slash=*/false);
}

Result<std::vector<QueryParam>> ParseQuery(std::string_view raw_query) {
  std::vector<QueryParam> params;
  if (raw_query.empty()) return params;
  for (std::string_view part : Split(raw_query, '&')) {
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    std::optional<std::string> name = PercentDecode(part.substr(0, eq));
    std::optional<std::string> value =
        eq == std::string_view::npos ? std::string() : PercentDecode(part.substr(eq + 1));
    if (!name.has_value() || !value.has_value()) {
      return Status(Code::kInvalidArgument, "aws.sigv4_bad_query",
                    "the query string has a '%' that is not followed by two hex digits");
    }
    params.push_back({std::move(*name), std::move(*value)});
  }
  return params;
}

std::string CanonicalQueryString(const std::vector<QueryParam>& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const QueryParam& p : params) {
    encoded.emplace_back(UriEncode(p.name, true), UriEncode(p.value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

CanonicalHeaders BuildCanonicalHeaders(const net::HttpHeaders& headers) {
  // Stable sort keeps repeated headers in their original order.
  std::vector<std::pair<std::string, std::string>> lowered;
  lowered.reserve(headers.size());
  for (const net::HttpHeader& h : headers) {
    lowered.emplace_back(AsciiLower(h.name), CanonicalHeaderValue(h.value));
  }
  std::stable_sort(lowered.begin(), lowered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (size_t i = 0; i < lowered.size(); ++i) {
    const bool repeat = i > 0 && lowered[i].first == lowered[i - 1].first;
    if (repeat) {
      out.block.pop_back();  // the '\n' of the previous value
      out.block += ',' + lowered[i].second + '\n';
      continue;
    }
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += lowered[i].first;
    out.block += lowered[i].first + ':' + lowered[i].second + '\n';
  }
  return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query,
                             const CanonicalHeaders& canonical_headers,
                             std::string_view payload_hash) {
  std::string out;
  out.reserve(256 + canonical_headers.block.size());
  out.append(method).append("\n");
  out.append(canonical_uri).append("\n");
  out.append(canonical_query).append("\n");
  out.append(canonical_headers.block).append("\n");
  out.append(canonical_headers.signed_headers).append("\n");
  out.append(payload_hash);
  return out;
}

std::string CredentialScope(std::string_view date8, std::string_view region,
                            std::string_view service) {
  std::string out(date8);
  out.append("/").append(region).append("/").append(service).append("/aws4_request");
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view credential_scope,
                         std::string_view canonical_request) {
  std::string out(kSigV4Algorithm);
  out.append("\n").append(amz_date).append("\n").append(credential_scope).append("\n");
  out.append(HexEncode(Sha256(canonical_request)));
  return out;
}

std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date8,
                             std::string_view region, std::string_view service) {
  std::string key = HmacSha256("AWS4" + std::string(secret_access_key), date8);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  return HmacSha256(key, "aws4_request");
}

std::string ComputeSignature(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

std::string AuthorizationHeader(std::string_view access_key_id, std::string_view credential_scope,
                                std::string_view signed_headers, std::string_view signature) {
  std::string out(kSigV4Algorithm);
  out.append(" Credential=").append(access_key_id).append("/").append(credential_scope);
  out.append(", SignedHeaders=").append(signed_headers);
  out.append(", Signature=").append(signature);
  return out;
}

Result<SignedRequest> SignWithHeaders(const SignableRequest& request, const SigningParams& params) {
  WIFGATE_RETURN_IF_ERROR(CheckInputs(request, params));
  WIFGATE_ASSIGN_OR_RETURN(std::vector<QueryParam> query, ParseQuery(request.query));

  SignedRequest out;
  out.request = request;
  out.amz_date = FormatAmzDate(params.time);
  out.credential_scope = CredentialScope(out.amz_date.substr(0, 8), params.region, params.service);
  const std::string payload_hash = PayloadHash(request, params);
  const std::string& token = params.credentials.session_token;

  net::HttpHeaders& headers = out.request.headers;
  headers.push_back({"x-amz-date", out.amz_date});
  net::HttpHeaders to_sign = headers;
  if (!token.empty()) {
    headers.push_back({"x-amz-security-token", token});
    if (!params.omit_session_token) to_sign.push_back(headers.back());
  }
  if (params.add_content_sha256_header) {
    headers.push_back({"x-amz-content-sha256", payload_hash});
    to_sign.push_back(headers.back());
  }

  const CanonicalHeaders canonical = BuildCanonicalHeaders(to_sign);
  out.signed_headers = canonical.signed_headers;
  out.canonical_request =
      CanonicalRequest(request.method, CanonicalUri(request.path, params.normalize_path),
                       CanonicalQueryString(query), canonical, payload_hash);
  FinishSignature(params, out);
  out.authorization = AuthorizationHeader(params.credentials.access_key_id, out.credential_scope,
                                          out.signed_headers, out.signature);
  headers.push_back({"authorization", out.authorization});
  return out;
}

Result<SignedRequest> Presign(const SignableRequest& request, const SigningParams& params) {
  WIFGATE_RETURN_IF_ERROR(CheckInputs(request, params));
  WIFGATE_ASSIGN_OR_RETURN(std::vector<QueryParam> query, ParseQuery(request.query));

  SignedRequest out;
  out.request = request;
  out.amz_date = FormatAmzDate(params.time);
  out.credential_scope = CredentialScope(out.amz_date.substr(0, 8), params.region, params.service);
  const CanonicalHeaders canonical = BuildCanonicalHeaders(request.headers);
  out.signed_headers = canonical.signed_headers;
  const std::string credential = params.credentials.access_key_id + "/" + out.credential_scope;
  const std::string expires = std::to_string(params.expires.count());
  const std::string& token = params.credentials.session_token;

  query.push_back({"X-Amz-Algorithm", std::string(kSigV4Algorithm)});
  query.push_back({"X-Amz-Credential", credential});
  query.push_back({"X-Amz-Date", out.amz_date});
  query.push_back({"X-Amz-SignedHeaders", out.signed_headers});
  query.push_back({"X-Amz-Expires", expires});
  if (!token.empty() && !params.omit_session_token) {
    query.push_back({"X-Amz-Security-Token", token});
  }
  out.canonical_request =
      CanonicalRequest(request.method, CanonicalUri(request.path, params.normalize_path),
                       CanonicalQueryString(query), canonical, PayloadHash(request, params));
  FinishSignature(params, out);

  // The original query stays as it was written; the signing parameters follow it.
  std::string& q = out.request.query;
  auto append = [&q](const std::string& param) {
    if (!q.empty()) q += '&';
    q += param;
  };
  append(Param("X-Amz-Algorithm", kSigV4Algorithm));
  append(Param("X-Amz-Credential", credential));
  append(Param("X-Amz-Date", out.amz_date));
  append(Param("X-Amz-SignedHeaders", out.signed_headers));
  append(Param("X-Amz-Expires", expires));
  if (!token.empty()) append(Param("X-Amz-Security-Token", token));
  append(Param("X-Amz-Signature", out.signature));
  return out;
}

}  // namespace wifgate::aws
