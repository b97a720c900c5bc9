// SlaReportBuilder on data/history/gold_march_2026.jsonl (seed 002,
// Mon-Fri 09-17 Europe/Berlin): every figure hand-worked in the comments;
// the same report however the tickets are split between builders; next
// update cycles on supermetrics; errors.
#include "compliance/sla_report_builder.h"

#include <gtest/gtest.h>

#include <sstream>

#include "compliance/history_jsonl.h"
#include "compliance/sla_report_writers.h"
#include "compliance_test_util.h"

namespace sladesk {
namespace {

using nlohmann::json;
using testing::At;
using testing::SourcePolicy;

std::vector<HistoryTicket> ReadHistory(const std::string& relative) {
  std::vector<HistoryTicket> out;
  std::istringstream in(testing::ReadSourceFile(relative));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    HistoryTicket t;
    Status s = ParseHistoryLine(line, t);
    if (!s.ok()) throw std::runtime_error(s.error().ToString());
    out.push_back(std::move(t));
  }
  return out;
}

SlaReportOptions March(ReportGrouping g = ReportGrouping::kOrganisation) {
  SlaReportOptions o;
  o.from = At("2026-03-01T00:00:00Z");
  o.to = At("2026-04-01T00:00:00Z");
  o.group_by = g;
  return o;
}

json Report(const SlaReportOptions& o, int split = 1) {
  auto policy = SourcePolicy("policies/gold-support.toml");
  std::vector<SlaReportBuilder> builders;
  for (int i = 0; i < split; ++i) builders.push_back(*SlaReportBuilder::Create(*policy, o));
  const auto tickets = ReadHistory("tests/compliance/data/history/gold_march_2026.jsonl");
  for (size_t i = 0; i < tickets.size(); ++i) {
    Status s = builders[i % builders.size()].Add(tickets[i]);
    if (!s.ok()) throw std::runtime_error(s.error().ToString());
  }
  for (size_t i = 1; i < builders.size(); ++i) builders[0].Merge(builders[i]);
  return json::parse(SlaPeriodReportJson(builders[0].Finish()).dump());
}

const json& Group(const json& r, const std::string& key) {
  for (const auto& g : r.at("groups"))
    if (g.at("key") == key) return g;
  throw std::runtime_error("no group " + key);
}

TEST(SlaReportBuilderTest, ByOrganisationTheHandWorkedFigures) {
  const json r = Report(March());
  EXPECT_EQ(r.at("tickets_read"), 8);
  EXPECT_EQ(r.at("tickets_in_scope"), 7);  // G5 was resolved in February

  // acme: G1 (met both), G2 (first response 9 h > 8 h; resolution running
  // since Mar 2 10:00 CET, breached Mar 4 10:00 CET), G3 (opened in
  // February; resolution 64 h > 56 h, resolved Mar 4).
  const json& acme = Group(r, "acme");
  EXPECT_EQ(acme.at("tickets"), json::parse(R"({"opened": 2, "resolved": 2, "open": 1})"));
  EXPECT_EQ(acme.at("metrics").at("first_response"),
            json::parse(R"({"met": 1, "breached": 1, "running_breached": 0, "share_met": 0.5})"));
  EXPECT_EQ(acme.at("metrics").at("resolution").at("met"), 1);
  EXPECT_EQ(acme.at("metrics").at("resolution").at("breached"), 2);
  EXPECT_EQ(acme.at("metrics").at("resolution").at("running_breached"), 1);
  EXPECT_EQ(acme.at("first_response_business_seconds"), json::parse(R"({"count": 2, "median": 3600, "p90": 32400})"));
  EXPECT_EQ(acme.at("resolution_business_seconds"), json::parse(R"({"count": 2, "median": 32400, "p90": 230400})"));
  EXPECT_EQ(acme.at("breaches").at("count"), 3);
  EXPECT_EQ(acme.at("escalations"), json::parse(R"({"count": 1, "by_level": {"Duty manager": 1}})"));
  EXPECT_EQ(acme.at("support_hours"), 1.5);  // G3 (2.25 h) was opened before the period

  // bolt: G4 (nothing answered: first response breached Mar 10, resolution
  // Mar 25, both running), G7 (low, answered in 1 h, no resolution target),
  // G8 (opened 23:30 UTC on Mar 31 = April in Berlin, clock not started:
  // closed hours), G9 (answered in 30 min).
  const json& bolt = Group(r, "bolt");
  EXPECT_EQ(bolt.at("tickets"), json::parse(R"({"opened": 4, "resolved": 1, "open": 3})"));
  EXPECT_EQ(bolt.at("metrics").at("first_response").at("met"), 2);
  EXPECT_EQ(bolt.at("metrics").at("first_response").at("breached"), 1);
  EXPECT_EQ(bolt.at("metrics").at("first_response").at("running_breached"), 1);
  EXPECT_EQ(bolt.at("first_response_business_seconds"), json::parse(R"({"count": 2, "median": 1800, "p90": 3600})"));
  EXPECT_EQ(bolt.at("breaches").at("count"), 2);
  EXPECT_EQ(bolt.at("escalations").at("count"), 0);  // the one escalation was in February

  const json& total = r.at("total");
  EXPECT_EQ(total.at("tickets"), json::parse(R"({"opened": 6, "resolved": 3, "open": 4})"));
  EXPECT_EQ(total.at("breaches").at("count"), 5);
  // Worst by wall-clock lateness: G2 resolution (Mar 4 09:00Z to Apr 1 00:00Z),
  // G4 first response (from Mar 10 09:00Z), G4 resolution (Mar 25), G3 (1 day), G2 (1 h).
  const json& worst = total.at("breaches").at("worst");
  ASSERT_EQ(worst.size(), 5u);
  EXPECT_EQ(worst[0], json::parse(R"({"ticket_id": "G2", "organisation": "acme", "metric": "resolution", "cycle": null,
      "severity": "urgent", "breached_at": "2026-03-04T09:00:00Z", "target_seconds": 57600,
      "late_business_seconds": 572400, "late_wall_seconds": 2386800, "running": true})"));
  EXPECT_EQ(worst[1].at("ticket_id"), "G4");
  EXPECT_EQ(worst[1].at("breached_at"), "2026-03-10T09:00:00Z");
  EXPECT_EQ(worst[1].at("late_business_seconds"), 457200);
  EXPECT_EQ(worst[1].at("late_wall_seconds"), 1868400);
  EXPECT_EQ(worst[2].at("breached_at"), "2026-03-25T09:00:00Z");
  EXPECT_EQ(worst[2].at("late_business_seconds"), 140400);
  EXPECT_EQ(worst[3].at("ticket_id"), "G3");
  EXPECT_EQ(worst[3].at("late_business_seconds"), 28800);
  EXPECT_EQ(worst[3].at("late_wall_seconds"), 86400);
  EXPECT_EQ(worst[4].at("ticket_id"), "G2");
  EXPECT_EQ(worst[4].at("late_wall_seconds"), 3600);

  // Incidents per Berlin month against the plan's allowance (gold 4, enterprise 2).
  EXPECT_EQ(r.at("incident_allowance"), json::parse(R"([
    {"organisation": "acme", "plan": "gold", "month": "2026-03", "incidents": 2, "allowance": 4, "over": false},
    {"organisation": "bolt", "plan": "enterprise", "month": "2026-03", "incidents": 3, "allowance": 2, "over": true},
    {"organisation": "bolt", "plan": "enterprise", "month": "2026-04", "incidents": 1, "allowance": 2, "over": false}])"));
}

TEST(SlaReportBuilderTest, TheSameReportHoweverTheTicketsAreSplit) {
  for (ReportGrouping g : {ReportGrouping::kOrganisation, ReportGrouping::kAgent, ReportGrouping::kSeverity,
                           ReportGrouping::kPlan}) {
    const json one = Report(March(g));
    for (int split : {2, 3, 8}) EXPECT_EQ(Report(March(g), split), one) << ReportGroupingName(g) << " " << split;
  }
}

TEST(SlaReportBuilderTest, ByAgentAndBySeverity) {
  const json agents = Report(March(ReportGrouping::kAgent));
  std::vector<std::string> keys;
  for (const auto& g : agents.at("groups")) keys.push_back(g.at("key"));
  EXPECT_EQ(keys, (std::vector<std::string>{"(unassigned)", "ana", "bo"}));
  EXPECT_EQ(Group(agents, "ana").at("tickets").at("opened"), 2);  // G1, G7 (G3 opened in February)
  const json sev = Report(March(ReportGrouping::kSeverity));
  EXPECT_EQ(Group(sev, "low").at("tickets"), json::parse(R"({"opened": 3, "resolved": 1, "open": 2})"));
}

TEST(SlaReportBuilderTest, NowBeforeTheEndReadsTheClocksThen) {
  SlaReportOptions o = March();
  o.now = At("2026-03-03T09:30:00Z");  // G2's first response is late by 30 min, not yet answered
  const json r = Report(o);
  EXPECT_EQ(r.at("as_of"), "2026-03-03T09:30:00Z");
  const json& acme = Group(r, "acme");
  EXPECT_EQ(acme.at("metrics").at("first_response").at("running_breached"), 1);
  EXPECT_EQ(acme.at("tickets").at("open"), 3);  // G1 resolves at 10:00, G3 the next day
}

TEST(SlaReportBuilderTest, OrganisationFilterBudgetAndSink) {
  auto policy = SourcePolicy("policies/gold-support.toml");
  SlaReportOptions o = March();
  o.organisation = "acme";
  o.support_hours_budget = 1.8;
  auto b = SlaReportBuilder::Create(*policy, o);
  ASSERT_TRUE(b.ok());
  std::vector<std::string> seen;
  b->set_breach_sink([&](const BreachRecord& r) { seen.push_back(r.ticket_id + ":" + std::string(MetricName(r.metric))); });
  for (const auto& t : ReadHistory("tests/compliance/data/history/gold_march_2026.jsonl")) ASSERT_TRUE(b->Add(t).ok());
  const SlaPeriodReport r = b->Finish();
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_EQ(r.groups[0].key, "acme");
  EXPECT_EQ(seen, (std::vector<std::string>{"G2:first_response", "G2:resolution", "G3:resolution"}));
  ASSERT_EQ(r.support_hours.size(), 1u);
  EXPECT_EQ(r.support_hours[0].used_seconds, 5400);
  EXPECT_TRUE(r.support_hours[0].warning());  // 1.5 of 1.8 h is over 80 %
  EXPECT_FALSE(r.support_hours[0].over());
}

TEST(SlaReportBuilderTest, NextUpdateCyclesAndTheirBreaches) {
  // supermetrics premium high: next update 8 h on Mon 04:00-Fri 23:00 New York.
  auto policy = SourcePolicy("policies/supermetrics.toml");
  SlaReportOptions o;
  o.from = At("2027-02-01T00:00:00Z");
  o.to = At("2027-03-01T00:00:00Z");
  auto b = SlaReportBuilder::Create(*policy, o);
  ASSERT_TRUE(b.ok());
  HistoryTicket t;
  ASSERT_TRUE(ParseHistoryLine(R"({"id": "S1", "organisation": "o", "plan": "premium", "severity": "high", "events": [
      {"at": "2027-02-09T15:00:00Z", "type": "opened"}, {"at": "2027-02-09T16:00:00Z", "type": "agent_reply"},
      {"at": "2027-02-10T02:00:00Z", "type": "agent_reply"}, {"at": "2027-02-10T05:00:00Z", "type": "agent_reply"},
      {"at": "2027-02-10T06:00:00Z", "type": "resolved"}]})", t).ok());
  ASSERT_TRUE(b->Add(t).ok());
  const SlaPeriodReport r = b->Finish();
  // Cycles: 16:00-02:00 (10 h, breached), 02:00-05:00 (met), 05:00-06:00 (met).
  EXPECT_EQ(r.total.next_update_cycles, 3);
  EXPECT_EQ(r.total.next_update_breaches, 1);
  EXPECT_EQ(r.total.metrics[1].met, 2);
  EXPECT_EQ(r.total.metrics[1].breached, 1);
  ASSERT_EQ(r.total.worst_breaches.size(), 1u);
  EXPECT_EQ(r.total.worst_breaches[0].cycle, 1);
  EXPECT_EQ(r.total.worst_breaches[0].late_business_seconds, 7200);
  EXPECT_EQ(r.total.worst_breaches[0].breached_at, At("2027-02-10T00:00:00Z"));
}

TEST(SlaReportBuilderTest, Errors) {
  auto policy = SourcePolicy("policies/gold-support.toml");
  SlaReportOptions o = March();
  o.to = o.from;
  auto bad = SlaReportBuilder::Create(*policy, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "--to");
  auto b = SlaReportBuilder::Create(*policy, March());
  HistoryTicket t;
  t.id = "x";
  t.plan = "platinum";
  Status s = b->Add(t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().ToString(), "plan: unknown plan 'platinum' (known: professional, enterprise, gold)");
  t.plan = "gold";
  t.severity = "p1";
  EXPECT_EQ(b->Add(t).error().field, "severity");
  t.severity = "";
  t.events = {{At("2026-03-02T09:00:00Z"), EventType::kSeverityChanged, "p9"}};
  EXPECT_EQ(b->Add(t).error().field, "events[0].severity");
}

TEST(SlaReportWritersTest, TableAndCsvShapes) {
  auto policy = SourcePolicy("policies/gold-support.toml");
  auto b = SlaReportBuilder::Create(*policy, March());
  for (const auto& t : ReadHistory("tests/compliance/data/history/gold_march_2026.jsonl")) ASSERT_TRUE(b->Add(t).ok());
  const SlaPeriodReport r = b->Finish();
  const std::string csv = SlaPeriodReportCsv(r);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);  // header, acme, bolt, total
  EXPECT_NE(csv.find("\r\nacme,2,2,1,1,1,0.500000,"), std::string::npos) << csv;
  const std::string table = SlaPeriodReportTable(r);
  EXPECT_NE(table.find("bolt          2026-03          3          2"), std::string::npos) << table;
  EXPECT_NE(table.find("G2"), std::string::npos);
  EXPECT_EQ(HumanDuration(3725), "1h 02m");
  EXPECT_EQ(HumanDuration(59), "59s");
  EXPECT_EQ(HumanDuration(2386800), "27d 15h");
  EXPECT_EQ(CsvField("a,\"b\""), "\"a,\"\"b\"\"\"");
}

}  // namespace
}  // namespace sladesk
