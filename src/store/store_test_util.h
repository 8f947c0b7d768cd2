// For unit tests: a real SQLite store in a fresh temp directory (removed afterwards) holding one
// catalog dataset "ds", and helpers to add products without going through the services.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"

namespace kilde::store::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kilde_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    OpenStore();
    ASSERT_TRUE(store_->catalog().Insert(Dataset("ds")).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // (Re)opens the store in dir_, e.g. to test what survives a restart.
  void OpenStore() {
    store_.reset();
    auto s = OpenSqliteStore(dir_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  static ResourceRow Dataset(const std::string& id) {
    ResourceRow ds;
    ds.kind = "datasets";
    ds.id = id;
    ds.created = ds.modified = "2026-01-01T00:00:00Z";
    ds.version = 1;
    ds.doc = "{}";
    return ds;
  }
  // Product `id` of dataset "ds" with an empty schema (version 1), straight into the store.
  void AddProduct(const std::string& id) {
    ProductRow p{id, "ds", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 1, 1, "{}"};
    ASSERT_TRUE(store_->products().Insert(p, {1, "2026-01-01T00:00:00Z", R"({"columns":[]})"}).ok());
  }

  // The metadata Commit() takes, for edition `id` of `rows` rows.
  static EditionRow Meta(std::string id, int64_t rows) {
    EditionRow e;
    e.id = std::move(id);
    e.created = "2026-01-01T00:00:00Z";
    e.row_count = rows;
    e.schema_version = 1;
    e.sha256 = "abc";
    e.quality = "{}";
    return e;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace kilde::store::testing
