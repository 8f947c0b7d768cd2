// Group commit for the audit log: request threads hand entries to one writer thread, which appends
// everything that queued up while the previous batch was being made durable in one transaction (one
// fsync for many requests), then tells each submitter. When many clients read audited data at once
// (N distinct sources within the last `source_window`), the writer lingers up to `group_wait` until
// about N/3 entries have queued before it commits, so that each fsync is shared by more entries.
// Fewer than three clients never wait. A response that must not leave before its
// entry is durable waits for that callback (http::Response::before_send) instead of blocking an I/O
// thread.
//
// The writer also signs a checkpoint at the chain's head every `checkpoint_interval` while entries
// arrive (Log signs one every N entries on its own), and one on shutdown.
//
// Thread safe: Submit / Record may be called from any thread. Callbacks run on the writer thread,
// must not block and must not call Submit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include "audit/log.h"
#include "base/status.h"

namespace kilde::audit {

class Recorder {
 public:
  using Done = std::function<void(const Status&)>;
  struct Options {
    std::chrono::milliseconds checkpoint_interval{std::chrono::seconds(60)};
    size_t max_batch = 4096;  // entries per transaction at most
    // Longest linger for a fuller batch (0: commit at once, plain group commit).
    std::chrono::microseconds group_wait{1000};
    // Sources (client connections) that submitted within this window count as active.
    std::chrono::milliseconds source_window{100};
  };

  // `log` is not owned and must outlive the recorder; it must have a signer.
  Recorder(Log* log, Options options);
  // Records everything still queued (their callbacks run), signs a final checkpoint, stops the thread.
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Queues `entry`; `done` runs once it is durable (OK) or could not be recorded (the error). After
  // shutdown began, `done` runs at once with kUnavailable.
  // `source` identifies the client connection (http::Request::connection; 0 for none): the writer
  // estimates from it how many clients are reading audited data at the moment.
  void Submit(Entry entry, Done done, uint64_t source = 0);
  // Submit and wait.
  Status Record(Entry entry);

  // Counters for /metrics.
  uint64_t entries_recorded() const;
  uint64_t batches() const;
  uint64_t failures() const;

 private:
  void Run();
  void MaybeCheckpoint(bool force);
  // Writer thread, mu_ held via `lock`: waits (releasing mu_) for a fuller batch, see above.
  void Linger(std::unique_lock<std::mutex>& lock);
  // Sources seen within source_window of `now` (forgets older ones). mu_ held.
  size_t ActiveSources(std::chrono::steady_clock::time_point now);

  Log* log_;
  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<Entry, Done>> queue_;  // guarded by mu_
  std::unordered_map<uint64_t, std::chrono::steady_clock::time_point>
      sources_;            // guarded by mu_: last Submit
  size_t wake_at_ = 1;     // guarded by mu_: Submit wakes the writer when the queue reaches this size
  bool stopping_ = false;  // guarded by mu_
  uint64_t recorded_ = 0, batches_ = 0, failures_ = 0;  // guarded by mu_
  // Writer thread only:
  std::optional<SealedEntry> head_;  // the last entry this recorder appended
  bool head_checkpointed_ = true;
  std::chrono::steady_clock::time_point last_checkpoint_;
  std::thread thread_;  // last: starts after every member above is initialised
};

}  // namespace kilde::audit
