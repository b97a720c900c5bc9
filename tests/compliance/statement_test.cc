// The monthly statement: weeks of the local month, the figures it carries
// (the organisation's SLA report and availability), its HTML (every value
// rendered, SVG bars proportional to attainment, escaping), custom
// templates and template errors.
#include "compliance/statement.h"

#include <gtest/gtest.h>

#include <sstream>

#include "compliance/availability_json.h"
#include "compliance/history_jsonl.h"
#include "compliance/statement_html.h"
#include "compliance_test_util.h"

namespace sladesk {
namespace {

using testing::At;
using testing::SourcePolicy;

MonthlyStatement AcmeMarch(std::optional<AvailabilityResult> availability = std::nullopt) {
  auto policy = SourcePolicy("policies/gold-support.toml");
  auto b = StatementBuilder::Create(*policy, "acme", "gold", YearMonth{2026, 3}, std::nullopt);
  EXPECT_TRUE(b.ok());
  std::istringstream in(testing::ReadSourceFile("tests/compliance/data/history/gold_march_2026.jsonl"));
  std::string line;
  HistoryTicket t;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    EXPECT_TRUE(ParseHistoryLine(line, t).ok());
    EXPECT_TRUE(b->Add(t).ok());
  }
  return b->Finish(std::move(availability));
}

TEST(StatementTest, WeeksOfTheLocalMonthAndTheOrganisationsFigures) {
  const MonthlyStatement s = AcmeMarch();
  EXPECT_EQ(s.zone, "Europe/Berlin");
  EXPECT_EQ(s.report.from, At("2026-02-28T23:00:00Z"));  // midnight CET
  EXPECT_EQ(s.report.to, At("2026-03-31T22:00:00Z"));    // midnight CEST
  ASSERT_EQ(s.weeks.size(), 6u);  // Sun Mar 1, then Mondays 2, 9, 16, 23, 30
  EXPECT_EQ(s.weeks[0].label, "Mar 1");
  EXPECT_EQ(s.weeks[0].to, At("2026-03-01T23:00:00Z"));
  EXPECT_EQ(s.weeks[5].label, "Mar 30");
  EXPECT_EQ(s.weeks[5].to, s.report.to);
  EXPECT_FALSE(s.weeks[0].share_met().has_value());
  // Week of Mar 2: G1 first response and resolution met; G2 first response
  // and G3 resolution missed, G2's resolution running late at the week's end.
  EXPECT_EQ(s.weeks[1].met, 2);
  EXPECT_EQ(s.weeks[1].breached, 3);
  ASSERT_EQ(s.report.groups.size(), 1u);
  EXPECT_EQ(s.report.groups[0].key, "acme");
  EXPECT_EQ(s.report.total.opened, 2);
}

TEST(StatementTest, HtmlCarriesEveryFigure) {
  auto policy = SourcePolicy("tests/compliance/data/policies/availability-975.toml");
  auto req = ParseAvailabilityRequest(R"({"month": "2026-03", "incidents": [
      {"start": "2026-03-10T01:00:00Z", "end": "2026-03-10T13:00:00Z"},
      {"start": "2026-03-20T22:00:00Z", "end": "2026-03-21T02:00:00Z", "cause": "allowed_maintenance"}]})");
  ASSERT_TRUE(req.ok());
  auto av = ComputeAvailability(*req, *policy);
  ASSERT_TRUE(av.ok());
  MonthlyStatement s = AcmeMarch(*av);
  s.organisation = "Acme <R&D>";
  auto html = RenderStatementHtml(s, DefaultStatementTemplate());
  ASSERT_TRUE(html.ok()) << html.error().ToString();
  const std::string& h = *html;
  EXPECT_EQ(h.find("{{"), std::string::npos);
  EXPECT_NE(h.find("<h1>Acme &lt;R&amp;D&gt;</h1>"), std::string::npos);
  EXPECT_NE(h.find("March 2026"), std::string::npos);
  EXPECT_NE(h.find("<tr><td>First response</td><td>1</td><td>1</td><td>50.0%</td><td>1h 00m</td><td>9h 00m</td></tr>"),
            std::string::npos);
  // 40 % of 150 px.
  EXPECT_NE(h.find("<rect x=\"120\" y=\"110.0\" width=\"50\" height=\"60.0\""), std::string::npos);
  EXPECT_NE(h.find("98.376% against a target of 97.5%: <span class=\"met\">met</span>"), std::string::npos) << h;
  EXPECT_NE(h.find("12.0 hours of downtime"), std::string::npos);
  EXPECT_NE(h.find("<td>G2</td><td>Resolution</td>"), std::string::npos);
  EXPECT_NE(h.find("1.5 hours used"), std::string::npos);
  EXPECT_EQ(h.find("<h2>Incidents and allowance</h2>") != std::string::npos, true);  // gold allows 4 a month
}

TEST(StatementTest, CustomTemplatesAndTemplateErrors) {
  const MonthlyStatement s = AcmeMarch();
  auto custom = RenderStatementHtml(s, "{{organisation}} {{month}}: {{#weeks}}[{{label}}]{{/weeks}}");
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(*custom, "acme 2026-03: [Mar 1][Mar 2][Mar 9][Mar 16][Mar 23][Mar 30]");
  auto bad = RenderStatementHtml(s, "{{#weeks}}never closed");
  // mstch renders an unclosed section as text or throws; either way no crash.
  if (!bad.ok()) {
    EXPECT_EQ(bad.error().field, "--template");
  }
}

TEST(StatementTest, CreateErrors) {
  auto policy = SourcePolicy("policies/gold-support.toml");
  EXPECT_EQ(StatementBuilder::Create(*policy, "acme", "silver", YearMonth{2026, 3}, std::nullopt).error().field, "--plan");
  EXPECT_EQ(StatementBuilder::Create(*policy, "", "gold", YearMonth{2026, 3}, std::nullopt).error().field,
            "--organisation");
}

}  // namespace
}  // namespace sladesk
