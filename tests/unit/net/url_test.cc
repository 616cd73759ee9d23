#include "net/url.h"

#include <gtest/gtest.h>

namespace wifgate::net {
namespace {

TEST(ParseHttpUrlTest, DefaultsPortsAndTarget) {
  Result<ParsedUrl> http = ParseHttpUrl("http://Example.COM");
  ASSERT_TRUE(http.ok()) << http.status().ToString();
  EXPECT_FALSE(http->https);
  EXPECT_EQ(http->host, "example.com");
  EXPECT_EQ(http->port, 80);
  EXPECT_EQ(http->target, "/");
  EXPECT_FALSE(http->host_is_ip);

  Result<ParsedUrl> https = ParseHttpUrl(
      "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15");
  ASSERT_TRUE(https.ok());
  EXPECT_TRUE(https->https);
  EXPECT_EQ(https->port, 443);
  EXPECT_EQ(https->target, "/?Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(https->HostHeader(), "sts.us-east-1.amazonaws.com");
  EXPECT_EQ(https->HostPort(), "sts.us-east-1.amazonaws.com:443");
}

TEST(ParseHttpUrlTest, ExplicitPortAndIpLiterals) {
  Result<ParsedUrl> v4 = ParseHttpUrl("http://127.0.0.1:8080/a/b%20c?x=1");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_TRUE(v4->host_is_ip);
  EXPECT_EQ(v4->port, 8080);
  EXPECT_EQ(v4->target, "/a/b%20c?x=1");
  EXPECT_EQ(v4->HostHeader(), "127.0.0.1:8080");

  Result<ParsedUrl> v6 = ParseHttpUrl("https://[::1]:8443/x");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_TRUE(v6->host_is_ip);
  EXPECT_EQ(v6->HostPort(), "[::1]:8443");
  EXPECT_EQ(v6->HostHeader(), "[::1]:8443");
}

TEST(ParseHttpUrlTest, SchemeIsCaseInsensitive) {
  Result<ParsedUrl> url = ParseHttpUrl("HTTPS://example.com/");
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->https);
}

class ParseHttpUrlRejects : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseHttpUrlRejects, WithBadUrl) {
  Result<ParsedUrl> url = ParseHttpUrl(GetParam());
  ASSERT_FALSE(url.ok()) << GetParam();
  EXPECT_EQ(url.status().reason(), "net.bad_url");
  EXPECT_EQ(url.status().code(), Code::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseHttpUrlRejects,
    ::testing::Values("", "/relative/path", "example.com/path", "ftp://example.com/",
                      "file:///etc/passwd", "ws://example.com/", "http://", "http:///path",
                      "http://user@example.com/", "http://user:pass@example.com/",
                      "https://sts.amazonaws.com@evil.example/", "http://example.com/#frag",
                      "http://example.com:0/", "http://example.com:65536/", "http://example.com:/",
                      "http://exa%6dple.com/", "http://exa mple.com/",
                      "http://under_score.example/", "http://[v1.fe]/", "http:example.com",
                      "http://example.com/\r\nHost: x"));

}  // namespace
}  // namespace wifgate::net
