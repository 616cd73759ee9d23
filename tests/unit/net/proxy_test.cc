#include "net/proxy.h"

#include <gtest/gtest.h>

#include "fake_env.h"

namespace wifgate::net {
namespace {

ParsedUrl Url(const char* url) {
  Result<ParsedUrl> parsed = ParseHttpUrl(url);
  EXPECT_TRUE(parsed.ok()) << url;
  return parsed.ok() ? *parsed : ParsedUrl{};
}

TEST(NoProxyMatchesTest, Wildcard) {
  EXPECT_TRUE(NoProxyMatches("*", Url("https://anything.example/")));
}

TEST(NoProxyMatchesTest, DomainMatchesItselfAndSubdomainsOnly) {
  EXPECT_TRUE(NoProxyMatches("example.com", Url("https://example.com/")));
  EXPECT_TRUE(NoProxyMatches("example.com", Url("https://a.b.example.com/")));
  EXPECT_FALSE(NoProxyMatches("example.com", Url("https://badexample.com/")));
  EXPECT_FALSE(NoProxyMatches("example.com", Url("https://example.com.evil/")));
}

TEST(NoProxyMatchesTest, LeadingDotSuffix) {
  EXPECT_TRUE(NoProxyMatches(".internal", Url("https://sts.internal/")));
  EXPECT_TRUE(NoProxyMatches(".internal", Url("https://internal/")));
  EXPECT_FALSE(NoProxyMatches(".internal", Url("https://notinternal/")));
}

TEST(NoProxyMatchesTest, ListsPortsIpsAndCase) {
  const char* list = "foo.test, 10.1.2.3 ,Example.ORG:8443\tother";
  EXPECT_TRUE(NoProxyMatches(list, Url("https://foo.test/")));
  EXPECT_TRUE(NoProxyMatches(list, Url("http://10.1.2.3/")));
  EXPECT_FALSE(NoProxyMatches(list, Url("http://10.1.2.30/")));
  EXPECT_TRUE(NoProxyMatches(list, Url("https://www.example.org:8443/")));
  EXPECT_FALSE(NoProxyMatches(list, Url("https://www.example.org/")));
  EXPECT_TRUE(NoProxyMatches(list, Url("https://other/")));
  EXPECT_FALSE(NoProxyMatches("", Url("https://foo.test/")));
  EXPECT_FALSE(NoProxyMatches(",,", Url("https://foo.test/")));
  EXPECT_TRUE(NoProxyMatches("[::1]:443", Url("https://[::1]/")));
}

TEST(ChooseProxyTest, NoVariablesMeansDirect) {
  testing::FakeEnv env;
  Result<std::optional<ProxyRoute>> route = ChooseProxy(env, Url("https://sts.amazonaws.com/"));
  ASSERT_TRUE(route.ok());
  EXPECT_FALSE(route->has_value());
}

TEST(ChooseProxyTest, HttpsUsesHttpsProxyAndLowerCaseWins) {
  testing::FakeEnv env;
  env.vars["HTTPS_PROXY"] = "http://upper.proxy:3128";
  env.vars["HTTP_PROXY"] = "http://plain.proxy:3128";
  Result<std::optional<ProxyRoute>> route = ChooseProxy(env, Url("https://sts.amazonaws.com/"));
  ASSERT_TRUE(route.ok());
  ASSERT_TRUE(route->has_value());
  EXPECT_EQ((*route)->proxy.HostPort(), "upper.proxy:3128");

  env.vars["https_proxy"] = "lower.proxy:8080";
  route = ChooseProxy(env, Url("https://sts.amazonaws.com/"));
  ASSERT_TRUE(route.ok() && route->has_value());
  EXPECT_EQ((*route)->proxy.HostPort(), "lower.proxy:8080");
  EXPECT_TRUE((*route)->proxy_authorization.empty());

  route = ChooseProxy(env, Url("http://example.com/"));
  ASSERT_TRUE(route.ok() && route->has_value());
  EXPECT_EQ((*route)->proxy.HostPort(), "plain.proxy:3128");
}

TEST(ChooseProxyTest, DefaultsPortTo80AndEncodesCredentials) {
  testing::FakeEnv env;
  env.vars["HTTPS_PROXY"] = "http://alice:s%3Acret@proxy.corp";
  Result<std::optional<ProxyRoute>> route = ChooseProxy(env, Url("https://example.com/"));
  ASSERT_TRUE(route.ok() && route->has_value()) << route.status().ToString();
  EXPECT_EQ((*route)->proxy.HostPort(), "proxy.corp:80");
  EXPECT_EQ((*route)->proxy_authorization, "Basic YWxpY2U6czpjcmV0");  // alice:s:cret
}

TEST(ChooseProxyTest, NoProxyAndLoopbackBypass) {
  testing::FakeEnv env;
  env.vars["HTTPS_PROXY"] = "http://proxy.corp:3128";
  env.vars["NO_PROXY"] = ".internal";
  for (const char* direct : {"https://sts.internal/", "https://127.0.0.1:8443/",
                             "https://localhost/", "https://[::1]/"}) {
    Result<std::optional<ProxyRoute>> route = ChooseProxy(env, Url(direct));
    ASSERT_TRUE(route.ok());
    EXPECT_FALSE(route->has_value()) << direct;
  }
  Result<std::optional<ProxyRoute>> route = ChooseProxy(env, Url("https://sts.amazonaws.com/"));
  ASSERT_TRUE(route.ok());
  EXPECT_TRUE(route->has_value());
}

TEST(ChooseProxyTest, MalformedProxyFailsWithoutEchoingIt) {
  for (const char* bad : {"https://proxy.corp:3128", "socks5://proxy.corp:1080",
                          "http://proxy.corp:3128/path", "http://user:hunter2@", "http://:99"}) {
    testing::FakeEnv env;
    env.vars["HTTPS_PROXY"] = bad;
    Result<std::optional<ProxyRoute>> route = ChooseProxy(env, Url("https://example.com/"));
    ASSERT_FALSE(route.ok()) << bad;
    EXPECT_EQ(route.status().reason(), "net.bad_proxy");
    EXPECT_EQ(route.status().message().find("hunter2"), std::string::npos);
  }
}

}  // namespace
}  // namespace wifgate::net
