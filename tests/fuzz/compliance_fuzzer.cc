// libFuzzer target: the compliance inputs. Any bytes must give an answer or
// an Error, never a crash, hang or sanitizer report:
// - as a `report availability` request on agency-support (and with as_of,
//   which turns on open incidents), checking §7's invariants;
// - as a `report downtime` request on supermetrics;
// - each line as a history line (the hand-written parser), fed to an SLA
//   report builder and a backtest, and written back and re-read unchanged;
// - as a Zendesk metric events CSV.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "compliance/availability_json.h"
#include "compliance/backtest.h"
#include "compliance/downtime_json.h"
#include "compliance/history_jsonl.h"
#include "compliance/sla_report_builder.h"
#include "compliance/zendesk_import.h"
#include "policy/policy_loader.h"

namespace {

std::shared_ptr<const sladesk::Policy> Load(const char* name) {
  auto p = sladesk::LoadPolicyFile(std::string(SLADESK_SOURCE_DIR) + "/policies/" + name);
  if (!p.ok()) std::abort();
  return *p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto agency = Load("agency-support.toml");
  static const auto supermetrics = Load("supermetrics.toml");
  static const auto gold = Load("gold-support.toml");
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto req = sladesk::ParseAvailabilityRequest(text); req.ok()) {
    for (int with_as_of = 0; with_as_of < 2; ++with_as_of) {
      sladesk::AvailabilityRequest r = *req;
      if (with_as_of) {
        r.as_of = sladesk::FromEpoch(1806000000);
        if (!r.incidents.empty()) r.incidents[0].end.reset();
      }
      auto res = sladesk::ComputeAvailability(r, *agency);
      if (!res.ok()) continue;
      if (res->measured_seconds != res->month_seconds - res->excluded_seconds) std::abort();
      if (res->downtime_seconds < 0 || res->downtime_seconds > res->measured_seconds) std::abort();
      (void)sladesk::AvailabilityResultToJson(*res);
    }
  }
  if (auto req = sladesk::ParseDowntimeRequest(text, *supermetrics); req.ok()) {
    auto res = sladesk::EvaluateDowntime(*supermetrics, *req);
    if (res.ok()) {
      if (res->over > res->considered || res->considered > res->submitted) std::abort();
      (void)sladesk::DowntimeResultToJson(*res);
    }
  }

  sladesk::SlaReportOptions o;
  o.from = sladesk::FromEpoch(1767225600);
  o.to = sladesk::FromEpoch(1798761600);
  auto report = sladesk::SlaReportBuilder::Create(*gold, o);
  sladesk::Backtest backtest(*gold, *gold, {});
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    sladesk::HistoryTicket t;
    if (sladesk::ParseHistoryLine(text.substr(start, nl - start), t).ok()) {
      const std::string again = sladesk::HistoryLineJson(t);
      sladesk::HistoryTicket back;
      if (!sladesk::ParseHistoryLine(again, back).ok() || sladesk::HistoryLineJson(back) != again) std::abort();
      (void)report->Add(t);
      (void)backtest.Add(t);
    }
    start = nl + 1;
  }
  (void)report->Finish();
  (void)backtest.Finish();

  sladesk::ZendeskImport import({"", "gold", ""});
  if (import.AddCsv(text).ok()) (void)import.Finish();
  return 0;
}
