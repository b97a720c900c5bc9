// `policy explain` output: the seed's tables in words, as a manager reads them.
#include "policy/policy_explainer.h"

#include <gtest/gtest.h>

#include "policy/policy_loader.h"

namespace sladesk {
namespace {

const std::string kPolicies = std::string(SLADESK_SOURCE_DIR) + "/policies/";

struct Expect {
  const char* file;
  const char* plan;  // nullptr = whole policy
  std::vector<std::string> present;
  std::vector<std::string> absent;
};

class Explain : public ::testing::TestWithParam<Expect> {};

TEST_P(Explain, ShowsTheContractInWords) {
  const Expect& e = GetParam();
  auto p = LoadPolicyFile(kPolicies + e.file);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  std::optional<std::string_view> plan;
  if (e.plan) plan = e.plan;
  const std::string text = ExplainPolicy(**p, plan);
  for (const auto& s : e.present) EXPECT_NE(text.find(s), std::string::npos) << "missing: " << s << "\n" << text;
  for (const auto& s : e.absent) EXPECT_EQ(text.find(s), std::string::npos) << "unexpected: " << s;
}

INSTANTIATE_TEST_SUITE_P(
    Seeds, Explain,
    ::testing::Values(
        Expect{"gold-support.toml", nullptr,
               {"3 Business Days = 24 h on berlin-business", "14 Business Days = 112 h on berlin-business",
                "no target (Best Effort)", "no target (\xE2\x80\x93)",
                "berlin-business: Mon\xE2\x80\x93" "Fri 09:00\xE2\x80\x93" "17:00, Europe/Berlin time; a business day is 8 h; holidays: none listed",
                "Incidents per month: 4", "\xE2\x82\xAC 1499.00 / mo", "remote assistance (phone and video call upon request)",
                "| professional", "| enterprise", "| gold"},
               {}},
        Expect{"gold-support.toml", "gold", {"PLAN gold", "| gold"}, {"PLAN professional", "| enterprise"}},
        Expect{"supermetrics.toml", nullptr,
               {"Mon 04:00\xE2\x80\x93" "24:00; Tue\xE2\x80\x93Thu 00:00\xE2\x80\x93" "24:00; Fri 00:00\xE2\x80\x93" "23:00, America/New_York time",
                "Christmas Day: 25 Dec", "New Year's Day: 1 Jan", "8 hours = 8 h on ny-support-week",
                "1 hour = 1 h on 24x7", "new tickets default to 'medium'",
                "Downtime: 50% of urgent/high/medium tickets more than 20% over their target in the previous 3 month(s), if at least 10 tickets",
                "up to 10 new tickets within 1 calendar month(s)", "Bug escalation: suspends the handling-time targets",
                "Escalation 3: Global support leadership call", "Severity urgent runs on: 24x7"},
               {"next weekday"}},
        Expect{"openback.toml", nullptr,
               {"1 - 2 business days = goal 9 h, limit 18 h on london-weekdays",
                "Under 1 business day = 9 h on london-weekdays",
                "Mon\xE2\x80\x93" "Fri 09:00\xE2\x80\x93" "18:00; Sat 09:00\xE2\x80\x93" "16:00, Europe/London time",
                "Designated Customer Success Manager: yes; Technical Account Manager: optional",
                "Named support contacts: 2", "Includes: Priority case routing"},
               {"next_update", "resolution  "}},
        Expect{"agency-support.toml", nullptr,
               {"Good Friday: Easter Sunday - 2 days", "Easter Monday: Easter Sunday + 1 day",
                "Summer bank holiday: last Monday of Aug", "Boxing Day: 26 Dec (next weekday when on a weekend)",
                "Resolution clock starts at: the first response", "no target (By Mutual Agreement)",
                "Availability: 98% per calendar month", "Reopen: allowed within 12 months", "Records kept: at least 12 months",
                "Warnings before a breach at 75%, 90% of each target."},
               {}},
        Expect{"gtmhub.toml", nullptr,
               {"48 hours = 48 h on berlin-weekdays", "up to 1 hour = 1 h on 24x7",
                "Auto-close after waiting on the customer for 10 business days (100 h on cet-business)",
                "phone (Enterprise plan users; US: +1 720-996-1933", "Support languages: English",
                "Required: Company name"},
               {}}));

TEST(ExplainPolicy, UnknownPlanListsThePlans) {
  auto p = LoadPolicyFile(kPolicies + "openback.toml");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ExplainPolicy(**p, "platinum"), "no plan 'platinum' in policy 'openback'; plans: growth, pro, enterprise\n");
}

TEST(DescribeSeconds, Words) {
  EXPECT_EQ(DescribeSeconds(8 * 3600), "8 h");
  EXPECT_EQ(DescribeSeconds(5400), "1 h 30 min");
  EXPECT_EQ(DescribeSeconds(2700), "45 min");
  EXPECT_EQ(DescribeSeconds(0), "0 s");
  EXPECT_EQ(DescribeSeconds(3601), "1 h 1 s");
}

}  // namespace
}  // namespace sladesk
