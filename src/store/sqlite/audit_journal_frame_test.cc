// The journal frame: what is written comes back field for field, and anything short of a whole,
// unchanged frame is refused (recovery must never apply a torn or foreign frame).
#include "store/sqlite/audit_journal_frame.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kilde::store::sqlite {
namespace {

SealedAuditEntry Entry(int64_t seq) {
  SealedAuditEntry x;
  AuditEntry& e = x.entry;
  e.seq = seq;
  e.time = "2026-11-24T10:00:00.00" + std::to_string(seq % 10) + "Z";
  e.request_id = "req-" + std::to_string(seq);
  e.decision = seq % 2 ? "allowed" : "denied";
  e.consumer = "974760673";
  e.client_id = "klient-æøå";
  e.supplier = seq % 3 ? "" : "991825827";
  e.product = "helse";
  e.edition = "2026-11";
  e.grant = "g-1";
  e.purpose = "Saksbehandling";
  e.legal_basis = "Helseregisterloven § 19";
  e.query = std::string("/rows?x=\0\xff", 10);  // any bytes, NUL and invalid UTF-8 included
  e.rows = seq * 1000;
  for (int64_t i = 0; i < seq % 4; ++i) e.subjects.push_back("s" + std::to_string(i));
  x.prev_hash = std::string(64, 'a');
  x.hash = std::string(64, 'b');
  return x;
}

std::vector<SealedAuditEntry> Entries(int64_t first, int n) {
  std::vector<SealedAuditEntry> out;
  for (int i = 0; i < n; ++i) out.push_back(Entry(first + i));
  return out;
}

void ExpectSame(const SealedAuditEntry& a, const SealedAuditEntry& b) {
  const AuditEntry &x = a.entry, &y = b.entry;
  EXPECT_EQ(x.seq, y.seq);
  EXPECT_EQ(std::vector<std::string>({x.time, x.request_id, x.decision, x.consumer, x.client_id, x.supplier,
                                      x.product, x.edition, x.grant, x.purpose, x.legal_basis, x.query}),
            std::vector<std::string>({y.time, y.request_id, y.decision, y.consumer, y.client_id, y.supplier,
                                      y.product, y.edition, y.grant, y.purpose, y.legal_basis, y.query}));
  EXPECT_EQ(x.rows, y.rows);
  EXPECT_EQ(x.subjects, y.subjects);
  EXPECT_EQ(a.prev_hash, b.prev_hash);
  EXPECT_EQ(a.hash, b.hash);
}

TEST(AuditJournalFrameTest, RoundTripsEveryField) {
  const auto entries = Entries(41, 7);
  std::string bytes;
  AppendJournalFrame(entries, bytes);
  const size_t first = bytes.size();
  AppendJournalFrame(Entries(48, 2), bytes);  // a second frame right behind
  auto frame = DecodeJournalFrame(bytes);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->size, first);
  ASSERT_EQ(frame->entries.size(), entries.size());
  for (size_t i = 0; i < entries.size(); ++i) ExpectSame(frame->entries[i], entries[i]);
  auto next = DecodeJournalFrame(std::string_view(bytes).substr(frame->size));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->entries.front().entry.seq, 48);
  EXPECT_EQ(next->size, bytes.size() - first);
}

TEST(AuditJournalFrameTest, ATornFrameIsRefusedAtEveryLength) {
  std::string bytes;
  AppendJournalFrame(Entries(1, 3), bytes);
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(DecodeJournalFrame(std::string_view(bytes).substr(0, n))) << "cut at " << n;
  // Zeros where a frame was never written, or where Clear erased its start.
  EXPECT_FALSE(DecodeJournalFrame(std::string(bytes.size(), '\0')));
  std::string erased = bytes;
  erased.replace(0, 8, 8, '\0');
  EXPECT_FALSE(DecodeJournalFrame(erased));
}

TEST(AuditJournalFrameTest, AnyChangedByteIsRefused) {
  std::string bytes;
  AppendJournalFrame(Entries(5, 2), bytes);
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string changed = bytes;
    changed[i] = static_cast<char>(changed[i] ^ 0x20);
    EXPECT_FALSE(DecodeJournalFrame(changed)) << "byte " << i;
  }
}

TEST(AuditJournalFrameTest, EntriesMustBeContiguous) {
  auto entries = Entries(1, 3);
  entries[2].entry.seq = 7;
  std::string bytes;
  AppendJournalFrame(entries, bytes);
  EXPECT_FALSE(DecodeJournalFrame(bytes));
}

}  // namespace
}  // namespace kilde::store::sqlite
