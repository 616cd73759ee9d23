#include "verify/aws_authorization.h"

#include "common/strings.h"

namespace wifgate::verify {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256 ";
constexpr size_t kMaxAccessKeyIdLength = 128;  // IAM's documented maximum
constexpr size_t kMaxSignedHeaders = 16;

Status Invalid(std::string_view what) {
  return Status(Code::kInvalidArgument, "aws.authorization_invalid",
                "the attestation's Authorization header is not a SigV4 GetCallerIdentity "
                "signature: " +
                    std::string(what) +
                    ". The client must sign with AWS4-HMAC-SHA256 for service sts.",
                "invalid AWS attestation: malformed Authorization header");
}

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

bool IsAccessKeyId(std::string_view s) {
  // IAM's keys are 16+ characters; the SigV4 test suite's AKIDEXAMPLE is 11.
  if (s.size() < 4 || s.size() > kMaxAccessKeyIdLength) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// Region names: lower-case letters, digits and inner dashes.
bool IsRegion(std::string_view s) {
  if (s.empty() || s.size() > 32 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool IsHeaderNameLower(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Consumes `prefix` from the front of `s`; false when absent.
bool Consume(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

}  // namespace

std::string SigV4Authorization::Format() const {
  return std::string(kAlgorithm) + "Credential=" + access_key_id + "/" + date + "/" + region + "/" +
         service + "/aws4_request, SignedHeaders=" + Join(signed_headers, ";") +
         ", Signature=" + signature;
}

Result<SigV4Authorization> ParseSigV4Authorization(std::string_view value) {
  std::string_view s = value;
  if (!Consume(s, kAlgorithm)) return Invalid("it does not start with 'AWS4-HMAC-SHA256 '");
  if (!Consume(s, "Credential=")) return Invalid("Credential= must come first");
  size_t end = s.find(", ");
  if (end == std::string_view::npos) return Invalid("SignedHeaders= is missing");
  std::string_view credential = s.substr(0, end);
  s.remove_prefix(end + 2);

  auto scope = Split(credential, '/');
  if (scope.size() != 5) return Invalid("the credential is not AKID/DATE/REGION/sts/aws4_request");
  SigV4Authorization out;
  if (!IsAccessKeyId(scope[0])) return Invalid("the access key id is not 4-128 of A-Z 0-9");
  if (scope[1].size() != 8 || !IsDigits(scope[1])) return Invalid("the scope date is not YYYYMMDD");
  if (!IsRegion(scope[2])) return Invalid("the scope region is not a region name");
  if (scope[3] != "sts") return Invalid("the scope service is not sts");
  if (scope[4] != "aws4_request") return Invalid("the scope does not end in aws4_request");
  out.access_key_id = std::string(scope[0]);
  out.date = std::string(scope[1]);
  out.region = std::string(scope[2]);
  out.service = std::string(scope[3]);

  if (!Consume(s, "SignedHeaders=")) return Invalid("SignedHeaders= must come second");
  end = s.find(", ");
  if (end == std::string_view::npos) return Invalid("Signature= is missing");
  std::string_view names = s.substr(0, end);
  s.remove_prefix(end + 2);
  for (auto name : Split(names, ';')) {
    if (!IsHeaderNameLower(name)) return Invalid("a SignedHeaders entry is not a lower-case name");
    if (!out.signed_headers.empty() && out.signed_headers.back() >= name) {
      return Invalid("SignedHeaders is not sorted and free of duplicates");
    }
    out.signed_headers.emplace_back(name);
  }
  if (out.signed_headers.size() > kMaxSignedHeaders) return Invalid("too many signed headers");

  if (!Consume(s, "Signature=")) return Invalid("Signature= must come third");
  if (s.size() != 64 || !IsLowerHex(s)) return Invalid("the signature is not 64 lower-case hex");
  out.signature = std::string(s);
  return out;
}

}  // namespace wifgate::verify
