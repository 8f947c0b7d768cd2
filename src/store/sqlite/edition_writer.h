// SqliteEditionWriter: loads the rows of one new edition into its table ed_<seq> (see
// store::EditionWriter for the contract: nothing is visible before Commit; a writer destroyed
// without Commit, or a process killed at any point, leaves only a staging edition that the store
// drops, now or when it is next opened).
//
// Speed. Rows are loaded by a background thread, so that the caller (parsing and checking the
// next rows) and SQLite work at the same time:
//  - Append() copies the row into a batch (kBatchValues values / kBatchBytes bytes of text); a full
//    batch is queued for the loader thread, which inserts it with multi-row INSERTs in one
//    transaction while holding the store's write lock (other writers wait at most one batch). At
//    most kBatches batches exist: memory does not grow with the file.
//  - Staging transactions commit without fsync (synchronous=NORMAL in WAL mode) and this
//    connection never checkpoints during the load. Commit builds the filter indexes (while a
//    second connection copies the committed rows from the WAL into the database), makes the
//    edition visible in a transaction with synchronous=FULL (durable before Commit returns), then
//    checkpoints and truncates the WAL.
//  - A duplicate key must be reported by the Append() that brings it (kAlreadyExists), which an
//    asynchronous insert cannot do. While each key column's values strictly ascend, a row cannot
//    repeat a key, so it goes to the loader (the unique indexes, made before the first row, are
//    then cheap to maintain: every key goes to the end). The first key that does not ascend drains
//    the queue, stops the loader and switches to "checked" mode: rows are inserted on the caller's
//    thread, one by one, in transactions of one batch's size that Pause() also ends.
//
// Thread safety: like every EditionWriter, one caller at a time (calls may come from different
// threads). The connection is used by one thread at a time: the loader while it runs, else the
// caller.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/product_store.h"
#include "store/sqlite/db.h"
#include "store/sqlite/pool.h"
#include "store/sqlite/staging_lock.h"

namespace kilde::store::sqlite {

// Drops the staging edition `seq` and its table, in one transaction (no-op for a committed
// edition). `c` must not be in a transaction.
Status DropStaging(Connection& c, int64_t seq);

class SqliteEditionWriter final : public EditionWriter {
 public:
  static constexpr size_t kBatchValues = 65536;           // rows per batch: this / number of columns
  static constexpr size_t kBatchBytes = size_t{2} << 20;  // text bytes per batch (soft limit)
  static constexpr size_t kBatches = 3;                   // being filled, queued, being inserted

  // `c`: a connection of its own; `write_mutex`: the store's writer lock (not owned, outlives this);
  // `seq`: the staging edition whose table (without unique constraints or indexes) exists.
  // `lock` marks the edition as being written (staging_lock.h) until the writer is destroyed.
  SqliteEditionWriter(std::unique_ptr<Connection> c, WriteLock* write_mutex, int64_t seq,
                      std::vector<StorageColumn> cols, StagingLock lock);
  // Builds the unique indexes and starts the loader thread. Call once, before Append.
  Status Start();
  ~SqliteEditionWriter() override;
  SqliteEditionWriter(const SqliteEditionWriter&) = delete;
  SqliteEditionWriter& operator=(const SqliteEditionWriter&) = delete;

  Status Append(const std::vector<Cell>& cells) override;
  // Checked mode: commits the open transaction and releases the write lock.
  Status Pause() override;
  Status Commit(const EditionRow& meta) override;

 private:
  // One value of a batch (24 bytes); text lives in the batch's arena.
  struct Slot {
    int64_t num = 0;            // kInt: the value; kReal: the bits of the double
    uint32_t off = 0, len = 0;  // kText: the bytes in the arena
    CellKind kind = CellKind::kNull;
  };
  struct Batch {
    std::vector<Slot> slots;  // rows * columns
    std::string arena;
    size_t rows = 0;
    void Clear() {
      slots.clear();
      arena.clear();
      if (arena.capacity() > 4 * kBatchBytes) std::string().swap(arena);  // after a huge record
      rows = 0;
    }
  };

  bool KeysAscend(const std::vector<Cell>& cells);
  Status Submit();           // queues cur_, takes a free batch
  Status Drain();            // waits until the loader has inserted everything queued
  void StopLoader();         // drains and joins the loader thread
  Status SwitchToChecked();  // stops the loader: later rows are inserted on the caller's thread
  Status AppendChecked(const std::vector<Cell>& cells);
  void LoaderLoop();
  Status InsertBatch(const Batch& b);  // one transaction, holding the write lock
  Status BuildIndexes(bool unique);    // unique (key) or filter indexes

  std::unique_ptr<Connection> c_;
  WriteLock* write_mutex_;
  int64_t seq_;
  StagingLock lock_;
  std::vector<StorageColumn> cols_;
  std::string table_;
  size_t batch_rows_;            // rows per batch
  Statement* multi_ = nullptr;   // multi-row INSERT, owned by c_'s statement cache
  Statement* single_ = nullptr;  // one-row INSERT, owned by c_'s statement cache

  // Caller side.
  std::unique_ptr<Batch> cur_;
  std::vector<Cell> last_keys_;  // per column: the last key seen (only unique columns are used)
  bool have_last_keys_ = false;
  bool checked_ = false;                 // rows are inserted on the caller's thread
  std::unique_lock<WriteLock> tx_lock_;  // *write_mutex_ while the caller side writes
  bool in_tx_ = false;                   // a transaction is open on the caller side
  size_t pending_ = 0;                   // checked mode: rows in the open transaction
  bool committed_ = false;

  // Shared with the loader thread (guarded by mu_).
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> full_;
  std::vector<std::unique_ptr<Batch>> free_;
  bool busy_ = false;  // the loader is inserting a batch
  bool closing_ = false;
  Status error_;
  std::thread loader_;
};

}  // namespace kilde::store::sqlite
