#include "api/response_cache.h"

namespace kilde::api {

size_t ResponseCache::Size(const Entry& e) {
  size_t n = e.key.size() + e.content_type.size() + e.body.size() + 128;
  for (const auto& [k, v] : e.headers) n += k.size() + v.size() + 32;
  for (const auto& subject : e.outcome.subjects) n += subject.size() + 32;
  return n;
}

std::optional<ReadResult> ResponseCache::Get(const std::string& key) {
  if (capacity_ == 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  const Entry& e = *it->second;
  ReadResult r;
  r.response.status = e.status;
  r.response.content_type = e.content_type;
  r.response.headers = e.headers;
  r.response.body = e.body;
  r.outcome = e.outcome;
  return r;
}

void ResponseCache::Put(const std::string& key, const http::Response& r, const ReadOutcome& outcome) {
  if (capacity_ == 0 || r.source) return;
  Entry e{key, r.status, r.content_type, r.headers, r.body, outcome, 0};
  e.bytes = Size(e);
  if (e.bytes > capacity_ / 16) return;
  std::lock_guard lock(mu_);
  if (index_.count(key)) return;  // another thread rendered the same response
  bytes_ += e.bytes;
  lru_.push_front(std::move(e));
  index_[key] = lru_.begin();
  while (bytes_ > capacity_ && !lru_.empty()) {
    bytes_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

void ResponseCache::Clear() {
  std::lock_guard lock(mu_);
  lru_.clear();
  index_.clear();
  bytes_ = 0;
}

size_t ResponseCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}
uint64_t ResponseCache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}
uint64_t ResponseCache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

std::string EditionKey(const store::EditionRow& e) {
  return std::to_string(e.seq) + "/" + e.id + "/" + e.sha256;
}

}  // namespace kilde::api
