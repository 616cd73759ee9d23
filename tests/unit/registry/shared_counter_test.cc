// SharedCounter: every mapping of one file sees the others' increments at once; a missing
// or short file starts at zero; an unusable path, a link, a non-regular file and another
// user's file are named errors and never written.
#include "registry/shared_counter.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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

std::string Contents(const std::string& path) {
  std::ostringstream out;
  out << std::ifstream(path).rdbuf();
  return out.str();
}

TEST(SharedCounterTest, ANewFileIsPrivateAndHasItsBlocks) {
  testing::TempDir dir;
  auto c = SharedCounter::Open(dir.path() + "/c");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  struct stat st {};
  ASSERT_EQ(stat((dir.path() + "/c").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 8);
  // Allocated, not a sparse hole that a full disk would turn into a SIGBUS on first write.
  EXPECT_GT(st.st_blocks, 0);
}

TEST(SharedCounterTest, ASymbolicLinkIsNotFollowed) {
  testing::TempDir dir;
  const std::string victim = dir.path() + "/victim";
  std::ofstream(victim) << "precious contents";
  std::filesystem::create_symlink(victim, dir.path() + "/c");
  auto c = SharedCounter::Open(dir.path() + "/c");
  EXPECT_EQ(c.status().reason(), "registry.shared_counter");
  EXPECT_NE(c.status().message().find("symbolic link"), std::string::npos) << c.status().message();
  EXPECT_EQ(Contents(victim), "precious contents");
}

TEST(SharedCounterTest, OnlyARegularFileIsUsed) {
  testing::TempDir dir;
  ASSERT_EQ(mkfifo((dir.path() + "/fifo").c_str(), 0600), 0);
  auto fifo = SharedCounter::Open(dir.path() + "/fifo");
  EXPECT_EQ(fifo.status().reason(), "registry.shared_counter");
  EXPECT_NE(fifo.status().message().find("not a regular file"), std::string::npos)
      << fifo.status().message();
  std::filesystem::create_directory(dir.path() + "/d");
  EXPECT_EQ(SharedCounter::Open(dir.path() + "/d").status().reason(), "registry.shared_counter");
}

// Giving a file to another user needs root, which is how the suite runs here and in CI.
TEST(SharedCounterTest, AnotherUsersFileIsRefusedUntouched) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give the file to another user";
  testing::TempDir dir;
  const std::string path = dir.path() + "/c";
  std::ofstream(path) << "theirs";
  ASSERT_EQ(chown(path.c_str(), 65534, 65534), 0);
  auto c = SharedCounter::Open(path);
  EXPECT_EQ(c.status().reason(), "registry.shared_counter");
  EXPECT_NE(c.status().message().find("belongs to uid 65534"), std::string::npos)
      << c.status().message();
  EXPECT_EQ(Contents(path), "theirs");
}

}  // namespace
}  // namespace wifgate::registry
