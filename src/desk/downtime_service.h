// DowntimeService: a customer's notice of downtime (CONTRACT §8, seed 001)
// judged on the organisation's stored tickets, and the remedy period it
// opens.
//
// Purpose: Notify records who notified and when (`now`), evaluates the
// rule at that instant with DowntimeEvaluator over the organisation's
// tickets opened in the rule's window (each ticket's clock-relevant event
// log through SlaProjector, exactly as `sladesk report downtime` reads a
// ticket list; ids are ticket numbers), and stores the answer. When the
// rule holds and no remedy period of the organisation is running at `now`,
// it opens one: [remedy.from, remedy.to) of the rule, in which the
// organisation's first remedy_max_tickets (seed 001: 10) new tickets are
// tracked against their handling-time targets (first response and every
// next update). Remedies reports each period with its tracked tickets
// judged at `now`. The scheduler ends a period (ended_at); this service
// only stores ends_at. Contacts notify and read for their own
// organisation; staff for any.
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "compliance/downtime.h"
#include "desk/compliance_records.h"
#include "desk/desk_repository.h"
#include "desk/policy_registry.h"
#include "sla/sla_report.h"

namespace sladesk {

struct DowntimeNoticeOutcome {
  DowntimeNoticeRecord notice;
  DowntimeResult result;
  std::optional<RemedyPeriodRecord> remedy;    // opened by this notice
  std::optional<RemedyPeriodRecord> running;   // already running at the notice (none opened)
};

struct RemedyTicket {
  std::int64_t number = 0;
  Instant opened_at{};
  std::string severity;
  MetricState first_response = MetricState::kNoTarget;
  MetricState next_update = MetricState::kNoTarget;
  std::int64_t next_update_breaches = 0;
  bool within_targets = true;  // no handling-time target breached (so far)
};

struct RemedyReport {
  RemedyPeriodRecord period;
  std::vector<RemedyTicket> tickets;  // the first max_tickets opened in the period
  std::int64_t within_targets = 0;
  std::int64_t breached = 0;
};

class DowntimeService {
 public:
  DowntimeService(DeskRepository& repo, const PolicyRegistry& policies) : repo_(repo), policies_(policies) {}

  Result<DowntimeNoticeOutcome> Notify(const User& actor, Instant now, Id organisation_id);
  Result<std::vector<DowntimeNoticeRecord>> Notices(const User& actor, Id organisation_id);
  Result<std::vector<RemedyReport>> Remedies(const User& actor, Instant now, Id organisation_id);

 private:
  Result<Organisation> Load(const User& actor, Id organisation_id);

  DeskRepository& repo_;
  const PolicyRegistry& policies_;
};

}  // namespace sladesk
