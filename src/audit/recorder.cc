#include "audit/recorder.h"

#include <algorithm>
#include <cassert>
#include <future>
#include <vector>

#include "base/time.h"
#include "log/log.h"

namespace kilde::audit {

Recorder::Recorder(Log* log, Options options)
    : log_(log),
      options_(options),
      last_checkpoint_(std::chrono::steady_clock::now()),
      thread_([this] { Run(); }) {
  assert(log_);
}

Recorder::~Recorder() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Recorder::Submit(Entry entry, Done done, uint64_t source) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      if (source) sources_[source] = std::chrono::steady_clock::now();
      queue_.emplace_back(std::move(entry), std::move(done));
      if (queue_.size() >= wake_at_) cv_.notify_one();
      return;
    }
  }
  done(Status::Unavailable("the audit log is shutting down"));
}

Status Recorder::Record(Entry entry) {
  std::promise<Status> p;
  auto f = p.get_future();
  Submit(std::move(entry), [&p](const Status& s) { p.set_value(s); });
  return f.get();
}

uint64_t Recorder::entries_recorded() const {
  std::lock_guard lock(mu_);
  return recorded_;
}
uint64_t Recorder::batches() const {
  std::lock_guard lock(mu_);
  return batches_;
}
uint64_t Recorder::failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

void Recorder::MaybeCheckpoint(bool force) {
  if (!head_ || head_checkpointed_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_checkpoint_ < options_.checkpoint_interval) return;
  Status s = log_->CheckpointAt(*head_, NowRfc3339());
  if (!s.ok()) {
    log::Error("audit checkpoint failed", {{"error", s.message()}});
    return;
  }
  head_checkpointed_ = true;
  last_checkpoint_ = now;
}

size_t Recorder::ActiveSources(std::chrono::steady_clock::time_point now) {
  std::erase_if(sources_, [&](const auto& kv) { return now - kv.second > options_.source_window; });
  return sources_.size();
}

void Recorder::Linger(std::unique_lock<std::mutex>& lock) {
  if (options_.group_wait.count() <= 0 || stopping_) return;
  const auto now = std::chrono::steady_clock::now();
  // In a closed loop of N clients, a batch of about N/3 keeps the fsync's cost per entry low while
  // the other clients' requests are still being served; one or two clients never wait.
  const size_t target = std::min(options_.max_batch, ActiveSources(now) / 3);
  if (queue_.size() >= target) return;
  wake_at_ = target;
  cv_.wait_until(lock, now + options_.group_wait, [&] { return stopping_ || queue_.size() >= target; });
  wake_at_ = 1;
}

void Recorder::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, options_.checkpoint_interval, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      lock.unlock();
      MaybeCheckpoint(stopping_);
      lock.lock();
      if (stopping_ && queue_.empty()) return;
      continue;
    }
    Linger(lock);
    std::vector<Entry> entries;
    std::vector<Done> dones;
    while (!queue_.empty() && entries.size() < options_.max_batch) {
      entries.push_back(std::move(queue_.front().first));
      dones.push_back(std::move(queue_.front().second));
      queue_.pop_front();
    }
    lock.unlock();
    auto sealed = log_->Record(std::move(entries));
    Status status = sealed.ok() ? Status::Ok() : sealed.status();
    if (sealed.ok() && !sealed->empty()) {
      head_ = sealed->back();
      // Log::Record signs every N entries itself; the interval checkpoint only has to cover the rest.
      head_checkpointed_ = log_->every() > 0 && head_->entry.seq % log_->every() == 0;
    } else if (!sealed.ok()) {
      log::Error("audit append failed", {{"error", status.message()}, {"entries", dones.size()}});
    }
    {
      // Counted before anyone is told: a client that got its answer finds its entry in /metrics.
      std::lock_guard counters(mu_);
      ++batches_;
      (sealed.ok() ? recorded_ : failures_) += dones.size();
    }
    for (Done& d : dones) d(status);
    MaybeCheckpoint(false);
    lock.lock();
  }
}

}  // namespace kilde::audit
