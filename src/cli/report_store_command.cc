// `sladesk report sla --db URL --policy FILE ...`: the same report as from a
// history file, read from the store: the tickets of the organisations on
// the file's policy (by its id), through StoredReports::Scan, which pages
// through the tickets by id (bounded memory). `--jobs N` splits the id
// range into N parts read at once on N reader connections (each its own
// read transaction: on PostgreSQL each part is its own snapshot), one
// builder each, merged. tickets_read counts the tickets the store handed
// over (those opened before --to, less those resolved and untouched since
// before --from).
#include "cli/report_store_command.h"

#include <thread>
#include <vector>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "compliance/sla_report_writers.h"
#include "desk/stored_reports.h"
#include "storage/desk_store.h"

namespace sladesk {

void RunStoredSlaReport(CliContext& ctx, const Policy& policy, const SlaReportOptions& options, const std::string& db,
                        int jobs, const std::string& format) {
  auto fail = [&](const Error& e) { Fail(ctx, e); };
  DeskStoreOptions so;
  so.readers = jobs;
  auto store = DeskStore::Open(db, so);
  if (!store.ok()) return fail(store.error());
  PreparedSlaReport prepared;
  prepared.policy = &policy;
  prepared.options = options;
  prepared.filter = StoredReports::FilterFor(options, policy.id);
  Id max_id = 0;
  Status st = (*store)->RunRead([&](DeskRepository& repo) -> Status {
    auto m = repo.compliance().MaxTicketId();
    if (!m.ok()) return m.error();
    max_id = *m;
    return Status::Ok();
  });
  if (!st.ok()) return fail(st.error());
  std::vector<SlaReportBuilder> builders;
  for (int i = 0; i < jobs; ++i) {
    auto b = SlaReportBuilder::Create(policy, options);
    if (!b.ok()) return fail(b.error());
    builders.push_back(std::move(b).value());
  }
  std::vector<Status> results(static_cast<size_t>(jobs));
  std::vector<std::thread> threads;
  for (int i = 0; i < jobs; ++i) {
    const Id lo = max_id * i / jobs, hi = i + 1 == jobs ? 0 : max_id * (i + 1) / jobs;
    threads.emplace_back([&, i, lo, hi] {
      results[static_cast<size_t>(i)] = (*store)->RunRead([&](DeskRepository& repo) {
        return StoredReports::Scan(repo, prepared, lo, hi, builders[static_cast<size_t>(i)]);
      });
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& r : results)
    if (!r.ok()) return fail(r.error());
  for (size_t i = 1; i < builders.size(); ++i) builders[0].Merge(builders[i]);
  const SlaPeriodReport report = builders[0].Finish();
  if (format == "json")
    *ctx.out << SlaPeriodReportJson(report).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  else if (format == "csv") *ctx.out << SlaPeriodReportCsv(report);
  else *ctx.out << SlaPeriodReportTable(report);
  ctx.out->flush();
  ctx.exit_code = kExitOk;
}

}  // namespace sladesk
