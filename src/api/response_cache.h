// A cache of rendered read responses over immutable editions (rows, aggregates).
//
// An edition never changes, so the response to the same query of the same edition is the same
// bytes: a hit skips parsing, the store and serialising. Keys must identify the edition beyond its
// id (EditionKey: store ordinal, id and content hash) and include everything the response depends
// on (query string, Accept, the caller's QueryScope fingerprint). An entry also carries the
// ReadOutcome of the read (rows and data subjects), because a hit must be audited like the miss
// that rendered it. Bounded by bytes, least recently used entries go first. Thread safe (one
// mutex; hits copy the response out).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/message.h"
#include "store/product_store.h"

namespace kilde::api {

// What a read returned, for the audit log: the number of data rows (rows, groups, differences) and
// the distinct CLEAR values of the scope's subject column among them (QueryScope::subject_column;
// never sent to the caller).
struct ReadOutcome {
  int64_t rows = 0;
  std::vector<std::string> subjects;  // ascending, distinct
};

// A rendered read and its outcome.
struct ReadResult {
  http::Response response;
  ReadOutcome outcome;
};

class ResponseCache {
 public:
  // `capacity_bytes` 0 disables the cache. Entries larger than capacity/16 are not kept.
  explicit ResponseCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // A copy of the cached response and outcome for `key`, if any (and marks it recently used).
  std::optional<ReadResult> Get(const std::string& key);
  // Stores a copy of `r` (status, content type, headers, body; never a streamed body) and `outcome`.
  void Put(const std::string& key, const http::Response& r, const ReadOutcome& outcome = {});
  // Drops every entry (after an edition or product is deleted).
  void Clear();

  size_t bytes() const;
  uint64_t hits() const;
  uint64_t misses() const;

 private:
  struct Entry {
    std::string key;
    int status;
    std::string content_type;
    http::Params headers;
    std::string body;
    ReadOutcome outcome;
    size_t bytes;
  };
  static size_t Size(const Entry& e);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // front = most recently used; guarded by mu_
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t bytes_ = 0;
  uint64_t hits_ = 0, misses_ = 0;
};

// The part of a cache key naming an edition: "<seq>/<id>/<sha256>" (a deleted edition's ordinal
// may be reused by a later one; id and hash tell them apart).
std::string EditionKey(const store::EditionRow& e);

}  // namespace kilde::api
