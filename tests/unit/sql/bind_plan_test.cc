// BindPlan on its own: matching a prepared statement's parameters to a request's bindings.
#include "sql/bind_plan.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "sql/errors.h"

namespace wifgate::sql {
namespace {

using StatementPtr = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

class BindPlanTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK); }
  void TearDown() override { sqlite3_close(db_); }

  StatementPtr Prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    return StatementPtr(stmt, sqlite3_finalize);
  }

  sqlite3* db_ = nullptr;
};

// `count` null bindings named prefix + 1, 2, …, listed in reverse.
Binds NamedNulls(size_t count, const std::string& prefix) {
  Binds binds;
  binds.rows.emplace_back();
  for (size_t i = count; i >= 1; --i) {  // the reverse of the markers' order
    binds.names.push_back(prefix + std::to_string(i));
    binds.rows[0].push_back(BoundValue{});
  }
  return binds;
}

// SQLite's default parameter limit (32766, more than the engine allows, so that this
// exercises BindPlan and not SQLite's own named-parameter scan), bound in the reverse of
// the markers' order. Matching is a hash lookup per parameter (a search per parameter was
// ~5e8 name comparisons here); the test checks the result, not the time: speed belongs in
// benchmarks, not in tests that a loaded machine can fail.
TEST_F(BindPlanTest, MatchesManyParametersInAnyOrder) {
  constexpr size_t kParameters = 32766;
  std::string sql = "SELECT 1 IN (?";
  for (size_t i = 2; i <= kParameters; ++i) sql += ", ?";
  StatementPtr stmt = Prepare(sql + ")");
  ASSERT_NE(stmt, nullptr);
  ASSERT_EQ(sqlite3_bind_parameter_count(stmt.get()), static_cast<int>(kParameters));
  Binds binds = NamedNulls(kParameters, "");

  auto plan = BindPlan::Make(stmt.get(), binds);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->BindRow(db_, stmt.get(), binds.rows[0]).ok());
}

TEST_F(BindPlanTest, AnUnknownMarkerListsAFewBindingsCutShort) {
  StatementPtr stmt = Prepare("SELECT :missing");
  Binds binds = NamedNulls(1000, std::string(200, 'a'));
  Status s = BindPlan::Make(stmt.get(), binds).status();
  EXPECT_EQ(s.reason(), "sql.bind_variable");
  EXPECT_NE(s.message().find(":missing not set"), std::string::npos);
  EXPECT_NE(s.message().find("(1000 bindings)"), std::string::npos) << s.message();
  EXPECT_LT(s.message().size(), 1500u);
}

}  // namespace
}  // namespace wifgate::sql
