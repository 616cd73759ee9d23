#include <gtest/gtest.h>

#include "sql/errors.h"
#include "sql/lexer.h"
#include "sql/parser.h"

namespace wifgate::sql {
namespace {

TEST(LexerTest, IdentifierRulesAndStrings) {
  auto t = Lex("create user my_Svc \"Mixed Case\"\"x\" 'it''s' 'a\\'b' 42 -- c\n /* d */ = ;");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->size(), 10u);
  EXPECT_EQ((*t)[0].text, "CREATE");
  EXPECT_EQ((*t)[2].text, "MY_SVC");
  EXPECT_EQ((*t)[3].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ((*t)[3].text, "Mixed Case\"x");
  EXPECT_EQ((*t)[4].kind, TokenKind::kString);
  EXPECT_EQ((*t)[4].text, "it's");
  EXPECT_EQ((*t)[5].text, "a'b");
  EXPECT_EQ((*t)[6].kind, TokenKind::kNumber);
  EXPECT_EQ((*t)[7].text, "=");
  EXPECT_EQ((*t)[7].line, 2);
  EXPECT_EQ((*t)[9].kind, TokenKind::kEnd);
}

TEST(LexerTest, Rejections) {
  for (const char* bad : {"select 'abc", "select \"abc", "select /* x", "select \"\""}) {
    auto t = Lex(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().reason(), "sql.syntax_error");
    EXPECT_EQ(SqlErrorCode(t.status()), "001003");
    EXPECT_EQ(SqlErrorState(t.status()), "42000");
  }
}

TEST(ParserTest, CreateUserWithWorkloadIdentity) {
  auto s = Parse(
      "CREATE OR REPLACE USER my_svc TYPE = SERVICE DEFAULT_ROLE = etl "
      "WORKLOAD_IDENTITY = ( TYPE = AWS ARN = 'arn:aws:iam::123456789012:role/service-role/x' ) "
      "COMMENT = 'c';");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto& c = std::get<CreateUser>(*s);
  EXPECT_TRUE(c.or_replace);
  EXPECT_FALSE(c.if_not_exists);
  EXPECT_EQ(c.name, "MY_SVC");
  ASSERT_EQ(c.props.size(), 4u);
  EXPECT_EQ(c.props[1].value.text, "ETL");
  EXPECT_EQ(c.props[2].value.kind, Value::Kind::kProperties);
  EXPECT_EQ(c.props[2].value.props[1].value.text, "arn:aws:iam::123456789012:role/service-role/x");
}

TEST(ParserTest, OidcAudienceListAndIfNotExists) {
  auto s = Parse(
      "create user if not exists \"gh\" workload_identity = (type = oidc issuer = 'https://i' "
      "subject = 's' oidc_audience_list = ('a', 'b'))");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto& c = std::get<CreateUser>(*s);
  EXPECT_TRUE(c.if_not_exists);
  EXPECT_EQ(c.name, "gh");
  auto& aud = c.props[0].value.props[3].value;
  EXPECT_EQ(aud.kind, Value::Kind::kList);
  EXPECT_EQ(aud.items.size(), 2u);
}

TEST(ParserTest, AlterUserForms) {
  auto add = Parse("ALTER USER u ADD WORKLOAD IDENTITY ci TYPE = GCP SUBJECT = '123'");
  ASSERT_TRUE(add.ok());
  EXPECT_EQ(std::get<AlterUser>(*add).action, AlterUser::Action::kAddIdentity);
  EXPECT_EQ(std::get<AlterUser>(*add).identity, "CI");

  auto self = Parse("ALTER USER ADD WORKLOAD IDENTITY ci TYPE = GCP SUBJECT = '123'");
  ASSERT_TRUE(self.ok());
  EXPECT_FALSE(std::get<AlterUser>(*self).name.has_value());

  auto rename = Parse("ALTER USER IF EXISTS u MODIFY WORKLOAD IDENTITY ci RENAME TO ci2");
  ASSERT_TRUE(rename.ok());
  EXPECT_TRUE(std::get<AlterUser>(*rename).if_exists);
  EXPECT_EQ(std::get<AlterUser>(*rename).new_name, "CI2");

  auto set = Parse("ALTER USER u MODIFY WORKLOAD IDENTITY ci SET DISABLED = TRUE COMMENT = 'x'");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(std::get<AlterUser>(*set).props.size(), 2u);

  auto unset = Parse("ALTER USER u MODIFY WORKLOAD IDENTITY ci UNSET DISABLED, COMMENT");
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(std::get<AlterUser>(*unset).unset.size(), 2u);

  auto remove = Parse("ALTER USER u REMOVE WORKLOAD IDENTITY ci");
  EXPECT_EQ(std::get<AlterUser>(*remove).action, AlterUser::Action::kRemoveIdentity);

  auto policy = Parse("ALTER USER u SET AUTHENTICATION POLICY p FORCE");
  EXPECT_EQ(std::get<AlterUser>(*policy).policy, "P");
  auto unset_wi = Parse("ALTER USER u UNSET WORKLOAD_IDENTITY");
  EXPECT_EQ(std::get<AlterUser>(*unset_wi).unset, std::vector<std::string>{"WORKLOAD_IDENTITY"});
}

TEST(ParserTest, OtherAdminStatements) {
  EXPECT_TRUE(std::holds_alternative<ShowWorkloadIdentities>(
      *Parse("SHOW USER WORKLOAD IDENTITY AUTHENTICATION METHODS FOR USER u")));
  EXPECT_TRUE(std::holds_alternative<ShowObjects>(*Parse("show users like 'A%'")));
  EXPECT_TRUE(std::holds_alternative<ShowObjects>(*Parse("SHOW AUTHENTICATION POLICIES")));
  EXPECT_TRUE(std::holds_alternative<ShowGrantsToUser>(*Parse("SHOW GRANTS TO USER u")));
  EXPECT_TRUE(std::holds_alternative<DescribeObject>(*Parse("DESCRIBE USER u")));
  EXPECT_TRUE(std::holds_alternative<DropObject>(*Parse("DROP AUTHENTICATION POLICY IF EXISTS p")));
  auto grant = Parse("REVOKE ROLE r FROM USER u");
  EXPECT_TRUE(std::get<GrantRole>(*grant).revoke);
  auto policy = Parse(
      "CREATE AUTHENTICATION POLICY p AUTHENTICATION_METHODS = ('WORKLOAD_IDENTITY') "
      "WORKLOAD_IDENTITY_POLICY = (ALLOWED_PROVIDERS = (AWS, AZURE) ALLOWED_AWS_ACCOUNTS = "
      "('123456789012'))");
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  EXPECT_EQ(std::get<CreatePolicy>(*policy).props.size(), 2u);
  EXPECT_TRUE(std::get<AlterAccount>(*Parse("ALTER ACCOUNT UNSET AUTHENTICATION POLICY")).set ==
              false);
}

TEST(ParserTest, NonAdminStatementsPassThrough) {
  for (const char* q :
       {"SELECT 1", "create table t (x int)", "drop table t", "insert into t values (1)"}) {
    auto s = Parse(q);
    ASSERT_TRUE(s.ok()) << q;
    EXPECT_EQ(std::get<Query>(*s).text, q);
  }
}

TEST(ParserTest, SyntaxErrorsNamePositionAndExpectation) {
  struct Case {
    const char* sql;
    const char* expect;
  } cases[] = {
      {"CREATE USER", "unexpected end of input; expected a user name"},
      {"ALTER USER u FROB", "position 13 unexpected 'FROB'; expected SET, UNSET"},
      {"ALTER USER u ADD WORKLOAD IDENTITY", "expected a workload identity name"},
      {"ALTER USER u MODIFY WORKLOAD IDENTITY x DROP", "expected RENAME TO, SET or UNSET"},
      {"SHOW FROBS", "expected USERS, ROLES"},
      {"SHOW USER WORKLOAD IDENTITY", "expected AUTHENTICATION"},
      {"CREATE USER u TYPE = ", "expected a value"},
      {"CREATE USER u WORKLOAD_IDENTITY = (TYPE = AWS", "expected ')'"},
      {"DROP USER u extra", "expected end of statement"},
      {"GRANT SELECT ON t TO ROLE r", "expected ROLE"},
      {"ALTER ACCOUNT SET FOO = 1", "expected AUTHENTICATION"},
      {"ALTER USER u SET", "expected a property (NAME = value)"},
      {"DESC ROLE r", "expected USER or AUTHENTICATION POLICY"},
      {"", "empty SQL statement"},
  };
  for (const auto& c : cases) {
    auto s = Parse(c.sql);
    ASSERT_FALSE(s.ok()) << c.sql;
    EXPECT_EQ(s.status().reason(), "sql.syntax_error") << c.sql;
    EXPECT_NE(s.status().message().find(c.expect), std::string::npos)
        << c.sql << " -> " << s.status().message();
  }
}

}  // namespace
}  // namespace wifgate::sql
