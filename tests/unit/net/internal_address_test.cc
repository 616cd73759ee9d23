// Internal addresses (security.md KEY-03, KEY-08): the host written in a URL, and the
// addresses a name resolves to right before connecting.
#include "net/internal_address.h"

#include <gtest/gtest.h>

#include "fake_env.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"

namespace wifgate::net {
namespace {

TEST(InternalAddress, HostsAsWrittenInUrls) {
  for (const char* host :
       {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254",
        "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fd00::1", "fe80::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "localhost",
        "LOCALHOST.", "a.localhost",
        // inet_aton's shorthand: what getaddrinfo turns into 127.0.0.1 / 169.254.169.254.
        "2130706433", "127.1", "0x7f.1", "0x7f000001", "017700000001", "2852039166",
        "metadata.0x7f"}) {
    EXPECT_TRUE(IsInternalHost(host)) << host;
  }
  for (const char* host :
       {"8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8",
        "64:ff9b::808:808", "accounts.google.com", "login.microsoftonline.com",
        "sts.us-east-1.amazonaws.com", "1password.com", "123.example.com",
        "token.actions.githubusercontent.com"}) {
    EXPECT_FALSE(IsInternalHost(host)) << host;
  }
}

// The check at connect time sees what the name resolved to: `localhost` and 127.0.0.1 are
// refused for a public-only request, and reached otherwise.
TEST(InternalAddress, PublicOnlyRequestsAreNotConnectedInward) {
  HttpServer server{HttpServerOptions{}};
  server.Route("GET", "/k", [](ServerRequest, Responder respond) {
    respond(ServerResponse::Text(200, "keys"));
  });
  ASSERT_TRUE(server.Start().ok());
  testing::FakeEnv env;
  BeastHttpClient client(env);
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    HttpRequest request;
    request.url = "http://" + host + ":" + std::to_string(server.port()) + "/k";
    HttpOptions options;
    options.use_proxy = false;
    ASSERT_TRUE(client.Send(request, options).ok()) << host;
    options.public_addresses_only = true;
    Result<HttpResponse> refused = client.Send(request, options);
    ASSERT_FALSE(refused.ok()) << host;
    EXPECT_EQ(refused.status().reason(), "net.address_refused");
    EXPECT_NE(refused.status().message().find(host), std::string::npos);
  }
}

}  // namespace
}  // namespace wifgate::net
