#include "desk/incident_service.h"

#include <algorithm>

#include "desk/text_rules.h"

namespace sladesk {
namespace {

bool IsLeadOrAdmin(const User& u) { return u.role == Role::kLead || u.role == Role::kAdmin || u.role == Role::kSystem; }

Status CheckText(const char* field, const std::string& v, std::size_t max, bool single_line, bool required) {
  if (required && TextRules::IsBlank(v)) return MakeError(field, std::string("'") + field + "' must not be empty");
  if (v.size() > max)
    return MakeError(field, std::string("'") + field + "' is longer than " + std::to_string(max) + " bytes");
  if (single_line) return TextRules::CheckSingleLine(field, v);
  return Status::Ok();
}

ServiceIncident ToComputation(const ServiceIncidentRecord& r) {
  return ServiceIncident{r.start, r.end, r.cause, r.service, r.description};
}

StatusIncident Public(const ServiceIncidentRecord& r) {
  return StatusIncident{r.id, r.kind, r.service, r.cause, r.title, r.start, r.end};
}

constexpr int kMaxReviewMonths = 36;  // an incident longer than this reviews its last 36 months

}  // namespace

Status IncidentService::CheckStaff(const User& actor) const {
  if (!IsStaff(actor.role)) return ForbiddenError("only staff record and read service incidents");
  return Status::Ok();
}

Status IncidentService::Apply(Instant now, IncidentKind kind, const IncidentInput& in, ServiceIncidentRecord& rec) {
  if (in.organisation_id) {
    auto org = repo_.GetOrganisation(*in.organisation_id, false);
    if (!org.ok()) return org.error();
    if (!*org)
      return MakeError("organisation_id", "organisation " + std::to_string(*in.organisation_id) + " does not exist");
    rec.organisation_id = in.organisation_id;
  }
  if (in.clear_organisation) rec.organisation_id.reset();
  if (in.service) rec.service = *in.service;
  if (Status st = CheckText("service", rec.service, 100, true, true); !st.ok()) return st;
  if (in.cause) {
    auto cause = IncidentCauseFromName(*in.cause);
    if (!cause) return MakeError("cause", "unknown cause '" + *in.cause + "' (known: " + KnownIncidentCauseNames() + ")");
    rec.cause = *cause;
  }
  if (kind == IncidentKind::kMaintenance && rec.cause != IncidentCause::kAllowedMaintenance)
    return MakeError("cause", "a maintenance window's cause is allowed_maintenance; record an incident for '" +
                                  std::string(IncidentCauseName(rec.cause)) + "'");
  if (in.title) rec.title = *in.title;
  if (Status st = CheckText("title", rec.title, 200, true, false); !st.ok()) return st;
  if (in.description) rec.description = *in.description;
  if (Status st = CheckText("description", rec.description, 10000, false, false); !st.ok()) return st;
  if (in.start) rec.start = *in.start;
  if (in.end) rec.end = in.end;
  if (in.clear_end) rec.end.reset();
  if (rec.start == Instant{} && !in.start) return MakeError("start", "'start' is required (RFC 3339)");
  if (rec.end && *rec.end <= rec.start)
    return MakeError("end", FormatInstant(*rec.end) + " is not after start " + FormatInstant(rec.start));
  if (kind == IncidentKind::kIncident) {
    // Maintenance may be planned ahead; an incident is what happened.
    if (rec.start > now) return MakeError("start", "an incident cannot start in the future (" + FormatInstant(rec.start) + ")");
    if (rec.end && *rec.end > now)
      return MakeError("end", "an incident cannot end in the future (" + FormatInstant(*rec.end) + "); leave it open");
  }
  return Status::Ok();
}

Result<ServiceIncidentRecord> IncidentService::Load(Id id, bool lock) {
  auto rec = repo_.compliance().GetIncident(id, lock);
  if (!rec.ok()) return rec.error();
  if (!*rec) return NotFoundError("incident " + std::to_string(id) + " does not exist");
  return **rec;
}

Result<ServiceIncidentRecord> IncidentService::Record(const User& actor, Instant now, IncidentKind kind,
                                                      const IncidentInput& in) {
  if (Status st = CheckStaff(actor); !st.ok()) return st.error();
  ServiceIncidentRecord rec;
  rec.kind = kind;
  rec.cause = kind == IncidentKind::kMaintenance ? IncidentCause::kAllowedMaintenance : IncidentCause::kOutage;
  if (!in.start) return MakeError("start", "'start' is required (RFC 3339)");
  if (Status st = Apply(now, kind, in, rec); !st.ok()) return st.error();
  rec.recorded_by = actor.id;
  rec.recorded_at = now;
  if (rec.end) rec.ended_by = actor.id;
  auto id = repo_.compliance().InsertIncident(rec);
  if (!id.ok()) return id.error();
  rec.id = *id;
  rec.version = 1;
  if (Status st = ReviewAfterWrite(now, rec.organisation_id, rec.start, rec.end.value_or(now)); !st.ok())
    return st.error();
  return rec;
}

Result<ServiceIncidentRecord> IncidentService::Update(const User& actor, Instant now, Id id, const IncidentInput& in,
                                                      const ExpectedVersion& expected) {
  if (Status st = CheckStaff(actor); !st.ok()) return st.error();
  auto rec = Load(id, true);
  if (!rec.ok()) return rec.error();
  if (Status st = expected.Check(rec->version, "incident"); !st.ok()) return st.error();
  const ServiceIncidentRecord before = *rec;
  if (Status st = Apply(now, rec->kind, in, *rec); !st.ok()) return st.error();
  if (rec->end && !before.end) rec->ended_by = actor.id;
  if (!rec->end) rec->ended_by.reset();
  auto ok = repo_.compliance().UpdateIncident(*rec, before.version);
  if (!ok.ok()) return ok.error();
  if (!*ok) return MakeError(ErrorCode::kPreconditionFailed, "If-Match", "the incident changed meanwhile; read it again");
  rec->version = before.version + 1;
  // The months it covered before and after (an organisation changed: both).
  if (Status st = ReviewAfterWrite(now, before.organisation_id, before.start, before.end.value_or(now)); !st.ok())
    return st.error();
  if (rec->organisation_id != before.organisation_id || rec->start != before.start || rec->end != before.end)
    if (Status st = ReviewAfterWrite(now, rec->organisation_id, rec->start, rec->end.value_or(now)); !st.ok())
      return st.error();
  return *rec;
}

Result<ServiceIncidentRecord> IncidentService::End(const User& actor, Instant now, Id id, std::optional<Instant> end) {
  if (Status st = CheckStaff(actor); !st.ok()) return st.error();
  auto rec = Load(id, true);
  if (!rec.ok()) return rec.error();
  if (rec->end)
    return ConflictError("incident", "incident " + std::to_string(id) + " already ended at " + FormatInstant(*rec->end),
                         "already-ended");
  IncidentInput in;
  in.end = end.value_or(now);
  return Update(actor, now, id, in, ExpectedVersion::Of(rec->version));
}

Status IncidentService::Delete(const User& actor, Instant now, Id id) {
  if (!IsLeadOrAdmin(actor)) return ForbiddenError("only team leads and admins delete incidents");
  auto rec = Load(id, true);
  if (!rec.ok()) return rec.error();
  if (Status st = repo_.compliance().DeleteIncident(id); !st.ok()) return st;
  // An RCA task already opened stays: the analysis may have found the record wrong.
  (void)now;
  return Status::Ok();
}

Result<ServiceIncidentRecord> IncidentService::Get(const User& actor, Id id) {
  if (Status st = CheckStaff(actor); !st.ok()) return st.error();
  return Load(id, false);
}

Result<std::vector<ServiceIncidentRecord>> IncidentService::List(const User& actor, IncidentQuery query) {
  if (Status st = CheckStaff(actor); !st.ok()) return st.error();
  query.limit = std::clamp(query.limit, 1, 1000);
  return repo_.compliance().ListIncidents(query);
}

Result<AvailabilityResult> IncidentService::Compute(const Policy& policy, std::optional<Id> organisation_id,
                                                    YearMonth month, Instant now,
                                                    std::vector<ServiceIncidentRecord>* incidents) {
  auto zone = AvailabilityZone(policy);
  if (!zone.ok()) return zone.error();
  IncidentQuery q;
  if (organisation_id) q.organisation_id = organisation_id;
  else q.service_wide_only = true;
  q.from = MonthStart(month, **zone);
  q.to = MonthStart(AddMonths(month, 1), **zone);
  AvailabilityRequest request;
  request.month = month;
  request.as_of = now;
  // Paged: a month rarely has many, but nothing here assumes it.
  for (;;) {
    auto page = repo_.compliance().ListIncidents(q);
    if (!page.ok()) return page.error();
    for (auto& r : *page) {
      request.incidents.push_back(ToComputation(r));
      q.after_id = r.id;
      if (incidents) incidents->push_back(std::move(r));
    }
    if (static_cast<int>(page->size()) < q.limit) break;
  }
  return ComputeAvailability(request, **zone, policy.contract.availability->monthly_target);
}

Result<OrganisationAvailability> IncidentService::Availability(const User& actor, Instant now, Id organisation_id,
                                                               const std::string& month_text) {
  auto month = ParseYearMonth(month_text);
  if (!month) return MakeError("month", "'" + month_text + "' is not a month YYYY-MM");
  if (actor.role == Role::kContact && actor.organisation_id != organisation_id)
    return NotFoundError("organisation " + std::to_string(organisation_id) + " does not exist");
  auto org = repo_.GetOrganisation(organisation_id, false);
  if (!org.ok()) return org.error();
  if (!*org) return NotFoundError("organisation " + std::to_string(organisation_id) + " does not exist");
  const Policy* policy = policies_.Find((*org)->policy_id);
  if (!policy) return ConflictError("organisation", "policy '" + (*org)->policy_id + "' is not loaded");
  if (!policy->contract.availability)
    return ConflictError("organisation", "the " + policy->name + " policy sets no availability level", "no-availability-level");
  auto zone = AvailabilityZone(*policy);
  if (!zone.ok()) return zone.error();
  if (MonthStart(*month, **zone) > now) return MakeError("month", month_text + " has not started yet");
  OrganisationAvailability out;
  out.organisation = **org;
  auto r = Compute(*policy, organisation_id, *month, now, &out.incidents);
  if (!r.ok()) return r.error();
  out.result = std::move(r).value();
  auto task = repo_.compliance().FindRcaTask(organisation_id, month_text);
  if (!task.ok()) return task.error();
  out.rca_task = *task;
  return out;
}

Result<std::optional<Id>> IncidentService::TeamLeadFor(const Organisation& org) {
  auto staff = repo_.ListUsers(std::nullopt);
  if (!staff.ok()) return staff.error();
  std::optional<Id> first;
  for (const User& u : *staff) {
    if (u.role != Role::kLead || !u.active) continue;
    if (org.csm_user_id && u.id == *org.csm_user_id) return std::optional<Id>(u.id);
    if (!first || u.id < *first) first = u.id;
  }
  return first;
}

Result<std::optional<RcaTaskRecord>> IncidentService::ReviewOrganisationMonth(Instant now, const Organisation& org,
                                                                             YearMonth month) {
  const Policy* policy = policies_.Find(org.policy_id);
  if (!policy || !policy->contract.availability) return std::optional<RcaTaskRecord>();
  auto r = Compute(*policy, org.id, month, now, nullptr);
  if (!r.ok()) return r.error();
  if (!r->complete || r->met) return std::optional<RcaTaskRecord>();
  const std::string key = FormatYearMonth(month);
  auto existing = repo_.compliance().FindRcaTask(org.id, key);
  if (!existing.ok()) return existing.error();
  if (*existing) return std::optional<RcaTaskRecord>();  // idempotent: one task a month
  auto lead = TeamLeadFor(org);
  if (!lead.ok()) return lead.error();
  RcaTaskRecord task;
  task.organisation_id = org.id;
  task.month = key;
  task.assignee_id = *lead;
  task.availability_micro_percent = r->availability_micro_percent;
  task.target_percent = r->target_percent.ToString();
  task.opened_at = now;
  task.updated_at = now;
  auto id = repo_.compliance().InsertRcaTask(task);
  if (!id.ok()) return id.error();
  task.id = *id;
  return std::optional<RcaTaskRecord>(task);
}

Status IncidentService::ReviewAfterWrite(Instant now, std::optional<Id> organisation_id, Instant from, Instant to) {
  std::vector<Organisation> orgs;
  if (organisation_id) {
    auto o = repo_.GetOrganisation(*organisation_id, false);
    if (!o.ok()) return o.error();
    if (*o) orgs.push_back(**o);
  } else {
    for (Id after = 0;;) {
      auto page = repo_.ListOrganisations(after, 500);
      if (!page.ok()) return page.error();
      for (auto& o : *page) {
        after = o.id;
        const Policy* p = policies_.Find(o.policy_id);
        if (p && p->contract.availability) orgs.push_back(std::move(o));
      }
      if (page->size() < 500) break;
    }
  }
  for (const Organisation& org : orgs) {
    const Policy* policy = policies_.Find(org.policy_id);
    if (!policy || !policy->contract.availability) continue;
    auto zone = AvailabilityZone(*policy);
    if (!zone.ok()) return zone.error();
    YearMonth first = MonthOf(from, **zone);
    const YearMonth last = MonthOf(std::min(to, now), **zone);
    if (AddMonths(first, kMaxReviewMonths) < last) first = AddMonths(last, -kMaxReviewMonths);
    for (YearMonth m = first; m <= last; m = AddMonths(m, 1)) {
      if (MonthStart(AddMonths(m, 1), **zone) > now) break;  // not complete yet
      auto task = ReviewOrganisationMonth(now, org, m);
      if (!task.ok()) return task.error();
    }
  }
  return Status::Ok();
}

Result<std::vector<RcaTaskRecord>> IncidentService::ReviewMonth(const User& actor, Instant now,
                                                                const std::string& month_text) {
  if (!IsLeadOrAdmin(actor)) return ForbiddenError("only team leads, admins and sladesk review a month");
  auto month = ParseYearMonth(month_text);
  if (!month) return MakeError("month", "'" + month_text + "' is not a month YYYY-MM");
  std::vector<RcaTaskRecord> opened;
  for (Id after = 0;;) {
    auto page = repo_.ListOrganisations(after, 500);
    if (!page.ok()) return page.error();
    for (const auto& o : *page) {
      after = o.id;
      auto task = ReviewOrganisationMonth(now, o, *month);
      if (!task.ok()) return task.error();
      if (*task) opened.push_back(**task);
    }
    if (page->size() < 500) break;
  }
  return opened;
}

Result<std::vector<RcaTaskRecord>> IncidentService::RcaTasks(const User& actor, std::optional<Id> organisation_id,
                                                             bool open_only) {
  if (Status st = CheckStaff(actor); !st.ok()) return st.error();
  return repo_.compliance().ListRcaTasks(organisation_id, open_only);
}

Result<ServiceStatus> IncidentService::PublicStatus(Instant now) {
  ServiceStatus out;
  out.now = now;
  IncidentQuery q;
  q.service_wide_only = true;
  q.from = now;  // open, or ending after now
  for (;;) {
    auto page = repo_.compliance().ListIncidents(q);
    if (!page.ok()) return page.error();
    for (const auto& r : *page) {
      q.after_id = r.id;
      if (r.kind == IncidentKind::kMaintenance) out.maintenance.push_back(Public(r));
      else if (r.start <= now) out.current.push_back(Public(r));
    }
    if (static_cast<int>(page->size()) < q.limit) break;
  }
  auto by_start = [](const StatusIncident& a, const StatusIncident& b) {
    return a.start != b.start ? a.start < b.start : a.id < b.id;
  };
  std::sort(out.current.begin(), out.current.end(), by_start);
  std::sort(out.maintenance.begin(), out.maintenance.end(), by_start);
  for (const auto& id : policies_.Ids()) {
    const Policy* policy = policies_.Find(id);
    if (!policy || !policy->contract.availability) continue;
    auto zone = AvailabilityZone(*policy);
    if (!zone.ok()) continue;  // a policy the CLI refuses too; nothing public to say
    StatusAvailability a;
    a.policy_id = policy->id;
    a.policy_name = policy->name;
    a.target_percent = policy->contract.availability->monthly_target;
    const YearMonth current = MonthOf(now, **zone);
    for (int k = kStatusMonths - 1; k >= 0; --k) {
      auto r = Compute(*policy, std::nullopt, AddMonths(current, -k), now, nullptr);
      if (!r.ok()) return r.error();
      a.months.push_back(std::move(r).value());
    }
    out.availability.push_back(std::move(a));
  }
  return out;
}

}  // namespace sladesk
