#include "store/sqlite/pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace kilde::store::sqlite {
namespace {

// Regression: every distinct row query (its filters make its SQL) stayed prepared forever on its
// connection; a returned connection now keeps at most kMaxCachedStatements.
TEST(ConnectionPool, ReturnedConnectionsKeepABoundedStatementCache) {
  const auto path =
      std::filesystem::temp_directory_path() / ("kilde_pool_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  auto c = Connection::Open(path.string());
  ASSERT_TRUE(c.ok()) << c.status().message();
  std::vector<std::unique_ptr<Connection>> conns;
  conns.push_back(std::move(*c));
  ConnectionPool pool(std::move(conns));
  {
    auto lease = pool.Acquire();
    for (size_t i = 0; i < 10; ++i) ASSERT_TRUE(lease->Prepare("SELECT " + std::to_string(i)).ok());
  }
  EXPECT_EQ(pool.Acquire()->cached_statements(), 10u) << "a few statements stay cached";
  {
    auto lease = pool.Acquire();
    for (size_t i = 0; i < ConnectionPool::kMaxCachedStatements + 5; ++i) {
      auto s = lease->Prepare("SELECT " + std::to_string(i));
      ASSERT_TRUE(s.ok());
      ASSERT_EQ((*s)->Step(), SQLITE_ROW);
    }
    EXPECT_GT(lease->cached_statements(), ConnectionPool::kMaxCachedStatements);
  }
  EXPECT_EQ(pool.Acquire()->cached_statements(), 0u);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace kilde::store::sqlite
