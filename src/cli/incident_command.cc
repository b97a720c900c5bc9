// `sladesk incident add|end|list --db URL`: service incidents and
// maintenance windows recorded in the store from the command line, through
// IncidentService (the API's rules: validation, the RCA review of completed
// months). Acts as sladesk itself (the system user). Prints the record as
// JSON. Exit 0, or 2 with one "sladesk: field: message" line.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "cli/report_sla_command.h"
#include "common/clock.h"
#include "desk/incident_service.h"
#include "server/compliance_views.h"
#include "storage/desk_store.h"

namespace sladesk {
namespace {

struct IncidentOptions {
  std::string db;
  std::string policies = "policies";
  bool maintenance = false;
  std::string service, cause, title, description, start, end, now;
  std::int64_t organisation = 0;
  std::int64_t id = 0;
  bool open_only = false;
};

template <typename T>
void WithStore(CliContext& ctx, const IncidentOptions& o,
               const std::function<Result<T>(IncidentService&, Instant)>& call,
               const std::function<void(const T&)>& print) {
  auto fail = [&](const Error& e) { Fail(ctx, e); };
  if (o.db.empty()) return fail(MakeError("--db", "name the database (sqlite:PATH or postgresql://...)"));
  auto policies = PolicyRegistry::LoadDirectory(o.policies);
  if (!policies.ok()) return fail(policies.error());
  Instant now = SystemClock().Now();
  if (!o.now.empty()) {
    auto t = ParseReportTime(o.now, "--now");
    if (!t.ok()) return fail(t.error());
    now = *t;
  }
  auto store = DeskStore::Open(o.db);
  if (!store.ok()) return fail(store.error());
  auto out = (*store)->Write<T>([&](DeskRepository& repo) {
    IncidentService service(repo, **policies);
    return call(service, now);
  });
  if (!out.ok()) return fail(out.error());
  print(*out);
  ctx.exit_code = kExitOk;
}

Result<IncidentInput> ToInput(const IncidentOptions& o) {
  IncidentInput in;
  if (!o.service.empty()) in.service = o.service;
  if (!o.cause.empty()) in.cause = o.cause;
  if (!o.title.empty()) in.title = o.title;
  if (!o.description.empty()) in.description = o.description;
  if (o.organisation > 0) in.organisation_id = o.organisation;
  if (!o.start.empty()) {
    auto t = ParseReportTime(o.start, "--start");
    if (!t.ok()) return t.error();
    in.start = *t;
  }
  if (!o.end.empty()) {
    auto t = ParseReportTime(o.end, "--end");
    if (!t.ok()) return t.error();
    in.end = *t;
  }
  return in;
}

}  // namespace

void RegisterIncidentCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* incident = app.add_subcommand("incident", "Service incidents and maintenance windows in the store");
  incident->require_subcommand(1);
  auto common = [](CLI::App* c, IncidentOptions& o) {
    c->add_option("--db", o.db, "sqlite:PATH or postgresql://...")->required();
    c->add_option("--policies", o.policies, "directory of policy TOML files (default policies)");
    c->add_option("--now", o.now, "act as of this instant (default: the system clock)");
  };

  auto add = std::make_shared<IncidentOptions>();
  CLI::App* a = incident->add_subcommand("add", "Record an incident (or, with --maintenance, a maintenance window)");
  common(a, *add);
  a->add_flag("--maintenance", add->maintenance, "a maintenance window (cause allowed_maintenance; may be planned ahead)");
  a->add_option("--service", add->service, "the affected service")->required();
  a->add_option("--start", add->start, "RFC 3339 (or YYYY-MM-DD)")->required();
  a->add_option("--end", add->end, "RFC 3339; leave out while it lasts");
  a->add_option("--cause", add->cause, "outage (default), subcontractor, allowed_maintenance, excluded_cause, customer, "
                                       "third_party, force_majeure");
  a->add_option("--organisation", add->organisation, "organisation id (default: the whole service)");
  a->add_option("--title", add->title, "public summary");
  a->add_option("--description", add->description, "internal description");
  a->callback([&ctx, add] {
    auto in = ToInput(*add);
    if (!in.ok()) return (void)Fail(ctx, in.error());
    const IncidentKind kind = add->maintenance ? IncidentKind::kMaintenance : IncidentKind::kIncident;
    WithStore<ServiceIncidentRecord>(
        ctx, *add, [&](IncidentService& s, Instant now) { return s.Record(SystemUser(), now, kind, *in); },
        [&](const ServiceIncidentRecord& r) { *ctx.out << IncidentJson(r).dump(2) << "\n"; });
  });

  auto end = std::make_shared<IncidentOptions>();
  CLI::App* e = incident->add_subcommand("end", "End an open incident or maintenance window");
  common(e, *end);
  e->add_option("--id", end->id, "its id")->required();
  e->add_option("--end", end->end, "RFC 3339 (default: now)");
  e->callback([&ctx, end] {
    std::optional<Instant> at;
    if (!end->end.empty()) {
      auto t = ParseReportTime(end->end, "--end");
      if (!t.ok()) return (void)Fail(ctx, t.error());
      at = *t;
    }
    WithStore<ServiceIncidentRecord>(
        ctx, *end, [&](IncidentService& s, Instant now) { return s.End(SystemUser(), now, end->id, at); },
        [&](const ServiceIncidentRecord& r) { *ctx.out << IncidentJson(r).dump(2) << "\n"; });
  });

  auto list = std::make_shared<IncidentOptions>();
  CLI::App* l = incident->add_subcommand("list", "List incidents and maintenance windows (JSON lines)");
  common(l, *list);
  l->add_flag("--open", list->open_only, "only those still open");
  l->callback([&ctx, list] {
    WithStore<std::vector<ServiceIncidentRecord>>(
        ctx, *list,
        [&](IncidentService& s, Instant) {
          IncidentQuery q;
          q.open_only = list->open_only;
          return s.List(SystemUser(), q);
        },
        [&](const std::vector<ServiceIncidentRecord>& rs) {
          for (const auto& r : rs) *ctx.out << IncidentJson(r).dump() << "\n";
        });
  });
}

}  // namespace sladesk
