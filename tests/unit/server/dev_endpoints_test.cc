// Server::Create accepts the dev fixtures' loopback stand-ins for cloud issuers
// (DevEndpoints) only when the server runs with --dev: each one alone is refused
// otherwise, so a production server can never be pointed at a loopback key set.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "server/server.h"

namespace wifgate::server {
namespace {

class ServerDevEndpointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("server_dev_endpoints_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    config_.data_dir = dir_.string();
    config_.listen_host = "127.0.0.1";
    config_.listen_port = 0;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  ServerConfig config_;
};

TEST_F(ServerDevEndpointsTest, EachStandInIsRefusedWithoutDev) {
  const std::vector<std::function<void(DevEndpoints&)>> stand_ins = {
      [](DevEndpoints& d) { d.gcp_issuer = "http://127.0.0.1:1/gcp"; },
      [](DevEndpoints& d) { d.azure_v1_prefix = "http://127.0.0.1:1/azure-v1/"; },
      [](DevEndpoints& d) { d.azure_v2_prefix = "http://127.0.0.1:1/azure/"; },
      [](DevEndpoints& d) { d.oidc_issuers.push_back("http://127.0.0.1:1/oidc"); },
      [](DevEndpoints& d) {
        d.aws_jwt_jwks["https://dev-sts-111111111111.tokens.sts.global.api.aws"] =
            "http://127.0.0.1:1/accounts/111111111111/.well-known/jwks.json";
      },
  };
  for (size_t i = 0; i < stand_ins.size(); ++i) {
    DevEndpoints dev;
    stand_ins[i](dev);
    auto server = Server::Create(config_, Env::Default(), dev);
    ASSERT_FALSE(server.ok()) << "stand-in " << i;
    EXPECT_EQ(server.status().reason(), "config.dev_only") << "stand-in " << i;
  }
}

TEST_F(ServerDevEndpointsTest, AwsJwtJwksIsAcceptedWithDev) {
  config_.dev = true;
  DevEndpoints dev;
  dev.aws_jwt_jwks["https://dev-sts-111111111111.tokens.sts.global.api.aws"] =
      "http://127.0.0.1:1/accounts/111111111111/.well-known/jwks.json";
  auto server = Server::Create(config_, Env::Default(), dev);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  (*server)->Stop();
}

}  // namespace
}  // namespace wifgate::server
