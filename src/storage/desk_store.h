// DeskStore: runs units of work against the database on its own threads,
// with group commit.
//
// Purpose: the server's only way into storage. `sqlite:PATH` or
// `postgresql://...` picks the backend; Open() migrates the schema. Writes
// queue for writer threads; a writer takes every queued write (up to
// max_batch) and runs them as units of one transaction, committed once, so
// one fsync acknowledges many creates. A unit that fails or refuses its
// input is undone alone (UnitConnection: what it queued is dropped, what it
// wrote through a waiting statement is rolled back to its savepoint); when
// a failure cannot be pinned on one unit, the transaction is rolled back and
// every unit runs again alone. `done` runs only after COMMIT has returned,
// so an acknowledged write is durable. Units that hit a retryable conflict
// (busy, deadlock, a unique race) run again, alone, up to 5 times. Each
// transaction starts on a live connection (SqlConnection::EnsureOpen).
// Reads run on reader threads, each in its own read transaction.
// A unit of work must be re-runnable: it only reads and writes through the
// repository and records its answer in state it owns.
// Thread-safety: Submit*/Run* are safe from any thread. `done` runs on a
// store thread; callers hop back to their own executor.
// Ownership: owns its threads and connections; the destructor drains the
// queues and joins.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "desk/desk_repository.h"
#include "storage/sql_connection.h"

namespace sladesk {

class SqlDeskRepository;

struct DeskStoreOptions {
  int writers = 0;    // 0: one writer connection (see desk_store.cc)
  int readers = 2;    // 0: no reader connection/thread; reads run on the writer's
                      // connection between write batches (one-shot commands)
  int max_batch = 256;
};

struct DeskStoreStats {
  std::uint64_t write_units = 0;
  std::uint64_t commits = 0;
  std::uint64_t retries = 0;
  std::uint64_t read_units = 0;
};

class DeskStore {
 public:
  using Work = std::function<Status(DeskRepository&)>;
  using Done = std::function<void(Status)>;

  // url: "sqlite:PATH" (or a bare path), "postgresql://..." / "postgres://...".
  static Result<std::unique_ptr<DeskStore>> Open(const std::string& url, DeskStoreOptions options = {});
  ~DeskStore();
  DeskStore(const DeskStore&) = delete;
  DeskStore& operator=(const DeskStore&) = delete;

  void SubmitWrite(Work work, Done done);
  void SubmitRead(Work work, Done done);
  // Blocking forms for the CLI, demo seeding and tests.
  Status RunWrite(Work work);
  Status RunRead(Work work);
  // A service call as one write unit, blocking: its Result, or the store's
  // failure (a refused call rolls its unit back).
  template <typename T>
  Result<T> Write(const std::function<Result<T>(DeskRepository&)>& call) {
    std::optional<Result<T>> out;
    Status st = RunWrite([&](DeskRepository& repo) -> Status {
      out.emplace(call(repo));
      return out->ok() ? Status::Ok() : Status(out->error());
    });
    if (out && !out->ok()) return out->error();
    if (!st.ok()) return st.error();
    return std::move(*out);
  }

  // Called on the writer thread after a COMMIT that wrote outbox rows (the
  // outbox dispatcher's wake-up: they are visible now). Set it before
  // writes start.
  void SetAfterCommit(std::function<void()> listener) {
    std::lock_guard<std::mutex> lock(mu_);
    after_commit_ = std::move(listener);
  }

  // Stops taking work, finishes what is queued, joins the threads.
  void Shutdown();

  SqlDialect dialect() const { return dialect_; }
  std::string backend_name() const { return dialect_ == SqlDialect::kSqlite ? "sqlite" : "postgresql"; }
  DeskStoreStats stats() const;
  std::size_t queued_writes() const;

 private:
  using Factory = std::function<Result<std::unique_ptr<SqlConnection>>()>;
  struct Job {
    Work work;
    Done done;
    int attempts = 0;
    bool read = false;  // a read queued with the writes (readers 0)
  };

  DeskStore(SqlDialect dialect, Factory factory, DeskStoreOptions options)
      : dialect_(dialect), factory_(std::move(factory)), options_(options) {}
  Status StartThreads(std::vector<std::unique_ptr<SqlConnection>> writers,
                      std::vector<std::unique_ptr<SqlConnection>> readers);
  void WriterLoop(SqlConnection* conn);
  void ReaderLoop(SqlConnection* conn);
  void RunRead(SqlConnection& conn, SqlDeskRepository& repo, Job& job);
  void RunBatch(SqlConnection& conn, std::vector<Job>& batch);

  const SqlDialect dialect_;
  Factory factory_;
  DeskStoreOptions options_;
  std::vector<std::unique_ptr<SqlConnection>> connections_;
  std::vector<std::thread> threads_;

  mutable std::mutex mu_;
  std::condition_variable write_cv_;
  std::condition_variable read_cv_;
  std::deque<Job> writes_;
  std::deque<Job> reads_;
  bool stopping_ = false;
  std::function<void()> after_commit_;

  std::atomic<std::uint64_t> write_units_{0}, commits_{0}, retries_{0}, read_units_{0};
};

}  // namespace sladesk
