// The SLA scheduler in real `sladesk serve --test-clock` processes, the
// clock driven through /api/v1/test/clock: on PostgreSQL two servers share
// the database and every event fires once, none missed, also after one of
// them is killed with SIGKILL and restarted; on SQLite one server across a
// SIGKILL and restart. Tickets are gtmhub enhanced / critical: first
// response within 1 hour on 24x7, so warnings fall at +45 min and +54 min
// and the breach at +1 h +1 s of each ticket's opening, to the second.
#include <gtest/gtest.h>

#include <map>

#include "common/instant.h"
#include "server/server_process.h"
#include "server/test_http_client.h"
#include "storage/test_database.h"

namespace sladesk::testing {
namespace {

using nlohmann::json;

class SchedulerProcessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    SLADESK_SKIP_UNLESS_CONFIGURED(GetParam());
    db_ = std::make_unique<TestDatabase>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    work_ = std::filesystem::temp_directory_path() / ("sladesk_sched_" + std::to_string(::getpid()));
    std::filesystem::create_directories(work_);
    int rc = 0;
    admin_ = RunSladesk({"token", "create", "--db", db_->url(), "--email", "admin@sched.test", "--role", "admin"},
                        Log("token-admin"), &rc);
    ASSERT_EQ(rc, 0) << admin_;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(work_, ec);
  }
  std::string Log(const std::string& name) { return (work_ / (name + ".log")).string(); }

  struct Server {
    std::unique_ptr<ServerProcess> process;
    unsigned short port = 0;
  };
  Server Start(const std::string& name) {
    Server s;
    s.process = std::make_unique<ServerProcess>(
        std::vector<std::string>{"serve", "--port", "0", "--test-clock", "--db", db_->url(), "--policies",
                                 std::string(SLADESK_SOURCE_DIR) + "/policies"},
        Log(name));
    s.port = s.process->WaitForPort();
    return s;
  }

  std::string SetUpCustomer(unsigned short port) {
    TestHttpClient c(port);
    auto org = c.Json("POST", "/api/v1/organisations", admin_,
                      {{"name", "Clockwork AG"}, {"policy_id", "gtmhub"}, {"plan_id", "enhanced"},
                       {"incidents_per_month", 100000}});
    EXPECT_EQ(org.status, 201) << org.body;
    auto contact = c.Json("POST", "/api/v1/organisations/" + std::to_string(org.json().value("id", 0)) + "/contacts",
                          admin_, {{"name", "Clara"}, {"email", "clara@clockwork.test"}, {"named_contact", true},
                                   {"phone", "+49 30 123456"}});
    EXPECT_EQ(contact.status, 201) << contact.body;
    int rc = 0;
    std::string token =
        RunSladesk({"token", "create", "--db", db_->url(), "--email", "clara@clockwork.test"}, Log("token-c"), &rc);
    EXPECT_EQ(rc, 0) << token;
    return token;
  }

  // Opens a critical ticket; returns (number, opened_at).
  std::pair<int, Instant> OpenCritical(unsigned short port, const std::string& contact, int i) {
    TestHttpClient c(port);
    auto r = c.Json("POST", "/api/v1/tickets", contact,
                    {{"subject", "Nobody can log in " + std::to_string(i)},
                     {"description", "Login answers 502"},
                     {"steps_to_reproduce", "Open the login page"},
                     {"business_impact", "everyone is locked out"},
                     {"severity", "critical"},
                     {"fields", {{"phone", "+49 30 123456"}}}});
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return {0, Instant{}};
    return {r.json()["number"].get<int>(), *ParseInstant(r.json()["opened_at"].get<std::string>(), "opened_at")};
  }

  Instant ClockOf(unsigned short port) {
    TestHttpClient c(port);
    auto r = c.Get("/api/v1/test/clock", admin_);
    return *ParseInstant(r.json()["now"].get<std::string>(), "now");
  }
  // Moves the server's clock to `t`, or leaves it where it is when ahead.
  void SetClock(unsigned short port, Instant t) {
    if (ClockOf(port) >= t) return;
    TestHttpClient c(port);
    auto r = c.Json("POST", "/api/v1/test/clock", admin_, {{"now", FormatInstant(t)}});
    EXPECT_EQ(r.status, 200) << r.body;
  }

  // "kind percent at" of the ticket's scheduler events.
  std::vector<std::string> Fired(unsigned short port, int number) {
    TestHttpClient c(port);
    auto r = c.Get("/api/v1/tickets/" + std::to_string(number) + "/events", admin_);
    std::vector<std::string> out;
    const json body = r.json();  // kept alive while iterating
    if (!body.is_object() || !body.contains("items")) return out;
    for (const auto& e : body["items"]) {
      const std::string type = e["type"];
      if (type != "sla_warning" && type != "sla_breached") continue;
      out.push_back(type + " " + std::to_string(e["data"].value("percent", 0)) + " " + e["at"].get<std::string>());
    }
    return out;
  }
  static std::vector<std::string> Expected(Instant opened, int upto) {
    std::vector<std::string> all = {
        "sla_warning 75 " + FormatInstant(opened + std::chrono::minutes(45)),
        "sla_warning 90 " + FormatInstant(opened + std::chrono::minutes(54)),
        "sla_breached 0 " + FormatInstant(opened + std::chrono::seconds(3601))};
    all.resize(upto);
    return all;
  }
  // Waits (bounded; the scheduler works on its own thread) until every
  // ticket shows `upto` firings, then checks them exactly.
  void ExpectFired(unsigned short port, const std::map<int, Instant>& tickets, int upto) {
    for (int attempt = 0; attempt < 300; ++attempt) {
      bool all = true;
      for (const auto& [n, opened] : tickets) all = all && Fired(port, n).size() >= static_cast<size_t>(upto);
      if (all) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    bool ok = true;
    for (const auto& [n, opened] : tickets) {
      EXPECT_EQ(Fired(port, n), Expected(opened, upto)) << "ticket " << n;
      ok = ok && Fired(port, n) == Expected(opened, upto);
    }
    if (!ok) {
      TestHttpClient c(port);
      ADD_FAILURE() << "clock " << FormatInstant(ClockOf(port)) << "\n" << c.Get("/metrics", admin_).body;
    }
  }

  std::unique_ptr<TestDatabase> db_;
  std::filesystem::path work_;
  std::string admin_;
};

TEST_P(SchedulerProcessTest, EveryEventOnceAcrossKill9AndRestart) {
  const bool two = GetParam() == "postgresql";
  Server a = Start("a");
  ASSERT_NE(a.port, 0) << a.process->Log();
  Server b;
  if (two) {
    b = Start("b");
    ASSERT_NE(b.port, 0) << b.process->Log();
  }
  std::vector<unsigned short> ports = {a.port};
  if (two) ports.push_back(b.port);
  std::string contact = SetUpCustomer(a.port);
  // Both clocks at one instant, then tickets through each server.
  const Instant start = ClockOf(a.port) + std::chrono::hours(24);
  for (auto p : ports) SetClock(p, start);
  std::map<int, Instant> tickets;
  for (int i = 0; i < 24; ++i) {
    auto [n, opened] = OpenCritical(ports[i % ports.size()], contact, i);
    ASSERT_NE(n, 0);
    tickets[n] = opened;
  }
  Instant last_opened = start;
  for (const auto& [n, opened] : tickets) last_opened = std::max(last_opened, opened);
  // +47 min: every 75% warning, nothing else.
  const Instant t1 = last_opened + std::chrono::minutes(47);
  for (auto p : ports) SetClock(p, t1);
  ExpectFired(a.port, tickets, 1);

  // SIGKILL the first server; the second (PostgreSQL) goes on alone to
  // +52 min (nothing due), then the first comes back.
  a.process->Kill(SIGKILL);
  if (two) SetClock(b.port, last_opened + std::chrono::minutes(52));
  a = Start("a2");
  ASSERT_NE(a.port, 0) << a.process->Log();
  ports[0] = a.port;
  // The restarted clock starts at the wall clock again: move it to where
  // the others are, then past every breach.
  for (auto p : ports) SetClock(p, t1);
  const Instant t2 = last_opened + std::chrono::minutes(62);
  for (auto p : ports) SetClock(p, t2);
  ExpectFired(a.port, tickets, 3);

  // Once more past everything: nothing fires again.
  for (auto p : ports) SetClock(p, t2 + std::chrono::hours(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let a (wrong) refire show
  for (const auto& [n, opened] : tickets) EXPECT_EQ(Fired(a.port, n), Expected(opened, 3)) << n;
  TestHttpClient m(a.port);
  auto metrics = m.Get("/metrics", admin_);
  EXPECT_NE(metrics.body.find("sladesk_scheduler_lag_seconds_bucket"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("sladesk_scheduler_pending 0"), std::string::npos);
  a.process->Kill(SIGTERM);
  EXPECT_EQ(a.process->Wait(), 0);
  if (two) {
    b.process->Kill(SIGTERM);
    EXPECT_EQ(b.process->Wait(), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulerProcessTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& i) { return i.param; });

}  // namespace
}  // namespace sladesk::testing
