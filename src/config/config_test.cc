#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace kilde::config {
namespace {

std::string WriteTemp(const std::string& text) {
  auto p = std::filesystem::temp_directory_path() / ("kilde_cfg_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(p) << text;
  return p.string();
}

TEST(Config, DefaultsAreLoopback) {
  Config c;
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.PublicUrl(), "http://127.0.0.1:8080");
}

TEST(Config, FileThenEnvThenFlagsOverride) {
  Config c;
  auto path =
      WriteTemp("listen = \"127.0.0.1:9000\"\ndata_dir = \"/tmp/a\"\n[http]\nmax_body_bytes = 4096\n");
  ASSERT_TRUE(ApplyFile(c, path).ok());
  EXPECT_EQ(c.listen_port, 9000);
  EXPECT_EQ(c.max_body_bytes, 4096u);
  std::map<std::string, std::string> env = {{"KILDE_DATA_DIR", "/tmp/b"},
                                            {"KILDE_HTTP_MAX_BODY_BYTES", "8192"}};
  ASSERT_TRUE(ApplyEnv(c, [&](const char* n) -> const char* {
                auto it = env.find(n);
                return it == env.end() ? nullptr : it->second.c_str();
              }).ok());
  EXPECT_EQ(c.data_dir, "/tmp/b");
  EXPECT_EQ(c.max_body_bytes, 8192u);
  EXPECT_EQ(c.listen_port, 9000);                    // not overridden by env
  ASSERT_TRUE(Set(c, "listen", "0.0.0.0:81").ok());  // flags use Set
  EXPECT_EQ(c.listen_port, 81);
  EXPECT_EQ(c.PublicUrl(), "http://127.0.0.1:81");
  std::filesystem::remove(path);
}

TEST(Config, UnknownKeyInFileIsNamedWithLine) {
  Config c;
  auto path = WriteTemp("listen = \"127.0.0.1:9000\"\nlisten_prot = 3\n");
  Status s = ApplyFile(c, path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("listen_prot"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("line 2"), std::string::npos) << s.message();
  std::filesystem::remove(path);
}

TEST(Config, SyntaxErrorNamesLine) {
  Config c;
  auto path = WriteTemp("listen = \n");
  Status s = ApplyFile(c, path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("line 1"), std::string::npos) << s.message();
  std::filesystem::remove(path);
}

TEST(Config, BadValuesAreRejected) {
  Config c;
  EXPECT_FALSE(Set(c, "listen", "nope").ok());
  EXPECT_FALSE(Set(c, "listen", "127.0.0.1:70000").ok());
  EXPECT_FALSE(Set(c, "http.max_body_bytes", "12x").ok());
  EXPECT_FALSE(Set(c, "log_level", "loud").ok());
  EXPECT_FALSE(Set(c, "public_url", "ftp://x").ok());
  Status s = ApplyEnv(
      c, [](const char* n) -> const char* { return std::string(n) == "KILDE_WORKERS" ? "-3" : nullptr; });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("KILDE_WORKERS"), std::string::npos);
}

}  // namespace
}  // namespace kilde::config
