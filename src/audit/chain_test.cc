#include "audit/chain.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "audit/signer.h"

namespace kilde::audit {
namespace {

Entry Read(int i) {
  Entry e;
  e.time = "2026-11-23T22:00:0" + std::to_string(i % 10) + ".000Z";
  e.request_id = "req" + std::to_string(i);
  e.decision = i % 5 ? "allowed" : "denied";
  e.consumer = "974760673";
  e.client_id = "client-" + std::to_string(i % 3);
  e.product = "helse";
  e.edition = "2026-11-23-abcdef";
  e.grant = "g1";
  e.purpose = "Saksbehandling";
  e.legal_basis = "helse- og omsorgstjenesteloven § 3-2";
  e.query = "/api/v1/products/helse/editions/latest/rows?bydel=eq.Alna";
  e.rows = i;
  e.subjects = {"h" + std::to_string(i), "h" + std::to_string(i + 1)};
  return e;
}

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_path_ = std::filesystem::temp_directory_path() / ("kilde_audit_key_" + std::to_string(::getpid()));
    std::filesystem::remove(key_path_);
    auto s = Signer::LoadOrCreate(key_path_.string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    signer_ = std::move(*s);
    for (int i = 1; i <= 20; ++i) log_.push_back(Seal(log_.empty() ? nullptr : &log_.back(), Read(i)));
    for (int64_t at : {5, 10, 20}) {
      const std::string& h = log_[static_cast<size_t>(at - 1)].hash;
      checkpoints_.push_back({at, h, "2026-11-23T22:00:10Z", signer_->Sign(CheckpointMessage(at, h))});
    }
  }
  void TearDown() override { std::filesystem::remove(key_path_); }
  std::optional<Finding> Check() const {
    return Verify(log_, checkpoints_,
                  [this](std::string_view m, std::string_view s) { return signer_->Verify(m, s); });
  }

  std::filesystem::path key_path_;
  std::unique_ptr<Signer> signer_;
  std::vector<SealedEntry> log_;
  std::vector<Checkpoint> checkpoints_;
};

// The canonical form defines every stored hash: it must stay the nlohmann dump it was first
// written as, whatever the fields hold (quotes, control characters, Norwegian letters, invalid UTF-8).
TEST(AuditCanonicalTest, SameBytesAsTheJsonLibrary) {
  std::mt19937 rng(7);
  const std::string pieces[] = {"a", "Tøyen", "\"",   "\\",   "\n",         "\x02",
                                "§", "𝄞",     "\xc3", "\xff", "12345678901"};
  auto text = [&] {
    std::string s;
    for (int n = static_cast<int>(rng() % 5); n > 0; --n) s += pieces[rng() % std::size(pieces)];
    return s;
  };
  for (int i = 0; i < 3000; ++i) {
    Entry e = Read(i);
    for (std::string* f : {&e.time, &e.request_id, &e.decision, &e.consumer, &e.client_id, &e.supplier,
                           &e.product, &e.edition, &e.grant, &e.purpose, &e.legal_basis, &e.query})
      if (rng() % 3 == 0) *f = text();
    e.seq = static_cast<int64_t>(rng());
    e.rows = rng() % 2 ? -static_cast<int64_t>(rng()) : static_cast<int64_t>(rng());
    e.subjects.clear();
    for (int n = static_cast<int>(rng() % 3); n > 0; --n) e.subjects.push_back(text());
    const nlohmann::json j = nlohmann::json::array({e.seq, e.time, e.request_id, e.decision, e.consumer,
                                                    e.client_id, e.supplier, e.product, e.edition, e.grant,
                                                    e.purpose, e.legal_basis, e.query, e.rows, e.subjects});
    ASSERT_EQ(Canonical(e), j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) << i;
  }
}

TEST_F(AuditChainTest, AnIntactLogVerifies) {
  EXPECT_EQ(log_[0].prev_hash, kGenesis);
  EXPECT_EQ(log_[1].prev_hash, log_[0].hash);
  EXPECT_EQ(log_[19].entry.seq, 20);
  EXPECT_FALSE(Check()) << Check()->problem;
}

TEST_F(AuditChainTest, AChangedFieldIsFoundAtItsEntry) {
  log_[6].entry.rows = 999;  // entry 7
  auto f = Check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->seq, 7);
  EXPECT_EQ(f->problem, "entry 7 was changed");
  log_[6].entry.rows = 7;
  log_[11].entry.subjects.pop_back();  // hiding a data subject is a change too
  ASSERT_TRUE(Check());
  EXPECT_EQ(Check()->seq, 12);
}

TEST_F(AuditChainTest, ARecomputedHashStillBreaksTheNextLink) {
  log_[6].entry.consumer = "958935420";
  log_[6].hash = ChainHash(log_[6].prev_hash, log_[6].entry);  // the forger rehashes entry 7
  auto f = Check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->seq, 8) << "entry 8 no longer links to 7";
}

TEST_F(AuditChainTest, RewritingTheWholeTailFailsTheSignedCheckpoint) {
  log_[14].entry.decision = "allowed";
  for (size_t i = 14; i < log_.size(); ++i) {
    log_[i].prev_hash = log_[i - 1].hash;
    log_[i].hash = ChainHash(log_[i].prev_hash, log_[i].entry);
  }
  auto f = Check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->problem, "checkpoint at entry 20 does not match the chain");
}

TEST_F(AuditChainTest, RemovedAndReorderedEntriesAreNamed) {
  auto removed = log_;
  removed.erase(removed.begin() + 8);  // entry 9
  log_.swap(removed);
  ASSERT_TRUE(Check());
  EXPECT_EQ(Check()->problem, "entry 9 is missing");
  log_.swap(removed);

  std::swap(log_[3], log_[4]);  // entries 4 and 5 stored in the wrong order
  ASSERT_TRUE(Check());
  EXPECT_EQ(Check()->problem, "entry 4 is out of order (stored after entry 5)");
  std::swap(log_[3], log_[4]);

  log_.resize(17);  // the tail is cut off; the last checkpoint remembers entry 20
  ASSERT_TRUE(Check());
  EXPECT_EQ(Check()->problem, "entries after 17 are missing (checkpoint at entry 20)");
}

TEST_F(AuditChainTest, ForgedCheckpointSignaturesFail) {
  checkpoints_[1].signature[3] = checkpoints_[1].signature[3] == 'A' ? 'B' : 'A';
  ASSERT_TRUE(Check());
  EXPECT_EQ(Check()->problem, "checkpoint at entry 10 has an invalid signature");
}

// The in-memory algorithm verification used before it streamed, kept as the oracle: the stream
// verifier must report exactly what it reported.
std::optional<Finding> ReferenceVerify(const std::vector<SealedEntry>& entries,
                                       const std::vector<Checkpoint>& checkpoints,
                                       const SignatureCheck& sig) {
  std::map<int64_t, const SealedEntry*> by_seq;
  std::string prev = kGenesis;
  int64_t expected = 1;
  for (size_t i = 0; i < entries.size(); ++i) {
    const SealedEntry& s = entries[i];
    const int64_t seq = s.entry.seq;
    if (seq < expected) return Finding{seq, "entry " + std::to_string(seq) + " is out of order"};
    if (seq > expected) {
      const bool later = std::any_of(entries.begin() + static_cast<std::ptrdiff_t>(i) + 1, entries.end(),
                                     [&](const SealedEntry& o) { return o.entry.seq == expected; });
      return Finding{
          expected,
          "entry " + std::to_string(expected) +
              (later ? " is out of order (stored after entry " + std::to_string(seq) + ")" : " is missing")};
    }
    if (s.prev_hash != prev || ChainHash(s.prev_hash, s.entry) != s.hash)
      return Finding{seq, "entry " + std::to_string(seq) + " was changed"};
    prev = s.hash;
    by_seq[seq] = &s;
    ++expected;
  }
  std::vector<const Checkpoint*> sorted;
  for (const Checkpoint& c : checkpoints) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(),
            [](const Checkpoint* a, const Checkpoint* b) { return a->seq < b->seq; });
  for (const Checkpoint* c : sorted) {
    const std::string at = std::to_string(c->seq);
    if (!sig(CheckpointMessage(c->seq, c->hash), c->signature))
      return Finding{c->seq, "checkpoint at entry " + at + " has an invalid signature"};
    auto it = by_seq.find(c->seq);
    if (it == by_seq.end())
      return Finding{expected, "entries after " + std::to_string(expected - 1) +
                                   " are missing (checkpoint at entry " + at + ")"};
    if (it->second->hash != c->hash)
      return Finding{c->seq, "checkpoint at entry " + at + " does not match the chain"};
  }
  return std::nullopt;
}

TEST_F(AuditChainTest, TheStreamVerifierReportsWhatTheInMemoryOneDid) {
  std::mt19937 rng(20261123);
  const SignatureCheck sig = [this](std::string_view m, std::string_view s) { return signer_->Verify(m, s); };
  std::set<std::string> kinds;
  for (int round = 0; round < 400; ++round) {
    std::vector<SealedEntry> log = log_;
    std::vector<Checkpoint> cps = checkpoints_;
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    // Checkpoints are unique by seq in storage (its primary key).
    auto add_checkpoint = [&](int64_t at, const std::string& hash) {
      for (const Checkpoint& c : cps)
        if (c.seq == at) return;
      cps.push_back({at, hash, "t", signer_->Sign(CheckpointMessage(at, hash))});
    };
    // One to three random kinds of tampering.
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0 && !log.empty(); --k) {
      switch (rng() % 8) {
        case 0:
          log[pick(log.size())].entry.rows += 1;
          break;  // edit
        case 1:
          log.erase(log.begin() + static_cast<std::ptrdiff_t>(pick(log.size())));
          break;   // delete
        case 2: {  // swap two
          size_t a = pick(log.size()), b = pick(log.size());
          std::swap(log[a], log[b]);
          break;
        }
        case 3:
          log.resize(pick(log.size() + 1));
          break;  // cut the tail
        case 4:
          if (!cps.empty()) cps[pick(cps.size())].signature[2] ^= 1;
          break;   // forge a signature
        case 5: {  // a checkpoint past the end
          add_checkpoint(static_cast<int64_t>(log.size()) + 1 + static_cast<int64_t>(pick(5)), "x");
          break;
        }
        case 6: {  // rehash from an entry on
          size_t i = pick(log.size());
          log[i].entry.purpose = "forged";
          for (size_t j = i; j < log.size(); ++j) {
            if (j > 0) log[j].prev_hash = log[j - 1].hash;
            log[j].hash = ChainHash(log[j].prev_hash, log[j].entry);
          }
          break;
        }
        case 7: {  // a checkpoint at seq 0
          add_checkpoint(0, "y");
          break;
        }
      }
    }
    const auto want = ReferenceVerify(log, cps, sig);
    // Fed as a store would: one entry at a time with the checkpoint at its seq, then the orphans.
    std::map<int64_t, Checkpoint> by_seq;
    for (const Checkpoint& c : cps) by_seq.emplace(c.seq, c);
    StreamVerifier v(sig);
    std::set<int64_t> seen;
    for (const SealedEntry& e : log) {
      auto it = by_seq.find(e.entry.seq);
      v.AddEntry(e, it != by_seq.end() && seen.insert(e.entry.seq).second ? &it->second : nullptr);
    }
    for (const auto& [seq, c] : by_seq)
      if (!seen.count(seq)) v.AddOrphanCheckpoint(c);
    const auto got = v.Finish();
    ASSERT_EQ(got.has_value(), want.has_value())
        << "round " << round << ": " << (want ? want->problem : "") << " / " << (got ? got->problem : "");
    if (want) {
      EXPECT_EQ(got->problem, want->problem) << "round " << round;
      EXPECT_EQ(got->seq, want->seq) << "round " << round;
      kinds.insert(want->problem.substr(0, want->problem.find(' ', 6)));
    }
    EXPECT_EQ(v.entries(), static_cast<int64_t>(log.size()));
    EXPECT_EQ(v.checkpoints(), static_cast<int64_t>(by_seq.size()));
    EXPECT_EQ(Verify(log, cps, sig).has_value(), want.has_value());
  }
  EXPECT_GE(kinds.size(), 4u) << "the rounds should cover most kinds of finding";
}

TEST_F(AuditChainTest, TheStreamVerifierKeepsNoEntries) {
  // A long log generated on the fly and never held: only the last entry exists at any time.
  StreamVerifier v([this](std::string_view m, std::string_view s) { return signer_->Verify(m, s); });
  SealedEntry prev;
  for (int i = 1; i <= 20000; ++i) {
    SealedEntry e = Seal(i == 1 ? nullptr : &prev, Read(i));
    Checkpoint c{e.entry.seq, e.hash, "t", i % 5000 == 0 ? signer_->Sign(CheckpointMessage(i, e.hash)) : ""};
    v.AddEntry(e, i % 5000 == 0 ? &c : nullptr);
    prev = std::move(e);
  }
  EXPECT_FALSE(v.Finish());
  EXPECT_EQ(v.entries(), 20000);
  EXPECT_EQ(v.checkpoints(), 4);
  EXPECT_FALSE(v.settled());
}

TEST_F(AuditChainTest, SigningKeyIsPrivateAndReusedAcrossRestarts) {
  struct stat st {};
  ASSERT_EQ(::stat(key_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = Signer::LoadOrCreate(key_path_.string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->PublicKeyPem(), signer_->PublicKeyPem());
  EXPECT_TRUE((*again)->Verify("m", signer_->Sign("m")));
  EXPECT_FALSE((*again)->Verify("other", signer_->Sign("m")));
  EXPECT_NE(signer_->PublicKeyPem().find("BEGIN PUBLIC KEY"), std::string::npos);

  const auto bad = key_path_.string() + ".bad";
  FILE* f = std::fopen(bad.c_str(), "w");
  std::fputs("not a key\n", f);
  std::fclose(f);
  auto refused = Signer::LoadOrCreate(bad);
  EXPECT_FALSE(refused.ok());
  std::filesystem::remove(bad);
}

}  // namespace
}  // namespace kilde::audit
