// The role-path case end to end, with the real AWS verifier against a scripted STS: an
// administrator registers a console-created Lambda role by its ARN with the /service-role/
// path, the Lambda's SigV4 attestation verifies to an assumed-role ARN that carries no path,
// and the login resolves, passes policy, lands in LOGIN_HISTORY and updates LAST_USED.
#include <gtest/gtest.h>

#include "aws_test_util.h"
#include "fake_env.h"
#include "registry/login_history.h"
#include "registry/policy.h"
#include "registry/resolver.h"
#include "registry/sqlite_store.h"
#include "sql/executor.h"
#include "temp_dir.h"
#include "verify/aws_sts_verifier.h"

namespace wifgate::sql {
namespace {

std::string CallerJson(const std::string& arn) {
  return "{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{\"Account\":"
         "\"123456789012\",\"Arn\":\"" +
         arn +
         "\",\"UserId\":\"AROAEXAMPLEID:my-fn\"},\"ResponseMetadata\":{\"RequestId\":"
         "\"01234567-89ab-cdef-0123-456789abcdef\"}}}";
}

TEST(WifPathEndToEnd, ServiceRoleLambdaLogsIn) {
  testing::TempDir dir;
  testing::FakeEnv env;
  testing::FakeHttpClient sts;
  auto store = registry::OpenSqliteStore(dir.path());
  ASSERT_TRUE(store.ok());
  auto reg = registry::Registry::Open(std::move(*store));
  ASSERT_TRUE(reg.ok());
  auto engine = Engine::Open(dir.path() + "/user.db");
  ASSERT_TRUE(engine.ok());
  Executor executor(**reg, **engine, env);
  auto created = executor.Execute(
      SessionContext::LocalAdmin(),
      "CREATE USER lambda_svc TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AWS ARN = "
      "'arn:aws:iam::123456789012:role/service-role/my-fn-role-abc')");
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  auto verifier = verify::AwsStsVerifier::Create(verify::AwsStsVerifierConfig{}, sts, env);
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  sts.Respond(200, CallerJson("arn:aws:sts::123456789012:assumed-role/my-fn-role-abc/my-fn"),
              {{"Content-Type", "application/json"}});
  testing::EnvelopeBuilder envelope(env.now);
  auto identity = (*verifier)->Verify(envelope.Token());
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->aws->name, "my-fn-role-abc");

  auto snapshot = (*reg)->Current();
  ASSERT_TRUE(snapshot.ok());
  auto principal = registry::Resolve(*snapshot, *identity);
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->user->name, "LAMBDA_SVC");
  Status allowed = registry::CheckWorkloadLogin(*principal, *identity);
  ASSERT_TRUE(allowed.ok()) << allowed.ToString();
  auto event = registry::WorkloadLoginEvent(
      &*identity, &*principal, allowed, {"127.0.0.1", "JAVASCRIPT_DRIVER", "2.0.0"}, 1700000000);
  ASSERT_TRUE((*reg)->store().RecordLogin(event).ok());

  auto history = executor.Execute(
      SessionContext::LocalAdmin(),
      "SELECT user_name, is_success, first_authentication_factor, "
      "json_extract(login_details, '$.match_key') AS k FROM SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(history->rows[0][0]), "LAMBDA_SVC");
  EXPECT_EQ(std::get<std::string>(history->rows[0][1]), "YES");
  EXPECT_EQ(std::get<std::string>(history->rows[0][2]), "WORKLOAD_IDENTITY");
  EXPECT_EQ(std::get<std::string>(history->rows[0][3]), "aws-role:aws:123456789012:my-fn-role-abc");

  auto show = executor.Execute(SessionContext::LocalAdmin(),
                               "SHOW USER WORKLOAD IDENTITY AUTHENTICATION METHODS FOR USER "
                               "lambda_svc");
  ASSERT_TRUE(show.ok());
  EXPECT_EQ(std::get<int64_t>(show->rows[0][3]), 1700000000);  // last_used
}

}  // namespace
}  // namespace wifgate::sql
