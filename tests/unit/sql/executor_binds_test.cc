// Bind variables through the executor and the SQLite engine: markers, result typing, array
// binds and every rejection.
#include <gtest/gtest.h>

#include "fake_env.h"
#include "registry/sqlite_store.h"
#include "sql/binds.h"
#include "sql/errors.h"
#include "sql/executor.h"
#include "sql/executor_harness.h"

namespace wifgate::sql {
namespace {

Binds Make(std::vector<BindColumn> columns) {
  auto b = MakeBinds(columns);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return b.ok() ? *b : Binds{};
}

// Single-row binds from (name, type, value).
Binds Row(std::vector<std::tuple<std::string, std::string, std::optional<std::string>>> values) {
  std::vector<BindColumn> columns;
  for (auto& [name, type, value] : values) columns.push_back({name, type, {value}, false});
  return Make(std::move(columns));
}

class ExecutorBindsTest : public testing::ExecutorHarness {
 protected:
  ResultSet Ok(std::string_view sql, const Binds& binds = Binds()) {
    auto r = executor_->Execute(SessionContext::LocalAdmin(), sql, binds);
    EXPECT_TRUE(r.ok()) << sql << "\n" << r.status().ToString();
    return r.ok() ? *r : ResultSet{};
  }
  Status Err(std::string_view sql, const Binds& binds) {
    auto r = executor_->Execute(SessionContext::LocalAdmin(), sql, binds);
    EXPECT_FALSE(r.ok()) << sql;
    return r.ok() ? Status::Ok() : r.status();
  }
  int64_t Count(std::string_view table) {
    ResultSet rs = Ok("SELECT COUNT(*) FROM " + std::string(table));
    return rs.rows.empty() ? -1 : std::get<int64_t>(rs.rows[0][0]);
  }
};

TEST_F(ExecutorBindsTest, SelectMarkersTakeTheirBindTypes) {
  ResultSet rs = Ok("SELECT ?, ? AS r, ?, ?, ?, ?, ?",
                    Row({{"1", "FIXED", "42"},
                         {"2", "REAL", "1.5"},
                         {"3", "TEXT", "a'b"},
                         {"4", "BOOLEAN", "true"},
                         {"5", "VARIANT", R"({"k":[1]})"},
                         {"6", "VARIANT", "[1,2]"},
                         {"7", "FIXED", "123456789012345678901234567890"}}));
  ASSERT_EQ(rs.rows.size(), 1u);
  std::vector<ColumnType> types;
  for (const auto& c : rs.columns) types.push_back(c.type);
  EXPECT_EQ(types,
            (std::vector<ColumnType>{ColumnType::kFixed, ColumnType::kReal, ColumnType::kText,
                                     ColumnType::kBoolean, ColumnType::kObject, ColumnType::kArray,
                                     ColumnType::kFixed}));
  EXPECT_EQ(rs.columns[1].name, "R");
  const auto& row = rs.rows[0];
  EXPECT_EQ(std::get<int64_t>(row[0]), 42);
  EXPECT_EQ(std::get<double>(row[1]), 1.5);
  EXPECT_EQ(std::get<std::string>(row[2]), "a'b");
  EXPECT_EQ(std::get<bool>(row[3]), true);
  EXPECT_EQ(std::get<std::string>(row[4]), R"({"k":[1]})");
  EXPECT_EQ(std::get<std::string>(row[6]), "123456789012345678901234567890");
}

TEST_F(ExecutorBindsTest, BooleanFalseAndNullKeepTheirType) {
  ResultSet rs =
      Ok("SELECT ?, ?", Row({{"1", "BOOLEAN", "false"}, {"2", "BOOLEAN", std::nullopt}}));
  EXPECT_EQ(rs.columns[0].type, ColumnType::kBoolean);
  EXPECT_EQ(std::get<bool>(rs.rows[0][0]), false);
  EXPECT_EQ(rs.columns[1].type, ColumnType::kBoolean);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rs.rows[0][1]));
}

TEST_F(ExecutorBindsTest, ExpressionsOverMarkersAreTypedByTheirValues) {
  ResultSet rs =
      Ok("SELECT ? + 1, (SELECT ?)", Row({{"1", "BOOLEAN", "true"}, {"2", "BOOLEAN", "true"}}));
  EXPECT_EQ(rs.columns[0].type, ColumnType::kFixed);  // arithmetic: a number, not a boolean
  EXPECT_EQ(std::get<int64_t>(rs.rows[0][0]), 2);
  EXPECT_EQ(rs.columns[1].type, ColumnType::kBoolean);  // a scalar subquery of the marker
}

TEST_F(ExecutorBindsTest, AMarkerTypeNeverChangesAValueThatDoesNotFit) {
  // Both branches write one result register; 'x' is no boolean, so the column stays text.
  ResultSet rs = Ok("SELECT ? UNION ALL SELECT 'x'", Row({{"1", "BOOLEAN", "true"}}));
  EXPECT_NE(rs.columns[0].type, ColumnType::kBoolean);
  ASSERT_EQ(rs.rows.size(), 2u);
  EXPECT_EQ(std::get<int64_t>(rs.rows[0][0]), 1);
  EXPECT_EQ(std::get<std::string>(rs.rows[1][0]), "x");
}

TEST_F(ExecutorBindsTest, TableColumnsKeepTheirDeclaredTypes) {
  Ok("CREATE TABLE t (n INTEGER, flag BOOLEAN, note TEXT)");
  Ok("INSERT INTO t VALUES (?, ?, ?)",
     Row({{"1", "FIXED", "7"}, {"2", "BOOLEAN", "true"}, {"3", "TEXT", "seven"}}));
  ResultSet rs = Ok("SELECT n, flag, note FROM t WHERE n = ? AND note = ?",
                    Row({{"1", "FIXED", "7"}, {"2", "TEXT", "seven"}}));
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.columns[1].type, ColumnType::kBoolean);
  EXPECT_EQ(std::get<bool>(rs.rows[0][1]), true);
  EXPECT_EQ(Ok("SELECT n FROM t WHERE n = ?", Row({{"1", "FIXED", "8"}})).rows.size(), 0u);
}

TEST_F(ExecutorBindsTest, NumberedAndNamedMarkers) {
  ResultSet rs = Ok("SELECT :2, :1, :2", Row({{"1", "TEXT", "a"}, {"2", "TEXT", "b"}}));
  EXPECT_EQ(std::get<std::string>(rs.rows[0][0]), "b");
  EXPECT_EQ(std::get<std::string>(rs.rows[0][1]), "a");
  EXPECT_EQ(std::get<std::string>(rs.rows[0][2]), "b");
  rs = Ok("SELECT :who || '!' AS greeting", Row({{"who", "TEXT", "world"}}));
  EXPECT_EQ(std::get<std::string>(rs.rows[0][0]), "world!");
}

TEST_F(ExecutorBindsTest, BindValuesAreNeverSql) {
  Ok("CREATE TABLE t (s TEXT)");
  Ok("INSERT INTO t VALUES (?)", Row({{"1", "TEXT", "x'); DROP TABLE t; --"}}));
  ResultSet rs = Ok("SELECT s FROM t");
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(rs.rows[0][0]), "x'); DROP TABLE t; --");
}

TEST_F(ExecutorBindsTest, MissingAndUnusedBindsAreErrorsNamingTheBind) {
  Status missing = Err("SELECT ?, ?", Row({{"1", "FIXED", "1"}}));
  EXPECT_EQ(missing.reason(), "sql.bind_variable");
  EXPECT_EQ(SqlErrorCode(missing), "002049");
  EXPECT_NE(missing.message().find("? number 2 not set"), std::string::npos) << missing.message();

  Status unbound = Err("SELECT ?", Binds());
  EXPECT_NE(unbound.message().find("has no bindings"), std::string::npos) << unbound.message();

  Status named = Err("SELECT :nmae", Row({{"name", "TEXT", "x"}}));
  EXPECT_NE(named.message().find(":nmae not set"), std::string::npos) << named.message();

  Status unused = Err("SELECT ?", Row({{"1", "FIXED", "1"}, {"2", "FIXED", "2"}}));
  EXPECT_EQ(unused.reason(), "sql.bind_variable");
  EXPECT_NE(unused.message().find("Binding '2' matches no bind variable"), std::string::npos)
      << unused.message();
  EXPECT_EQ(Err("SELECT 1", Row({{"1", "FIXED", "1"}})).reason(), "sql.bind_variable");
}

TEST_F(ExecutorBindsTest, AStatementTakesUpToTheBindVariableLimit) {
  std::string sql = "SELECT " + std::to_string(kMaxBindVariables) + " IN (:v1";
  std::vector<std::tuple<std::string, std::string, std::optional<std::string>>> values;
  for (size_t i = 1; i <= kMaxBindVariables; ++i) {
    if (i > 1) sql += ", :v" + std::to_string(i);
    values.emplace_back("v" + std::to_string(i), "FIXED", std::to_string(i));
  }
  ResultSet rs = Ok(sql + ")", Row(values));
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(rs.rows[0][0]), 1);
  // One marker more is refused when SQLite prepares it, before any name is looked up.
  Status s = Err(sql + ", :extra)", Binds());
  EXPECT_EQ(s.reason(), "sql.execution_error");
  EXPECT_NE(s.message().find("too many SQL variables"), std::string::npos) << s.message();
}

TEST_F(ExecutorBindsTest, AdminStatementsRefuseBinds) {
  for (const char* sql : {"CREATE USER ?", "CREATE USER alice", "ALTER USER alice SET DISABLED = ?",
                          "SHOW USERS", "DROP USER ?"}) {
    Status s = Err(sql, Row({{"1", "TEXT", "alice"}}));
    EXPECT_EQ(s.reason(), "sql.unsupported") << sql;
    EXPECT_NE(s.message().find("not supported in admin statements"), std::string::npos) << sql;
  }
  Ok("SHOW USERS");  // without binds admin statements run as before
  // A statement that is not an admin statement reports its own error.
  for (const char* sql : {"", " ; ", "-- nothing"}) {
    EXPECT_EQ(Err(sql, Row({{"1", "TEXT", "alice"}})).reason(), "sql.syntax_error") << sql;
  }
}

TEST_F(ExecutorBindsTest, ArrayBindsInsertEveryRowInOneTransaction) {
  Ok("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
  ResultSet rs = Ok(
      "INSERT INTO t VALUES (?, ?)",
      Make({{"1", "FIXED", {"1", "2", "3"}, true}, {"2", "TEXT", {"a", std::nullopt, "c"}, true}}));
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_NE(std::get<std::string>(rs.rows[0][0]).find("3 row(s) affected"), std::string::npos);
  ResultSet all = Ok("SELECT id, name FROM t ORDER BY id");
  ASSERT_EQ(all.rows.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(all.rows[1][1]));
  EXPECT_EQ(std::get<std::string>(all.rows[2][1]), "c");
}

TEST_F(ExecutorBindsTest, AFailingArrayRowAppliesNoRow) {
  Ok("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  Ok("INSERT INTO t VALUES (10)");
  Status s = Err("INSERT INTO t VALUES (?)", Make({{"1", "FIXED", {"1", "2", "10", "4"}, true}}));
  EXPECT_EQ(s.reason(), "sql.execution_error");
  EXPECT_NE(s.message().find("row 3 of 4"), std::string::npos) << s.message();
  EXPECT_EQ(Count("t"), 1);
  // The connection is usable afterwards, outside any transaction.
  Ok("INSERT INTO t VALUES (?)", Make({{"1", "FIXED", {"1", "2"}, true}}));
  EXPECT_EQ(Count("t"), 3);
}

// Past the deadline the progress handler interrupts whatever runs. BEGIN and COMMIT are
// cached statements whose VM step counts add up across runs, so every few hundred array
// binds one of them reaches the handler: a COMMIT interrupted after it was applied would
// report failure for rows that were written, and an interrupted ROLLBACK would leave the
// shared connection inside a transaction. The INSERT itself, prepared afresh, runs fewer
// steps than the handler's period, so here every statement must succeed.
TEST_F(ExecutorBindsTest, AnArrayBindFailsOnlyWhenNoRowWasApplied) {
  Ok("CREATE TABLE t (id INTEGER)");
  SessionContext ctx = SessionContext::LocalAdmin();
  ctx.statement_timeout = std::chrono::milliseconds(0);
  int64_t succeeded = 0;
  for (int i = 0; i < 2000; ++i) {
    auto r =
        executor_->Execute(ctx, "INSERT INTO t VALUES (?)", Make({{"1", "FIXED", {"1"}, true}}));
    if (r.ok()) ++succeeded;
    EXPECT_TRUE(r.ok()) << i << ": " << r.status().ToString();
  }
  EXPECT_EQ(Count("t"), succeeded);
  EXPECT_EQ(succeeded, 2000);
}

TEST_F(ExecutorBindsTest, ArrayBindsRefuseStatementsThatReturnRows) {
  Status s = Err("SELECT ?", Make({{"1", "FIXED", {"1", "2"}, true}}));
  EXPECT_EQ(s.reason(), "sql.bind_variable");
  EXPECT_NE(s.message().find("return no rows"), std::string::npos) << s.message();
}

TEST_F(ExecutorBindsTest, BindsReachAccountUsageQueries) {
  ResultSet rs = Ok("SELECT COUNT(*) FROM SNOWFLAKE.ACCOUNT_USAGE.USERS WHERE NAME = ?",
                    Row({{"1", "TEXT", "NOBODY"}}));
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(rs.rows[0][0]), 0);
}

}  // namespace
}  // namespace wifgate::sql
