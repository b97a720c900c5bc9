// JSON views: how the API shows the desk's records.
//
// Purpose: one rendering per record (user, organisation, ticket, message,
// attachment, event, SLA report), and the ETags of versioned resources, so
// every handler answers with the same shapes (api/openapi.json documents
// them). Views render from values they are given; they never read storage.
// Thread-safety: pure functions. Ownership: none.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "desk/desk_types.h"
#include "desk/organisation_service.h"
#include "desk/ticket_queries.h"

namespace sladesk {

nlohmann::json OptTimeJson(const std::optional<Instant>& t);
nlohmann::json OptIntJson(const std::optional<std::int64_t>& v);

std::string TicketETag(const Ticket& t);
std::string OrgETag(const Organisation& o);
// The versions a list of entity tags names for this ticket / organisation
// (If-Match: "t5v3", W/"t5v4"; "*" is any).
struct ParsedIfMatch {
  bool given = false;
  bool any = false;
  std::vector<std::int64_t> versions;
};
ParsedIfMatch ParseIfMatch(const std::string& header, char kind, std::int64_t id);

nlohmann::json UserJson(const User& u);
nlohmann::json OrgJson(const Organisation& o);
nlohmann::json OrgDetailJson(const OrganisationDetail& d);
// The stored SLA metrics (as of the ticket's last change).
nlohmann::json StoredSla(const Ticket& t);
// The stored metrics as seen at `now` without re-reading the log: a running
// metric past its due time shows breached.
nlohmann::json StoredSlaAt(const Ticket& t, Instant now);
nlohmann::json TicketJson(const Ticket& t, const nlohmann::json& sla_metrics);
nlohmann::json TicketDetailJson(const TicketDetail& d);
// `author`: their id, name and role, when known.
nlohmann::json MessageJson(const Message& m, std::int64_t ticket_number, const User* author);
nlohmann::json AttachmentJson(const Attachment& a);
nlohmann::json EventJson(const TicketEventRecord& e);
nlohmann::json TimeEntryJson(const TimeEntry& e);
nlohmann::json SlaReportJson(const TicketSlaReport& r, Instant now);

// Serialises a JSON body (invalid UTF-8 replaced, never thrown).
std::string DumpJson(const nlohmann::json& body);

}  // namespace sladesk
