// `wifgate sql [--data DIR] [--json] "STATEMENT"`: one statement on the local store, as the
// local administrator (ACCOUNTADMIN). The bootstrap path for the first administrator and
// for scripts; safe while a server runs on the same DIR (the server sees the change at its
// next login).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "registry/snapshot.h"
#include "registry/sqlite_store.h"
#include "sql/engine.h"
#include "sql/executor.h"
#include "wifgate/env.h"

namespace wifgate::cli {
namespace {

struct SqlArgs {
  std::string data_dir = "wifgate-data";
  bool json = false;
  std::string statement;
};

[[noreturn]] void Fail(const Status& status) {
  std::cerr << "wifgate sql: " << status.message() << "\n";
  throw CLI::RuntimeError(1);
}

void Run(const SqlArgs& args) {
  auto store = registry::OpenSqliteStore(args.data_dir);
  if (!store.ok()) Fail(store.status());
  auto registry = registry::Registry::Open(std::move(*store));
  if (!registry.ok()) Fail(registry.status());
  auto engine = sql::Engine::Open((std::filesystem::path(args.data_dir) / "user.db").string());
  if (!engine.ok()) Fail(engine.status());
  sql::Executor executor(**registry, **engine, Env::Default());
  auto result = executor.Execute(sql::SessionContext::LocalAdmin(), args.statement);
  if (!result.ok()) Fail(result.status());
  std::cout << (args.json ? sql::FormatJson(*result) + "\n" : sql::FormatTable(*result));
}

}  // namespace

void AddSqlCommand(CLI::App& app) {
  auto args = std::make_shared<SqlArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sql", "Run one admin or SQL statement on the local store as ACCOUNTADMIN");
  cmd->add_option("--data", args->data_dir, "Data directory (default ./wifgate-data)");
  cmd->add_flag("--json", args->json, "Print the result as a JSON array of row objects");
  cmd->add_option("statement", args->statement, "The SQL statement")->required();
  cmd->callback([args] { Run(*args); });
}

}  // namespace wifgate::cli
