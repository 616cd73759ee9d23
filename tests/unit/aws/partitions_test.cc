#include "aws/partitions.h"

#include <gtest/gtest.h>

namespace wifgate::aws {
namespace {

TEST(PartitionsTest, MapsRegionPrefixesToPartitions) {
  EXPECT_EQ(PartitionForRegion("us-east-1")->name, "aws");
  EXPECT_EQ(PartitionForRegion("eu-central-2")->dns_suffix, "amazonaws.com");
  EXPECT_EQ(PartitionForRegion("cn-north-1")->name, "aws-cn");
  EXPECT_EQ(PartitionForRegion("cn-northwest-1")->dns_suffix, "amazonaws.com.cn");
  EXPECT_EQ(PartitionForRegion("us-gov-west-1")->name, "aws-us-gov");
  EXPECT_EQ(PartitionForRegion("us-iso-east-1")->name, "aws-iso");
  EXPECT_EQ(PartitionForRegion("us-isob-east-1")->name, "aws-iso-b");
  EXPECT_EQ(PartitionForRegion("us-isob-east-1")->dns_suffix, "sc2s.sgov.gov");
}

TEST(PartitionsTest, StsHosts) {
  EXPECT_EQ(StsHostForRegion("us-east-1").value(), "sts.us-east-1.amazonaws.com");
  EXPECT_EQ(StsHostForRegion("cn-north-1").value(), "sts.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(StsHostForRegion("us-gov-east-1").value(), "sts.us-gov-east-1.amazonaws.com");
  EXPECT_EQ(StsHostForRegion("us-west-2", true).value(), "sts-fips.us-west-2.amazonaws.com");
  EXPECT_EQ(StsHostForRegion("us-gov-west-1", true).value(), "sts.us-gov-west-1.amazonaws.com");
}

TEST(PartitionsTest, RefusesNonRegions) {
  for (const char* bad :
       {"", "US-EAST-1", "us_east_1", "-us-east-1", "us--east-1", "useast1", "evil.com/x",
        "us-east-1.attacker.com", "a-very-long-region-name-that-is-too-long-1"}) {
    auto p = PartitionForRegion(bad);
    EXPECT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().reason(), "aws.bad_region") << bad;
  }
}

}  // namespace
}  // namespace wifgate::aws
