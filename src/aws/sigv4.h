// AWS Signature Version 4: the one signer for header-signed requests (Authorization header)
// and presigned requests (X-Amz-* query parameters), and the building blocks it is made of.
//
// The building blocks (canonical URI, query and headers, canonical request, string to sign,
// signing key, signature) are public so that the verifying side (the dev STS) recomputes a
// signature with exactly the code that produced it. The signer passes every case of the
// official suite in testdata/aws-sigv4 (tests/unit/aws/sigv4_suite_test.cc) and agrees with
// @smithy/signature-v4, the signer inside the official Node connector (tests/e2e).
//
// Inputs are taken as bytes, never re-interpreted: a path is encoded exactly once (so a path
// that arrives already percent-encoded ends up double-encoded, as AWS requires for every
// service but S3), and query parameters are compared in their decoded form.
#ifndef WIFGATE_AWS_SIGV4_H_
#define WIFGATE_AWS_SIGV4_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "net/http.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::aws {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
// Hex SHA-256 of the empty string: the payload hash of a request without a body.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// ---- URI encoding (RFC 3986 unreserved characters stay; everything else is %XX, upper hex).

std::string UriEncode(std::string_view bytes, bool encode_slash);
// Strict percent-decoding: a '%' not followed by two hex digits is an error. '+' stays '+'.
std::optional<std::string> PercentDecode(std::string_view text);

// ---- Canonical request parts.

// The path, encoded once per byte ('/' kept); with `normalize`, "." and ".." segments are
// resolved and empty segments dropped first (every service but S3 normalizes).
std::string CanonicalUri(std::string_view path, bool normalize);

struct QueryParam {
  std::string name;   // decoded
  std::string value;  // decoded
};
// Splits a raw query string ("a=1&b=%20", no leading '?') into decoded parameters. A
// parameter without '=' has an empty value. Fails with aws.sigv4_bad_query on bad escapes.
Result<std::vector<QueryParam>> ParseQuery(std::string_view raw_query);
// Encodes each name and value and sorts by encoded name, then encoded value.
std::string CanonicalQueryString(const std::vector<QueryParam>& params);

struct CanonicalHeaders {
  std::string block;           // "name:value\n" per header, sorted by lower-case name
  std::string signed_headers;  // "host;x-amz-date"
};
// Lower-cases names, trims values and collapses whitespace runs (folded lines included) to
// one space; repeated headers are joined with ',' in their original order.
CanonicalHeaders BuildCanonicalHeaders(const net::HttpHeaders& headers);

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query,
                             const CanonicalHeaders& canonical_headers,
                             std::string_view payload_hash);

// "20150830/us-east-1/service/aws4_request".
std::string CredentialScope(std::string_view date8, std::string_view region,
                            std::string_view service);
std::string StringToSign(std::string_view amz_date, std::string_view credential_scope,
                         std::string_view canonical_request);
// The raw 32-byte key: HMAC chain over date, region, service and "aws4_request".
std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date8,
                             std::string_view region, std::string_view service);
// Lower-case hex HMAC-SHA256 of the string to sign.
std::string ComputeSignature(std::string_view signing_key, std::string_view string_to_sign);

// ---- The signer.

struct SigningParams {
  Credentials credentials;
  std::string region;
  std::string service;
  SystemTime time;
  bool normalize_path = true;
  // Attach the session token after signing instead of signing it (a few services want that).
  bool omit_session_token = false;
  // Header signing only: add and sign x-amz-content-sha256.
  bool add_content_sha256_header = false;
  // Presigning only: X-Amz-Expires.
  std::chrono::seconds expires{3600};
  // Overrides the hex SHA-256 of the body (e.g. "UNSIGNED-PAYLOAD").
  std::optional<std::string> payload_hash;
};

// A request as the signer sees it. `headers` are signed, all of them, in the given order;
// they must include Host.
struct SignableRequest {
  std::string method;
  std::string path;   // as it goes on the request line, before the '?'
  std::string query;  // raw, without the '?'; may be empty
  net::HttpHeaders headers;
  std::string body;
};

struct SignedRequest {
  // The request with its signature: for header signing, `headers` gains (in this order, with
  // these lower-case names, as @smithy/signature-v4 adds them) x-amz-date,
  // x-amz-security-token, x-amz-content-sha256 and authorization; for presigning, `query`
  // gains the X-Amz-* parameters.
  SignableRequest request;
  std::string amz_date;
  std::string credential_scope;
  std::string signed_headers;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;  // header signing only
};

// Failures: aws.sigv4_bad_request (no method, no Host, a header the signer owns already
// present), aws.sigv4_bad_params (missing keys, region or service), aws.sigv4_bad_query.
Result<SignedRequest> SignWithHeaders(const SignableRequest& request, const SigningParams& params);
Result<SignedRequest> Presign(const SignableRequest& request, const SigningParams& params);

// The value of the Authorization header for the given parts.
std::string AuthorizationHeader(std::string_view access_key_id, std::string_view credential_scope,
                                std::string_view signed_headers, std::string_view signature);

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_SIGV4_H_
