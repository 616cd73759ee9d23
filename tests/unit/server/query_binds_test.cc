// Bind variables from the wire to the reply: the query-request parser and QueryService.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "common/json.h"
#include "fake_env.h"
#include "registry/sqlite_store.h"
#include "server/query_service.h"
#include "server/snowflake_protocol.h"
#include "sql/binds.h"
#include "sql/engine.h"
#include "sql/executor_harness.h"

namespace wifgate::server {
namespace {

namespace json = boost::json;

TEST(ParseQueryRequestBinds, ArrayBindsHoldOneValuePerRow) {
  auto q = ParseQueryRequest(
      R"({"sqlText":"insert into t values (?, ?) ","bindings":{)"
      R"("1":{"type":"FIXED","value":["1","2",null]},"2":{"type":"TEXT","value":["a","b","c"]}}})");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->bindings.size(), 2u);
  const sql::BindColumn& one = q->bindings[0];
  EXPECT_EQ(one.name, "1");
  EXPECT_TRUE(one.array);
  ASSERT_EQ(one.values.size(), 3u);
  EXPECT_EQ(one.values[1], "2");
  EXPECT_FALSE(one.values[2].has_value());
  EXPECT_EQ(q->bindings[1].values.size(), 3u);
}

TEST(ParseQueryRequestBinds, MalformedBindingsNameTheBinding) {
  for (const char* body : {
           R"({"sqlText":"x","bindings":{"b1":{"value":"1"}}})",                    // no type
           R"({"sqlText":"x","bindings":{"b1":{"type":"FIXED","value":1}}})",       // a number
           R"({"sqlText":"x","bindings":{"b1":{"type":"FIXED","value":[1]}}})",     // in an array
           R"({"sqlText":"x","bindings":{"b1":{"type":"TEXT","value":[["a"]]}}})",  // nested
           R"({"sqlText":"x","bindings":{"b1":"1"}})",                              // not an object
       }) {
    auto q = ParseQueryRequest(body);
    ASSERT_FALSE(q.ok()) << body;
    EXPECT_EQ(q.status().reason(), "query.malformed");
    EXPECT_NE(q.status().message().find("b1"), std::string::npos) << q.status().message();
  }
}

// A body of `bindings` array bindings with `rows` nulls each.
std::string NullArrayBody(size_t bindings, size_t rows) {
  std::string nulls = "[";
  for (size_t r = 0; r < rows; ++r) nulls += r ? ",null" : "null";
  nulls += "]";
  std::string body = R"({"sqlText":"x","bindings":{)";
  for (size_t b = 0; b < bindings; ++b) {
    body +=
        (b ? ",\"" : "\"") + std::to_string(b + 1) + R"(":{"type":"ANY","value":)" + nulls + "}";
  }
  return body + "}}";
}

TEST(ParseQueryRequestBinds, BindLimitsAreCheckedBeforeTheValuesAreCopied) {
  EXPECT_TRUE(ParseQueryRequest(NullArrayBody(2, sql::kMaxBindRows)).ok());
  // More variables than SQLite has parameters.
  auto variables = ParseQueryRequest(NullArrayBody(sql::kMaxBindVariables + 1, 0));
  ASSERT_FALSE(variables.ok());
  EXPECT_EQ(variables.status().reason(), "query.binds_too_large");
  EXPECT_NE(variables.status().client_message().find(std::to_string(sql::kMaxBindVariables)),
            std::string::npos)
      << variables.status().client_message();
  // One array longer than the row cap.
  auto rows = ParseQueryRequest(NullArrayBody(1, sql::kMaxBindRows + 1));
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().reason(), "query.binds_too_large");
  // Rows within the cap, but rows x variables beyond the cell cap.
  size_t bindings = sql::kMaxBindCells / sql::kMaxBindRows + 1;
  auto cells = ParseQueryRequest(NullArrayBody(bindings, sql::kMaxBindRows));
  ASSERT_FALSE(cells.ok());
  EXPECT_EQ(cells.status().reason(), "query.binds_too_large");
  EXPECT_NE(cells.status().client_message().find(std::to_string(sql::kMaxBindCells)),
            std::string::npos)
      << cells.status().client_message();
}

class QueryServiceBindsTest : public testing::ExecutorHarness {
 protected:
  void SetUp() override {
    ExecutorHarness::SetUp();
    if (HasFatalFailure()) return;
    service_ = std::make_unique<QueryService>(env_, *registry_, *executor_,
                                              QueryServiceOptions{.account = "ACCT"});
    session_.user = "ALICE";
    session_.role = "PUBLIC";
  }

  // The reply to a query-request body.
  json::object Run(std::string_view body) {
    auto q = ParseQueryRequest(body);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return {};
    auto reply = ParseStrictJson(service_->Execute(session_, *q));
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? reply->as_object() : json::object();
  }

  std::unique_ptr<QueryService> service_;
  Session session_;
};

TEST_F(QueryServiceBindsTest, EachTypeComesBackInItsWireForm) {
  json::object reply =
      Run(R"({"sqlText":"select ?, ?, ?, ?, ?","bindings":{"1":{"type":"FIXED","value":"42"},)"
          R"("2":{"type":"REAL","value":"1.5"},"3":{"type":"TEXT","value":"a"},)"
          R"("4":{"type":"BOOLEAN","value":"true"},"5":{"type":"VARIANT","value":"{\"k\":1}"}}})");
  ASSERT_TRUE(reply.at("success").as_bool()) << json::serialize(reply);
  const json::object& data = reply.at("data").as_object();
  EXPECT_EQ(json::serialize(data.at("rowset")), R"([["42","1.5","a","1","{\"k\":1}"]])");
  std::vector<std::string> types;
  for (const auto& t : data.at("rowtype").as_array()) {
    types.emplace_back(t.as_object().at("type").as_string());
  }
  EXPECT_EQ(types, (std::vector<std::string>{"fixed", "real", "text", "boolean", "object"}));
  EXPECT_EQ(data.at("numberOfBinds").as_int64(), 5);
  EXPECT_FALSE(data.at("arrayBindSupported").as_bool());  // a query: rows, not DML
}

TEST_F(QueryServiceBindsTest, ArrayBindsInsertAllRows) {
  ASSERT_TRUE(
      Run(R"({"sqlText":"create table t (id integer, name text) "})").at("success").as_bool());
  json::object insert =
      Run(R"({"sqlText":"insert into t values (?, ?) ","bindings":{)"
          R"("1":{"type":"FIXED","value":["1","2"]},"2":{"type":"TEXT","value":["a","b"]}}})");
  ASSERT_TRUE(insert.at("success").as_bool()) << json::serialize(insert);
  EXPECT_EQ(insert.at("data").at("numberOfBinds").as_int64(), 2);
  EXPECT_TRUE(insert.at("data").at("arrayBindSupported").as_bool());
  json::object count = Run(R"({"sqlText":"select count(*) from t"})");
  EXPECT_EQ(json::serialize(count.at("data").at("rowset")), R"([["2"]])");
}

TEST_F(QueryServiceBindsTest, BindErrorsAreSnowflakeErrors) {
  json::object reply =
      Run(R"({"sqlText":"select ?","bindings":{"1":{"type":"FIXED","value":"abc"}}})");
  EXPECT_FALSE(reply.at("success").as_bool());
  EXPECT_EQ(reply.at("code").as_string(), "100038");
  EXPECT_EQ(reply.at("data").at("sqlState").as_string(), "22018");
  std::string message(reply.at("message").as_string());
  EXPECT_NE(message.find("'1'"), std::string::npos) << message;
  EXPECT_EQ(message.find("abc"), std::string::npos) << message;  // the value is not echoed

  reply = Run(R"({"sqlText":"select ?","bindings":{"1":{"type":"WIDGET","value":"1"}}})");
  EXPECT_EQ(reply.at("code").as_string(), "100038");
  reply = Run(R"({"sqlText":"select ?, ?","bindings":{"1":{"type":"FIXED","value":"1"}}})");
  EXPECT_EQ(reply.at("code").as_string(), "002049");
}

TEST_F(QueryServiceBindsTest, SessionStatementsRefuseBindsAndChangeNothing) {
  json::object reply =
      Run(R"({"sqlText":"use database ?","bindings":{"1":{"type":"TEXT","value":"D"}}})");
  EXPECT_FALSE(reply.at("success").as_bool());
  EXPECT_EQ(reply.at("code").as_string(), "002049");
  EXPECT_TRUE(session_.database.empty());
}

TEST_F(QueryServiceBindsTest, DescribeOnlyAnswersColumnsAndRunsNothing) {
  ASSERT_TRUE(Run(R"j({"sqlText":"create table t (id integer)"})j").at("success").as_bool());
  json::object insert = Run(R"j({"sqlText":"insert into t values (1)","describeOnly":true})j");
  ASSERT_TRUE(insert.at("success").as_bool()) << json::serialize(insert);
  EXPECT_EQ(json::serialize(insert.at("data").at("rowset")), "[]");
  json::object select = Run(R"j({"sqlText":"select id from t where id = ?","describeOnly":true})j");
  ASSERT_TRUE(select.at("success").as_bool()) << json::serialize(select);
  EXPECT_EQ(select.at("data").at("rowtype").as_array().size(), 1u);
  EXPECT_EQ(json::serialize(select.at("data").at("rowset")), "[]");
  json::object use = Run(R"j({"sqlText":"use database other","describeOnly":true})j");
  ASSERT_TRUE(use.at("success").as_bool()) << json::serialize(use);
  EXPECT_TRUE(session_.database.empty());
  json::object count = Run(R"j({"sqlText":"select count(*) from t"})j");
  EXPECT_EQ(json::serialize(count.at("data").at("rowset")), R"([["0"]])");
}

}  // namespace
}  // namespace wifgate::server
