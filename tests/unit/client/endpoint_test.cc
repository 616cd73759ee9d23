#include "client/endpoint.h"

#include <gtest/gtest.h>

#include "client/host_allowlist.h"
#include "fake_env.h"

namespace wifgate::client {
namespace {

TEST(EndpointTest, AccountAloneIsTheSnowflakeHost) {
  auto e = ResolveEndpoint("", "myorg-myaccount");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->base_url, "https://myorg-myaccount.snowflakecomputing.com");
  EXPECT_EQ(e->account_name, "myorg-myaccount");
}

TEST(EndpointTest, RegionalAccountKeepsTheRegionInTheHostOnly) {
  auto e = ResolveEndpoint("", "xy12345.us-east-2.aws");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->base_url, "https://xy12345.us-east-2.aws.snowflakecomputing.com");
  EXPECT_EQ(e->account_name, "xy12345");
}

TEST(EndpointTest, ChinaRegionsUseTheCnDomain) {
  auto e = ResolveEndpoint("", "xy12345.cn-north-1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->base_url, "https://xy12345.cn-north-1.snowflakecomputing.cn");
}

TEST(EndpointTest, PrivatelinkAndUnderscores) {
  auto e = ResolveEndpoint("", "MyOrg_Acct.us-east-1.privatelink");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->base_url, "https://myorg-acct.us-east-1.privatelink.snowflakecomputing.com");
  EXPECT_EQ(e->account_name, "MyOrg_Acct");
}

TEST(EndpointTest, ExplicitUrlWins) {
  auto e = ResolveEndpoint("http://127.0.0.1:8080/", "testacct");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(e->url.host, "127.0.0.1");
  EXPECT_EQ(e->account_name, "testacct");
  EXPECT_EQ(ResolveEndpoint("https://sf.example.com:443", "a")->base_url, "https://sf.example.com");
}

TEST(EndpointTest, RefusesBadAccountsAndUrls) {
  EXPECT_EQ(ResolveEndpoint("", "").status().reason(), "client.bad_account");
  EXPECT_EQ(ResolveEndpoint("", "evil.com/x").status().reason(), "client.bad_account");
  EXPECT_EQ(ResolveEndpoint("", "a..b").status().reason(), "client.bad_account");
  EXPECT_EQ(ResolveEndpoint("https://h.example/path", "a").status().reason(), "client.bad_url");
  EXPECT_EQ(ResolveEndpoint("https://u@h.example", "a").status().reason(), "net.bad_url");
  EXPECT_EQ(ResolveEndpoint("ftp://h.example", "a").status().reason(), "net.bad_url");
}

net::ParsedUrl Url(std::string_view url) { return *net::ParseHttpUrl(url); }

TEST(HostAllowlistTest, SnowflakeDomainsOnLabelBoundaries) {
  EXPECT_TRUE(CheckAttestationDestination(Url("https://a.snowflakecomputing.com"), {}).ok());
  EXPECT_TRUE(
      CheckAttestationDestination(Url("https://a.b.privatelink.snowflakecomputing.com"), {}).ok());
  EXPECT_TRUE(
      CheckAttestationDestination(Url("https://a.cn-north-1.snowflakecomputing.cn"), {}).ok());
  EXPECT_EQ(CheckAttestationDestination(Url("https://evilsnowflakecomputing.com"), {}).reason(),
            "client.wif_host_not_allowed");
  EXPECT_EQ(CheckAttestationDestination(Url("https://snowflakecomputing.com.evil.io"), {}).reason(),
            "client.wif_host_not_allowed");
  EXPECT_EQ(CheckAttestationDestination(Url("https://127.0.0.1"), {}).reason(),
            "client.wif_host_not_allowed");
}

TEST(HostAllowlistTest, ApplicationEntriesAddHosts) {
  testing::FakeEnv env;
  env.vars["SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES"] = " .corp.example , 127.0.0.1";
  auto entries = AllowedHostEntries({"wifgate.internal"}, env);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_TRUE(CheckAttestationDestination(Url("https://wifgate.internal"), entries).ok());
  EXPECT_TRUE(CheckAttestationDestination(Url("https://db.corp.example"), entries).ok());
  EXPECT_TRUE(CheckAttestationDestination(Url("http://127.0.0.1:9000"), entries).ok());
  EXPECT_FALSE(CheckAttestationDestination(Url("https://xcorp.example"), entries).ok());
  EXPECT_FALSE(CheckAttestationDestination(Url("https://127.0.0.2"), entries).ok());
}

TEST(HostAllowlistTest, PlainHttpOnlyToLoopback) {
  std::vector<std::string> entries = {"wifgate.internal"};
  EXPECT_EQ(CheckAttestationDestination(Url("http://wifgate.internal"), entries).reason(),
            "client.wif_insecure_transport");
  EXPECT_EQ(CheckAttestationDestination(Url("http://a.snowflakecomputing.com"), {}).reason(),
            "client.wif_insecure_transport");
}

}  // namespace
}  // namespace wifgate::client
