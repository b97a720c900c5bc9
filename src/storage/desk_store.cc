#include "storage/desk_store.h"

#include "storage/batch_desk_repository.h"

#include "storage/postgres_connection.h"
#include "storage/schema_migrations.h"
#include "storage/sql_desk_repository.h"
#include "storage/sqlite_connection.h"
#include "storage/unit_connection.h"

namespace sladesk {
namespace {

constexpr int kMaxAttempts = 5;

bool StartsWith(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }

// Opens a transaction, reconnecting first if the server dropped the
// connection. A BEGIN that fails is tried once more after EnsureOpen: a
// dropped connection is often only noticed by the statement that fails, and
// nothing has been done yet that a second attempt could repeat.
Status Begin(SqlConnection& conn, const char* begin) {
  Status st = conn.EnsureOpen();
  if (st.ok()) st = conn.Execute(begin);
  if (st.ok()) return st;
  if (!conn.EnsureOpen().ok()) return st;
  return conn.Execute(begin);
}

}  // namespace

Result<std::unique_ptr<DeskStore>> DeskStore::Open(const std::string& url, DeskStoreOptions options) {
  SqlDialect dialect;
  Factory factory;
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    dialect = SqlDialect::kPostgres;
    factory = [url]() -> Result<std::unique_ptr<SqlConnection>> {
      auto c = PostgresConnection::Open(url);
      if (!c.ok()) return c.error();
      return std::unique_ptr<SqlConnection>(std::move(c).value());
    };
  } else {
    std::string path = StartsWith(url, "sqlite:") ? url.substr(7) : url;
    if (StartsWith(path, "//")) path = path.substr(2);
    if (path.empty() || path == ":memory:")
      return MakeError("--db", "an SQLite database needs a file path (sqlite:PATH); ':memory:' is not shared between threads");
    dialect = SqlDialect::kSqlite;
    factory = [path]() -> Result<std::unique_ptr<SqlConnection>> {
      auto c = SqliteConnection::Open(path);
      if (!c.ok()) return c.error();
      return std::unique_ptr<SqlConnection>(std::move(c).value());
    };
  }
  // One writer by default on both: SQLite has one writer anyway, and on
  // PostgreSQL two batches in one process that lock the same rows in
  // different orders would deadlock (and wait deadlock_timeout to find out),
  // while the hot rows (ticket counter, an organisation) serialise them anyway.
  if (options.writers <= 0) options.writers = 1;
  // readers 0: no reader connection or thread; reads queue with the writes
  // and run one at a time on the writer's connection (a one-shot command).
  if (options.readers < 0) options.readers = 0;
  if (options.max_batch <= 0) options.max_batch = 1;

  std::vector<std::unique_ptr<SqlConnection>> writers, readers;
  for (int i = 0; i < options.writers; ++i) {
    auto c = factory();
    if (!c.ok()) return c.error();
    if (i == 0) {
      auto v = SchemaMigrations::Apply(**c);
      if (!v.ok()) return v.error();
    }
    writers.push_back(std::move(c).value());
  }
  for (int i = 0; i < options.readers; ++i) {
    auto c = factory();
    if (!c.ok()) return c.error();
    readers.push_back(std::move(c).value());
  }
  std::unique_ptr<DeskStore> store(new DeskStore(dialect, std::move(factory), options));
  Status st = store->StartThreads(std::move(writers), std::move(readers));
  if (!st.ok()) return st.error();
  return store;
}

Status DeskStore::StartThreads(std::vector<std::unique_ptr<SqlConnection>> writers,
                               std::vector<std::unique_ptr<SqlConnection>> readers) {
  for (auto& c : writers) {
    SqlConnection* raw = c.get();
    connections_.push_back(std::move(c));
    threads_.emplace_back([this, raw] { WriterLoop(raw); });
  }
  for (auto& c : readers) {
    SqlConnection* raw = c.get();
    connections_.push_back(std::move(c));
    threads_.emplace_back([this, raw] { ReaderLoop(raw); });
  }
  return Status::Ok();
}

DeskStore::~DeskStore() { Shutdown(); }

void DeskStore::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  write_cv_.notify_all();
  read_cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void DeskStore::SubmitWrite(Work work, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      writes_.push_back(Job{std::move(work), std::move(done), 0});
      write_cv_.notify_one();
      return;
    }
  }
  done(UnavailableError("the store is shutting down"));
}

void DeskStore::SubmitRead(Work work, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_ && options_.readers == 0) {
      writes_.push_back(Job{std::move(work), std::move(done), 0, /*read=*/true});
      write_cv_.notify_one();
      return;
    }
    if (!stopping_) {
      reads_.push_back(Job{std::move(work), std::move(done), 0});
      read_cv_.notify_one();
      return;
    }
  }
  done(UnavailableError("the store is shutting down"));
}

namespace {
Status RunBlocking(const std::function<void(DeskStore::Work, DeskStore::Done)>& submit, DeskStore::Work work) {
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  Status result;
  submit(std::move(work), [&](Status st) {
    std::lock_guard<std::mutex> lock(mu);
    result = std::move(st);
    finished = true;
    cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return finished; });
  return result;
}
}  // namespace

Status DeskStore::RunWrite(Work work) {
  return RunBlocking([this](Work w, Done d) { SubmitWrite(std::move(w), std::move(d)); }, std::move(work));
}

Status DeskStore::RunRead(Work work) {
  return RunBlocking([this](Work w, Done d) { SubmitRead(std::move(w), std::move(d)); }, std::move(work));
}

void DeskStore::WriterLoop(SqlConnection* conn) {
  for (;;) {
    std::vector<Job> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      write_cv_.wait(lock, [&] { return stopping_ || !writes_.empty(); });
      if (writes_.empty()) return;  // stopping and drained
      // A read queued here (readers 0) runs alone, in its own read
      // transaction, never inside a write batch.
      while (!writes_.empty() && static_cast<int>(batch.size()) < options_.max_batch &&
             !(writes_.front().read && !batch.empty())) {
        batch.push_back(std::move(writes_.front()));
        writes_.pop_front();
        // A unit that is being retried runs alone, so its conflict cannot
        // take a whole batch down again.
        if (batch.back().attempts > 0 || batch.back().read) break;
      }
    }
    if (batch.size() == 1 && batch.front().read) {
      SqlDeskRepository repo(*conn);
      RunRead(*conn, repo, batch.front());
      continue;
    }
    RunBatch(*conn, batch);
  }
}

void DeskStore::RunBatch(SqlConnection& raw, std::vector<Job>& batch) {
  const bool single = batch.size() == 1;
  UnitConnection conn(raw, /*savepoints=*/!single);
  // Rows this transaction has locked stay as read until it ends
  // (BatchDeskRepository); a failed unit is undone in both the repository's
  // state and the connection's (UnitConnection).
  BatchDeskRepository repo(conn, batch.size());
  std::vector<Status> results(batch.size());
  std::vector<bool> retry(batch.size(), false);

  auto fail_all = [&](const Error& e, bool retryable) {
    for (size_t i = 0; i < batch.size(); ++i) {
      results[i] = e;
      retry[i] = retryable;
    }
  };
  auto retryable = [](SqlFailure f) { return f == SqlFailure::kRetryable || f == SqlFailure::kUniqueViolation; };

  Status begun = Begin(raw, dialect_ == SqlDialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!begun.ok()) {
    fail_all(begun.error(), raw.last_failure() == SqlFailure::kRetryable);
  } else {
    // The transaction cannot be committed as it is: every unit runs again,
    // alone, so that whatever failed is attributed to its own unit.
    bool lost = false;
    bool rolled_back = false;
    for (size_t i = 0; i < batch.size() && !lost; ++i) {
      conn.BeginUnit();
      repo.BeginUnit();
      Status st = batch[i].work(repo);
      if (st.ok() && conn.first_failure() == SqlFailure::kNone) st = conn.AcceptUnit();
      if (st.ok() && conn.first_failure() == SqlFailure::kNone) {
        results[i] = Status::Ok();
        continue;
      }
      repo.UndoUnit();
      const SqlFailure failure = conn.first_failure();
      if (st.ok()) st = MakeError(ErrorCode::kUnavailable, "database", "a statement failed inside the unit of work");
      results[i] = st;
      retry[i] = retryable(failure);
      if (single) {
        // Nothing else in this transaction: roll it back instead of committing.
        rolled_back = true;
        (void)raw.Execute("ROLLBACK");
        break;
      }
      if (!conn.UndoUnit().ok()) lost = true;
    }
    if (!rolled_back && !lost) {
      // The counters' final values, as one more unit: if they cannot be
      // written, no unit of this transaction can be kept as it is.
      conn.BeginUnit();
      Status finished = repo.FinishBatch();
      if (finished.ok() && conn.first_failure() == SqlFailure::kNone) finished = conn.AcceptUnit();
      if (!finished.ok() || conn.first_failure() != SqlFailure::kNone) lost = true;
    }
    if (rolled_back) {
      // The single unit's own error is already in results[0].
    } else if (lost) {
      (void)raw.Execute("ROLLBACK");
      fail_all(MakeError(ErrorCode::kUnavailable, "database", "the transaction failed and was rolled back"), true);
    } else if (Status flushed = raw.Flush(); !flushed.ok()) {
      // An accepted unit's queued statement failed: in a batch, whose it was
      // is found by running them again alone.
      const SqlFailure failure = raw.last_failure();
      (void)raw.Execute("ROLLBACK");
      fail_all(flushed.error(), single ? retryable(failure) : true);
    } else {
      Status committed = raw.Execute("COMMIT");
      if (!committed.ok()) {
        const SqlFailure failure = raw.last_failure();
        (void)raw.Execute("ROLLBACK");
        fail_all(committed.error(), failure == SqlFailure::kRetryable);
      } else {
        commits_++;
        if (repo.outbox_rows_enqueued() > 0) {
          std::function<void()> hook;
          {
            std::lock_guard<std::mutex> lock(mu_);
            hook = after_commit_;
          }
          if (hook) hook();
        }
      }
    }
  }
  for (auto& job : batch) job.attempts++;
  std::vector<Job> again;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (retry[i] && batch[i].attempts < kMaxAttempts) {
      retries_++;
      again.push_back(std::move(batch[i]));
      continue;
    }
    write_units_++;
    if (batch[i].done) batch[i].done(std::move(results[i]));
  }
  if (!again.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = again.rbegin(); it != again.rend(); ++it) writes_.push_front(std::move(*it));
    write_cv_.notify_all();
  }
}

void DeskStore::ReaderLoop(SqlConnection* conn) {
  SqlDeskRepository repo(*conn);
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      read_cv_.wait(lock, [&] { return stopping_ || !reads_.empty(); });
      if (reads_.empty()) return;
      job = std::move(reads_.front());
      reads_.pop_front();
    }
    RunRead(*conn, repo, job);
  }
}

void DeskStore::RunRead(SqlConnection& conn_ref, SqlDeskRepository& repo, Job& job) {
  SqlConnection* conn = &conn_ref;
  const char* begin = dialect_ == SqlDialect::kSqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  Status st;
  // A read changes nothing, so one that failed in the database (a dropped
  // connection is noticed only by the first statement sent on it) runs
  // once more, on a reopened connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    st = conn->EnsureOpen();
    // On PostgreSQL the BEGIN travels with the unit's first statement.
    if (st.ok()) st = conn->ExecuteDeferred(begin);
    bool database_failed = !st.ok();
    if (st.ok()) {
      st = job.work(repo);
      database_failed = !st.ok() && conn->last_failure() != SqlFailure::kNone;
      (void)conn->Execute(st.ok() ? "COMMIT" : "ROLLBACK");
    }
    if (!database_failed) break;
  }
  read_units_++;
  if (job.done) job.done(std::move(st));
}

DeskStoreStats DeskStore::stats() const {
  return DeskStoreStats{write_units_.load(), commits_.load(), retries_.load(), read_units_.load()};
}

std::size_t DeskStore::queued_writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_.size();
}

}  // namespace sladesk
