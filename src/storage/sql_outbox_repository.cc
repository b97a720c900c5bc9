#include "storage/sql_outbox_repository.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "storage/sql_args.h"

namespace sladesk {
namespace {

using namespace sql_args;  // I, T, At, OptAt, OptInstant

constexpr const char* kOutboxColumns =
    "id, dedupe_key, channel, recipient, user_id, template, event_type, ticket_id, ticket_number, policy_id, "
    "event_index, payload, state, attempts, next_attempt_at, lease_until, last_error, created_at, sent_at";

OutboxEntry EntryFromRow(const SqlRow& r) {
  OutboxEntry e;
  e.id = r.Int(0);
  e.dedupe_key = r.Text(1);
  e.channel = OutboxChannelFromName(r.Text(2)).value_or(OutboxChannel::kInApp);
  e.recipient = r.Text(3);
  e.user_id = r.OptInt(4);
  e.template_name = r.Text(5);
  e.event_type = r.Text(6);
  e.ticket_id = r.OptInt(7);
  e.ticket_number = r.Int(8);
  e.policy_id = r.Text(9);
  e.event_index = r.OptInt(10);
  e.payload_json = r.Text(11);
  e.state = OutboxStateFromName(r.Text(12)).value_or(OutboxState::kFailed);
  e.attempts = static_cast<int>(r.Int(13));
  e.next_attempt_at = FromEpoch(r.Int(14));
  e.lease_until = OptInstant(r, 15);
  e.last_error = r.Text(16);
  e.created_at = FromEpoch(r.Int(17));
  e.sent_at = OptInstant(r, 18);
  return e;
}

constexpr const char* kEndpointColumns =
    "id, url, secret, event_types, description, enabled, disabled_reason, created_at, updated_at";

std::string TypesText(const std::vector<std::string>& types) { return nlohmann::json(types).dump(); }

WebhookEndpoint EndpointFromRow(const SqlRow& r) {
  WebhookEndpoint e;
  e.id = r.Int(0);
  e.url = r.Text(1);
  e.secret = r.Text(2);
  auto types = nlohmann::json::parse(r.Text(3), nullptr, false);
  if (types.is_array())
    for (const auto& t : types)
      if (t.is_string()) e.event_types.push_back(t.get<std::string>());
  e.description = r.Text(4);
  e.enabled = r.Int(5) != 0;
  e.disabled_reason = r.Text(6);
  e.created_at = FromEpoch(r.Int(7));
  e.updated_at = FromEpoch(r.Int(8));
  return e;
}

constexpr const char* kInAppColumns =
    "id, user_id, outbox_id, ticket_id, ticket_number, kind, title, body, is_read, created_at, read_at";

InAppNotification InAppFromRow(const SqlRow& r) {
  InAppNotification n;
  n.id = r.Int(0);
  n.user_id = r.Int(1);
  n.outbox_id = r.OptInt(2);
  n.ticket_id = r.OptInt(3);
  n.ticket_number = r.Int(4);
  n.kind = r.Text(5);
  n.title = r.Text(6);
  n.body = r.Text(7);
  n.read = r.Int(8) != 0;
  n.created_at = FromEpoch(r.Int(9));
  n.read_at = OptInstant(r, 10);
  return n;
}

std::int64_t CountOf(const SqlRows& rows) { return rows.empty() ? 0 : rows.front().Int(0); }

}  // namespace

Result<Id> SqlOutboxRepository::InsertReturningId(const std::string& sql, const std::vector<SqlValue>& params) {
  auto rows = conn_.Query(sql + " RETURNING id", params);
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "database", "insert returned no id");
  return rows->front().Int(0);
}

Status SqlOutboxRepository::Enqueue(const std::vector<OutboxEntry>& entries) {
  enqueued_ += entries.size();
  for (const auto& e : entries) {
    Status st = conn_.QueryDeferred(
        "INSERT INTO outbox (dedupe_key, channel, recipient, user_id, template, event_type, ticket_id, ticket_number, "
        "policy_id, event_index, payload, state, attempts, next_attempt_at, lease_until, last_error, created_at, "
        "sent_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,NULL) ON CONFLICT (dedupe_key) DO NOTHING",
        {T(e.dedupe_key), T(OutboxChannelName(e.channel)), T(e.recipient), SqlOpt(e.user_id), T(e.template_name),
         T(e.event_type), SqlOpt(e.ticket_id), I(e.ticket_number), T(e.policy_id), SqlOpt(e.event_index),
         T(e.payload_json), T(OutboxStateName(e.state)), I(e.attempts), At(e.next_attempt_at), T(e.last_error),
         At(e.created_at)});
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Result<std::vector<OutboxEntry>> SqlOutboxRepository::ClaimDue(Instant now, Instant lease_until, int limit,
                                                               const OutboxClaimScope& scope) {
  const bool pg = conn_.dialect() == SqlDialect::kPostgres;
  std::vector<SqlValue> params{At(lease_until), At(now), At(now)};
  std::string where;
  if (scope.channel) {
    where += " AND channel = ?";
    params.push_back(T(OutboxChannelName(*scope.channel)));
  }
  if (!scope.ticket_numbers.empty()) {
    where += " AND ticket_number IN (";
    for (std::size_t i = 0; i < scope.ticket_numbers.size(); ++i) {
      where += i ? ", ?" : "?";
      params.push_back(I(scope.ticket_numbers[i]));
    }
    where += ")";
  }
  params.push_back(I(limit));
  auto rows = conn_.Query(
      std::string("UPDATE outbox SET state = 'sending', lease_until = ? WHERE id IN (SELECT id FROM outbox WHERE "
                  "((state = 'pending' AND next_attempt_at <= ?) OR (state = 'sending' AND lease_until <= ?))") +
          where + " ORDER BY next_attempt_at, id LIMIT ?" + (pg ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING " +
          kOutboxColumns,
      params);
  if (!rows.ok()) return rows.error();
  std::vector<OutboxEntry> out;
  for (const auto& r : *rows) out.push_back(EntryFromRow(r));
  std::sort(out.begin(), out.end(), [](const OutboxEntry& a, const OutboxEntry& b) {
    return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at : a.id < b.id;
  });
  return out;
}

Result<std::optional<Instant>> SqlOutboxRepository::NextDue() {
  auto pending = conn_.Query("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'", {});
  if (!pending.ok()) return pending.error();
  auto leased = conn_.Query("SELECT MIN(lease_until) FROM outbox WHERE state = 'sending'", {});
  if (!leased.ok()) return leased.error();
  std::optional<Instant> out;
  for (const SqlRows* rows : {&*pending, &*leased})
    if (!rows->empty() && !rows->front().IsNull(0)) {
      Instant t = FromEpoch(rows->front().Int(0));
      if (!out || t < *out) out = t;
    }
  return out;
}

Status SqlOutboxRepository::Finish(Id id, OutboxState state, int attempts, Instant next_attempt_at,
                                   const std::string& last_error, std::optional<Instant> sent_at) {
  auto rows = conn_.Query(
      "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, lease_until = NULL, last_error = ?, "
      "sent_at = ? WHERE id = ?",
      {T(OutboxStateName(state)), I(attempts), At(next_attempt_at), T(last_error), OptAt(sent_at), I(id)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<std::int64_t> SqlOutboxRepository::MoveState(OutboxChannel channel, OutboxState from, OutboxState to) {
  auto rows = conn_.Query("UPDATE outbox SET state = ?, last_error = '' WHERE channel = ? AND state = ? RETURNING id",
                          {T(OutboxStateName(to)), T(OutboxChannelName(channel)), T(OutboxStateName(from))});
  if (!rows.ok()) return rows.error();
  return static_cast<std::int64_t>(rows->size());
}

Result<std::int64_t> SqlOutboxRepository::CountInState(OutboxState state) {
  auto rows = conn_.Query("SELECT COUNT(*) FROM outbox WHERE state = ?", {T(OutboxStateName(state))});
  if (!rows.ok()) return rows.error();
  return CountOf(*rows);
}

Result<std::vector<OutboxEntry>> SqlOutboxRepository::ListForTicket(Id ticket_id) {
  auto rows = conn_.Query(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE ticket_id = ? ORDER BY id",
                          {I(ticket_id)});
  if (!rows.ok()) return rows.error();
  std::vector<OutboxEntry> out;
  for (const auto& r : *rows) out.push_back(EntryFromRow(r));
  return out;
}

Result<Id> SqlOutboxRepository::InsertEndpoint(const WebhookEndpoint& e) {
  return InsertReturningId(
      "INSERT INTO webhook_endpoints (url, secret, event_types, description, enabled, disabled_reason, created_at, "
      "updated_at) VALUES (?,?,?,?,?,?,?,?)",
      {T(e.url), T(e.secret), T(TypesText(e.event_types)), T(e.description), I(e.enabled), T(e.disabled_reason),
       At(e.created_at), At(e.updated_at)});
}

Result<std::optional<WebhookEndpoint>> SqlOutboxRepository::GetEndpoint(Id id) {
  auto rows = conn_.Query(std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints WHERE id = ?", {I(id)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<WebhookEndpoint>();
  return std::optional<WebhookEndpoint>(EndpointFromRow(rows->front()));
}

Result<std::vector<WebhookEndpoint>> SqlOutboxRepository::ListEndpoints() {
  auto rows = conn_.Query(std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints ORDER BY id", {});
  if (!rows.ok()) return rows.error();
  std::vector<WebhookEndpoint> out;
  for (const auto& r : *rows) out.push_back(EndpointFromRow(r));
  return out;
}

Status SqlOutboxRepository::UpdateEndpoint(const WebhookEndpoint& e) {
  auto rows = conn_.Query(
      "UPDATE webhook_endpoints SET url = ?, secret = ?, event_types = ?, description = ?, enabled = ?, "
      "disabled_reason = ?, updated_at = ? WHERE id = ?",
      {T(e.url), T(e.secret), T(TypesText(e.event_types)), T(e.description), I(e.enabled), T(e.disabled_reason),
       At(e.updated_at), I(e.id)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<bool> SqlOutboxRepository::DeleteEndpoint(Id id) {
  auto rows = conn_.Query("DELETE FROM webhook_endpoints WHERE id = ? RETURNING id", {I(id)});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Result<Id> SqlOutboxRepository::InsertDelivery(const WebhookDelivery& d) {
  return InsertReturningId(
      "INSERT INTO webhook_deliveries (endpoint_id, outbox_id, ticket_id, event_type, message_id, attempt, at, "
      "outcome, http_status, detail, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
      {I(d.endpoint_id), I(d.outbox_id), SqlOpt(d.ticket_id), T(d.event_type), T(d.message_id), I(d.attempt),
       At(d.at), T(d.outcome), I(d.http_status), T(d.detail), I(d.duration_ms)});
}

Result<std::vector<WebhookDelivery>> SqlOutboxRepository::ListDeliveries(Id endpoint_id, Id before_id, int limit) {
  auto rows = conn_.Query(
      "SELECT id, endpoint_id, outbox_id, ticket_id, event_type, message_id, attempt, at, outcome, http_status, "
      "detail, duration_ms FROM webhook_deliveries WHERE endpoint_id = ? AND (? = 0 OR id < ?) "
      "ORDER BY id DESC LIMIT ?",
      {I(endpoint_id), I(before_id), I(before_id), I(limit)});
  if (!rows.ok()) return rows.error();
  std::vector<WebhookDelivery> out;
  for (const auto& r : *rows) {
    WebhookDelivery d;
    d.id = r.Int(0);
    d.endpoint_id = r.Int(1);
    d.outbox_id = r.Int(2);
    d.ticket_id = r.OptInt(3);
    d.event_type = r.Text(4);
    d.message_id = r.Text(5);
    d.attempt = static_cast<int>(r.Int(6));
    d.at = FromEpoch(r.Int(7));
    d.outcome = r.Text(8);
    d.http_status = static_cast<int>(r.Int(9));
    d.detail = r.Text(10);
    d.duration_ms = r.Int(11);
    out.push_back(std::move(d));
  }
  return out;
}

Status SqlOutboxRepository::InsertInApp(const InAppNotification& n) {
  auto rows = conn_.Query(
      "INSERT INTO in_app_notifications (user_id, outbox_id, ticket_id, ticket_number, kind, title, body, is_read, "
      "created_at, read_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (outbox_id) DO NOTHING",
      {I(n.user_id), SqlOpt(n.outbox_id), SqlOpt(n.ticket_id), I(n.ticket_number), T(n.kind), T(n.title), T(n.body),
       I(n.read), At(n.created_at), OptAt(n.read_at)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<std::vector<InAppNotification>> SqlOutboxRepository::ListInApp(Id user_id, bool unread_only, Id before_id,
                                                                      int limit) {
  auto rows = conn_.Query(std::string("SELECT ") + kInAppColumns +
                              " FROM in_app_notifications WHERE user_id = ? AND (? = 0 OR is_read = 0) "
                              "AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
                          {I(user_id), I(unread_only), I(before_id), I(before_id), I(limit)});
  if (!rows.ok()) return rows.error();
  std::vector<InAppNotification> out;
  for (const auto& r : *rows) out.push_back(InAppFromRow(r));
  return out;
}

Result<bool> SqlOutboxRepository::MarkInAppRead(Id user_id, Id id, Instant at) {
  auto rows = conn_.Query(
      "UPDATE in_app_notifications SET is_read = 1, read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ? "
      "RETURNING id",
      {At(at), I(id), I(user_id)});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Result<std::int64_t> SqlOutboxRepository::MarkAllInAppRead(Id user_id, Instant at) {
  auto rows = conn_.Query(
      "UPDATE in_app_notifications SET is_read = 1, read_at = ? WHERE user_id = ? AND is_read = 0 RETURNING id",
      {At(at), I(user_id)});
  if (!rows.ok()) return rows.error();
  return static_cast<std::int64_t>(rows->size());
}

Result<std::int64_t> SqlOutboxRepository::CountUnreadInApp(Id user_id) {
  auto rows = conn_.Query("SELECT COUNT(*) FROM in_app_notifications WHERE user_id = ? AND is_read = 0", {I(user_id)});
  if (!rows.ok()) return rows.error();
  return CountOf(*rows);
}

}  // namespace sladesk
