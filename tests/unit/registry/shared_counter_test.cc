// SharedCounter: every mapping of one file sees the others' increments at once; a missing
// or short file starts at zero; an unusable path is a named error.
#include "registry/shared_counter.h"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.h"

namespace wifgate::registry {
namespace {

TEST(SharedCounterTest, MappingsOfOneFileShareTheCount) {
  testing::TempDir dir;
  auto a = SharedCounter::Open(dir.path() + "/c");
  auto b = SharedCounter::Open(dir.path() + "/c");
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString();
  EXPECT_EQ((*a)->Load(), 0u);
  (*a)->Increment();
  (*a)->Increment();
  EXPECT_EQ((*b)->Load(), 2u);
  (*b)->Increment();
  EXPECT_EQ((*a)->Load(), 3u);
  a->reset();
  auto again = SharedCounter::Open(dir.path() + "/c");  // the count lives in the file
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->Load(), 3u);
}

TEST(SharedCounterTest, AnEmptyFileStartsAtZero) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/c").close();
  auto c = SharedCounter::Open(dir.path() + "/c");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)->Load(), 0u);
  (*c)->Increment();
  EXPECT_EQ((*c)->Load(), 1u);
}

TEST(SharedCounterTest, AnUnusablePathIsANamedError) {
  testing::TempDir dir;
  auto c = SharedCounter::Open(dir.path() + "/missing/c");
  EXPECT_EQ(c.status().reason(), "registry.shared_counter");
  EXPECT_NE(c.status().message().find("missing/c"), std::string::npos);
}

}  // namespace
}  // namespace wifgate::registry
