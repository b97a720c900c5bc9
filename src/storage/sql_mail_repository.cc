#include "storage/sql_mail_repository.h"

#include "storage/sql_args.h"
#include "storage/sql_desk_repository.h"

namespace sladesk {
namespace {

using namespace sql_args;  // I, T, At, OptAt, OptInstant
Instant FromSeconds(std::int64_t s) { return Instant{std::chrono::seconds(s)}; }

constexpr const char* kInboundColumns =
    "id, message_id, digest, received_at, source, sender, subject, action, reason, ticket_number, raw, "
    "released_at, released_by, release_action, released_ticket_number";

InboundMailRecord InboundFromRow(const SqlRow& r) {
  InboundMailRecord m;
  m.id = r.Int(0);
  m.message_id = r.Text(1);
  m.digest = r.Text(2);
  m.received_at = FromSeconds(r.Int(3));
  m.source = r.Text(4);
  m.sender = r.Text(5);
  m.subject = r.Text(6);
  m.action = MailActionFromName(r.Text(7)).value_or(MailAction::kDropped);
  m.reason = r.Text(8);
  m.ticket_number = r.OptInt(9);
  m.raw = r.Text(10);
  if (!r.IsNull(11)) m.released_at = FromSeconds(r.Int(11));
  m.released_by = r.OptInt(12);
  if (!r.IsNull(13)) m.release_action = r.Text(13);
  m.released_ticket = r.OptInt(14);
  return m;
}

Status Done(const Result<SqlRows>& rows) { return rows.ok() ? Status::Ok() : Status(rows.error()); }

}  // namespace

Result<SqlMailRepository> SqlMailRepository::ForUnit(DeskRepository& desk) {
  auto* sql = dynamic_cast<SqlDeskRepository*>(&desk);
  if (!sql) return MakeError(ErrorCode::kInternal, "database", "the mail repository needs the store's SQL repository");
  return SqlMailRepository(sql->connection());
}

Result<std::optional<InboundMailRecord>> SqlMailRepository::FindInbound(const std::string& message_id,
                                                                       const std::string& digest) {
  auto rows = conn_.Query(std::string("SELECT ") + kInboundColumns +
                              " FROM mail_inbound WHERE message_id = ? AND digest = ?",
                          {T(message_id), T(digest)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<InboundMailRecord>();
  return std::optional<InboundMailRecord>(InboundFromRow(rows->front()));
}

Result<Id> SqlMailRepository::InsertInbound(const InboundMailRecord& m) {
  auto rows = conn_.Query(
      "INSERT INTO mail_inbound (message_id, digest, received_at, source, sender, subject, action, reason, "
      "ticket_number, raw) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
      {T(m.message_id), T(m.digest), At(m.received_at), T(m.source), T(m.sender), T(m.subject),
       T(std::string(MailActionName(m.action))), T(m.reason), SqlOpt(m.ticket_number), SqlValue{SqlBlob{m.raw}}});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "database", "insert returned no id");
  return rows->front().Int(0);
}

Result<std::vector<InboundMailRecord>> SqlMailRepository::ListInbound(std::optional<MailAction> action, int limit) {
  InboundQuery q;
  if (action) q.actions = {*action};
  q.limit = limit;
  return QueryInbound(q);
}

Result<std::vector<InboundMailRecord>> SqlMailRepository::QueryInbound(const InboundQuery& q) {
  std::string sql = std::string("SELECT ") + kInboundColumns + " FROM mail_inbound WHERE id > ?";
  std::vector<SqlValue> args{I(q.after_id)};
  if (!q.actions.empty()) {
    sql += " AND action IN (";
    for (size_t i = 0; i < q.actions.size(); ++i) {
      sql += i ? ",?" : "?";
      args.push_back(T(std::string(MailActionName(q.actions[i]))));
    }
    sql += ")";
  }
  if (q.released) sql += *q.released ? " AND released_at IS NOT NULL" : " AND released_at IS NULL";
  sql += " ORDER BY id LIMIT ?";
  args.push_back(I(q.limit));
  auto rows = conn_.Query(sql, args);
  if (!rows.ok()) return rows.error();
  std::vector<InboundMailRecord> out;
  for (const auto& r : *rows) out.push_back(InboundFromRow(r));
  return out;
}

Result<std::optional<InboundMailRecord>> SqlMailRepository::GetInbound(Id id) {
  auto rows = conn_.Query(std::string("SELECT ") + kInboundColumns + " FROM mail_inbound WHERE id = ?", {I(id)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<InboundMailRecord>();
  return std::optional<InboundMailRecord>(InboundFromRow(rows->front()));
}

Result<bool> SqlMailRepository::MarkReleased(Id id, const InboundMailRecord& r) {
  auto rows = conn_.Query(
      "UPDATE mail_inbound SET released_at = ?, released_by = ?, release_action = ?, released_ticket_number = ? "
      "WHERE id = ? AND released_at IS NULL RETURNING id",
      {At(r.released_at.value_or(Instant{})), SqlOpt(r.released_by), T(r.release_action), SqlOpt(r.released_ticket),
       I(id)});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Result<std::vector<SenderRule>> SqlMailRepository::ListSenderRules() {
  auto rows = conn_.Query("SELECT domain, action, organisation_id FROM mail_sender_rules ORDER BY domain", {});
  if (!rows.ok()) return rows.error();
  std::vector<SenderRule> out;
  for (const auto& r : *rows)
    out.push_back(SenderRule{r.Text(0), UnknownSenderActionFromName(r.Text(1)).value_or(UnknownSenderAction::kHold),
                             r.OptInt(2)});
  return out;
}

Result<bool> SqlMailRepository::DeleteSenderRule(const std::string& domain) {
  auto rows = conn_.Query("DELETE FROM mail_sender_rules WHERE domain = ? RETURNING domain", {T(domain)});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Result<std::optional<std::string>> SqlMailRepository::OpeningMessageId(std::int64_t ticket_number) {
  auto rows = conn_.Query("SELECT message_id FROM mail_inbound WHERE ticket_number = ? AND action = ? ORDER BY id LIMIT 1",
                          {I(ticket_number), T(std::string(MailActionName(MailAction::kOpened)))});
  if (!rows.ok()) return rows.error();
  if (rows->empty() || rows->front().IsNull(0)) return std::optional<std::string>();
  return std::optional<std::string>(rows->front().Text(0));
}

Status SqlMailRepository::RecordOutbound(const OutboundMailRecord& r) {
  return Done(conn_.Query("INSERT INTO mail_outbound (ticket_number, recipient, kind, at) VALUES (?,?,?,?)",
                          {I(r.ticket_number), T(r.recipient), T(r.kind), At(r.at)}));
}

Result<std::int64_t> SqlMailRepository::CountOutbound(std::int64_t ticket_number, const std::string& recipient,
                                                      Instant since) {
  auto rows = conn_.Query(
      "SELECT COUNT(*) FROM mail_outbound WHERE recipient = ? AND ticket_number = ? AND at >= ?",
      {T(recipient), I(ticket_number), At(since)});
  if (!rows.ok()) return rows.error();
  return rows->front().Int(0);
}

Status SqlMailRepository::RecordBounce(const std::string& address, Instant at, const std::string& detail) {
  return Done(conn_.Query(
      "INSERT INTO mail_bounces (address, last_bounced_at, bounces, detail) VALUES (?,?,1,?) "
      "ON CONFLICT (address) DO UPDATE SET last_bounced_at = excluded.last_bounced_at, "
      "bounces = mail_bounces.bounces + 1, detail = excluded.detail",
      {T(address), At(at), T(detail)}));
}

Result<std::optional<AddressBounce>> SqlMailRepository::FindBounce(const std::string& address) {
  auto rows = conn_.Query("SELECT address, last_bounced_at, bounces, detail FROM mail_bounces WHERE address = ?",
                          {T(address)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<AddressBounce>();
  const auto& r = rows->front();
  return std::optional<AddressBounce>(AddressBounce{r.Text(0), FromSeconds(r.Int(1)), r.Int(2), r.Text(3)});
}

Status SqlMailRepository::PutSenderRule(const SenderRule& rule) {
  return Done(conn_.Query(
      "INSERT INTO mail_sender_rules (domain, action, organisation_id) VALUES (?,?,?) "
      "ON CONFLICT (domain) DO UPDATE SET action = excluded.action, organisation_id = excluded.organisation_id",
      {T(rule.domain), T(std::string(UnknownSenderActionName(rule.action))), SqlOpt(rule.organisation_id)}));
}

Result<std::optional<SenderRule>> SqlMailRepository::FindSenderRule(const std::string& domain) {
  auto rows = conn_.Query("SELECT domain, action, organisation_id FROM mail_sender_rules WHERE domain = ?",
                          {T(domain)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<SenderRule>();
  const auto& r = rows->front();
  return std::optional<SenderRule>(SenderRule{
      r.Text(0), UnknownSenderActionFromName(r.Text(1)).value_or(UnknownSenderAction::kHold), r.OptInt(2)});
}

Result<std::optional<ImapPosition>> SqlMailRepository::GetImapPosition(const std::string& mailbox) {
  auto rows = conn_.Query("SELECT mailbox, uidvalidity, last_uid FROM mail_imap_positions WHERE mailbox = ?",
                          {T(mailbox)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<ImapPosition>();
  const auto& r = rows->front();
  return std::optional<ImapPosition>(ImapPosition{r.Text(0), r.Int(1), r.Int(2)});
}

Status SqlMailRepository::PutImapPosition(const ImapPosition& p) {
  return Done(conn_.Query(
      "INSERT INTO mail_imap_positions (mailbox, uidvalidity, last_uid) VALUES (?,?,?) "
      "ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid",
      {T(p.mailbox), I(p.uidvalidity), I(p.last_uid)}));
}

Result<bool> SqlMailRepository::TryLease(const std::string& name, const std::string& holder, Instant now,
                                         Instant until) {
  auto up = conn_.Query(
      "INSERT INTO mail_leases (name, holder, expires_at) VALUES (?,?,?) "
      "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
      "WHERE mail_leases.expires_at <= ? OR mail_leases.holder = excluded.holder",
      {T(name), T(holder), At(until), At(now)});
  if (!up.ok()) return up.error();
  auto rows = conn_.Query("SELECT holder FROM mail_leases WHERE name = ?", {T(name)});
  if (!rows.ok()) return rows.error();
  return !rows->empty() && rows->front().Text(0) == holder;
}

Status SqlMailRepository::ReleaseLease(const std::string& name, const std::string& holder) {
  return Done(conn_.Query("DELETE FROM mail_leases WHERE name = ? AND holder = ?", {T(name), T(holder)}));
}

}  // namespace sladesk
