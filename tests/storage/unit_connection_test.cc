// UnitConnection over each backend's real connection, and the PostgreSQL
// pipeline under it: what a unit holds, what its savepoint undoes, and that a
// failed queued statement can never be committed silently.
#include "storage/unit_connection.h"

#include <gtest/gtest.h>

#include "storage/postgres_connection.h"
#include "storage/sqlite_connection.h"
#include "storage/test_database.h"

namespace sladesk {
namespace {

std::unique_ptr<SqlConnection> Connect(const std::string& backend, const testing::TestDatabase& db) {
  if (backend == "sqlite") {
    auto c = SqliteConnection::Open(db.url().substr(7));
    return c.ok() ? std::move(c).value() : nullptr;
  }
  auto c = PostgresConnection::Open(db.url());
  return c.ok() ? std::move(c).value() : nullptr;
}

class UnitConnectionTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    SLADESK_SKIP_UNLESS_CONFIGURED(GetParam());
    db_ = std::make_unique<testing::TestDatabase>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    raw_ = Connect(GetParam(), *db_);
    ASSERT_NE(raw_, nullptr);
    ASSERT_TRUE(raw_->Execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)").ok());
  }
  std::int64_t Count() {
    auto rows = raw_->Query("SELECT COUNT(*) FROM notes", {});
    EXPECT_TRUE(rows.ok()) << rows.error().ToString();
    return rows.ok() ? rows->front().Int(0) : -1;
  }
  Status Insert(SqlConnection& c, std::int64_t id, const std::string& body) {
    return c.QueryDeferred("INSERT INTO notes (id, body) VALUES (?, ?)", {SqlValue{id}, SqlValue{body}});
  }

  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<SqlConnection> raw_;
};

TEST_P(UnitConnectionTest, AcceptedUnitsAreKeptAndAnUndoneOneLeavesNothing) {
  ASSERT_TRUE(raw_->Execute("BEGIN").ok());
  UnitConnection conn(*raw_, /*savepoints=*/true);
  conn.BeginUnit();
  ASSERT_TRUE(Insert(conn, 1, "kept").ok());
  ASSERT_TRUE(conn.AcceptUnit().ok());
  // Only queued: dropped without touching the database.
  conn.BeginUnit();
  ASSERT_TRUE(Insert(conn, 2, "dropped").ok());
  ASSERT_TRUE(conn.UndoUnit().ok());
  // Queued, then a read that may depend on it: a savepoint goes first, and
  // the rollback to it removes the row the read saw.
  conn.BeginUnit();
  ASSERT_TRUE(Insert(conn, 3, "seen, then undone").ok());
  auto seen = conn.Query("SELECT COUNT(*) FROM notes", {});
  ASSERT_TRUE(seen.ok()) << seen.error().ToString();
  EXPECT_EQ(seen->front().Int(0), 2);
  ASSERT_TRUE(conn.UndoUnit().ok());
  // A write that waits for its answer takes the savepoint too.
  conn.BeginUnit();
  auto ins = conn.Query("INSERT INTO notes (id, body) VALUES (4, 'written, then undone') RETURNING id", {});
  ASSERT_TRUE(ins.ok()) << ins.error().ToString();
  ASSERT_TRUE(conn.UndoUnit().ok());
  conn.BeginUnit();
  ASSERT_TRUE(Insert(conn, 5, "kept too").ok());
  ASSERT_TRUE(conn.AcceptUnit().ok());
  ASSERT_TRUE(raw_->Flush().ok());
  ASSERT_TRUE(raw_->Execute("COMMIT").ok());
  auto rows = raw_->Query("SELECT id FROM notes ORDER BY id", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Int(0), 1);
  EXPECT_EQ((*rows)[1].Int(0), 5);
}

// The second insert breaks the UNIQUE constraint. Wherever the failure shows
// (at the accept on SQLite, which runs statements at once; at the next wait
// on PostgreSQL), the transaction does not commit with the failure inside.
TEST_P(UnitConnectionTest, AFailedQueuedStatementIsNeverCommitted) {
  ASSERT_TRUE(raw_->Execute("BEGIN").ok());
  UnitConnection conn(*raw_, /*savepoints=*/true);
  conn.BeginUnit();
  ASSERT_TRUE(Insert(conn, 1, "same").ok());
  ASSERT_TRUE(conn.AcceptUnit().ok());
  conn.BeginUnit();
  ASSERT_TRUE(Insert(conn, 2, "same").ok());
  Status accepted = conn.AcceptUnit();
  bool failed = !accepted.ok();
  if (!failed) {
    // A later unit's read waits, and with it every queued answer.
    conn.BeginUnit();
    auto rows = conn.Query("SELECT COUNT(*) FROM notes", {});
    failed = !rows.ok();
    if (failed) {
      EXPECT_FALSE(conn.UndoUnit().ok()) << "the failure was not this unit's to undo";
    }
  } else {
    EXPECT_EQ(conn.first_failure(), SqlFailure::kUniqueViolation);
    EXPECT_FALSE(conn.UndoUnit().ok()) << "no savepoint covered the failed statement";
  }
  EXPECT_TRUE(failed) << "the duplicate was not reported";
  ASSERT_TRUE(raw_->Execute("ROLLBACK").ok());
  EXPECT_EQ(Count(), 0);
}

TEST_P(UnitConnectionTest, EnsureOpenRollsBackATransactionLeftOpen) {
  ASSERT_TRUE(raw_->Execute("BEGIN").ok());
  ASSERT_TRUE(raw_->Query("INSERT INTO notes (id, body) VALUES (1, 'left open') RETURNING id", {}).ok());
  ASSERT_TRUE(raw_->EnsureOpen().ok());
  ASSERT_TRUE(raw_->Execute("BEGIN").ok()) << "the next transaction could not start";
  EXPECT_EQ(Count(), 0);
  ASSERT_TRUE(raw_->Execute("COMMIT").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, UnitConnectionTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

class PostgresPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SLADESK_SKIP_UNLESS_CONFIGURED("postgresql");
    db_ = std::make_unique<testing::TestDatabase>("postgresql");
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto c = PostgresConnection::Open(db_->url());
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    conn_ = std::move(c).value();
    ASSERT_TRUE(conn_->Execute("CREATE TABLE notes (id BIGINT PRIMARY KEY)").ok());
  }
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<PostgresConnection> conn_;
};

TEST_F(PostgresPipelineTest, ADeferredFailureIsReportedAtTheNextWaitWithItsClass) {
  ASSERT_TRUE(conn_->Execute("BEGIN").ok());
  ASSERT_TRUE(conn_->QueryDeferred("INSERT INTO notes (id) VALUES (?)", {SqlValue{std::int64_t{1}}}).ok());
  ASSERT_TRUE(conn_->QueryDeferred("INSERT INTO notes (id) VALUES (?)", {SqlValue{std::int64_t{1}}}).ok());
  ASSERT_TRUE(conn_->QueryDeferred("INSERT INTO notes (id) VALUES (?)", {SqlValue{std::int64_t{2}}}).ok());
  Status flushed = conn_->Flush();
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(conn_->last_failure(), SqlFailure::kUniqueViolation);
  EXPECT_NE(flushed.error().message.find("duplicate key"), std::string::npos) << flushed.error().message;
  // PostgreSQL answers COMMIT of the failed transaction with "ROLLBACK":
  // that must read as a failure.
  Status committed = conn_->Execute("COMMIT");
  EXPECT_FALSE(committed.ok());
  auto rows = conn_->Query("SELECT COUNT(*) FROM notes", {});
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ(rows->front().Int(0), 0);
}

TEST_F(PostgresPipelineTest, CommitInThePipelineAfterAFailureIsAFailure) {
  ASSERT_TRUE(conn_->Execute("BEGIN").ok());
  ASSERT_TRUE(conn_->QueryDeferred("INSERT INTO notes (id) VALUES (?)", {SqlValue{std::int64_t{1}}}).ok());
  ASSERT_TRUE(conn_->QueryDeferred("INSERT INTO notes (id) VALUES (?)", {SqlValue{std::int64_t{1}}}).ok());
  EXPECT_FALSE(conn_->Execute("COMMIT").ok());
  (void)conn_->Execute("ROLLBACK");
  auto rows = conn_->Query("SELECT COUNT(*) FROM notes", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->front().Int(0), 0);
}

TEST_F(PostgresPipelineTest, RollbackRunsEvenAfterAFailureInThePipeline) {
  ASSERT_TRUE(conn_->Execute("BEGIN").ok());
  ASSERT_TRUE(conn_->QueryDeferred("INSERT INTO notes (id) VALUES (?)", {SqlValue{std::int64_t{1}}}).ok());
  ASSERT_TRUE(conn_->QueryDeferred("INSERT INTO notes (id) VALUES (?)", {SqlValue{std::int64_t{1}}}).ok());
  // Sent in the same pipeline segment it would be skipped, and the failed
  // transaction would swallow everything after it.
  EXPECT_TRUE(conn_->Execute("ROLLBACK").ok());
  auto rows = conn_->Query("SELECT COUNT(*) FROM notes", {});
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ(rows->front().Int(0), 0);
}

TEST_F(PostgresPipelineTest, AStatementWhosePrepareFailedIsPreparedAgain) {
  const std::string sql = "INSERT INTO later (id) VALUES (?)";
  ASSERT_TRUE(conn_->QueryDeferred("INSERT INTO notes (id) VALUES (?)", {SqlValue{std::int64_t{1}}}).ok());
  ASSERT_TRUE(conn_->QueryDeferred(sql, {SqlValue{std::int64_t{1}}}).ok());  // no such table yet
  EXPECT_FALSE(conn_->Flush().ok());
  ASSERT_TRUE(conn_->Execute("CREATE TABLE later (id BIGINT)").ok());
  ASSERT_TRUE(conn_->QueryDeferred(sql, {SqlValue{std::int64_t{7}}}).ok());
  ASSERT_TRUE(conn_->Flush().ok());
  auto rows = conn_->Query("SELECT id FROM later", {});
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().Int(0), 7);
}

TEST_F(PostgresPipelineTest, ManyQueuedStatementsNeverStallTheSocket) {
  ASSERT_TRUE(conn_->Execute("BEGIN").ok());
  for (std::int64_t i = 0; i < 5000; ++i)
    ASSERT_TRUE(conn_->QueryDeferred("INSERT INTO notes (id) VALUES (?)", {SqlValue{i}}).ok()) << i;
  auto rows = conn_->Query("SELECT COUNT(*) FROM notes", {});
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ(rows->front().Int(0), 5000);
  ASSERT_TRUE(conn_->Execute("COMMIT").ok());
}

}  // namespace
}  // namespace sladesk
