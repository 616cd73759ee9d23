// The credentials chain and region resolution against FakeEnv and FakeHttpClient: every
// endpoint is a fake, nothing leaves the process.
#include "aws/credential_chain.h"

#include <gtest/gtest.h>

#include "aws/region.h"
#include "fake_env.h"

namespace wifgate::aws {
namespace {

using wifgate::testing::FakeEnv;
using wifgate::testing::FakeHttpClient;

constexpr char kCredsJson[] =
    R"({"Code":"Success","AccessKeyId":"ASIAMETA","SecretAccessKey":"metasecret",)"
    R"("Token":"metatoken","Expiration":"2015-08-30T18:00:00Z"})";

std::string AssumeRoleXml(const std::string& action, const std::string& key) {
  return "<" + action + "Response><" + action +
         "Result><AssumedRoleUser><Arn>arn:aws:sts::1:"
         "assumed-role/r/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>" +
         key +
         "</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
         "<Expiration>2015-08-30T13:36:00Z</Expiration></Credentials></" +
         action + "Result></" + action + "Response>";
}

class ChainTest : public ::testing::Test {
 protected:
  ChainTest() {
    options_.region = "us-east-1";
    options_.metadata.container_relative_base = "http://127.0.0.1:9911";
    options_.metadata.imds = "http://127.0.0.1:9912";
  }
  Result<ResolvedCredentials> Resolve() { return ResolveCredentials(env_, http_, options_); }

  FakeEnv env_;
  FakeHttpClient http_;
  CredentialChainOptions options_;
};

TEST_F(ChainTest, EnvironmentFirst) {
  env_.vars = {{"AWS_ACCESS_KEY_ID", "AKID"},
               {"AWS_SECRET_ACCESS_KEY", "SECRET"},
               {"AWS_SESSION_TOKEN", "TOKEN"}};
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->credentials.access_key_id, "AKID");
  EXPECT_EQ(r->credentials.session_token, "TOKEN");
  EXPECT_EQ(r->source, "environment (AWS_ACCESS_KEY_ID)");
  EXPECT_TRUE(http_.requests.empty());
}

TEST_F(ChainTest, PartialEnvironmentStopsTheChain) {
  env_.vars = {{"AWS_ACCESS_KEY_ID", "AKID"}};
  auto r = Resolve();
  EXPECT_EQ(r.status().reason(), "aws.partial_credentials");
  EXPECT_TRUE(http_.requests.empty());
}

TEST_F(ChainTest, WebIdentityCallsAssumeRoleWithWebIdentityUnsigned) {
  env_.vars = {{"AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"},
               {"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"},
               {"AWS_ROLE_SESSION_NAME", "pod"},
               {"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9"}};
  env_.files["/var/run/token"] = "eyJ.token.sig\n";
  options_.sts_endpoint_override = "http://127.0.0.1:9913";
  http_.Respond(200, AssumeRoleXml("AssumeRoleWithWebIdentity", "ASIAWEB"));
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->credentials.access_key_id, "ASIAWEB");
  ASSERT_EQ(http_.requests.size(), 1u);
  const net::HttpRequest& req = http_.requests[0];
  EXPECT_EQ(req.url, "http://127.0.0.1:9913/");
  EXPECT_TRUE(req.body.ends_with("&WebIdentityToken=eyJ.token.sig")) << req.body;
  EXPECT_NE(req.body.find("RoleSessionName=pod"), std::string::npos);
  EXPECT_FALSE(net::FindHeader(req.headers, "authorization").has_value());
}

TEST_F(ChainTest, WebIdentityFailureNamesTheSourceAndTheFix) {
  env_.vars = {{"AWS_WEB_IDENTITY_TOKEN_FILE", "/missing"}, {"AWS_ROLE_ARN", "arn"}};
  auto r = Resolve();
  EXPECT_EQ(r.status().reason(), "aws.web_identity_token_unreadable");
  EXPECT_NE(r.status().message().find("web identity (arn)"), std::string::npos);
  EXPECT_NE(r.status().message().find("1. environment"), std::string::npos);
}

TEST_F(ChainTest, SharedCredentialsFileStaticKeys) {
  env_.vars = {{"AWS_PROFILE", "dev"}};
  env_.files["/home/test/.aws/credentials"] =
      "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = x\n"
      "# comment\n[dev]\naws_access_key_id=AKIADEV\naws_secret_access_key=y\n";
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->credentials.access_key_id, "AKIADEV");
  EXPECT_EQ(r->source, "profile dev");
}

TEST_F(ChainTest, RoleArnWithSourceProfileAssumesTheRoleSigned) {
  env_.vars = {{"AWS_PROFILE", "app"},
               {"AWS_CONFIG_FILE", "/cfg"},
               {"AWS_SHARED_CREDENTIALS_FILE", "/creds"}};
  env_.files["/cfg"] =
      "[profile app]\nrole_arn = arn:aws:iam::1:role/app\nsource_profile = base\n"
      "role_session_name = s1\ns3 =\n  max_concurrent_requests = 2\n[sso-session x]\nk = v\n";
  env_.files["/creds"] = "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n";
  options_.sts_endpoint_override = "http://127.0.0.1:9913";
  http_.Respond(200, AssumeRoleXml("AssumeRole", "ASIAAPP"));
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->credentials.access_key_id, "ASIAAPP");
  ASSERT_EQ(http_.requests.size(), 1u);
  auto auth = net::FindHeader(http_.requests[0].headers, "authorization");
  ASSERT_TRUE(auth.has_value());
  EXPECT_NE(auth->find("Credential=AKIABASE/20150830/us-east-1/sts/aws4_request"),
            std::string::npos);
  EXPECT_NE(http_.requests[0].body.find("RoleSessionName=s1"), std::string::npos);
}

TEST_F(ChainTest, ProfileCycleAndMissingProfileAreErrors) {
  env_.vars = {{"AWS_PROFILE", "a"}};
  env_.files["/home/test/.aws/config"] =
      "[profile a]\nrole_arn=x\nsource_profile=b\n[profile b]\nrole_arn=y\nsource_profile=a\n";
  EXPECT_EQ(Resolve().status().reason(), "aws.profile_cycle");
  env_.vars = {{"AWS_PROFILE", "nope"}};
  EXPECT_EQ(Resolve().status().reason(), "aws.profile_not_found");
}

TEST_F(ChainTest, MalformedSharedFileNamesPathAndLine) {
  env_.files["/home/test/.aws/credentials"] = "[default]\nthis line has no equals\n";
  auto r = Resolve();
  EXPECT_EQ(r.status().reason(), "aws.bad_shared_config");
  EXPECT_NE(r.status().message().find("/home/test/.aws/credentials line 2"), std::string::npos);
}

TEST_F(ChainTest, ContainerRelativeUriWithTokenFile) {
  env_.vars = {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
               {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/tok"},
               {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored"}};
  env_.files["/tok"] = "pod-token\n";
  http_.Respond(200, kCredsJson);
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->credentials.access_key_id, "ASIAMETA");
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].url, "http://127.0.0.1:9911/v2/credentials/abc");
  EXPECT_EQ(net::FindHeader(http_.requests[0].headers, "authorization").value(), "pod-token");
  EXPECT_FALSE(http_.options[0].use_proxy);
}

TEST_F(ChainTest, ContainerFullUriMustBeLoopbackOrHttps) {
  env_.vars = {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://attacker.example/creds"},
               {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-token"}};
  auto r = Resolve();
  EXPECT_EQ(r.status().reason(), "aws.bad_container_uri");
  EXPECT_TRUE(http_.requests.empty());
  EXPECT_EQ(r.status().message().find("secret-token"), std::string::npos);
  env_.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:9914/creds";
  http_.Respond(200, kCredsJson);
  EXPECT_TRUE(Resolve().ok());
}

TEST_F(ChainTest, InstanceMetadataUsesImdsV2) {
  env_.vars = {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9915/"}};
  http_.Respond(200, "imds-token");
  http_.Respond(200, "web-role\n");
  http_.Respond(200, kCredsJson);
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->source, "instance metadata (role web-role)");
  ASSERT_EQ(http_.requests.size(), 3u);
  EXPECT_EQ(http_.requests[0].method, "PUT");
  EXPECT_EQ(http_.requests[0].url, "http://127.0.0.1:9915/latest/api/token");
  EXPECT_EQ(http_.requests[2].url,
            "http://127.0.0.1:9915/latest/meta-data/iam/security-credentials/web-role");
  EXPECT_EQ(net::FindHeader(http_.requests[2].headers, "x-aws-ec2-metadata-token").value(),
            "imds-token");
  EXPECT_LE(http_.options[0].timeout.count(), 2000);
}

TEST_F(ChainTest, NothingConfiguredListsEverySource) {
  // No handler queued: the metadata "host" is unreachable, as off EC2.
  auto r = Resolve();
  EXPECT_EQ(r.status().reason(), "aws.no_credentials");
  const std::string m = r.status().message();
  for (const char* source : {"1. environment", "2. web identity", "3. shared files", "4. container",
                             "5. instance metadata", "Fix:"}) {
    EXPECT_NE(m.find(source), std::string::npos) << source << "\n" << m;
  }
  EXPECT_NE(m.find("did not answer"), std::string::npos) << m;
}

TEST_F(ChainTest, ExpiredCredentialsAreRefused) {
  env_.vars = {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}};
  env_.now = SystemTime{std::chrono::seconds{1440962000}};  // after 18:00 on 2015-08-30
  http_.Respond(200, kCredsJson);
  auto r = Resolve();
  EXPECT_EQ(r.status().reason(), "aws.credentials_expired");
  EXPECT_EQ(r.status().message().find("metasecret"), std::string::npos);
}

TEST(RegionTest, OrderOfSources) {
  FakeEnv env;
  FakeHttpClient http;
  MetadataEndpoints endpoints;
  endpoints.imds = "http://127.0.0.1:9916";
  SharedConfig config;
  config.profiles["default"]["region"] = "eu-west-1";
  env.vars = {{"AWS_REGION", "us-west-2"}, {"AWS_DEFAULT_REGION", "us-east-2"}};
  EXPECT_EQ(ResolveRegion(env, &config, nullptr)->source, "AWS_REGION");
  env.vars.erase("AWS_REGION");
  EXPECT_EQ(ResolveRegion(env, &config, nullptr)->region, "us-east-2");
  env.vars.clear();
  EXPECT_EQ(ResolveRegion(env, &config, nullptr)->region, "eu-west-1");
  config.profiles.clear();
  InstanceMetadata imds(env, http, endpoints);
  http.Respond(200, "tok");
  http.Respond(200, "ap-south-1");
  auto r = ResolveRegion(env, &config, &imds);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->region, "ap-south-1");
  EXPECT_EQ(http.requests[1].url, "http://127.0.0.1:9916/latest/meta-data/placement/region");
}

TEST(RegionTest, NoRegionAndBadRegion) {
  FakeEnv env;
  FakeHttpClient http;
  MetadataEndpoints endpoints;
  endpoints.imds = "http://127.0.0.1:9916";
  InstanceMetadata imds(env, http, endpoints);
  auto none = ResolveRegion(env, nullptr, &imds);
  EXPECT_EQ(none.status().reason(), "aws.no_region");
  EXPECT_NE(none.status().message().find("set AWS_REGION"), std::string::npos);
  env.vars = {{"AWS_REGION", "Mars"}};
  EXPECT_EQ(ResolveRegion(env, nullptr, nullptr).status().reason(), "aws.bad_region");
}

TEST(RegionTest, MetadataCanBeDisabled) {
  FakeEnv env;
  FakeHttpClient http;
  env.vars = {{"AWS_EC2_METADATA_DISABLED", "true"}};
  InstanceMetadata imds(env, http, MetadataEndpoints{});
  EXPECT_EQ(ResolveRegion(env, nullptr, &imds).status().reason(), "aws.no_region");
  EXPECT_TRUE(http.requests.empty());
}

}  // namespace
}  // namespace wifgate::aws
