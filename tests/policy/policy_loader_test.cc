// The TOML loader: one data file per kind of mistake (tests/policy/data/bad,
// each naming its expected "line:col message" on line 1), unknown keys, and
// what a valid file turns into.
#include "policy/policy_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sladesk {
namespace {

namespace fs = std::filesystem;

const std::string kData = std::string(SLADESK_SOURCE_DIR) + "/tests/policy/data";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Dump(const std::vector<Error>& errors) {
  std::string out;
  for (const auto& e : errors) out += "  " + e.ToString() + "\n";
  return out;
}

TEST(BadPolicyFiles, EachReportsItsErrorAtTheRightPlace) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kData + "/bad")) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    const std::string text = ReadFile(entry.path());
    // Line 1: "# expect: LINE:COL fragment of the message"
    const std::string prefix = "# expect: ";
    ASSERT_EQ(text.rfind(prefix, 0), 0u) << entry.path();
    std::istringstream header(text.substr(prefix.size(), text.find('\n') - prefix.size()));
    std::string where, fragment;
    header >> where;
    std::getline(header >> std::ws, fragment);
    const int line = std::stoi(where.substr(0, where.find(':')));
    const int column = std::stoi(where.substr(where.find(':') + 1));

    const std::string name = entry.path().filename().string();
    std::vector<Error> errors = CheckPolicyText(text, name);
    ASSERT_FALSE(errors.empty()) << name << " was accepted";
    bool found = false;
    for (const Error& e : errors) {
      EXPECT_EQ(e.file, name);
      EXPECT_GT(e.line, 0) << e.ToString();
      EXPECT_GT(e.column, 0) << e.ToString();
      if (e.line == line && e.column == column && e.ToString().find(fragment) != std::string::npos)
        found = true;
    }
    EXPECT_TRUE(found) << name << ": expected " << where << " '" << fragment << "', got:\n" << Dump(errors);

    // ParsePolicy refuses it with the first of those errors.
    auto parsed = ParsePolicy(text, name);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_EQ(parsed.error().ToString(), errors.front().ToString());
  }
  EXPECT_GE(files, 28) << "bad policy files went missing";
}

TEST(GoodPolicyFile, MinimalLoadsWithItsTargets) {
  auto p = LoadPolicyFile(kData + "/good/minimal.toml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  const Policy& policy = **p;
  EXPECT_EQ(policy.id, "minimal");
  EXPECT_EQ(policy.default_severity, "low");
  ASSERT_EQ(policy.severities.size(), 2u);
  EXPECT_EQ(policy.severities[0].id, "high");
  EXPECT_EQ(policy.severities[0].name, "high");  // name defaults to the id
  const Plan* plan = policy.FindPlan("basic");
  ASSERT_NE(plan, nullptr);
  const Target* fr = plan->FindTarget("high", Metric::kFirstResponse);
  ASSERT_NE(fr, nullptr);
  EXPECT_EQ(fr->seconds, 4 * 3600);
  EXPECT_FALSE(fr->goal_seconds);
  EXPECT_EQ(fr->calendar->id(), "office");
  const Target* res = plan->FindTarget("high", Metric::kResolution);
  ASSERT_NE(res, nullptr);
  EXPECT_EQ(res->seconds, 2 * 8 * 3600);
  EXPECT_EQ(res->goal_seconds, 8 * 3600);
  EXPECT_EQ(res->text, "1 - 2 business days");
  EXPECT_EQ(plan->FindTarget("low", Metric::kResolution), nullptr);
  ASSERT_NE(plan->FindNoTarget("low", Metric::kResolution), nullptr);
  EXPECT_EQ(*plan->FindNoTarget("low", Metric::kResolution), "best effort");
  EXPECT_EQ(plan->FindTarget("low", Metric::kNextUpdate), nullptr);
  EXPECT_EQ(plan->FindNoTarget("low", Metric::kNextUpdate), nullptr);
  EXPECT_EQ(plan->promised_metrics, (std::vector<Metric>{Metric::kFirstResponse, Metric::kResolution}));
  EXPECT_TRUE(policy.calendars.count("24x7"));
}

TEST(GoodPolicyFile, FieldTypesReopenRuleOnboardingAndIcsHolidays) {
  auto p = LoadPolicyFile(kData + "/good/fields_and_onboarding.toml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  const Policy& policy = **p;
  ASSERT_EQ(policy.required_fields.size(), 2u);
  EXPECT_FALSE(policy.required_fields[0].type);  // "description": a field the desk knows
  EXPECT_EQ(policy.required_fields[1].id, "incident_start");
  EXPECT_EQ(policy.required_fields[1].type, FieldType::kDateTime);
  EXPECT_EQ(policy.required_fields[1].help, "When it started");
  ASSERT_EQ(policy.requested_fields.size(), 1u);
  EXPECT_EQ(policy.requested_fields[0].type, FieldType::kText);
  EXPECT_TRUE(policy.lifecycle.reopen_stated);
  EXPECT_TRUE(policy.lifecycle.reopen_allowed);
  EXPECT_EQ(policy.lifecycle.reopen_by, ReopenBy::kAgentReview);
  ASSERT_TRUE(policy.lifecycle.reopen_window);
  EXPECT_EQ(policy.lifecycle.reopen_window->months, 12);
  ASSERT_TRUE(policy.onboarding);
  EXPECT_EQ(policy.onboarding->plan_until_complete, "basic");
  // The .ics closes Christmas 2026 and the Boxing Day substitute; the
  // hand-written Christmas Eve stays closed too.
  const auto& cal = *policy.calendars.at("office");
  auto at = [](const char* t) { return *ParseInstant(t, "t"); };
  EXPECT_FALSE(cal.IsOpen(at("2026-12-24T10:00:00Z")));
  EXPECT_FALSE(cal.IsOpen(at("2026-12-25T10:00:00Z")));
  EXPECT_FALSE(cal.IsOpen(at("2026-12-28T10:00:00Z")));
  EXPECT_TRUE(cal.IsOpen(at("2026-12-29T10:00:00Z")));
}

TEST(GoodPolicyFile, WithoutAReopenRuleReopeningIsAllowedWithNoLimit) {
  auto p = LoadPolicyFile(kData + "/good/minimal.toml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_FALSE((*p)->lifecycle.reopen_stated);
  EXPECT_TRUE((*p)->lifecycle.reopen_allowed);
  EXPECT_FALSE((*p)->lifecycle.reopen_window);
  EXPECT_EQ((*p)->lifecycle.reopen_by, ReopenBy::kCustomer);
  EXPECT_FALSE((*p)->onboarding);
}

TEST(LoadPolicyFile, MissingFileIsAnErrorNamingIt) {
  auto p = LoadPolicyFile(kData + "/no-such-policy.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().file, kData + "/no-such-policy.toml");
  EXPECT_NE(p.error().message.find("cannot read"), std::string::npos);
  auto dir = LoadPolicyFile(kData);
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("directory"), std::string::npos);
}

// A complete small policy with the spot for one extra snippet.
std::string PolicyWith(const std::string& plan_extra, const std::string& tail = "") {
  return R"([policy]
id = "p"
name = "P"
warn_at_percent = [75, 90]

[tickets]
default_severity = "low"

[[calendars]]
id = "office"
time_zone = "Europe/London"
hours_per_business_day = 9
weekly = { mon = [["09:00", "18:00"]] }

[[severities]]
id = "critical"

[[severities]]
id = "low"

[[plans]]
id = "basic"
calendar = "office"
)" + plan_extra + "\n" + tail;
}

TEST(Targets, TableFormGoalCalendarAndWarnings) {
  auto p = ParsePolicy(PolicyWith(R"(severity_calendars = { critical = "24x7" }
[plans.targets]
critical = { first_response = "1 hour", resolution = { within = "2 business days", goal = "4 hours", calendar = "office", warn_at_percent = [50] } }
low = { first_response = "1 business day", resolution = "none" }
)"),
                       "t.toml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  const Plan& plan = *(*p)->FindPlan("basic");
  const Target* fr = plan.FindTarget("critical", Metric::kFirstResponse);
  ASSERT_NE(fr, nullptr);
  EXPECT_EQ(fr->calendar->id(), "24x7");  // the severity's calendar
  EXPECT_EQ(fr->warn_at_percent, (std::vector<int>{75, 90}));  // the policy default
  const Target* res = plan.FindTarget("critical", Metric::kResolution);
  ASSERT_NE(res, nullptr);
  EXPECT_EQ(res->calendar->id(), "office");  // the target's own calendar wins
  EXPECT_EQ(res->seconds, 2 * 9 * 3600);
  EXPECT_EQ(res->goal_seconds, 4 * 3600);
  EXPECT_EQ(res->warn_at_percent, (std::vector<int>{50}));
  const Target* low = plan.FindTarget("low", Metric::kFirstResponse);
  ASSERT_NE(low, nullptr);
  EXPECT_EQ(low->calendar->id(), "office");  // the plan's calendar
  EXPECT_EQ(low->seconds, 9 * 3600);
}

TEST(Plans, ChannelsQuotaContactsAndPeople) {
  auto p = ParsePolicy(PolicyWith(R"(channels = ["email", { kind = "phone", note = "24x7 line", calendar = "24x7", severities = ["critical"] }]
named_contacts = 2
csm = "yes"
tam = "optional"
quota = { incidents_per_month = 4, when_exceeded = "refuse", support_hours = 10.5, when_hours_exceeded = "flag" }
price = "€ 1499.00 / mo"
)"),
                       "t.toml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  const Plan& plan = *(*p)->FindPlan("basic");
  ASSERT_EQ(plan.channels.size(), 2u);
  EXPECT_EQ(plan.channels[0].kind, ChannelKind::kEmail);
  EXPECT_EQ(plan.channels[1].kind, ChannelKind::kPhone);
  EXPECT_EQ(plan.channels[1].calendar->id(), "24x7");
  EXPECT_EQ(plan.channels[1].severities, (std::vector<std::string>{"critical"}));
  EXPECT_EQ(plan.named_contacts, 2);
  EXPECT_EQ(plan.csm, Provision::kYes);
  EXPECT_EQ(plan.tam, Provision::kOptional);
  EXPECT_EQ(plan.quota.incidents_per_month, 4);
  EXPECT_EQ(plan.quota.incidents_exceeded, QuotaAction::kRefuse);
  EXPECT_EQ(plan.quota.support_hours, 10.5);
  EXPECT_EQ(plan.price, "€ 1499.00 / mo");
  EXPECT_TRUE(plan.promised_metrics.empty());
}

struct Snippet {
  const char* name;
  std::string plan_extra;
  std::string tail;
  const char* fragment;
};

class InvalidSnippet : public ::testing::TestWithParam<Snippet> {};

TEST_P(InvalidSnippet, IsRejectedWithPosition) {
  const Snippet& s = GetParam();
  std::vector<Error> errors = CheckPolicyText(PolicyWith(s.plan_extra, s.tail), "s.toml");
  ASSERT_FALSE(errors.empty()) << s.name;
  bool found = false;
  for (const auto& e : errors) {
    EXPECT_GT(e.line, 20) << s.name << ": the snippet is below line 20: " << e.ToString();
    found = found || e.ToString().find(s.fragment) != std::string::npos;
  }
  EXPECT_TRUE(found) << s.name << ":\n" << Dump(errors);
}

INSTANTIATE_TEST_SUITE_P(
    Snippets, InvalidSnippet,
    ::testing::Values(
        Snippet{"UnknownChannel", R"(channels = ["emial"])", "", "unknown channel 'emial'; did you mean 'email'?"},
        Snippet{"ChannelKeyTypo", R"(channels = [{ kind = "phone", notes = "x" }])", "", "unknown key 'notes'; did you mean 'note'?"},
        Snippet{"BadProvision", R"(csm = "maybe")", "", "'maybe' is not one of \"yes\", \"optional\", \"no\""},
        Snippet{"BadQuotaAction", R"(quota = { incidents_per_month = 2, when_exceeded = "block" })", "", "'block' is not one of \"flag\""},
        Snippet{"QuotaKeyTypo", R"(quota = { incidents_per_mnth = 2 })", "", "unknown key 'incidents_per_mnth'"},
        Snippet{"NegativeQuota", R"(quota = { incidents_per_month = -1 })", "", "-1 is out of range"},
        Snippet{"UnknownSeverityCalendar", R"(severity_calendars = { critical = "247" })", "", "unknown calendar '247'"},
        Snippet{"SeverityCalendarForUnknownSeverity", R"(severity_calendars = { urgent = "24x7" })", "", "unknown severity 'urgent'"},
        Snippet{"UnknownPromise", R"(promises = ["resolutoin"])", "", "unknown metric 'resolutoin'; did you mean 'resolution'?"},
        Snippet{"PromiseNotKept", "promises = [\"next_update\"]\n[plans.targets]\ncritical = { next_update = \"1 hour\" }", "", "severity 'low' states no next_update target"},
        Snippet{"TargetTableTypo", "[plans.targets]\ncritical = { first_response = { withn = \"1 hour\" } }\nlow = { first_response = \"none\" }", "", "unknown key 'withn'"},
        Snippet{"TargetNumberNotText", "[plans.targets]\ncritical = { first_response = 8 }\nlow = { first_response = \"none\" }", "", "expected a duration such as"},
        Snippet{"GoalTwice", "[plans.targets]\ncritical = { first_response = { within = \"1 - 2 hours\", goal = \"1 hour\" } }\nlow = { first_response = \"none\" }", "", "already a range"},
        Snippet{"TargetCalendarUnknown", "[plans.targets]\ncritical = { first_response = { within = \"1 hour\", calendar = \"nyc\" } }\nlow = { first_response = \"none\" }", "", "unknown calendar 'nyc'"},
        Snippet{"WarnOutOfRange", "warn_at_percent = [75, 100]", "", "1..99 percent"},
        Snippet{"LifecycleTypo", "", "[lifecycle]\nauto_close = { after = \"10 business days\", calender = \"office\" }", "unknown key 'calender'"},
        Snippet{"AutoCloseBadDuration", "", "[lifecycle]\nauto_close = { after = \"10 buisness days\", calendar = \"office\" }", "unknown word 'buisness'"},
        Snippet{"BadRetention", "", "[lifecycle]\nretention = \"forever\"", "'forever': expected a whole number and a unit"},
        Snippet{"BadReopenWindow", "", "[lifecycle]\nreopen = { allowed = true, window = \"12 moons\" }", "unknown unit 'moons'"},
        Snippet{"EscalationUnknownSeverity", "", "[[lifecycle.escalation]]\nname = \"x\"\nraises_severity_to = \"urgent\"", "unknown severity 'urgent'"},
        Snippet{"DowntimeMissingKeys", "", "[contract.downtime]\nshare_percent = 50", "missing required key 'over_target_by_percent'"},
        Snippet{"DowntimeUnknownSeverity", "", "[contract.downtime]\nshare_percent = 50\nover_target_by_percent = 20\nseverities = [\"medium\"]\nlookback_months = 3\nminimum_tickets = 10", "unknown severity 'medium'"},
        Snippet{"AvailabilityOver100", "", "[contract.availability]\nmonthly_target_percent = 198", "198 is out of range 0..100"},
        Snippet{"AvailabilityTooManyDecimals", "", "[contract.availability]\nmonthly_target_percent = 99.0000000001", "at most 9 decimal places"},
        Snippet{"AvailabilityUnknownZone", "", "[contract.availability]\nmonthly_target_percent = 98\ntime_zone = \"Europe/Londn\"", "contract.availability.time_zone"},
        Snippet{"ScopeTypo", "", "[scope]\ncoverd = [\"x\"]", "unknown key 'coverd'; did you mean 'covered'?"},
        Snippet{"DuplicatePlan", "", "[[plans]]\nid = \"basic\"", "plan 'basic' is defined twice"},
        Snippet{"BadPlanId", "", "[[plans]]\nid = \"Gold Plan\"", "'Gold Plan' is not a valid id"},
        Snippet{"HolidayOpenTypo", "", "[[calendars]]\nid = \"x\"\ntime_zone = \"UTC\"\nweekly = {}\nholidays = [{ date = \"2026-12-24\", opn = [] }]", "unknown key 'opn'; did you mean 'open'?"},
        Snippet{"WeekdayTypo", "", "[[calendars]]\nid = \"x\"\ntime_zone = \"UTC\"\nweekly = { thur = [] }", "unknown key 'thur'; did you mean 'thu'?"},
        Snippet{"WindowNotAPair", "", "[[calendars]]\nid = \"x\"\ntime_zone = \"UTC\"\nweekly = { mon = [[\"09:00\"]] }", "a window is"},
        Snippet{"DuplicateCalendar", "", "[[calendars]]\nid = \"office\"\ntime_zone = \"UTC\"\nweekly = {}", "calendar 'office' is defined twice"},
        Snippet{"BusinessDayTooLong", "", "[[calendars]]\nid = \"x\"\ntime_zone = \"UTC\"\nhours_per_business_day = 25\nweekly = {}", "25 is out of range 0..24"},
        Snippet{"RuleWithTwoForms", "", "[[calendars]]\nid = \"x\"\ntime_zone = \"UTC\"\nweekly = {}\nholiday_rules = [{ name = \"x\", month = 1, day = 1, easter_offset = 1 }]", "exactly one of"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CheckPolicyText, ReportsEveryErrorInFileOrder) {
  const std::string text = PolicyWith(R"(calender = "office"
csm = "sometimes"
[plans.targets]
critical = { first_response = "2 buisness hours" }
lwo = { first_response = "1 hour" }
)");
  std::vector<Error> errors = CheckPolicyText(text, "multi.toml");
  ASSERT_GE(errors.size(), 4u) << Dump(errors);
  for (size_t i = 1; i < errors.size(); ++i)
    EXPECT_LE(std::tie(errors[i - 1].line, errors[i - 1].column), std::tie(errors[i].line, errors[i].column));
  std::string all = Dump(errors);
  for (const char* fragment : {"multi.toml:24:1: plans[basic].calender: unknown key 'calender'",
                               "multi.toml:25:7: plans[basic].csm: 'sometimes'",
                               "unknown word 'buisness'", "multi.toml:28:1: plans[basic].targets.lwo: unknown severity 'lwo'"})
    EXPECT_NE(all.find(fragment), std::string::npos) << fragment << "\n" << all;
}

TEST(CheckPolicyText, NoErrorsForAValidPolicyAndGarbageIsOneSyntaxError) {
  EXPECT_TRUE(CheckPolicyText(PolicyWith(""), "ok.toml").empty());
  std::vector<Error> errors = CheckPolicyText("[policy\nid = 1", "junk.toml");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 1);
  EXPECT_NE(errors[0].message.find("TOML syntax"), std::string::npos);
  std::vector<Error> empty = CheckPolicyText("", "empty.toml");
  ASSERT_FALSE(empty.empty());
  EXPECT_NE(Dump(empty).find("missing required key 'policy'"), std::string::npos);
  // Binary junk never crashes.
  std::string junk("\x00\xff\xfe[[[\"\n=", 9);
  EXPECT_FALSE(CheckPolicyText(junk, "bin.toml").empty());
}

}  // namespace
}  // namespace sladesk
