// Group commit on a real SQLite store: concurrent submitters all get their entry durably in one
// intact chain, fewer transactions than entries, and checkpoints by time and on shutdown.
#include "audit/recorder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "store/store_test_util.h"

namespace kilde::audit {
namespace {

class RecorderTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto signer = Signer::LoadOrCreate(Log::KeyPath(dir_.string()));
    ASSERT_TRUE(signer.ok()) << signer.status().message();
    log_ = std::make_unique<Log>(&store_->audit(), std::move(*signer), 1000);
  }
  static Entry Make(int thread, int i) {
    Entry e;
    e.time = "2026-11-23T23:40:00.000Z";
    e.request_id = "t" + std::to_string(thread) + "-" + std::to_string(i);
    e.decision = "allowed";
    e.consumer = "974760673";
    e.product = "p";
    return e;
  }
  std::vector<Checkpoint> Checkpoints() {
    auto c = store_->audit().Checkpoints();
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : std::vector<Checkpoint>{};
  }
  std::unique_ptr<Log> log_;
};

TEST_F(RecorderTest, ConcurrentSubmittersAreAllDurableInOneIntactChain) {
  constexpr int kThreads = 8, kPerThread = 150;
  std::atomic<int> ok{0}, failed{0};
  {
    Recorder rec(log_.get(), {});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          // Half wait for each entry (like a request), half only submit.
          if (i % 2 == 0) {
            (rec.Record(Make(t, i)).ok() ? ok : failed)++;
          } else {
            rec.Submit(Make(t, i), [&](const Status& s) { (s.ok() ? ok : failed)++; });
          }
        }
      });
    for (auto& th : threads) th.join();
    // The destructor records what is still queued and runs its callbacks.
  }
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(failed.load(), 0);
  auto report = log_->VerifyStored();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->entries, kThreads * kPerThread);
  EXPECT_FALSE(report->finding) << report->finding->problem;
  // Shutdown signed the head.
  auto cps = Checkpoints();
  ASSERT_FALSE(cps.empty());
  EXPECT_EQ(cps.back().seq, kThreads * kPerThread);
}

TEST_F(RecorderTest, GroupsEntriesThatQueueWhileABatchIsWritten) {
  Recorder rec(log_.get(), {});
  // Submitting 500 entries without waiting queues most of them behind the first transaction.
  std::atomic<int> done{0};
  for (int i = 0; i < 500; ++i) rec.Submit(Make(0, i), [&](const Status&) { done++; });
  EXPECT_TRUE(rec.Record(Make(1, 0)).ok());
  EXPECT_EQ(done.load(), 500);
  EXPECT_EQ(rec.entries_recorded(), 501u);
  EXPECT_LT(rec.batches(), 100u) << "entries were not grouped into transactions";
}

TEST_F(RecorderTest, SignsACheckpointEveryIntervalWhileEntriesArrive) {
  Recorder::Options o;
  o.checkpoint_interval = std::chrono::milliseconds(50);
  Recorder rec(log_.get(), o);
  ASSERT_TRUE(rec.Record(Make(0, 1)).ok());
  ASSERT_TRUE(rec.Record(Make(0, 2)).ok());
  // Far fewer than checkpoint_every (1000) entries: only the interval can sign them.
  for (int i = 0; i < 100 && (Checkpoints().empty() || Checkpoints().back().seq != 2); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto cps = Checkpoints();
  ASSERT_FALSE(cps.empty());
  EXPECT_EQ(cps.back().seq, 2);
}

TEST_F(RecorderTest, ANewRecorderContinuesTheChain) {
  auto rec = std::make_unique<Recorder>(log_.get(), Recorder::Options{});
  ASSERT_TRUE(rec->Record(Make(0, 0)).ok());
  rec.reset();
  // A new recorder over the same log continues the chain.
  Recorder again(log_.get(), {});
  EXPECT_TRUE(again.Record(Make(0, 1)).ok());
  auto report = log_->VerifyStored();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->entries, 2);
  EXPECT_FALSE(report->finding);
}

// Nine clients reading at once: the writer waits (up to group_wait) until three entries have queued
// and commits them together, instead of committing the first one alone.
TEST_F(RecorderTest, LingersForAFullerBatchWhenManyClientsRead) {
  Recorder::Options o;
  o.group_wait = std::chrono::seconds(5);
  o.source_window = std::chrono::seconds(60);
  Recorder rec(log_.get(), o);
  std::atomic<int> done{0};
  for (uint64_t source = 1; source <= 9; ++source)
    rec.Submit(
        Make(0, static_cast<int>(source)), [&](const Status& s) { done += s.ok(); }, source);
  while (done < 9) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const uint64_t batches = rec.batches();

  std::atomic<bool> first_done{false};
  rec.Submit(
      Make(1, 1), [&](const Status& s) { first_done = s.ok(); }, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(first_done) << "committed alone although eight more clients were reading";
  rec.Submit(
      Make(1, 2), [&](const Status& s) { done += s.ok(); }, 2);
  rec.Submit(
      Make(1, 3), [&](const Status& s) { done += s.ok(); }, 3);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while ((!first_done || done < 11) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE(first_done);
  EXPECT_EQ(done, 11);
  EXPECT_EQ(rec.batches(), batches + 1) << "the three entries share one transaction";
}

// One client alone is never kept waiting for a batch that cannot fill.
TEST_F(RecorderTest, ALoneClientNeverWaits) {
  Recorder::Options o;
  o.group_wait = std::chrono::seconds(5);
  Recorder rec(log_.get(), o);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    std::promise<Status> p;
    rec.Submit(
        Make(2, i), [&](const Status& s) { p.set_value(s); }, 42);
    EXPECT_TRUE(p.get_future().get().ok());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(rec.entries_recorded(), 5u);  // counted before the callbacks run
}

}  // namespace
}  // namespace kilde::audit
