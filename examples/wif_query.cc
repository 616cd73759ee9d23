// Logs in with this workload's cloud identity and prints the result of one query.
//
//   wif_query ACCOUNT PROVIDER "SQL" [URL]
//   wif_query myorg-myaccount aws "SELECT current_user()"
//   SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES=127.0.0.1 \
//     wif_query testacct aws "SELECT current_user()" http://127.0.0.1:8080
#include <wifgate/connection.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: wif_query ACCOUNT PROVIDER \"SQL\" [URL]\n";
    return 2;
  }
  wifgate::ConnectionOptions options;
  options.account = argv[1];
  options.authenticator = wifgate::Authenticator::kWorkloadIdentity;
  options.workload_identity.provider = argv[2];
  if (argc > 4) options.url = argv[4];

  auto connection = wifgate::Connection::Open(options);
  if (!connection.ok()) {
    std::cerr << connection.status().ToString() << "\n";
    return 1;
  }
  std::cout << "logged in as " << (*connection)->user() << "\n";
  auto rows = (*connection)->Query(argv[3]);
  if (!rows.ok()) {
    std::cerr << rows.status().ToString() << "\n";
    return 1;
  }
  for (const wifgate::Row& row : rows->rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      std::cout << (i ? "\t" : "") << rows->columns[i].name << "=" << row[i].ToString();
    }
    std::cout << "\n";
  }
  return (*connection)->Close().ok() ? 0 : 1;
}
