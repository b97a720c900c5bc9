#include "storage/schema_migrations.h"

#include <ctime>
#include <string>
#include <vector>

namespace sladesk {
namespace {

struct Migration {
  int version;
  const char* ddl;
  const char* sqlite_only = "";  // run after `ddl` on SQLite
  // Run before `ddl`: rows it returns are data the migration cannot take
  // (each row's first column describes one); the migration then fails
  // naming them and `precheck_advice`, and nothing changes.
  const char* precheck = "";
  const char* precheck_advice = "";
};

// Instants are BIGINT seconds since the Unix epoch (UTC); booleans are 0/1
// INTEGERs so the same SQL runs on both backends.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, R"SQL(
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO counters (name, value) VALUES ('ticket_number', 0);
CREATE TABLE organisations (
  id {ID}, name TEXT NOT NULL, policy_id TEXT NOT NULL, plan_id TEXT NOT NULL,
  support_hours_budget DOUBLE PRECISION, incidents_per_month BIGINT, renewal_date TEXT,
  csm_user_id BIGINT, named_contact_limit BIGINT,
  created_at BIGINT NOT NULL, version BIGINT NOT NULL);
CREATE TABLE users (
  id {ID}, organisation_id BIGINT REFERENCES organisations(id), name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE, role TEXT NOT NULL, named_contact INTEGER NOT NULL,
  active INTEGER NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX users_by_org ON users (organisation_id);
CREATE TABLE contact_audit (
  id {ID}, organisation_id BIGINT NOT NULL REFERENCES organisations(id), actor_id BIGINT NOT NULL,
  contact_id BIGINT NOT NULL, action TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX contact_audit_by_org ON contact_audit (organisation_id, id);
CREATE TABLE api_tokens (
  id {ID}, user_id BIGINT NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, expires_at BIGINT,
  revoked INTEGER NOT NULL);
CREATE TABLE tickets (
  id {ID}, number BIGINT NOT NULL UNIQUE, organisation_id BIGINT NOT NULL REFERENCES organisations(id),
  requester_id BIGINT NOT NULL REFERENCES users(id), subject TEXT NOT NULL, description TEXT NOT NULL,
  steps_to_reproduce TEXT NOT NULL, business_impact TEXT NOT NULL, product_area TEXT NOT NULL,
  error_details TEXT NOT NULL, channel TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
  assignee_id BIGINT REFERENCES users(id), outcome TEXT, external_issue TEXT NOT NULL,
  escalation_level BIGINT NOT NULL, opened_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  resolved_at BIGINT, closed_at BIGINT, version BIGINT NOT NULL,
  first_response_due BIGINT, next_update_due BIGINT, resolution_due BIGINT, next_due BIGINT,
  urgency_key BIGINT NOT NULL, breached INTEGER NOT NULL, sla_json TEXT NOT NULL,
  over_quota INTEGER NOT NULL);
CREATE INDEX tickets_by_urgency ON tickets (urgency_key, number);
CREATE INDEX tickets_by_org ON tickets (organisation_id, opened_at);
CREATE INDEX tickets_by_status ON tickets (status, urgency_key);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, urgency_key);
CREATE TABLE ticket_events (
  id {ID}, ticket_id BIGINT NOT NULL REFERENCES tickets(id), at BIGINT NOT NULL,
  actor_id BIGINT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, id);
CREATE TABLE messages (
  id {ID}, ticket_id BIGINT NOT NULL REFERENCES tickets(id), author_id BIGINT NOT NULL,
  visibility TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX messages_by_ticket ON messages (ticket_id, id);
CREATE TABLE attachments (
  id {ID}, ticket_id BIGINT NOT NULL REFERENCES tickets(id), uploader_id BIGINT NOT NULL,
  filename TEXT NOT NULL, content_type TEXT NOT NULL, size BIGINT NOT NULL, data {BLOB} NOT NULL,
  created_at BIGINT NOT NULL);
CREATE INDEX attachments_by_ticket ON attachments (ticket_id, id);
CREATE TABLE escalations (
  id {ID}, ticket_id BIGINT NOT NULL REFERENCES tickets(id), organisation_id BIGINT NOT NULL,
  level BIGINT NOT NULL, business_impact TEXT NOT NULL, requested_by BIGINT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX escalations_by_org ON escalations (organisation_id);
CREATE TABLE incident_counts (
  organisation_id BIGINT NOT NULL, month_start BIGINT NOT NULL, opened BIGINT NOT NULL,
  PRIMARY KEY (organisation_id, month_start));
CREATE TABLE idempotency_keys (
  user_id BIGINT NOT NULL, idem_key TEXT NOT NULL, request_hash TEXT NOT NULL,
  status_code INTEGER NOT NULL, response_body TEXT NOT NULL, location TEXT NOT NULL,
  created_at BIGINT NOT NULL, PRIMARY KEY (user_id, idem_key));
)SQL"},
      // Queue views read the index in the order they show (urgency, then
      // number; newest first within an organisation) instead of sorting
      // every matching ticket.
      {2, R"SQL(
DROP INDEX tickets_by_status;
CREATE INDEX tickets_by_status ON tickets (status, urgency_key, number);
DROP INDEX tickets_by_assignee;
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, urgency_key, number);
DROP INDEX tickets_by_org;
CREATE INDEX tickets_by_org ON tickets (organisation_id, number);
CREATE INDEX tickets_by_org_urgency ON tickets (organisation_id, urgency_key, number);
)SQL",
       // Without statistics SQLite takes any equality on an indexed column
       // to be selective: `status IN ('new','open') ORDER BY urgency` then
       // sorts every open ticket (a second per request at 100,000 tickets)
       // instead of reading the urgency index until the page is full.
       // These fixed figures describe a large desk (a handful of statuses,
       // many organisations and agents), so plans do not depend on whether
       // or when ANALYZE ran; a later ANALYZE replaces them with measured ones.
       R"SQL(
PRAGMA analysis_limit = 1000;
ANALYZE;
DELETE FROM sqlite_stat1 WHERE tbl = 'tickets';
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('tickets', 'tickets_by_status', '1000000 200000 2 1'),
  ('tickets', 'tickets_by_assignee', '1000000 5000 2 1'),
  ('tickets', 'tickets_by_org', '1000000 1000 1'),
  ('tickets', 'tickets_by_org_urgency', '1000000 1000 2 1'),
  ('tickets', 'tickets_by_urgency', '1000000 2 1'),
  ('tickets', 'sqlite_autoindex_tickets_1', '1000000 1');
ANALYZE sqlite_schema;
)SQL"},
      // The desk layer: e-mail addresses unique ignoring case, contacts'
      // phone numbers, organisations' time zones and onboarding, the
      // policy's own ticket fields, the plan a ticket was opened under,
      // engineering issues, support hours and reopen requests.
      {3, R"SQL(
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email_key TEXT;
UPDATE users SET email_key = {LOWER_EMAIL};
CREATE UNIQUE INDEX users_by_email_key ON users (email_key);
ALTER TABLE organisations ADD COLUMN time_zone TEXT;
ALTER TABLE organisations ADD COLUMN onboarding_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tickets ADD COLUMN plan_id TEXT NOT NULL DEFAULT '';
UPDATE tickets SET plan_id = (SELECT o.plan_id FROM organisations o WHERE o.id = tickets.organisation_id);
ALTER TABLE tickets ADD COLUMN external_issue_url TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN external_issue_priority TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN external_issue_status TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN bug_escalated_at BIGINT;
ALTER TABLE tickets ADD COLUMN time_spent_seconds BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN estimated_seconds BIGINT;
ALTER TABLE tickets ADD COLUMN over_support_budget INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN reopen_requested_at BIGINT;
CREATE INDEX tickets_by_plan_urgency ON tickets (plan_id, urgency_key, number);
CREATE TABLE time_entries (
  id {ID}, ticket_id BIGINT NOT NULL REFERENCES tickets(id), organisation_id BIGINT NOT NULL,
  agent_id BIGINT NOT NULL, seconds BIGINT NOT NULL, note TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX time_entries_by_ticket ON time_entries (ticket_id, id);
CREATE INDEX time_entries_by_org ON time_entries (organisation_id, at);
)SQL", "",
       "SELECT {LOWER_EMAIL} || ' (users ' || CAST(MIN(id) AS TEXT) || ' and ' || CAST(MAX(id) AS TEXT) || "
       "CASE WHEN COUNT(*) > 2 THEN ' and ' || CAST(COUNT(*) - 2 AS TEXT) || ' more' ELSE '' END || ')' "
       "FROM users GROUP BY {LOWER_EMAIL} HAVING COUNT(*) > 1 ORDER BY 1",
       "e-mail addresses are now unique ignoring case; give each of these users a distinct address "
       "(UPDATE users SET email = ... WHERE id = ...) and start again"},
      // People sign in: passwords (Argon2id hashes), browser sessions (only
      // the hash of the cookie's secret is stored) and sign-in attempts for
      // the rate limit.
      {4, R"SQL(
ALTER TABLE users ADD COLUMN password_hash TEXT;
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id), csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, revoked INTEGER NOT NULL);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE sign_in_failures (id {ID}, subject TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX sign_in_failures_by_subject ON sign_in_failures (subject, at);
)SQL"},
      // The SLA scheduler (issue 9): each ticket's next fire instant, with
      // the lease of the process that claimed it, and the firings under
      // their unique key. Tickets still open when the schema moves are due
      // at once, from their last change: the first start fires what they
      // missed, once.
      {5, R"SQL(
CREATE TABLE ticket_due (
  ticket_id BIGINT PRIMARY KEY REFERENCES tickets(id), number BIGINT NOT NULL, due_at BIGINT NOT NULL,
  lease_until BIGINT);
CREATE INDEX ticket_due_by_due ON ticket_due (due_at);
CREATE TABLE ticket_firings (
  ticket_id BIGINT NOT NULL REFERENCES tickets(id), metric TEXT NOT NULL, cycle BIGINT NOT NULL,
  kind TEXT NOT NULL, threshold BIGINT NOT NULL, at BIGINT NOT NULL, fired_at BIGINT NOT NULL,
  PRIMARY KEY (ticket_id, metric, cycle, kind, threshold));
INSERT INTO ticket_due (ticket_id, number, due_at)
  SELECT id, number, updated_at FROM tickets WHERE status NOT IN ('resolved', 'closed');
)SQL"},
      // Mail in (issue 10): every inbound message once (Message-ID plus a
      // digest), the automatic mail sent (the loop limit), bounced
      // addresses, unknown-sender settings per domain, IMAP positions and
      // the lease that lets one process poll a mailbox at a time.
      {6, R"SQL(
CREATE TABLE mail_inbound (
  id {ID}, message_id TEXT NOT NULL, digest TEXT NOT NULL, received_at BIGINT NOT NULL, source TEXT NOT NULL,
  sender TEXT NOT NULL, subject TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL,
  ticket_number BIGINT, raw {BLOB} NOT NULL);
CREATE UNIQUE INDEX mail_inbound_by_key ON mail_inbound (message_id, digest);
CREATE INDEX mail_inbound_by_action ON mail_inbound (action, id);
CREATE TABLE mail_outbound (
  id {ID}, ticket_number BIGINT NOT NULL, recipient TEXT NOT NULL, kind TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX mail_outbound_by_recipient ON mail_outbound (recipient, ticket_number, at);
CREATE TABLE mail_bounces (
  address TEXT PRIMARY KEY, last_bounced_at BIGINT NOT NULL, bounces BIGINT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE mail_sender_rules (
  domain TEXT PRIMARY KEY, action TEXT NOT NULL, organisation_id BIGINT REFERENCES organisations(id));
CREATE TABLE mail_imap_positions (
  mailbox TEXT PRIMARY KEY, uidvalidity BIGINT NOT NULL, last_uid BIGINT NOT NULL);
CREATE TABLE mail_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL);
)SQL"},
      // Compliance (issue 11): service incidents and maintenance windows
      // (organisation_id NULL: the whole service), customers' downtime
      // notices with the rule's answer, the remedy periods they open and the
      // root-cause-analysis tasks of months that missed their availability
      // target (one per organisation and month).
      {7, R"SQL(
CREATE TABLE service_incidents (
  id {ID}, kind TEXT NOT NULL, organisation_id BIGINT REFERENCES organisations(id), service TEXT NOT NULL,
  cause TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, starts_at BIGINT NOT NULL,
  ends_at BIGINT, recorded_by BIGINT NOT NULL, recorded_at BIGINT NOT NULL, ended_by BIGINT,
  version BIGINT NOT NULL);
CREATE INDEX service_incidents_by_org ON service_incidents (organisation_id, starts_at);
CREATE INDEX service_incidents_open ON service_incidents (ends_at);
CREATE TABLE downtime_notices (
  id {ID}, organisation_id BIGINT NOT NULL REFERENCES organisations(id), notified_by BIGINT NOT NULL,
  notified_at BIGINT NOT NULL, window_from BIGINT NOT NULL, window_to BIGINT NOT NULL,
  submitted BIGINT NOT NULL, considered BIGINT NOT NULL, over_count BIGINT NOT NULL,
  downtime INTEGER NOT NULL, result_json TEXT NOT NULL);
CREATE INDEX downtime_notices_by_org ON downtime_notices (organisation_id, notified_at);
CREATE TABLE remedy_periods (
  id {ID}, organisation_id BIGINT NOT NULL REFERENCES organisations(id),
  notice_id BIGINT NOT NULL REFERENCES downtime_notices(id), month TEXT NOT NULL,
  starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, max_tickets BIGINT NOT NULL, ended_at BIGINT,
  created_at BIGINT NOT NULL);
CREATE INDEX remedy_periods_by_org ON remedy_periods (organisation_id, starts_at);
CREATE TABLE rca_tasks (
  id {ID}, organisation_id BIGINT NOT NULL REFERENCES organisations(id), month TEXT NOT NULL,
  assignee_id BIGINT REFERENCES users(id), state TEXT NOT NULL, availability_micro_percent BIGINT NOT NULL,
  target_percent TEXT NOT NULL, opened_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  UNIQUE (organisation_id, month));
)SQL"},
      // Notifications (issue 9): the outbox every ticket change writes in
      // its own transaction (dedupe_key: a re-run unit never writes a row
      // twice), the webhook endpoints an admin registered, their delivery
      // log and the in-app feed.
      {8, R"SQL(
CREATE TABLE outbox (
  id {ID}, dedupe_key TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, recipient TEXT NOT NULL,
  user_id BIGINT, template TEXT NOT NULL, event_type TEXT NOT NULL,
  ticket_id BIGINT REFERENCES tickets(id), ticket_number BIGINT NOT NULL, policy_id TEXT NOT NULL,
  event_index BIGINT, payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL, lease_until BIGINT, last_error TEXT NOT NULL,
  created_at BIGINT NOT NULL, sent_at BIGINT);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_ticket ON outbox (ticket_id, id);
CREATE TABLE webhook_endpoints (
  id {ID}, url TEXT NOT NULL, secret TEXT NOT NULL, event_types TEXT NOT NULL, description TEXT NOT NULL,
  enabled INTEGER NOT NULL, disabled_reason TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE webhook_deliveries (
  id {ID}, endpoint_id BIGINT NOT NULL, outbox_id BIGINT NOT NULL, ticket_id BIGINT, event_type TEXT NOT NULL,
  message_id TEXT NOT NULL, attempt INTEGER NOT NULL, at BIGINT NOT NULL, outcome TEXT NOT NULL,
  http_status INTEGER NOT NULL, detail TEXT NOT NULL, duration_ms BIGINT NOT NULL);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE TABLE in_app_notifications (
  id {ID}, user_id BIGINT NOT NULL REFERENCES users(id), outbox_id BIGINT UNIQUE, ticket_id BIGINT,
  ticket_number BIGINT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
  is_read INTEGER NOT NULL, created_at BIGINT NOT NULL, read_at BIGINT);
CREATE INDEX in_app_by_user ON in_app_notifications (user_id, is_read, id);
)SQL"},
      // The stored SLA report (issue 11): each ticket's clock events in the
      // compact text of desk/clock_log.h, written with the ticket on every
      // save, so the report reads it with the ticket row instead of seeking
      // the event log. NULL (rows saved before this migration, until their
      // next change): the report reads the event log as before. Adding a
      // nullable column rewrites no rows on either backend. The scan also
      // reads each id window's escalations, which had no index by ticket.
      {9, R"SQL(
ALTER TABLE tickets ADD COLUMN clock_log TEXT NULL;
CREATE INDEX escalations_by_ticket ON escalations (ticket_id, id);
)SQL"},
      // The held-mail console (issue 10): an agent's release of a held or
      // refused message (open a ticket, attach to one, discard): when, by
      // whom, what and the ticket. NULL released_at: not released yet.
      {10, R"SQL(
ALTER TABLE mail_inbound ADD COLUMN released_at BIGINT NULL;
ALTER TABLE mail_inbound ADD COLUMN released_by BIGINT NULL;
ALTER TABLE mail_inbound ADD COLUMN release_action TEXT NULL;
ALTER TABLE mail_inbound ADD COLUMN released_ticket_number BIGINT NULL;
)SQL"},
  };
  return kMigrations;
}

std::string ForDialect(std::string ddl, SqlDialect dialect) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t p = ddl.find(from); p != std::string::npos; p = ddl.find(from, p + to.size()))
      ddl.replace(p, from.size(), to);
  };
  // EmailKey() in SQL: ASCII letters only (SQLite's lower() is ASCII-only;
  // PostgreSQL's follows the locale, so it spells the letters out).
  if (dialect == SqlDialect::kSqlite) {
    replace("{ID}", "INTEGER PRIMARY KEY");
    replace("{BLOB}", "BLOB");
    replace("{LOWER_EMAIL}", "lower(email)");
  } else {
    replace("{ID}", "BIGSERIAL PRIMARY KEY");
    replace("{BLOB}", "BYTEA");
    replace("{LOWER_EMAIL}", "translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')");
  }
  return ddl;
}

}  // namespace

int SchemaMigrations::LatestVersion() { return Migrations().back().version; }

Result<int> SchemaMigrations::Apply(SqlConnection& conn, int up_to) {
  const bool pg = conn.dialect() == SqlDialect::kPostgres;
  // Serialise concurrent migrators: BEGIN IMMEDIATE takes SQLite's write
  // lock; on PostgreSQL a transaction-scoped advisory lock does the same.
  Status st = conn.Execute(pg ? "BEGIN; SELECT pg_advisory_xact_lock(7461001);" : "BEGIN IMMEDIATE;");
  if (!st.ok()) return st.error();
  auto fail = [&](const Error& e) -> Result<int> {
    (void)conn.Execute("ROLLBACK;");
    Error out = e;
    out.message = "schema migration failed: " + out.message;
    return out;
  };
  st = conn.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);");
  if (!st.ok()) return fail(st.error());
  auto rows = conn.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
  if (!rows.ok()) return fail(rows.error());
  int current = static_cast<int>(rows->at(0).Int(0));
  for (const auto& m : Migrations()) {
    if (m.version <= current || m.version > up_to) continue;
    if (*m.precheck) {
      auto refused = conn.Query(ForDialect(m.precheck, conn.dialect()), {});
      if (!refused.ok()) return fail(refused.error());
      if (!refused->empty()) {
        std::string list;
        for (const auto& r : *refused) list += (list.empty() ? "" : "; ") + r.Text(0);
        return fail(MakeError("database", "migration " + std::to_string(m.version) + " cannot run: " +
                                              m.precheck_advice + ": " + list));
      }
    }
    st = conn.Execute(ForDialect(m.ddl, conn.dialect()));
    if (st.ok() && !pg && *m.sqlite_only) st = conn.Execute(m.sqlite_only);
    if (!st.ok()) return fail(st.error());
    auto ins = conn.Query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                          {SqlValue{static_cast<std::int64_t>(m.version)},
                           SqlValue{static_cast<std::int64_t>(std::time(nullptr))}});
    if (!ins.ok()) return fail(ins.error());
    current = m.version;
  }
  st = conn.Execute("COMMIT;");
  if (!st.ok()) return fail(st.error());
  return current;
}

}  // namespace sladesk
