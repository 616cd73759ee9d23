#include "common/time_format.h"

#include <gtest/gtest.h>

namespace wifgate {
namespace {

TEST(TimeFormat, AmzDateRoundTrip) {
  SystemTime t = FromUnixSeconds(1440938160);
  EXPECT_EQ(FormatAmzDate(t), "20150830T123600Z");
  EXPECT_EQ(ParseAmzDate("20150830T123600Z"), t);
}

TEST(TimeFormat, AmzDateRejectsDeviations) {
  for (const char* s : {"20150830T123600", "2015-08-30T12:36:00Z", "20151330T123600Z",
                        "20150231T123600Z", "20150830T253600Z", "2015083OT123600Z", ""}) {
    EXPECT_FALSE(ParseAmzDate(s)) << s;
  }
}

TEST(TimeFormat, Rfc3339) {
  SystemTime t = FromUnixSeconds(1440938160);
  EXPECT_EQ(FormatRfc3339(t), "2015-08-30T12:36:00Z");
  EXPECT_EQ(ParseRfc3339("2015-08-30T12:36:00Z"), t);
  EXPECT_EQ(ParseRfc3339("2015-08-30T12:36:00.123Z"), t);
  EXPECT_EQ(ParseRfc3339("2015-08-30T14:36:00+02:00"), t);
  EXPECT_FALSE(ParseRfc3339("2015-08-30 12:36:00Z"));
  EXPECT_FALSE(ParseRfc3339("2015-08-30T12:36:00"));
  EXPECT_FALSE(ParseRfc3339("2015-08-30T12:36:00.Z"));
}

}  // namespace
}  // namespace wifgate
