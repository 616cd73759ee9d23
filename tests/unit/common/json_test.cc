#include "common/json.h"

#include <gtest/gtest.h>

namespace wifgate {
namespace {

TEST(StrictJson, ParsesNestedDocument) {
  auto v = ParseStrictJson(R"({"a":{"b":[1,"x",true,null]},"c":"d"})");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  const auto& obj = v->as_object();
  EXPECT_EQ(GetString(obj, "c"), "d");
  ASSERT_NE(GetObject(obj, "a"), nullptr);
  EXPECT_EQ(GetArray(*GetObject(obj, "a"), "b")->size(), 4u);
}

TEST(StrictJson, RejectsDuplicateKeysAtAnyDepth) {
  for (const char* text : {R"({"a":1,"a":2})", R"({"x":{"a":1,"a":1}})", R"([{"k":1,"k":1}])"}) {
    auto v = ParseStrictJson(text);
    ASSERT_FALSE(v.ok()) << text;
    EXPECT_EQ(v.status().reason(), "json.malformed");
    EXPECT_NE(v.status().message().find("duplicate"), std::string::npos);
  }
  // Same key in sibling objects is fine.
  EXPECT_TRUE(ParseStrictJson(R"([{"k":1},{"k":1}])").ok());
}

TEST(StrictJson, RejectsNonStandardInput) {
  for (const char* text : {"{\"a\":1} x", "{\"a\":1,}", "// c\n{}", "{'a':1}", "\"\x01\"",
                           "\"\xff\"", "", "{", "[1,2"}) {
    EXPECT_FALSE(ParseStrictJson(text).ok()) << text;
  }
}

TEST(StrictJson, EnforcesLimits) {
  EXPECT_EQ(ParseStrictJson("[1,2,3]", {.max_bytes = 4}).status().reason(), "json.too_large");
  std::string deep(40, '[');
  deep += std::string(40, ']');
  EXPECT_FALSE(ParseStrictJson(deep).ok());
}

TEST(StrictJson, TypedGettersRefuseWrongTypes) {
  auto v = ParseStrictJson(R"({"s":1,"n":"1","b":"true"})");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(GetString(v->as_object(), "s"));
  EXPECT_FALSE(GetInt(v->as_object(), "n"));
  EXPECT_FALSE(GetBool(v->as_object(), "b"));
  EXPECT_FALSE(GetString(v->as_object(), "missing"));
}

}  // namespace
}  // namespace wifgate
