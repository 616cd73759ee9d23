// Runs every case of the official SigV4 suite (testdata/aws-sigv4, from aws-c-auth) through
// the signer, for header signing and for presigning: canonical request, string to sign,
// signature and signed request must all match.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/sigv4.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace wifgate::aws {
namespace {

const std::filesystem::path kSuiteDir =
    std::filesystem::path(WIFGATE_SHARED_DIR) / "testdata" / "aws-sigv4";

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// An HTTP/1.1 request in the suite's text form. Folded header lines (starting with
// whitespace) continue the previous header's value after a '\n'.
struct TextRequest {
  std::string method;
  std::string target;  // path[?query]
  net::HttpHeaders headers;
  std::string body;
};

TextRequest ParseTextRequest(const std::string& text) {
  TextRequest req;
  const size_t blank = text.find("\n\n");
  const std::string head = text.substr(0, blank);
  if (blank != std::string::npos) req.body = text.substr(blank + 2);
  std::vector<std::string_view> lines = Split(head, '\n');
  std::vector<std::string_view> first = Split(lines[0], ' ');
  req.method = std::string(first.front());
  // The target may contain spaces ("/example space/"): everything between the method and
  // the protocol.
  const size_t start = lines[0].find(' ') + 1;
  const size_t end = lines[0].rfind(' ');
  req.target = std::string(lines[0].substr(start, end - start));
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') {
      req.headers.back().value += "\n" + std::string(line);
      continue;
    }
    const size_t colon = line.find(':');
    req.headers.push_back(
        {std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
  }
  return req;
}

// Header order and name case carry no meaning in HTTP, and the suite's generator (aws-c-auth)
// and the official Node signer differ on both; everything else must match exactly.
std::vector<std::pair<std::string, std::string>> ComparableHeaders(const net::HttpHeaders& h) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& header : h) out.emplace_back(AsciiLower(header.name), header.value);
  std::sort(out.begin(), out.end());
  return out;
}

struct SuiteCase {
  std::string name;
  TextRequest request;
  SigningParams params;
  bool sign_body = false;
};

SuiteCase LoadCase(const std::string& name) {
  SuiteCase c;
  c.name = name;
  c.request = ParseTextRequest(ReadText(kSuiteDir / name / "request.txt"));
  auto context = ParseStrictJson(ReadText(kSuiteDir / name / "context.json"));
  EXPECT_TRUE(context.ok()) << context.status().ToString();
  const boost::json::object& ctx = context->as_object();
  const boost::json::object* creds = GetObject(ctx, "credentials");
  c.params.credentials.access_key_id = GetString(*creds, "access_key_id").value();
  c.params.credentials.secret_access_key = GetString(*creds, "secret_access_key").value();
  c.params.credentials.session_token = GetString(*creds, "token").value_or("");
  c.params.region = GetString(ctx, "region").value();
  c.params.service = GetString(ctx, "service").value();
  c.params.time = ParseRfc3339(GetString(ctx, "timestamp").value()).value();
  c.params.normalize_path = GetBool(ctx, "normalize").value();
  c.params.omit_session_token = GetBool(ctx, "omit_session_token").value_or(false);
  c.params.expires = std::chrono::seconds(GetInt(ctx, "expiration_in_seconds").value());
  c.sign_body = GetBool(ctx, "sign_body").value();
  return c;
}

SignableRequest ToSignable(const TextRequest& text) {
  SignableRequest req;
  req.method = text.method;
  const size_t q = text.target.find('?');
  req.path = text.target.substr(0, q);
  if (q != std::string::npos) req.query = text.target.substr(q + 1);
  req.headers = text.headers;
  req.body = text.body;
  return req;
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kSuiteDir)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SigV4SuiteTest : public ::testing::TestWithParam<std::string> {};

void ExpectSignedRequest(const SignedRequest& signed_request, const std::string& expected_file) {
  const TextRequest expected = ParseTextRequest(ReadText(expected_file));
  const SignableRequest& got = signed_request.request;
  EXPECT_EQ(got.method, expected.method);
  EXPECT_EQ(got.query.empty() ? got.path : got.path + "?" + got.query, expected.target);
  EXPECT_EQ(ComparableHeaders(got.headers), ComparableHeaders(expected.headers));
  EXPECT_EQ(got.body, expected.body);
}

TEST_P(SigV4SuiteTest, HeaderSigning) {
  SuiteCase c = LoadCase(GetParam());
  c.params.add_content_sha256_header = c.sign_body;
  auto signed_request = SignWithHeaders(ToSignable(c.request), c.params);
  ASSERT_TRUE(signed_request.ok()) << signed_request.status().ToString();
  const auto dir = kSuiteDir / c.name;
  EXPECT_EQ(signed_request->canonical_request, ReadText(dir / "header-canonical-request.txt"));
  EXPECT_EQ(signed_request->string_to_sign, ReadText(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(signed_request->signature, ReadText(dir / "header-signature.txt"));
  ExpectSignedRequest(*signed_request, dir / "header-signed-request.txt");
}

TEST_P(SigV4SuiteTest, Presigning) {
  SuiteCase c = LoadCase(GetParam());
  auto signed_request = Presign(ToSignable(c.request), c.params);
  ASSERT_TRUE(signed_request.ok()) << signed_request.status().ToString();
  const auto dir = kSuiteDir / c.name;
  EXPECT_EQ(signed_request->canonical_request, ReadText(dir / "query-canonical-request.txt"));
  EXPECT_EQ(signed_request->string_to_sign, ReadText(dir / "query-string-to-sign.txt"));
  EXPECT_EQ(signed_request->signature, ReadText(dir / "query-signature.txt"));
  ExpectSignedRequest(*signed_request, dir / "query-signed-request.txt");
}

INSTANTIATE_TEST_SUITE_P(AllCases, SigV4SuiteTest, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& case_info) {
                           std::string name = case_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Guards against a moved or emptied suite folder silently running no cases.
TEST(SigV4SuiteInventory, FindsEveryCase) { EXPECT_EQ(CaseNames().size(), 38u); }

}  // namespace
}  // namespace wifgate::aws
