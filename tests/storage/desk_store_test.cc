// The repository and the group-commit store, run against every backend
// (SQLite always; PostgreSQL when SLADESK_TEST_PG_URL is set).
#include "storage/desk_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "storage/postgres_connection.h"
#include "storage/schema_migrations.h"
#include "storage/sqlite_connection.h"
#include "storage/test_database.h"

namespace sladesk {
namespace {

class DeskStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    SLADESK_SKIP_UNLESS_CONFIGURED(GetParam());
    db_ = std::make_unique<testing::TestDatabase>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto s = DeskStore::Open(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(s).value();
    now_ = FromEpoch(1'800'000'000);
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  Id MakeOrg(const std::string& name = "Acme") {
    Id id = 0;
    Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
      Organisation o;
      o.name = name;
      o.policy_id = "gold-support";
      o.plan_id = "gold";
      o.incidents_per_month = 4;
      o.created_at = now_;
      auto got = r.InsertOrganisation(o);
      if (!got.ok()) return got.error();
      id = *got;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.error().ToString();
    return id;
  }

  Id MakeUser(std::optional<Id> org, const std::string& email, Role role) {
    Id id = 0;
    Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
      User u;
      u.organisation_id = org;
      u.name = email;
      u.email = email;
      u.role = role;
      u.created_at = now_;
      auto got = r.InsertUser(u);
      if (!got.ok()) return got.error();
      id = *got;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.error().ToString();
    return id;
  }

  Result<Ticket> MakeTicket(Id org, Id requester, const std::string& severity, std::optional<Instant> due) {
    Ticket out;
    Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
      auto n = r.NextTicketNumber();
      if (!n.ok()) return n.error();
      Ticket t;
      t.number = *n;
      t.organisation_id = org;
      t.requester_id = requester;
      t.subject = "Export fails";
      t.description = "The CSV export returns 500";
      t.severity = severity;
      t.opened_at = now_;
      t.updated_at = now_;
      t.next_due = due;
      t.sla_json = "{}";
      auto id = r.InsertTicket(t);
      if (!id.ok()) return id.error();
      t.id = *id;
      out = t;
      return Status::Ok();
    });
    if (!st.ok()) return st.error();
    return out;
  }

  // Submits `n` units at once (so the writer batches them) and waits for
  // every answer; unit(r, i) is the i-th unit's work.
  std::vector<Status> SubmitAll(int n, std::function<Status(DeskRepository&, int)> unit) {
    std::vector<Status> results(n);
    std::atomic<int> done{0};
    for (int i = 0; i < n; ++i)
      store_->SubmitWrite([unit, i](DeskRepository& r) { return unit(r, i); },
                          [&results, &done, i](Status st) {
                            results[i] = std::move(st);
                            done++;
                          });
    while (done.load() < n) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return results;
  }
  static int Failed(const std::vector<Status>& results) {
    int n = 0;
    for (const auto& r : results) n += !r.ok();
    return n;
  }

  // What a create does inside a unit of work: the next number, the ticket
  // and its "opened" event.
  Result<Id> OpenTicketUnit(DeskRepository& r, Id org, Id requester, const std::string& subject) const {
    auto n = r.NextTicketNumber();
    if (!n.ok()) return n.error();
    Ticket t;
    t.number = *n;
    t.organisation_id = org;
    t.requester_id = requester;
    t.subject = subject;
    t.severity = "low";
    t.opened_at = now_;
    t.updated_at = now_;
    t.sla_json = "{}";
    auto id = r.InsertTicket(t);
    if (!id.ok()) return id.error();
    Status logged = r.AppendEvent({0, *id, now_, requester, EventKind::kOpened, "{}"});
    if (!logged.ok()) return logged.error();
    return *id;
  }

  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<DeskStore> store_;
  Instant now_;
};

TEST_P(DeskStoreTest, MigrationsAreIdempotentAcrossReopen) {
  Id org = MakeOrg();
  store_.reset();
  auto again = DeskStore::Open(db_->url());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  Status st = (*again)->RunRead([&](DeskRepository& r) -> Status {
    auto o = r.GetOrganisation(org, false);
    if (!o.ok()) return o.error();
    EXPECT_TRUE(o->has_value());
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

// Migration 3 makes e-mail addresses unique ignoring case; a database that
// already holds two that differ only in case is reported, not half-migrated.
TEST_P(DeskStoreTest, TheCaseInsensitiveEmailMigrationReportsClashesAndChangesNothing) {
  store_.reset();
  testing::TestDatabase old_db(GetParam());
  ASSERT_TRUE(old_db.error().empty());
  std::unique_ptr<SqlConnection> conn;
  if (GetParam() == "sqlite") conn = std::move(SqliteConnection::Open(old_db.url().substr(7)).value());
  else conn = std::move(PostgresConnection::Open(old_db.url()).value());
  ASSERT_EQ(SchemaMigrations::Apply(*conn, 2).value(), 2);
  for (const char* email : {"Ada@Example.com", "ada@example.com", "bob@example.com"})
    ASSERT_TRUE(conn->Query("INSERT INTO users (organisation_id, name, email, role, named_contact, active, created_at) "
                            "VALUES (NULL, 'x', ?, 'agent', 0, 1, 0)",
                            {SqlValue{std::string(email)}})
                    .ok());
  auto refused = SchemaMigrations::Apply(*conn);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("ada@example.com (users 1 and 2)"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("cannot run"), std::string::npos);
  auto version = conn->Query("SELECT MAX(version) FROM schema_migrations", {});
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->front().Int(0), 2);  // nothing of migration 3 stayed
  ASSERT_TRUE(conn->Query("UPDATE users SET email = 'ada.lovelace@example.com' WHERE id = 2", {}).ok());
  EXPECT_EQ(SchemaMigrations::Apply(*conn).value(), SchemaMigrations::LatestVersion());
  auto dup = conn->Query("INSERT INTO users (organisation_id, name, email, email_key, role, named_contact, active, created_at) "
                         "VALUES (NULL, 'x', 'BOB@example.com', 'bob@example.com', 'agent', 0, 1, 0)",
                         {});
  EXPECT_FALSE(dup.ok()) << "the unique key on the lower-cased address holds";
}

TEST_P(DeskStoreTest, OrganisationRoundTripAndVersionCheck) {
  Id id = MakeOrg("Globex");
  Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
    auto o = r.GetOrganisation(id, true);
    EXPECT_TRUE(o.ok() && o->has_value());
    Organisation org = **o;
    EXPECT_EQ(org.name, "Globex");
    EXPECT_EQ(org.incidents_per_month, 4);
    EXPECT_FALSE(org.renewal_date.has_value());
    org.renewal_date = "2027-01-31";
    auto updated = r.UpdateOrganisation(org, org.version);
    EXPECT_TRUE(updated.ok() && *updated);
    auto stale = r.UpdateOrganisation(org, org.version);  // same old version: refused
    EXPECT_TRUE(stale.ok() && !*stale);
    auto missing = r.GetOrganisation(id + 1000, false);
    EXPECT_TRUE(missing.ok() && !missing->has_value());
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  st = store_->RunRead([&](DeskRepository& r) -> Status {
    auto o = r.GetOrganisation(id, false);
    EXPECT_EQ((*o)->renewal_date, "2027-01-31");
    EXPECT_EQ((*o)->version, 2);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

TEST_P(DeskStoreTest, UsersTokensAndNamedContacts) {
  Id org = MakeOrg();
  Id c1 = MakeUser(org, "ann@acme.test", Role::kContact);
  MakeUser(org, "bob@acme.test", Role::kContact);
  MakeUser(std::nullopt, "agent@desk.test", Role::kAgent);
  Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
    auto u = r.GetUser(c1);
    User ann = **u;
    ann.named_contact = true;
    EXPECT_TRUE(r.UpdateUser(ann).ok());
    EXPECT_EQ(*r.CountNamedContacts(org), 1);
    EXPECT_EQ(r.ListUsers(org)->size(), 2u);
    EXPECT_EQ(r.ListUsers(std::nullopt)->size(), 1u);
    EXPECT_EQ((*r.FindUserByEmail("bob@acme.test"))->role, Role::kContact);
    EXPECT_FALSE(r.FindUserByEmail("nobody@acme.test")->has_value());
    ApiToken t;
    t.user_id = c1;
    t.name = "cli";
    t.token_hash = "abc123";
    t.created_at = now_;
    t.expires_at = now_ + std::chrono::hours(1);
    EXPECT_TRUE(r.InsertToken(t).ok());
    auto found = r.FindTokenByHash("abc123");
    EXPECT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->user_id, c1);
    EXPECT_EQ((*found)->expires_at, t.expires_at);
    EXPECT_FALSE(r.FindTokenByHash("other")->has_value());
    EXPECT_TRUE(r.AppendContactAudit({0, org, c1, c1, "named", now_}).ok());
    EXPECT_EQ(r.ListContactAudit(org)->size(), 1u);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

TEST_P(DeskStoreTest, DuplicateEmailIsAUniqueViolationNotACrash) {
  MakeUser(std::nullopt, "same@desk.test", Role::kAgent);
  Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
    User u;
    u.name = "again";
    u.email = "same@desk.test";
    u.role = Role::kAgent;
    u.created_at = now_;
    auto id = r.InsertUser(u);
    if (!id.ok()) return id.error();
    return Status::Ok();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "database");
}

TEST_P(DeskStoreTest, TicketsUpdateWithOptimisticLock) {
  Id org = MakeOrg();
  Id c = MakeUser(org, "ann@acme.test", Role::kContact);
  auto t = MakeTicket(org, c, "high", now_ + std::chrono::hours(2));
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->number, 1);
  Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
    auto got = r.GetTicketByNumber(t->number, true);
    EXPECT_TRUE(got.ok() && got->has_value());
    Ticket tk = **got;
    EXPECT_EQ(tk.subject, "Export fails");
    EXPECT_EQ(tk.next_due, now_ + std::chrono::hours(2));
    EXPECT_FALSE(tk.assignee_id.has_value());
    tk.status = TicketStatus::kResolved;
    tk.outcome = TicketOutcome::kBugEscalated;
    tk.external_issue = "JIRA-12";
    tk.resolved_at = now_;
    EXPECT_TRUE(*r.UpdateTicket(tk, tk.version));
    EXPECT_FALSE(*r.UpdateTicket(tk, tk.version));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  st = store_->RunRead([&](DeskRepository& r) -> Status {
    auto got = r.GetTicketByNumber(t->number, false);
    EXPECT_EQ((*got)->status, TicketStatus::kResolved);
    EXPECT_EQ((*got)->outcome, TicketOutcome::kBugEscalated);
    EXPECT_EQ((*got)->external_issue, "JIRA-12");
    EXPECT_EQ((*got)->version, 2);
    EXPECT_FALSE(r.GetTicketByNumber(999, false)->has_value());
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

TEST_P(DeskStoreTest, ListOrdersByUrgencyFiltersAndPages) {
  Id org = MakeOrg();
  Id other = MakeOrg("Other");
  Id c = MakeUser(org, "ann@acme.test", Role::kContact);
  Id d = MakeUser(other, "dan@other.test", Role::kContact);
  // numbers 1..5: due in 5h, none, 1h (other org), past due, 3h
  ASSERT_TRUE(MakeTicket(org, c, "high", now_ + std::chrono::hours(5)).ok());
  ASSERT_TRUE(MakeTicket(org, c, "low", std::nullopt).ok());
  ASSERT_TRUE(MakeTicket(other, d, "high", now_ + std::chrono::hours(1)).ok());
  ASSERT_TRUE(MakeTicket(org, c, "urgent", now_ - std::chrono::hours(1)).ok());
  ASSERT_TRUE(MakeTicket(org, c, "high", now_ + std::chrono::hours(3)).ok());
  Status st = store_->RunRead([&](DeskRepository& r) -> Status {
    auto numbers = [&](const TicketQuery& q) {
      std::vector<std::int64_t> out;
      auto rows = r.ListTickets(q);
      EXPECT_TRUE(rows.ok());
      if (rows.ok())
        for (const auto& t : *rows) out.push_back(t.number);
      return out;
    };
    TicketQuery q;
    q.now = now_;
    EXPECT_EQ(numbers(q), (std::vector<std::int64_t>{4, 3, 5, 1, 2}));
    q.organisation_id = org;
    EXPECT_EQ(numbers(q), (std::vector<std::int64_t>{4, 5, 1, 2}));
    q.severity = "high";
    EXPECT_EQ(numbers(q), (std::vector<std::int64_t>{5, 1}));
    q.severity.reset();
    q.breached = true;
    EXPECT_EQ(numbers(q), (std::vector<std::int64_t>{4}));
    q.breached = false;
    EXPECT_EQ(numbers(q), (std::vector<std::int64_t>{5, 1, 2}));
    q.breached.reset();
    q.due_before = now_ + std::chrono::hours(4);
    EXPECT_EQ(numbers(q), (std::vector<std::int64_t>{4, 5}));
    q.due_before.reset();
    // Keyset pages of two.
    q.limit = 2;
    auto page1 = *r.ListTickets(q);
    EXPECT_EQ(page1.size(), 2u);
    q.after_key = ToEpoch(*page1.back().next_due);
    q.after_number = page1.back().number;
    EXPECT_EQ(numbers(q), (std::vector<std::int64_t>{1, 2}));
    // Newest first.
    TicketQuery n;
    n.order_by_urgency = false;
    n.limit = 3;
    EXPECT_EQ(numbers(n), (std::vector<std::int64_t>{5, 4, 3}));
    n.after_number = 3;
    EXPECT_EQ(numbers(n), (std::vector<std::int64_t>{2, 1}));
    n.after_number.reset();
    n.statuses = {TicketStatus::kOpen};
    EXPECT_TRUE(numbers(n).empty());
    n.statuses = {TicketStatus::kOpen, TicketStatus::kNew};
    EXPECT_EQ(numbers(n).size(), 3u);
    EXPECT_EQ(*r.CountTicketsOpenedSince(org, now_), 4);
    EXPECT_EQ(*r.CountTicketsOpenedSince(org, now_ + std::chrono::seconds(1)), 0);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

TEST_P(DeskStoreTest, EventsMessagesAttachmentsEscalationsIdempotency) {
  Id org = MakeOrg();
  Id c = MakeUser(org, "ann@acme.test", Role::kContact);
  auto t = MakeTicket(org, c, "high", std::nullopt);
  ASSERT_TRUE(t.ok());
  std::string binary("\x00\x01\xff\xfe" "PNG\r\n", 9);
  Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
    EXPECT_TRUE(r.AppendEvent({0, t->id, now_, c, EventKind::kOpened, "{}"}).ok());
    EXPECT_TRUE(r.AppendEvent({0, t->id, now_, c, EventKind::kSeverityChanged, R"({"severity":"urgent"})"}).ok());
    EXPECT_TRUE(r.InsertMessage({0, t->id, c, Visibility::kPublic, "hello", now_}).ok());
    EXPECT_TRUE(r.InsertMessage({0, t->id, c, Visibility::kInternal, "note", now_}).ok());
    EXPECT_TRUE(r.InsertAttachment({0, t->id, c, "shot.png", "image/png", 0, binary, now_}).ok());
    EXPECT_TRUE(r.InsertEscalation({0, t->id, org, 1, "revenue", c, now_}).ok());
    EXPECT_TRUE(r.InsertIdempotency({c, "k1", "h1", 201, "{\"number\":1}", "/api/v1/tickets/1", now_}).ok());
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  st = store_->RunRead([&](DeskRepository& r) -> Status {
    auto ev = *r.ListEvents(t->id);
    EXPECT_EQ(ev.size(), 2u);
    EXPECT_EQ(ev[1].kind, EventKind::kSeverityChanged);
    EXPECT_EQ(ev[1].data_json, R"({"severity":"urgent"})");
    EXPECT_EQ(r.ListMessages(t->id, false)->size(), 1u);
    EXPECT_EQ(r.ListMessages(t->id, true)->size(), 2u);
    auto list = *r.ListAttachments(t->id);
    EXPECT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].size, 9);
    EXPECT_TRUE(list[0].data.empty());
    auto a = r.GetAttachment(t->id, list[0].id);
    EXPECT_EQ((*a)->data, binary);
    EXPECT_FALSE(r.GetAttachment(t->id + 1, list[0].id)->has_value());
    EXPECT_EQ(*r.CountEscalations(org), 1);
    EXPECT_EQ(*r.CountIncidents(org, FromEpoch(1772323200)), 0);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  st = store_->RunWrite([&](DeskRepository& r) -> Status {
    const Instant march = FromEpoch(1772323200), april = FromEpoch(1775001600);
    EXPECT_EQ(*r.IncrementIncidents(org, march), 1);
    EXPECT_EQ(*r.IncrementIncidents(org, march), 2);
    EXPECT_EQ(*r.IncrementIncidents(org, april), 1);
    EXPECT_EQ(*r.CountIncidents(org, march), 2);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  st = store_->RunRead([&](DeskRepository& r) -> Status {
    auto rec = r.FindIdempotency(c, "k1");
    EXPECT_EQ((*rec)->status_code, 201);
    EXPECT_EQ((*rec)->location, "/api/v1/tickets/1");
    EXPECT_FALSE(r.FindIdempotency(c, "k2")->has_value());
    EXPECT_TRUE(r.Ping().ok());
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

// Group commit: many concurrent units share transactions; a unit that fails
// leaves nothing behind and does not take the others down.
TEST_P(DeskStoreTest, FailingUnitRollsBackOnlyItself) {
  Id org = MakeOrg();
  Id c = MakeUser(org, "ann@acme.test", Role::kContact);
  constexpr int kUnits = 200;
  auto results = SubmitAll(kUnits, [=, this](DeskRepository& r, int i) -> Status {
    // Counted and logged like a create; the store may keep the count
    // and queue the writes (BatchDeskRepository).
    auto id = OpenTicketUnit(r, org, c, "unit " + std::to_string(i));
    if (!id.ok()) return id.error();
    auto opened = r.IncrementIncidents(org, now_);
    if (!opened.ok()) return opened.error();
    if (i % 10 == 3) return MakeError("subject", "refused after writing");
    return Status::Ok();
  });
  EXPECT_EQ(Failed(results), kUnits / 10);
  Status st = store_->RunRead([&](DeskRepository& r) -> Status {
    TicketQuery q;
    q.limit = 1000;
    auto all = *r.ListTickets(q);
    EXPECT_EQ(all.size(), static_cast<size_t>(kUnits - kUnits / 10));
    std::set<std::int64_t> numbers;
    for (const auto& t : all) {
      numbers.insert(t.number);
      int i = std::stoi(t.subject.substr(5));
      EXPECT_NE(i % 10, 3) << "a refused unit left its ticket behind";
    }
    EXPECT_EQ(numbers.size(), all.size());
    // Refused units gave back their number and their count.
    EXPECT_EQ(*numbers.begin(), 1);
    EXPECT_EQ(*numbers.rbegin(), static_cast<std::int64_t>(all.size()));
    EXPECT_EQ(*r.CountIncidents(org, now_), static_cast<std::int64_t>(all.size()));
    for (const auto& t : all) EXPECT_EQ(r.ListEvents(t.id)->size(), 1u) << t.subject;
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  EXPECT_LT(store_->stats().commits, static_cast<std::uint64_t>(kUnits)) << "writes were not batched";
  // What the batches kept in memory reached the counter rows.
  st = store_->RunWrite([&](DeskRepository& r) -> Status {
    EXPECT_EQ(*r.NextTicketNumber(), kUnits - kUnits / 10 + 1);
    EXPECT_EQ(*r.IncrementIncidents(org, now_), kUnits - kUnits / 10 + 1);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

// A queued statement that the database refuses (here a duplicate
// idempotency key, found only at the batch's flush) fails its own unit and no
// other: the batch is rolled back and its units run again, alone.
TEST_P(DeskStoreTest, QueuedStatementFailureFailsOnlyItsUnit) {
  Id org = MakeOrg();
  Id c = MakeUser(org, "ann@acme.test", Role::kContact);
  constexpr int kUnits = 40;
  auto results = SubmitAll(kUnits, [=, this](DeskRepository& r, int i) -> Status {
    auto id = OpenTicketUnit(r, org, c, "unit " + std::to_string(i));
    if (!id.ok()) return id.error();
    const std::string key = (i == 11 || i == 12) ? "same" : "key-" + std::to_string(i);
    return r.InsertIdempotency({c, key, "h", 201, "{}", "", now_});
  });
  int failed = 0;
  for (int i = 0; i < kUnits; ++i) {
    if (results[i].ok()) continue;
    failed++;
    EXPECT_TRUE(i == 11 || i == 12) << "unit " << i << ": " << results[i].error().ToString();
  }
  EXPECT_EQ(failed, 1);
  Status st = store_->RunRead([&](DeskRepository& r) -> Status {
    TicketQuery q;
    q.limit = 1000;
    auto all = *r.ListTickets(q);
    EXPECT_EQ(all.size(), static_cast<size_t>(kUnits - 1));
    std::set<std::int64_t> numbers;
    for (const auto& t : all) {
      numbers.insert(t.number);
      EXPECT_EQ(r.ListEvents(t.id)->size(), 1u) << t.subject;
    }
    EXPECT_EQ(numbers.size(), all.size());
    EXPECT_EQ(*numbers.rbegin(), static_cast<std::int64_t>(all.size())) << "the failed unit kept its number";
    EXPECT_TRUE(r.FindIdempotency(c, "same")->has_value());
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  EXPECT_GT(store_->stats().retries, 0u) << "the failed statement's batch was not run again";
  // The counter row holds what the batches handed out.
  st = store_->RunWrite([&](DeskRepository& r) -> Status {
    EXPECT_EQ(*r.NextTicketNumber(), kUnits);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

// A unit that wrote through a statement that waits for its answer (here a
// user insert, which needs its id) and is then refused rolls back to its own
// savepoint; units before and after it in the batch are kept, and so are the
// counts they took.
TEST_P(DeskStoreTest, RefusalAfterAWriteRollsBackToTheUnitsSavepoint) {
  Id org = MakeOrg();
  constexpr int kUnits = 60;
  auto results = SubmitAll(kUnits, [=, this](DeskRepository& r, int i) -> Status {
    auto opened = r.IncrementIncidents(org, now_);
    if (!opened.ok()) return opened.error();
    User u;
    u.organisation_id = org;
    u.name = "user " + std::to_string(i);
    u.email = "u" + std::to_string(i) + "@acme.test";
    u.role = Role::kContact;
    u.created_at = now_;
    auto id = r.InsertUser(u);
    if (!id.ok()) return id.error();
    if (i % 7 == 2) return MakeError("email", "refused after writing");
    return Status::Ok();
  });
  int refused = 0;
  for (int i = 0; i < kUnits; ++i) refused += i % 7 == 2;
  EXPECT_EQ(Failed(results), refused);
  Status st = store_->RunRead([&](DeskRepository& r) -> Status {
    auto users = *r.ListUsers(org);
    EXPECT_EQ(users.size(), static_cast<size_t>(kUnits - refused));
    for (const auto& u : users) EXPECT_NE(std::stoi(u.name.substr(5)) % 7, 2) << u.name;
    EXPECT_EQ(*r.CountIncidents(org, now_), kUnits - refused);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

// Two stores on one database stand in for two server processes.
TEST_P(DeskStoreTest, TwoStoresNeverShareATicketNumberNorLoseAnUpdate) {
  Id org = MakeOrg();
  Id c = MakeUser(org, "ann@acme.test", Role::kContact);
  auto t = MakeTicket(org, c, "low", std::nullopt);
  ASSERT_TRUE(t.ok());
  auto second = DeskStore::Open(db_->url());
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  std::vector<DeskStore*> stores{store_.get(), second->get()};
  constexpr int kPerStore = 60;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::vector<std::int64_t> numbers;
  std::atomic<int> increments{0};
  for (DeskStore* s : stores) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kPerStore; ++i) {
        std::int64_t got = 0;
        Status st = s->RunWrite([&](DeskRepository& r) -> Status {
          auto n = r.NextTicketNumber();
          if (!n.ok()) return n.error();
          got = *n;
          return Status::Ok();
        });
        ASSERT_TRUE(st.ok()) << st.error().ToString();
        {
          std::lock_guard<std::mutex> lock(mu);
          numbers.push_back(got);
        }
        // Read-modify-write of one ticket under its row lock.
        st = s->RunWrite([&](DeskRepository& r) -> Status {
          auto tk = r.GetTicketByNumber(t->number, true);
          if (!tk.ok()) return tk.error();
          Ticket x = **tk;
          x.escalation_level += 1;
          auto ok = r.UpdateTicket(x, x.version);
          if (!ok.ok()) return ok.error();
          if (!*ok) return MakeError("version", "lost the race");
          return Status::Ok();
        });
        if (st.ok()) increments++;
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::int64_t> unique(numbers.begin(), numbers.end());
  EXPECT_EQ(unique.size(), numbers.size()) << "duplicate ticket numbers";
  EXPECT_EQ(increments.load(), 2 * kPerStore);
  Status st = store_->RunRead([&](DeskRepository& r) -> Status {
    auto tk = r.GetTicketByNumber(t->number, false);
    EXPECT_EQ((*tk)->escalation_level, increments.load()) << "an update was lost";
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

// The database drops every connection (a restart, a failover, an idle
// timeout): the store reconnects at its next transaction instead of failing
// every request until the process is restarted.
TEST_P(DeskStoreTest, ReconnectsAfterTheDatabaseDroppedItsConnections) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "an SQLite file has no connection to lose";
  Id org = MakeOrg();
  Id c = MakeUser(org, "ann@acme.test", Role::kContact);
  ASSERT_TRUE(MakeTicket(org, c, "low", std::nullopt).ok());
  {
    auto admin = PostgresConnection::Open(db_->url());
    ASSERT_TRUE(admin.ok()) << admin.error().ToString();
    auto killed = (*admin)->Query(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        {});
    ASSERT_TRUE(killed.ok()) << killed.error().ToString();
    EXPECT_GE(killed->front().Int(0), 2) << "the store's writer and readers";
  }
  auto t = MakeTicket(org, c, "high", std::nullopt);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->number, 2);
  for (int i = 0; i < 4; ++i) {  // every reader connection, in turn
    Status st = store_->RunRead([&](DeskRepository& r) -> Status {
      auto found = r.GetTicketByNumber(2, false);
      if (!found.ok()) return found.error();
      EXPECT_TRUE(found->has_value());
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.error().ToString();
  }
}

// The queue views' query shapes (SqlDeskRepository::ListTickets) read an
// index in the order they show instead of sorting every matching ticket,
// on a fresh SQLite database that has never been analysed (migration 2's
// fixed statistics). A sort here cost a second per request at 100,000
// tickets (bench/wrk/run.sh, phase 4).
TEST_P(DeskStoreTest, SqliteQueueViewsNeedNoSort) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "PostgreSQL plans from its own statistics";
  auto conn = SqliteConnection::Open(db_->url().substr(7));
  ASSERT_TRUE(conn.ok()) << conn.error().ToString();
  const std::string select = "EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE 1 = 1";
  const std::vector<std::string> shapes = {
      " AND status IN (?,?) ORDER BY urgency_key, number LIMIT ?",
      " AND status IN (?) ORDER BY urgency_key, number LIMIT ?",
      " AND status IN (?) ORDER BY number DESC LIMIT ?",
      " AND organisation_id = ? ORDER BY urgency_key, number LIMIT ?",
      " AND organisation_id = ? ORDER BY number DESC LIMIT ?",
      " AND organisation_id = ? AND status IN (?,?) ORDER BY urgency_key, number LIMIT ?",
      " AND assignee_id = ? ORDER BY urgency_key, number LIMIT ?",
      " AND assignee_id IS NULL AND status IN (?,?) ORDER BY urgency_key, number LIMIT ?",
      " ORDER BY urgency_key, number LIMIT ?",
      " ORDER BY number DESC LIMIT ?",
  };
  for (const auto& shape : shapes) {
    std::vector<SqlValue> params;
    for (char ch : shape)
      if (ch == '?') params.push_back(SqlValue{std::string("new")});
    auto plan = (*conn)->Query(select + shape, params);
    ASSERT_TRUE(plan.ok()) << plan.error().ToString();
    std::string text;
    for (const auto& row : *plan) text += row.Text(3) + "; ";
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << shape << " -> " << text;
  }
}

// readers 0 (a one-shot command): no reader connection; reads queue with
// the writes and run alone on the writer's connection, each seeing what the
// writes before it committed, and never inside a write batch.
TEST_P(DeskStoreTest, WithoutReadersReadsRunOnTheWritersConnection) {
  Id org = MakeOrg();
  Id c = MakeUser(org, "ann@acme.test", Role::kContact);
  auto one = DeskStore::Open(db_->url(), DeskStoreOptions{1, 0, 256});
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  constexpr int kUnits = 20;
  std::vector<Status> results(2 * kUnits);
  std::vector<std::int64_t> seen(kUnits, -1);
  std::atomic<int> done{0};
  for (int i = 0; i < kUnits; ++i) {
    (*one)->SubmitWrite([&, i](DeskRepository& r) -> Status {
      auto id = OpenTicketUnit(r, org, c, "t" + std::to_string(i));
      return id.ok() ? Status::Ok() : Status(id.error());
    }, [&, i](Status st) { results[2 * i] = std::move(st); done++; });
    (*one)->SubmitRead([&, i](DeskRepository& r) -> Status {
      auto found = r.GetTicketByNumber(i + 1, false);
      if (!found.ok()) return found.error();
      seen[i] = found->has_value() ? (*found)->number : 0;
      return Status::Ok();
    }, [&, i](Status st) { results[2 * i + 1] = std::move(st); done++; });
  }
  (*one)->Shutdown();
  ASSERT_EQ(done.load(), 2 * kUnits);
  EXPECT_EQ(Failed(results), 0);
  for (int i = 0; i < kUnits; ++i) EXPECT_EQ(seen[i], i + 1) << "the read after write " << i;
  EXPECT_EQ((*one)->stats().read_units, static_cast<std::uint64_t>(kUnits));
  EXPECT_EQ((*one)->stats().write_units, static_cast<std::uint64_t>(kUnits));
}

TEST(DeskStoreOpenTest, RejectsBadUrls) {
  auto mem = DeskStore::Open("sqlite::memory:");
  ASSERT_FALSE(mem.ok());
  EXPECT_EQ(mem.error().field, "--db");
  auto pg = DeskStore::Open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.error().field, "--db");
  auto dir = DeskStore::Open("sqlite:/proc/forbidden/x.db");
  ASSERT_FALSE(dir.ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, DeskStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace sladesk
