// SqlOutboxRepository: OutboxRepository in portable SQL over a
// SqlConnection (SQLite or PostgreSQL), on the tables of migration 8.
//
// Purpose: the outbox, webhook endpoints, delivery log and in-app feed,
// in the same transaction as the ticket change that writes them (the
// SqlDeskRepository of a unit of work hands out its own, on its own
// connection). Enqueue is queued without waiting (INSERT ... ON CONFLICT
// (dedupe_key) DO NOTHING); ClaimDue is one UPDATE ... RETURNING whose
// row choice takes FOR UPDATE SKIP LOCKED on PostgreSQL, so two
// dispatchers never claim one row.
// Thread-safety: not thread-safe; used by the thread that owns the connection.
// Ownership: borrows the connection, which must outlive it.
#pragma once

#include "desk/outbox_repository.h"
#include "storage/sql_connection.h"

namespace sladesk {

class SqlOutboxRepository final : public OutboxRepository {
 public:
  explicit SqlOutboxRepository(SqlConnection& conn) : conn_(conn) {}

  Status Enqueue(const std::vector<OutboxEntry>& entries) override;
  Result<std::vector<OutboxEntry>> ClaimDue(Instant now, Instant lease_until, int limit,
                                            const OutboxClaimScope& scope) override;
  Result<std::optional<Instant>> NextDue() override;
  Status Finish(Id id, OutboxState state, int attempts, Instant next_attempt_at, const std::string& last_error,
                std::optional<Instant> sent_at) override;
  Result<std::int64_t> MoveState(OutboxChannel channel, OutboxState from, OutboxState to) override;
  Result<std::int64_t> CountInState(OutboxState state) override;
  Result<std::vector<OutboxEntry>> ListForTicket(Id ticket_id) override;

  Result<Id> InsertEndpoint(const WebhookEndpoint& endpoint) override;
  Result<std::optional<WebhookEndpoint>> GetEndpoint(Id id) override;
  Result<std::vector<WebhookEndpoint>> ListEndpoints() override;
  Status UpdateEndpoint(const WebhookEndpoint& endpoint) override;
  Result<bool> DeleteEndpoint(Id id) override;

  Result<Id> InsertDelivery(const WebhookDelivery& delivery) override;
  Result<std::vector<WebhookDelivery>> ListDeliveries(Id endpoint_id, Id before_id, int limit) override;

  Status InsertInApp(const InAppNotification& n) override;
  Result<std::vector<InAppNotification>> ListInApp(Id user_id, bool unread_only, Id before_id, int limit) override;
  Result<bool> MarkInAppRead(Id user_id, Id id, Instant at) override;
  Result<std::int64_t> MarkAllInAppRead(Id user_id, Instant at) override;
  Result<std::int64_t> CountUnreadInApp(Id user_id) override;

 private:
  Result<Id> InsertReturningId(const std::string& sql, const std::vector<SqlValue>& params);
  SqlConnection& conn_;
  std::size_t enqueued_ = 0;

 public:
  // Rows this repository was asked to enqueue (its transaction's, written
  // or skipped): the store wakes the dispatcher after a commit when > 0.
  std::size_t enqueued() const { return enqueued_; }
};

}  // namespace sladesk
