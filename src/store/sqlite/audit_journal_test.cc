// The journal's files on a real disk: what recovery reads back after appends, torn writes and file
// switches, and that one holder at a time may write.
#include "store/sqlite/audit_journal.h"
#include "store/sqlite/audit_journal_frame.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace kilde::store::sqlite {
namespace {

// Run with direct writes (where the file system takes them) and with write + fdatasync.
class AuditJournalTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kilde_journal_test_" + std::to_string(::getpid()) + "_" + (GetParam() ? "direct" : "buffered"));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<AuditJournal> Open(size_t switch_bytes = AuditJournal::kDefaultSwitchBytes) {
    auto j = AuditJournal::TryOpen(dir_, switch_bytes, GetParam());
    EXPECT_TRUE(j.ok()) << j.status().message();
    EXPECT_TRUE(j.ok() && *j) << "locked";
    if (!j.ok() || !*j) return nullptr;
    EXPECT_TRUE((*j)->Clear().ok());
    return std::move(*j);
  }
  // Appends entries first..last as one frame.
  static void Append(AuditJournal& j, int64_t first, int64_t last) {
    ASSERT_TRUE(j.Append(Batch(first, last)).ok());
  }
  // The size of that frame.
  static size_t FrameSize(int64_t first, int64_t last) {
    std::string bytes;
    AppendJournalFrame(Batch(first, last), bytes);
    return bytes.size();
  }
  static std::vector<SealedAuditEntry> Batch(int64_t first, int64_t last) {
    std::vector<SealedAuditEntry> batch;
    for (int64_t seq = first; seq <= last; ++seq) {
      SealedAuditEntry x;
      x.entry.seq = seq;
      x.entry.request_id = "req-" + std::to_string(seq);
      x.entry.query = std::string(100, 'q');
      x.hash = "h" + std::to_string(seq);
      batch.push_back(x);
    }
    return batch;
  }
  static std::vector<int64_t> Seqs(const AuditJournal& j) {
    auto r = j.ReadAll();
    EXPECT_TRUE(r.ok()) << r.status().message();
    std::vector<int64_t> out;
    if (r.ok())
      for (const auto& x : *r) out.push_back(x.entry.seq);
    return out;
  }
  static std::vector<int64_t> Range(int64_t first, int64_t last) {
    std::vector<int64_t> out;
    for (int64_t s = first; s <= last; ++s) out.push_back(s);
    return out;
  }
  std::uintmax_t Size(int file) {
    return std::filesystem::file_size(dir_ / ("audit.journal-" + std::to_string(file)));
  }

  std::filesystem::path dir_;
};

TEST_P(AuditJournalTest, ReadsBackEveryAppendedEntryAfterReopening) {
  {
    auto j = Open();
    ASSERT_TRUE(j);
    Append(*j, 1, 3);
    Append(*j, 4, 4);
    Append(*j, 5, 9);
  }  // closed without Clear: as a process that died leaves it
  auto j = AuditJournal::TryOpen(dir_);
  ASSERT_TRUE(j.ok() && *j);
  EXPECT_EQ(Seqs(**j), Range(1, 9));
  ASSERT_TRUE((*j)->Clear().ok());
  EXPECT_TRUE(Seqs(**j).empty()) << "a cleared journal holds nothing to recover";
}

TEST_P(AuditJournalTest, ATornLastFrameEndsRecoveryAtTheFrameBefore) {
  {
    auto j = Open();
    ASSERT_TRUE(j);
    Append(*j, 1, 2);
    Append(*j, 3, 5);
  }
  // The crash cut the last write short (direct writes pad the file to whole blocks: cut inside the frame).
  std::filesystem::resize_file(dir_ / "audit.journal-0", FrameSize(1, 2) + FrameSize(3, 5) - 10);
  auto j = AuditJournal::TryOpen(dir_);
  ASSERT_TRUE(j.ok() && *j);
  EXPECT_EQ(Seqs(**j), Range(1, 2));
}

TEST_P(AuditJournalTest, SwitchesFilesOnlyOverEntriesReleasedElsewhere) {
  auto j = Open(/*switch_bytes=*/1000);
  ASSERT_TRUE(j);
  // Nothing released: the first file fills, writing moves on to the empty second one, and that one
  // grows past the limit, because going back would overwrite entries not yet durable elsewhere.
  for (int64_t s = 1; s <= 40; s += 2) Append(*j, s, s + 1);
  EXPECT_EQ(Seqs(*j), Range(1, 40));
  const auto grown = Size(1);
  EXPECT_GT(grown, 3000u);
  // Released: the next frame goes to the start of the first file, and from then on the two take
  // turns; what is not yet released is always still there.
  j->Release(40);
  for (int64_t s = 41; s <= 100; s += 2) {
    Append(*j, s, s + 1);
    const auto seqs = Seqs(*j);
    for (int64_t unreleased = std::max<int64_t>(41, s - 4); unreleased <= s + 1; ++unreleased)
      EXPECT_NE(std::find(seqs.begin(), seqs.end(), unreleased), seqs.end()) << unreleased << " lost";
    j->Release(s - 3);
  }
  EXPECT_LE(Size(0), 4096u) << "overwritten in place, not grown";
  EXPECT_EQ(Size(1), grown);
  // After a crash now, recovery reads at least every unreleased entry, in order, each once.
  j.reset();
  auto again = AuditJournal::TryOpen(dir_);
  ASSERT_TRUE(again.ok() && *again);
  const auto seqs = Seqs(**again);
  ASSERT_FALSE(seqs.empty());
  EXPECT_EQ(seqs.back(), 100);
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  EXPECT_EQ(std::adjacent_find(seqs.begin(), seqs.end()), seqs.end());
}

TEST_P(AuditJournalTest, OneHolderAtATime) {
  auto first = Open();
  ASSERT_TRUE(first);
  auto second = AuditJournal::TryOpen(dir_);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second) << "the lock is held";
  first.reset();
  auto third = AuditJournal::TryOpen(dir_);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(*third) << "closing released the lock";
}

// Frames that end mid-block, frames larger than a block, and a frame after a reopen: with direct
// writes each write rewrites the block the previous frame ended in, which must keep its bytes.
TEST_P(AuditJournalTest, FramesOfEverySizeSurviveTheBlockRewrites) {
  {
    auto j = Open();
    ASSERT_TRUE(j);
    int64_t seq = 1;
    for (int n : {1, 3, 40, 2, 1, 17, 60, 1}) {  // ≈ 250 bytes per entry: frames of 0.3 to 15 KB
      Append(*j, seq, seq + n - 1);
      seq += n;
    }
    EXPECT_EQ(Seqs(*j), Range(1, seq - 1));
  }
  auto j = AuditJournal::TryOpen(dir_);
  ASSERT_TRUE(j.ok() && *j);
  EXPECT_EQ(Seqs(**j), Range(1, 125));
}

INSTANTIATE_TEST_SUITE_P(Writes, AuditJournalTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Direct" : "Buffered"; });

}  // namespace
}  // namespace kilde::store::sqlite
