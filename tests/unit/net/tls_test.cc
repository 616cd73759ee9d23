// TLS between BeastHttpClient and HttpServer with self-signed certificates.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "fake_env.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"
#include "net/self_signed_cert.h"

namespace wifgate::net {
namespace {

std::unique_ptr<HttpServer> StartTlsServer(const CertAndKey& cert) {
  HttpServerOptions options;
  options.tls = ServerTls{cert.cert_pem, cert.key_pem};
  auto server = std::make_unique<HttpServer>(options);
  server->Route("GET", "/hello", [](ServerRequest, Responder respond) {
    respond(ServerResponse::Text(200, "hello over tls"));
  });
  EXPECT_TRUE(server->Start().ok());
  return server;
}

BeastHttpClientOptions TrustOnly(const CertAndKey& cert) {
  BeastHttpClientOptions options;
  options.trust_system_roots = false;
  options.ca_pem = cert.cert_pem;
  return options;
}

Result<HttpResponse> Get(HttpClient& client, const std::string& url) {
  HttpRequest request;
  request.url = url;
  HttpOptions options;
  options.timeout = std::chrono::seconds(5);
  return client.Send(request, options);
}

TEST(TlsTest, SelfSignedCertWithTheCaOption) {
  Result<CertAndKey> cert = MakeSelfSignedCert({"localhost", "127.0.0.1"});
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  auto server = StartTlsServer(*cert);
  EXPECT_EQ(server->base_url().rfind("https://", 0), 0u);
  testing::FakeEnv env;
  BeastHttpClient client(env, TrustOnly(*cert));
  std::string port = std::to_string(server->port());
  for (const std::string& url :
       {"https://127.0.0.1:" + port + "/hello", "https://localhost:" + port + "/hello"}) {
    Result<HttpResponse> response = Get(client, url);
    ASSERT_TRUE(response.ok()) << url << ": " << response.status().ToString();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello over tls");
  }
}

TEST(TlsTest, CaFileIsReadThroughEnv) {
  Result<CertAndKey> cert = MakeSelfSignedCert({"127.0.0.1"});
  ASSERT_TRUE(cert.ok());
  auto server = StartTlsServer(*cert);
  testing::FakeEnv env;
  env.files["/etc/wifgate/dev-ca.pem"] = cert->cert_pem;
  BeastHttpClientOptions options;
  options.ca_file = "/etc/wifgate/dev-ca.pem";
  BeastHttpClient client(env, options);
  Result<HttpResponse> response = Get(client, server->base_url() + "/hello");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);

  BeastHttpClientOptions missing;
  missing.ca_file = "/nonexistent/ca.pem";
  BeastHttpClient broken(env, missing);
  EXPECT_FALSE(Get(broken, server->base_url() + "/hello").ok());
}

// A system trust store in a temporary directory: the hashed layout OpenSSL looks CAs up in
// (and a bundle file), selected through SSL_CERT_DIR / SSL_CERT_FILE as OpenSSL does.
class TempTrustStore {
 public:
  explicit TempTrustStore(const std::string& ca_pem) {
    char pattern[] = "/tmp/wifgate-trust-XXXXXX";
    dir_ = mkdtemp(pattern);
    BIO* bio = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    char name[32];
    std::snprintf(name, sizeof(name), "%08lx.0", X509_subject_name_hash(cert));
    X509_free(cert);
    BIO_free(bio);
    std::ofstream(dir_ + "/" + name) << ca_pem;
    std::ofstream(dir_ + "/bundle.pem") << ca_pem;
  }
  ~TempTrustStore() { std::filesystem::remove_all(dir_); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

TEST(TlsTest, SystemTrustStoreFromHashedDirectoryOrBundle) {
  Result<CertAndKey> cert = MakeSelfSignedCert({"127.0.0.1"});
  ASSERT_TRUE(cert.ok());
  auto server = StartTlsServer(*cert);
  TempTrustStore store(cert->cert_pem);
  {
    testing::FakeEnv env;
    env.vars["SSL_CERT_DIR"] = store.dir();
    BeastHttpClient client(env);
    Result<HttpResponse> response = Get(client, server->base_url() + "/hello");
    ASSERT_TRUE(response.ok()) << response.status().ToString();
  }
  {
    testing::FakeEnv env;
    env.vars["SSL_CERT_FILE"] = store.dir() + "/bundle.pem";
    BeastHttpClient client(env);
    Result<HttpResponse> response = Get(client, server->base_url() + "/hello");
    ASSERT_TRUE(response.ok()) << response.status().ToString();
  }
  {
    testing::FakeEnv env;
    env.vars["SSL_CERT_FILE"] = store.dir() + "/missing.pem";
    BeastHttpClient client(env);
    EXPECT_EQ(Get(client, server->base_url() + "/hello").status().reason(), "net.tls_config");
  }
}

TEST(TlsTest, UntrustedCertificateIsRejected) {
  Result<CertAndKey> cert = MakeSelfSignedCert({"127.0.0.1"});
  Result<CertAndKey> other = MakeSelfSignedCert({"127.0.0.1"});
  ASSERT_TRUE(cert.ok() && other.ok());
  auto server = StartTlsServer(*cert);
  testing::FakeEnv env;
  std::vector<std::unique_ptr<BeastHttpClient>> clients;
  clients.push_back(std::make_unique<BeastHttpClient>(env));  // system roots only
  clients.push_back(std::make_unique<BeastHttpClient>(env, TrustOnly(*other)));
  for (auto& client : clients) {
    Result<HttpResponse> response = Get(*client, server->base_url() + "/hello");
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.status().reason(), "net.tls");
    EXPECT_NE(response.status().message().find("127.0.0.1:" + std::to_string(server->port())),
              std::string::npos)
        << response.status().message();
  }
}

// security.md RESP-07: an expired certificate is refused even when its issuer is trusted.
TEST(TlsTest, ExpiredCertificateIsRejected) {
  Result<CertAndKey> cert = MakeSelfSignedCert({"127.0.0.1"}, std::chrono::hours(-1));
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  auto server = StartTlsServer(*cert);
  testing::FakeEnv env;
  BeastHttpClient client(env, TrustOnly(*cert));
  Result<HttpResponse> response = Get(client, server->base_url() + "/hello");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "net.tls");
  EXPECT_NE(response.status().message().find("expired"), std::string::npos)
      << response.status().message();
}

TEST(TlsTest, HostNameMismatchIsRejected) {
  Result<CertAndKey> cert = MakeSelfSignedCert({"other.example", "10.9.9.9"});
  ASSERT_TRUE(cert.ok());
  auto server = StartTlsServer(*cert);
  testing::FakeEnv env;
  BeastHttpClient client(env, TrustOnly(*cert));
  std::string port = std::to_string(server->port());
  for (const std::string& url :
       {"https://127.0.0.1:" + port + "/hello", "https://localhost:" + port + "/hello"}) {
    Result<HttpResponse> response = Get(client, url);
    ASSERT_FALSE(response.ok()) << url;
    EXPECT_EQ(response.status().reason(), "net.tls");
    EXPECT_NE(response.status().message().find("mismatch"), std::string::npos)
        << response.status().message();
  }
}

TEST(TlsTest, PlainClientAgainstTlsServerFailsCleanly) {
  Result<CertAndKey> cert = MakeSelfSignedCert({"127.0.0.1"});
  ASSERT_TRUE(cert.ok());
  auto server = StartTlsServer(*cert);
  testing::FakeEnv env;
  BeastHttpClient client(env);
  Result<HttpResponse> response =
      Get(client, "http://127.0.0.1:" + std::to_string(server->port()) + "/hello");
  EXPECT_FALSE(response.ok());
}

TEST(TlsTest, BadServerKeyIsNamed) {
  Result<CertAndKey> cert = MakeSelfSignedCert({"127.0.0.1"});
  Result<CertAndKey> other = MakeSelfSignedCert({"127.0.0.1"});
  ASSERT_TRUE(cert.ok() && other.ok());
  HttpServerOptions options;
  options.tls = ServerTls{cert->cert_pem, other->key_pem};
  HttpServer server(options);
  EXPECT_EQ(server.Listen().reason(), "net.tls_config");
  options.tls = ServerTls{"garbage", "garbage"};
  EXPECT_EQ(HttpServer(options).Listen().reason(), "net.tls_config");
}

}  // namespace
}  // namespace wifgate::net
