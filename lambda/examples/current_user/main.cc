// An AWS Lambda function, deployed as the `bootstrap` executable of a provided.al2023
// function: it logs in to Snowflake (or wifgate) with the function's own IAM role — no
// password, no key, no secret — runs SELECT current_user() and returns
//   {"statusCode": 200, "body": "[[\"<USER>\"]]"}
//
// Configuration, from the function's environment:
//   SNOWFLAKE_ACCOUNT   the account identifier (required)
//   SNOWFLAKE_URL       an explicit base URL (optional; default the account's Snowflake host)
//   SNOWFLAKE_ROLE, SNOWFLAKE_WAREHOUSE, SNOWFLAKE_DATABASE, SNOWFLAKE_SCHEMA (optional)
//   SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES  extra hosts the attestation may go to (optional)
#include <stdlib.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "wifgate/connection.h"
#include "wifgate/lambda_runtime.h"

namespace {

std::string Var(const char* name) {
  return wifgate::GetNonEmptyVar(wifgate::Env::Default(), name).value_or("");
}

// package.sh links OpenSSL statically, so its built-in certificate paths are the build
// machine's (Debian's). On Amazon Linux the CA bundle lives elsewhere; point OpenSSL at it
// unless the function's configuration already chose a trust store.
void UseAmazonLinuxTrustStore() {
  constexpr char kBundle[] = "/etc/pki/tls/certs/ca-bundle.crt";
  if (getenv("SSL_CERT_FILE") == nullptr && getenv("SSL_CERT_DIR") == nullptr &&
      access(kBundle, R_OK) == 0) {
    setenv("SSL_CERT_FILE", kBundle, 0);
  }
}

}  // namespace

int main() {
  UseAmazonLinuxTrustStore();
  auto runtime = wifgate::LambdaRuntime::FromEnvironment();
  if (!runtime.ok()) {
    std::cerr << runtime.status().ToString() << "\n";
    return 1;
  }

  wifgate::ConnectionOptions options;
  options.account = Var("SNOWFLAKE_ACCOUNT");
  options.url = Var("SNOWFLAKE_URL");
  options.role = Var("SNOWFLAKE_ROLE");
  options.warehouse = Var("SNOWFLAKE_WAREHOUSE");
  options.database = Var("SNOWFLAKE_DATABASE");
  options.schema = Var("SNOWFLAKE_SCHEMA");
  options.authenticator = wifgate::Authenticator::kWorkloadIdentity;
  options.workload_identity.provider = "AWS";
  if (options.account.empty()) {
    wifgate::Status missing(wifgate::Code::kInvalidArgument, "config.missing_account",
                            "set SNOWFLAKE_ACCOUNT in the function's environment");
    (void)(*runtime)->ReportInitError(missing);
    return 1;
  }

  // One session for the life of the sandbox: warm invocations skip the login, and the
  // connection renews the session itself when it expires.
  std::unique_ptr<wifgate::Connection> connection;
  wifgate::Status stopped =
      (*runtime)->Run([&](const wifgate::LambdaInvocation&) -> wifgate::Result<std::string> {
        if (!connection) {
          auto opened = wifgate::Connection::Open(options);
          if (!opened.ok()) return opened.status();
          connection = std::move(*opened);
        }
        auto rows = connection->Query("SELECT current_user()");
        if (!rows.ok()) {
          connection.reset();  // log in afresh next time
          return rows.status();
        }
        return wifgate::ApiGatewayResponse(200, wifgate::RowsToJson(*rows));
      });
  std::cerr << "runtime stopped: " << stopped.ToString() << "\n";
  return 1;
}
