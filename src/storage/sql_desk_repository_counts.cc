// SqlDeskRepository, continued: counts added after sql_desk_repository.cc
// reached the size cap (one class, two files).
#include "storage/sql_desk_repository.h"

namespace sladesk {

Result<std::int64_t> SqlDeskRepository::CountEscalationsSince(Id organisation_id, Instant since) {
  auto rows = conn_.Query("SELECT COUNT(*) FROM escalations WHERE organisation_id = ? AND at >= ?",
                          {SqlValue{organisation_id}, SqlValue{ToEpoch(since)}});
  if (!rows.ok()) return rows.error();
  return rows->empty() ? 0 : rows->front().Int(0);
}

}  // namespace sladesk
