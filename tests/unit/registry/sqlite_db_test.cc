// SqliteDb's statement cache (compiled once, reset and unbound on return, a one-off copy
// when the cached one is lent out) and the cached transaction statements.
#include "registry/sqlite_db.h"

#include <gtest/gtest.h>

namespace wifgate::registry {
namespace {

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDb::Open(":memory:", true);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_.Exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
  }
  SqliteDb db_;
};

TEST_F(SqliteDbTest, CachedStatementIsCompiledOnceAndReused) {
  sqlite3_stmt* first = nullptr;
  {
    auto q = db_.PrepareCached("SELECT v FROM t ORDER BY v");
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    first = q->get();
    ASSERT_TRUE(*q->Step());
    EXPECT_EQ(q->Int(0), 1);
    ASSERT_TRUE(*q->Step());  // left mid-result on purpose
  }
  auto again = db_.PrepareCached("SELECT v FROM t ORDER BY v");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first);
  ASSERT_TRUE(*again->Step());
  EXPECT_EQ(again->Int(0), 1);  // reset on return: starts from the first row again
}

TEST_F(SqliteDbTest, BindingsAreClearedOnReturn) {
  {
    auto q = db_.PrepareCached("SELECT ?");
    ASSERT_TRUE(q.ok());
    q->Bind(1, int64_t{42});
    ASSERT_TRUE(*q->Step());
    EXPECT_EQ(q->Int(0), 42);
  }
  auto q = db_.PrepareCached("SELECT ?");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  EXPECT_TRUE(q->IsNull(0));
}

TEST_F(SqliteDbTest, AStatementStillLentOutGetsAOneOffCopy) {
  auto outer = db_.PrepareCached("SELECT v FROM t ORDER BY v");
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE(*outer->Step());
  auto inner = db_.PrepareCached("SELECT v FROM t ORDER BY v");
  ASSERT_TRUE(inner.ok());
  EXPECT_NE(inner->get(), outer->get());
  ASSERT_TRUE(*inner->Step());
  EXPECT_EQ(inner->Int(0), 1);
  ASSERT_TRUE(*outer->Step());
  EXPECT_EQ(outer->Int(0), 2);  // the copy did not disturb the lent-out statement
}

TEST_F(SqliteDbTest, BadSqlFailsAndIsNotCached) {
  auto q = db_.PrepareCached("SELEC nothing");
  EXPECT_EQ(q.status().reason(), "registry.sqlite");
  EXPECT_EQ(db_.PrepareCached("SELEC nothing").status().reason(), "registry.sqlite");
}

TEST_F(SqliteDbTest, TransactionsCommitAndRollBackThroughCachedStatements) {
  for (int round = 0; round < 2; ++round) {  // the second round reuses the cached BEGIN/COMMIT
    auto txn = SqliteTransaction::Begin(db_, "IMMEDIATE");
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_TRUE(db_.Exec("INSERT INTO t VALUES (10)").ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  {
    auto txn = SqliteTransaction::Begin(db_, "IMMEDIATE");
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db_.Exec("INSERT INTO t VALUES (20)").ok());
  }  // rolled back
  auto q = db_.PrepareCached("SELECT count(*), sum(v = 20) FROM t");
  ASSERT_TRUE(q.ok() && *q->Step());
  EXPECT_EQ(q->Int(0), 5);
  EXPECT_EQ(q->Int(1), 0);
}

TEST_F(SqliteDbTest, MovingTheConnectionKeepsItsCache) {
  sqlite3_stmt* before = nullptr;
  {
    auto q = db_.PrepareCached("SELECT 1");
    ASSERT_TRUE(q.ok());
    before = q->get();
  }
  SqliteDb moved = std::move(db_);
  auto q = moved.PrepareCached("SELECT 1");
  ASSERT_TRUE(q.ok() && *q->Step());
  EXPECT_EQ(q->get(), before);
  EXPECT_EQ(q->Int(0), 1);
}

}  // namespace
}  // namespace wifgate::registry
