// Tests that need real `sladesk serve` processes: an acknowledged create
// survives kill -9, SIGTERM drains gracefully, and two servers on one
// database neither duplicate ticket numbers nor lose updates.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "server/server_process.h"
#include "server/test_http_client.h"
#include "storage/test_database.h"

namespace sladesk::testing {
namespace {

using nlohmann::json;

class ProcessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    SLADESK_SKIP_UNLESS_CONFIGURED(GetParam());
    db_ = std::make_unique<TestDatabase>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    work_ = std::filesystem::temp_directory_path() / ("sladesk_proc_" + std::to_string(::getpid()) + "_" +
                                                      std::to_string(counter_++));
    std::filesystem::create_directories(work_);
    int rc = 0;
    admin_ = RunSladesk({"token", "create", "--db", db_->url(), "--email", "admin@proc.test", "--role", "admin"},
                        Log("token-admin"), &rc);
    ASSERT_EQ(rc, 0) << admin_;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(work_, ec);
  }

  std::string Log(const std::string& name) { return (work_ / (name + ".log")).string(); }

  std::unique_ptr<ServerProcess> Start(const std::string& name) {
    auto p = std::make_unique<ServerProcess>(
        std::vector<std::string>{"serve", "--port", "0", "--db", db_->url(), "--policies",
                                 std::string(SLADESK_SOURCE_DIR) + "/policies"},
        Log(name));
    return p;
  }

  // One organisation on gold-support/gold with a named contact; returns the contact's token.
  std::string SetUpCustomer(unsigned short port) {
    TestHttpClient c(port);
    auto org = c.Json("POST", "/api/v1/organisations", admin_,
                      {{"name", "Durable GmbH"}, {"policy_id", "gold-support"}, {"plan_id", "gold"},
                       {"incidents_per_month", 100000}});
    EXPECT_EQ(org.status, 201) << org.body;
    auto contact = c.Json("POST", "/api/v1/organisations/" + std::to_string(org.json().value("id", 0)) + "/contacts",
                          admin_, {{"name", "Dora"}, {"email", "dora@durable.test"}, {"named_contact", true}});
    EXPECT_EQ(contact.status, 201) << contact.body;
    int rc = 0;
    std::string token =
        RunSladesk({"token", "create", "--db", db_->url(), "--email", "dora@durable.test"}, Log("token-c"), &rc);
    EXPECT_EQ(rc, 0) << token;
    return token;
  }

  static json Ticket(int i) {
    return {{"subject", "Durability check " + std::to_string(i)},
            {"description", "Created to be killed. Body " + std::string(200, 'x')},
            {"steps_to_reproduce", "kill -9"},
            {"business_impact", "none"},
            {"channel", "email"}};  // gold support takes tickets by e-mail and chat
  }

  static inline std::atomic<int> counter_{0};
  std::unique_ptr<TestDatabase> db_;
  std::filesystem::path work_;
  std::string admin_;
};

TEST_P(ProcessTest, AcknowledgedCreatesSurviveKill9) {
  std::string contact;
  std::map<int, std::string> acknowledged;  // number -> subject
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    auto server = Start("kill-" + std::to_string(round));
    unsigned short port = server->WaitForPort();
    ASSERT_NE(port, 0) << server->Log();
    if (contact.empty()) contact = SetUpCustomer(port);
    std::mutex mu;
    std::atomic<bool> stop{false};
    std::atomic<int> sent{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&, t] {
        TestHttpClient c(port);
        for (int i = 0; !stop.load(); ++i) {
          int id = round * 1000000 + t * 100000 + i;
          sent++;
          auto r = c.Json("POST", "/api/v1/tickets", contact, Ticket(id));
          if (r.status == 0) break;  // the server is gone
          if (r.status != 201) {
            ADD_FAILURE() << r.status << " " << r.body;
            break;
          }
          std::lock_guard<std::mutex> lock(mu);
          acknowledged[r.json()["number"].get<int>()] = "Durability check " + std::to_string(id);
        }
      });
    }
    // Kill in the middle of the traffic.
    std::this_thread::sleep_for(std::chrono::milliseconds(400 + 150 * round));
    server->Kill(SIGKILL);
    stop = true;
    for (auto& c : clients) c.join();
    ASSERT_GT(sent.load(), 0);
  }
  ASSERT_GT(acknowledged.size(), 20u);
  auto server = Start("verify");
  unsigned short port = server->WaitForPort();
  ASSERT_NE(port, 0) << server->Log();
  TestHttpClient c(port);
  int missing = 0;
  for (const auto& [number, subject] : acknowledged) {
    auto r = c.Get("/api/v1/tickets/" + std::to_string(number), contact);
    if (r.status != 200 || r.json()["subject"] != subject) {
      ++missing;
      ADD_FAILURE() << "ticket " << number << " was acknowledged but is " << r.status << " " << r.body;
      if (missing > 5) break;
    }
  }
  EXPECT_EQ(missing, 0);
  server->Kill(SIGTERM);
  EXPECT_EQ(server->Wait(), 0);
}

TEST_P(ProcessTest, SigtermAnswersRequestsInFlightThenExits) {
  auto server = Start("term");
  unsigned short port = server->WaitForPort();
  ASSERT_NE(port, 0) << server->Log();
  std::string contact = SetUpCustomer(port);
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> clients;
  std::atomic<bool> go{true};
  for (int t = 0; t < 3; ++t) {
    clients.emplace_back([&] {
      TestHttpClient c(port);
      while (go.load()) {
        auto r = c.Json("POST", "/api/v1/tickets", contact, Ticket(1));
        if (r.status == 0) break;
        if (r.status == 201) ok++;
        else refused++;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server->Kill(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->Log();
  go = false;
  for (auto& c : clients) c.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(refused.load(), 0);
  EXPECT_NE(server->Log().find("sladesk: stopped"), std::string::npos);
}

// What `make run` starts: `serve --demo` seeds organisations on every seed
// policy and tickets in every state, and prints tokens that work.
TEST_P(ProcessTest, DemoServerSeedsEveryPolicyAndStatus) {
  ServerProcess server({"serve", "--port", "0", "--db", db_->url(), "--policies",
                        std::string(SLADESK_SOURCE_DIR) + "/policies", "--demo"},
                       Log("demo"));
  unsigned short port = server.WaitForPort();
  ASSERT_NE(port, 0) << server.Log();
  std::string log;
  for (int i = 0; i < 500 && log.find("contact token:") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log = server.Log();
  }
  auto token_after = [&](const std::string& label) {
    auto p = log.find(label);
    if (p == std::string::npos) return std::string();
    p = log.find("sdk_", p);
    return p == std::string::npos ? std::string() : log.substr(p, log.find_first_of(" \n", p) - p);
  };
  const std::string admin = token_after("admin token:");
  const std::string contact = token_after("contact token:");
  ASSERT_FALSE(admin.empty()) << log;
  ASSERT_FALSE(contact.empty()) << log;
  auto demo = log.find("demo data: ");
  ASSERT_NE(demo, std::string::npos) << log;
  const int tickets = std::stoi(log.substr(log.find("organisations, ", demo) + 15));
  EXPECT_GE(tickets, 24);

  TestHttpClient c(port);
  std::set<std::string> statuses, policies;
  int seen = 0;
  std::string cursor;
  do {
    auto page = c.Get("/api/v1/tickets?limit=50" + (cursor.empty() ? "" : "&cursor=" + cursor), admin);
    ASSERT_EQ(page.status, 200) << page.body;
    const json body = page.json();
    for (const auto& t : body["items"]) {
      statuses.insert(t.value("status", ""));
      seen++;
    }
    cursor = body.value("next_cursor", json()).is_string() ? body["next_cursor"].get<std::string>() : "";
  } while (!cursor.empty());
  EXPECT_EQ(seen, tickets);
  for (const char* s : {"new", "open", "waiting_on_customer", "resolved", "closed"})
    EXPECT_TRUE(statuses.count(s)) << "no demo ticket is " << s;
  auto orgs = c.Get("/api/v1/organisations", admin);
  ASSERT_EQ(orgs.status, 200) << orgs.body;
  const json org_list = orgs.json();
  for (const auto& o : org_list["items"]) policies.insert(o.value("policy_id", ""));
  EXPECT_EQ(policies.size(), 5u) << orgs.body;
  // The contact token is a customer's: it sees its own organisation only.
  auto mine = c.Get("/api/v1/tickets?limit=100", contact);
  ASSERT_EQ(mine.status, 200) << mine.body;
  std::set<std::int64_t> org_ids;
  const json my_tickets = mine.json();
  for (const auto& t : my_tickets["items"]) org_ids.insert(t.value("organisation_id", 0));
  EXPECT_EQ(org_ids.size(), 1u) << mine.body;
  server.Kill(SIGTERM);
  EXPECT_EQ(server.Wait(), 0) << server.Log();
}

TEST_P(ProcessTest, TwoServersShareOneDatabase) {
  auto a = Start("a");
  unsigned short pa = a->WaitForPort();
  ASSERT_NE(pa, 0) << a->Log();
  auto b = Start("b");
  unsigned short pb = b->WaitForPort();
  ASSERT_NE(pb, 0) << b->Log();
  std::string contact = SetUpCustomer(pa);
  // Creates through both: every number distinct.
  std::mutex mu;
  std::vector<int> numbers;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      TestHttpClient c(t % 2 ? pa : pb);
      for (int i = 0; i < 40; ++i) {
        auto r = c.Json("POST", "/api/v1/tickets", contact, Ticket(i));
        ASSERT_EQ(r.status, 201) << r.body;
        std::lock_guard<std::mutex> lock(mu);
        numbers.push_back(r.json()["number"].get<int>());
      }
    });
  }
  for (auto& c : clients) c.join();
  std::set<int> unique(numbers.begin(), numbers.end());
  EXPECT_EQ(unique.size(), numbers.size()) << "duplicate ticket numbers across processes";
  // Read-modify-write of one ticket through both servers with If-Match:
  // every append must survive (no lost update).
  TestHttpClient setup(pa);
  auto t = setup.Json("POST", "/api/v1/tickets", contact, Ticket(0));
  ASSERT_EQ(t.status, 201);
  const std::string path = t.header("Location");
  clients.clear();
  std::atomic<int> conflicts{0};
  constexpr int kWriters = 4, kEach = 10;
  for (int w = 0; w < kWriters; ++w) {
    clients.emplace_back([&, w] {
      TestHttpClient c(w % 2 ? pa : pb);
      for (int i = 0; i < kEach; ++i) {
        for (int attempt = 0; attempt < 200; ++attempt) {
          auto got = c.Get(path, contact);
          ASSERT_EQ(got.status, 200);
          std::string desc = got.json()["description"];
          auto r = c.Json("PATCH", path, contact,
                          {{"description", desc + " [" + std::to_string(w) + "." + std::to_string(i) + "]"}},
                          {{"If-Match", got.header("ETag")}});
          if (r.status == 200) break;
          ASSERT_EQ(r.status, 412) << r.body;
          conflicts++;
        }
      }
    });
  }
  for (auto& c : clients) c.join();
  std::string desc = setup.Get(path, contact).json()["description"];
  for (int w = 0; w < kWriters; ++w)
    for (int i = 0; i < kEach; ++i)
      EXPECT_NE(desc.find("[" + std::to_string(w) + "." + std::to_string(i) + "]"), std::string::npos)
          << "lost update " << w << "." << i;
  a->Kill(SIGTERM);
  b->Kill(SIGTERM);
  EXPECT_EQ(a->Wait(), 0);
  EXPECT_EQ(b->Wait(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProcessTest, ::testing::ValuesIn(Backends()),
                         [](const auto& i) { return i.param; });

}  // namespace
}  // namespace sladesk::testing
