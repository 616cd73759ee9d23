// ExecutorHarness: a registry store, a user-SQL engine and the executor over both, in a
// fresh directory per test. The fixture the executor, bind and query-service tests share.
#ifndef WIFGATE_TESTS_SQL_EXECUTOR_HARNESS_H_
#define WIFGATE_TESTS_SQL_EXECUTOR_HARNESS_H_

#include <gtest/gtest.h>

#include <memory>

#include "fake_env.h"
#include "registry/snapshot.h"
#include "registry/sqlite_store.h"
#include "sql/engine.h"
#include "sql/executor.h"
#include "temp_dir.h"

namespace wifgate::testing {

class ExecutorHarness : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = registry::OpenSqliteStore(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto reg = registry::Registry::Open(std::move(*store));
    ASSERT_TRUE(reg.ok()) << reg.status().ToString();
    registry_ = std::move(*reg);
    auto engine = sql::Engine::Open(dir_.path() + "/user.db");
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
    executor_ = std::make_unique<sql::Executor>(*registry_, *engine_, env_);
  }

  TempDir dir_;
  FakeEnv env_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<sql::Engine> engine_;
  std::unique_ptr<sql::Executor> executor_;
};

}  // namespace wifgate::testing

#endif  // WIFGATE_TESTS_SQL_EXECUTOR_HARNESS_H_
