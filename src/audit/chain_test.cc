#include "audit/chain.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

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
