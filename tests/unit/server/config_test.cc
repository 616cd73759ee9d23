#include "server/config.h"

#include <gtest/gtest.h>

#include "fake_env.h"

namespace wifgate::server {
namespace {

TEST(ServerConfig, DefaultsWithoutAnySource) {
  testing::FakeEnv env;
  auto c = LoadServerConfig({}, env);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->account, "WIFGATE");
  EXPECT_EQ(c->listen_port, 8080);
  EXPECT_FALSE(c->dev);
  EXPECT_FALSE(c->jwt_allow_extra_audiences);
  EXPECT_FALSE(c->aws_one_time_use);
}

TEST(ServerConfig, FlagsBeatEnvironmentBeatsFile) {
  testing::FakeEnv env;
  env.files["/etc/wifgate.toml"] = R"(
account = "fromfile"
listen = "0.0.0.0:9000"
data_dir = "/var/lib/wifgate"
[sessions]
idle_timeout_seconds = 60
[jwt]
allow_extra_audiences = true
[aws]
one_time_use = true
[limits]
max_connections_per_address = 1000
[[aws.extra_sts_endpoints]]
host = "sts.sc2s.sgov.gov"
region = "us-isob-east-1"
partition = "aws-iso-b"
)";
  env.vars["WIFGATE_ACCOUNT"] = "fromenv";
  ServerFlags flags;
  flags.config_file = "/etc/wifgate.toml";
  flags.listen = "127.0.0.1:0";
  auto c = LoadServerConfig(flags, env);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->account, "FROMENV");
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 0);
  EXPECT_EQ(c->data_dir, "/var/lib/wifgate");
  EXPECT_EQ(c->sessions.idle_timeout, std::chrono::seconds(60));
  EXPECT_TRUE(c->jwt_allow_extra_audiences);
  EXPECT_TRUE(c->aws_one_time_use);
  EXPECT_EQ(c->max_connections_per_address, 1000u);
  ASSERT_EQ(c->extra_sts_endpoints.size(), 1u);
  EXPECT_EQ(c->extra_sts_endpoints[0].region, "us-isob-east-1");
}

TEST(ServerConfig, RejectsUnknownKeysAndWrongTypesNamingThem) {
  testing::FakeEnv env;
  ServerFlags flags;
  flags.config_file = "/c.toml";
  env.files["/c.toml"] = "acount = \"x\"\n";
  auto c = LoadServerConfig(flags, env);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("unknown setting 'acount'"), std::string::npos);
  EXPECT_NE(c.status().message().find("account"), std::string::npos);

  env.files["/c.toml"] = "[sessions]\nmax = \"many\"\n";
  c = LoadServerConfig(flags, env);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("max must be a non-negative integer"), std::string::npos);

  env.files["/c.toml"] = "account = \n";
  c = LoadServerConfig(flags, env);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("line 1"), std::string::npos);
}

TEST(ServerConfig, DevOnlySettingsAreRefusedOutsideDev) {
  testing::FakeEnv env;
  ServerFlags flags;
  flags.config_file = "/c.toml";
  env.files["/c.toml"] =
      "[aws.sts_endpoint_overrides]\n\"sts.us-east-1.amazonaws.com\" = \"http://127.0.0.1:1\"\n";
  auto c = LoadServerConfig(flags, env);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("--dev"), std::string::npos);
  flags.dev = true;
  EXPECT_TRUE(LoadServerConfig(flags, env).ok());
}

TEST(ServerConfig, LoginHistorySyncIsNormalUnlessSetToFull) {
  testing::FakeEnv env;
  EXPECT_EQ(LoadServerConfig({}, env)->login_history_sync, registry::LoginHistorySync::kNormal);
  ServerFlags flags;
  flags.config_file = "/c.toml";
  env.files["/c.toml"] = "[registry]\nlogin_history_sync = \"full\"\n";
  auto c = LoadServerConfig(flags, env);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->login_history_sync, registry::LoginHistorySync::kFull);
  env.files["/c.toml"] = "[registry]\nlogin_history_sync = \"off\"\n";
  c = LoadServerConfig(flags, env);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().reason(), "config.invalid");
  EXPECT_NE(c.status().message().find("login_history_sync must be \"normal\" or \"full\""),
            std::string::npos);
}

TEST(ServerConfig, ValidatesAccountListenAndTlsPairs) {
  testing::FakeEnv env;
  ServerFlags flags;
  flags.account = "bad account";
  EXPECT_FALSE(LoadServerConfig(flags, env).ok());
  flags.account = "ok_1";
  flags.listen = "127.0.0.1:99999";
  EXPECT_FALSE(LoadServerConfig(flags, env).ok());
  flags.listen = "nohostport";
  EXPECT_FALSE(LoadServerConfig(flags, env).ok());
  flags.listen = "[::1]:8443";
  auto c = LoadServerConfig(flags, env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen_host, "::1");

  flags.config_file = "/c.toml";
  env.files["/c.toml"] = "[tls]\ncert_file = \"/x.pem\"\n";
  EXPECT_FALSE(LoadServerConfig(flags, env).ok());
}

}  // namespace
}  // namespace wifgate::server
