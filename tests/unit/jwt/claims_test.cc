#include "jwt/claims.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/json.h"
#include "common/time_format.h"

namespace wifgate::jwt {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1700000000;

class ClaimsTest : public ::testing::Test {
 protected:
  ClaimsTest() { policy_.audiences = {"snowflakecomputing.com"}; }

  json::object Good() const {
    return {{"iss", "https://idp.test"},
            {"sub", "s"},
            {"aud", "snowflakecomputing.com"},
            {"iat", kNow - 10},
            {"exp", kNow + 300}};
  }
  std::string Reason(const json::object& c) const {
    return ValidateClaims(c, policy_, FromUnixSeconds(kNow)).status().reason();
  }
  std::string ReasonWith(std::string_view key, json::value v) const {
    json::object c = Good();
    c[key] = std::move(v);
    return Reason(c);
  }
  std::string ReasonWithout(std::string_view key) const {
    json::object c = Good();
    c.erase(key);
    return Reason(c);
  }

  ClaimsPolicy policy_;
};

TEST_F(ClaimsTest, AcceptsValidClaims) {
  Result<Claims> c = ValidateClaims(Good(), policy_, FromUnixSeconds(kNow));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->iss, "https://idp.test");
  EXPECT_EQ(c->sub, "s");
  EXPECT_EQ(c->aud, std::vector<std::string>{"snowflakecomputing.com"});
  EXPECT_EQ(c->exp, kNow + 300);
  EXPECT_EQ(ReasonWith("aud", json::array{"snowflakecomputing.com", "snowflakecomputing.com"}), "");
  EXPECT_EQ(ReasonWith("exp", 1.7e9 + 300.5), "");  // CLM-04: a fractional NumericDate is fine
}

TEST_F(ClaimsTest, Audience) {  // CLM-02
  EXPECT_EQ(ReasonWithout("aud"), "jwt.claim_missing");
  EXPECT_EQ(ReasonWith("aud", ""), "jwt.malformed");
  EXPECT_EQ(ReasonWith("aud", "snowflakecomputing.com.evil.test"), "jwt.audience_mismatch");
  EXPECT_EQ(ReasonWith("aud", "Snowflakecomputing.com"), "jwt.audience_mismatch");
  EXPECT_EQ(ReasonWith("aud", 5), "jwt.malformed");
  EXPECT_EQ(ReasonWith("aud", json::object{{"a", "snowflakecomputing.com"}}), "jwt.malformed");
  EXPECT_EQ(ReasonWith("aud", json::array{json::array{"snowflakecomputing.com"}}), "jwt.malformed");
  EXPECT_EQ(ReasonWith("aud", json::array{"x"}), "jwt.audience_mismatch");
  EXPECT_EQ(ReasonWith("aud", json::array{}), "jwt.malformed");
  json::array many(40, json::value("snowflakecomputing.com"));
  EXPECT_EQ(ReasonWith("aud", many), "jwt.malformed");
}

// OIDC Core §3.1.3.7: a token that also names audiences we do not trust is refused, unless
// the operator allows it.
TEST_F(ClaimsTest, ExtraAudiences) {
  json::array mixed{"other-relying-party", "snowflakecomputing.com"};
  Result<Claims> refused = ValidateClaims(
      [&] {
        json::object c = Good();
        c["aud"] = mixed;
        return c;
      }(),
      policy_, FromUnixSeconds(kNow));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "jwt.audience_untrusted");
  EXPECT_NE(refused.status().message().find("allow_extra_audiences"), std::string::npos);
  EXPECT_EQ(refused.status().message().find("other-relying-party"), std::string::npos);

  policy_.audiences = {"snowflakecomputing.com", "other-relying-party"};
  EXPECT_EQ(ReasonWith("aud", mixed), "");  // both accepted

  policy_.audiences = {"snowflakecomputing.com"};
  policy_.allow_extra_audiences = true;
  EXPECT_EQ(ReasonWith("aud", mixed), "");
  EXPECT_EQ(ReasonWith("aud", json::array{"x", "y"}), "jwt.audience_mismatch");
}

TEST_F(ClaimsTest, Times) {  // CLM-04
  EXPECT_EQ(ReasonWith("exp", kNow - 3600), "jwt.expired");
  EXPECT_EQ(ReasonWith("exp", kNow - 61), "jwt.expired");
  EXPECT_EQ(ReasonWith("exp", kNow - 59), "");  // inside the 60 s leeway
  EXPECT_EQ(ReasonWithout("exp"), "jwt.claim_missing");
  EXPECT_EQ(ReasonWithout("iat"), "jwt.claim_missing");
  EXPECT_EQ(ReasonWith("nbf", kNow + 3600), "jwt.not_yet_valid");
  EXPECT_EQ(ReasonWith("iat", kNow + 3600), "jwt.issued_in_future");
  EXPECT_EQ(ReasonWith("exp", kNow + 30 * 86400), "jwt.lifetime_too_long");
  EXPECT_EQ(ReasonWith("exp", "9999999999"), "jwt.malformed");
  EXPECT_EQ(ReasonWith("exp", 1e300), "jwt.malformed");
  EXPECT_EQ(ReasonWith("exp", -5), "jwt.malformed");
  EXPECT_EQ(ReasonWith("iat", true), "jwt.malformed");
}

TEST_F(ClaimsTest, LeewayIsCappedAtTwoMinutes) {
  policy_.leeway = std::chrono::hours(1);
  EXPECT_EQ(ReasonWith("exp", kNow - 119), "");
  EXPECT_EQ(ReasonWith("exp", kNow - 121), "jwt.expired");
}

TEST_F(ClaimsTest, LifetimeWithoutIatCountsFromNow) {
  policy_.require_iat = false;
  EXPECT_EQ(ReasonWithout("iat"), "");
  json::object c = Good();
  c.erase("iat");
  c["exp"] = kNow + 2 * 86400;
  EXPECT_EQ(Reason(c), "jwt.lifetime_too_long");
}

TEST_F(ClaimsTest, SubjectAndIssuerAreCleanStrings) {  // FMT-05
  EXPECT_EQ(ReasonWithout("sub"), "jwt.claim_missing");
  EXPECT_EQ(ReasonWith("sub", 104000000000000000), "jwt.malformed");
  EXPECT_EQ(ReasonWith("sub", ""), "jwt.malformed");
  EXPECT_EQ(ReasonWith("sub", json::string(std::string_view("104000000000000000001\0evil", 26))),
            "jwt.malformed");
  EXPECT_EQ(ReasonWith("sub", "a\r\nb"), "jwt.malformed");
  EXPECT_EQ(ReasonWith("sub", json::string(2000, 'a')), "jwt.malformed");
  EXPECT_EQ(ReasonWith("iss", json::array{"x"}), "jwt.malformed");
  // Invalid UTF-8 and lone surrogates never reach here: the strict JSON parser refuses them.
  EXPECT_FALSE(ParseStrictJson(R"({"sub":"\ud800"})").ok());
}

TEST(ReadIssuerTest, ReadsOnlyStrings) {
  EXPECT_EQ(*ReadIssuer(json::object{{"iss", "https://a"}}), "https://a");
  EXPECT_EQ(ReadIssuer(json::object{}).status().reason(), "jwt.claim_missing");
  EXPECT_EQ(ReadIssuer(json::object{{"iss", 1}}).status().reason(), "jwt.malformed");
}

}  // namespace
}  // namespace wifgate::jwt
