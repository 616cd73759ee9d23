#include "aws/xml.h"

#include <gtest/gtest.h>

namespace wifgate::aws {
namespace {

TEST(XmlTest, ParsesAwsShapedDocument) {
  auto root = ParseXml(
      "<?xml version=\"1.0\"?>\n<R xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
      "  <A><B>x &amp; y &lt;&#65;&#x42;&gt;</B><C/></A>\n</R>\n");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->name, "R");
  auto b = FindUniquePath(*root, {"A", "B"});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->text, "x & y <AB>");
  auto c = FindUniquePath(*root, {"A", "C"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->text, "");
}

TEST(XmlTest, RefusesWhatAwsNeverSends) {
  for (const char* doc : {
           "<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>",  // entity definitions
           "<r>&x;</r>",                                  // undefined entity
           "<r><!-- c --></r>",                           // comment
           "<r><![CDATA[x]]></r>",                        // CDATA
           "<r><?pi x?></r>",                             // processing instruction
           "<r><a>x</b></r>",                             // mismatched tags
           "<r>text<a/></r>",                             // mixed content
           "<r></r><r></r>",                              // two roots
           "<r>",                                         // unterminated
           "<r a=b></r>",                                 // unquoted attribute
           "<r>&#0;</r>",                                 // NUL reference
           "<r>&#xD800;</r>",                             // surrogate
           "<r>a>b</r>",                                  // stray markup
           "",                                            // empty
       }) {
    auto root = ParseXml(doc);
    EXPECT_FALSE(root.ok()) << doc;
    EXPECT_EQ(root.status().reason(), "aws.xml_malformed") << doc;
  }
}

TEST(XmlTest, EnforcesLimits) {
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "<a>";
  for (int i = 0; i < 20; ++i) deep += "</a>";
  EXPECT_FALSE(ParseXml(deep).ok());
  EXPECT_FALSE(ParseXml("<r>" + std::string(70000, 'x') + "</r>").ok());
}

TEST(XmlTest, FindUniquePathRefusesMissingAndDuplicate) {
  auto root = ParseXml("<r><a>1</a><a>2</a></r>");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(FindUniquePath(*root, {"a"}).status().reason(), "aws.xml_duplicate_field");
  EXPECT_EQ(FindUniquePath(*root, {"b"}).status().reason(), "aws.xml_missing_field");
}

}  // namespace
}  // namespace wifgate::aws
