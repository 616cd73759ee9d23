#include "wifgate/lambda_runtime.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "fake_env.h"

namespace wifgate {
namespace {

using testing::FakeHttpClient;

net::HttpHeaders InvocationHeaders(const std::string& id) {
  return {
      {"Lambda-Runtime-Aws-Request-Id", id},
      {"Lambda-Runtime-Deadline-Ms", "1795945180734"},
      {"Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:f"},
      {"Lambda-Runtime-Trace-Id", "Root=1-5f84c7a5-1234"}};
}

TEST(LambdaRuntimeTest, ServesInvocationsAndReportsErrors) {
  FakeHttpClient http;
  http.Respond(200, R"({"n":1})", InvocationHeaders("req-1"));
  http.Respond(202, R"({"status":"OK"})");
  http.Respond(200, R"({"n":2})", InvocationHeaders("req-2"));
  http.Respond(202, R"({"status":"OK"})");
  LambdaRuntime runtime("127.0.0.1:9001", http);

  std::vector<LambdaInvocation> seen;
  Status stopped = runtime.Run(
      [&](const LambdaInvocation& in) -> Result<std::string> {
        seen.push_back(in);
        if (in.request_id == "req-2") {
          return Status(Code::kUnauthenticated, "snowflake.390100", "login failed");
        }
        return ApiGatewayResponse(200, "[[\"U\"]]");
      },
      2);
  ASSERT_TRUE(stopped.ok()) << stopped.ToString();

  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].payload, R"({"n":1})");
  EXPECT_EQ(seen[0].deadline_unix_ms, 1795945180734);
  EXPECT_EQ(seen[0].function_arn, "arn:aws:lambda:us-east-1:123456789012:function:f");
  EXPECT_EQ(seen[0].trace_id, "Root=1-5f84c7a5-1234");

  ASSERT_EQ(http.requests.size(), 4u);
  EXPECT_EQ(http.requests[0].method, "GET");
  EXPECT_EQ(http.requests[0].url, "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next");
  EXPECT_FALSE(http.options[0].use_proxy);
  EXPECT_GT(http.options[0].timeout, std::chrono::hours(1));
  EXPECT_EQ(http.requests[1].method, "POST");
  EXPECT_EQ(http.requests[1].url,
            "http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-1/response");
  EXPECT_EQ(http.requests[1].body, R"({"statusCode":200,"body":"[[\"U\"]]"})");
  EXPECT_EQ(http.requests[3].url,
            "http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-2/error");
  EXPECT_EQ(net::FindHeader(http.requests[3].headers, "Lambda-Runtime-Function-Error-Type"),
            "snowflake.390100");
  auto error = ParseStrictJson(http.requests[3].body);
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(GetString(error->as_object(), "errorType"), "snowflake.390100");
  EXPECT_EQ(GetString(error->as_object(), "errorMessage"), "login failed");
}

TEST(LambdaRuntimeTest, StopsWhenTheRuntimeApiFails) {
  FakeHttpClient http;
  http.Respond(200, "{}", InvocationHeaders("req-1"));
  http.Respond(500, "");
  LambdaRuntime runtime("127.0.0.1:9001", http);
  int calls = 0;
  Status stopped = runtime.Run([&](const LambdaInvocation&) -> Result<std::string> {
    ++calls;
    return std::string("{}");
  });
  EXPECT_EQ(stopped.reason(), "lambda.runtime_api_status");
  EXPECT_EQ(calls, 1);

  // Nothing scripted: GET next fails like an unreachable API, and Run returns.
  EXPECT_EQ(
      runtime.Run([](const LambdaInvocation&) -> Result<std::string> { return std::string(); })
          .reason(),
      "net.connect");
}

TEST(LambdaRuntimeTest, InvocationWithoutRequestIdIsRefused) {
  FakeHttpClient http;
  http.Respond(200, "{}");
  LambdaRuntime runtime("127.0.0.1:9001", http);
  EXPECT_EQ(runtime.Next().status().reason(), "lambda.no_request_id");
}

TEST(LambdaRuntimeTest, InitErrorAndEnvironment) {
  FakeHttpClient http;
  http.Respond(202, "");
  LambdaRuntime runtime("127.0.0.1:9001", http);
  ASSERT_TRUE(
      runtime.ReportInitError(Status(Code::kInvalidArgument, "config.missing_account", "set it"))
          .ok());
  EXPECT_EQ(http.requests[0].url, "http://127.0.0.1:9001/2018-06-01/runtime/init/error");
  EXPECT_EQ(net::FindHeader(http.requests[0].headers, "Lambda-Runtime-Function-Error-Type"),
            "config.missing_account");

  testing::FakeEnv env;
  EXPECT_EQ(LambdaRuntime::FromEnvironment(env).status().reason(), "lambda.no_runtime_api");
  env.vars["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:1";
  EXPECT_TRUE(LambdaRuntime::FromEnvironment(env).ok());
}

}  // namespace
}  // namespace wifgate
