#include "base/secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

namespace kilde {
namespace {

TEST(Secret, HmacMatchesRfc4231Case2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Secret, KeyFileIsCreatedOncePrivateAndReused) {
  auto dir = std::filesystem::temp_directory_path() / ("kilde-secret-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "k").string();
  auto a = LoadOrCreateSecret(path, 32);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto b = LoadOrCreateSecret(path, 32);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  // Loose permissions are refused; a malformed file is an error, not a new key.
  ::chmod(path.c_str(), 0644);
  EXPECT_EQ(LoadOrCreateSecret(path, 32).status().code(), Code::kFailedPrecondition);
  ::chmod(path.c_str(), 0600);
  EXPECT_EQ(LoadOrCreateSecret(path, 16).status().code(), Code::kInternal);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kilde
