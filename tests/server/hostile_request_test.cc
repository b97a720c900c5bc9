// The real API behind the real transport, attacked as in the desk-layer
// issue: bodies that stopped the server (defects 1 and 2: 1e400, a
// 400-digit integer, 200,000 levels of nesting) get 400 with and without a
// token on every JSON endpoint and the server keeps answering; /metrics
// stays bounded under random methods and paths (defect 7).
#include <gtest/gtest.h>

#include <random>

#include "server/raw_client.h"
#include "server/server_fixture.h"

namespace sladesk::testing {
namespace {

class HostileRequestTest : public ServerFixture {};

TEST_P(HostileRequestTest, BodiesThatStoppedTheServerAre400) {
  // Its own listener in front of the same API with room for the 400 KB body.
  HttpServerOptions opts;
  opts.port = 0;
  opts.handle_signals = false;
  opts.max_body_bytes = 1024 * 1024;
  auto big = HttpServer::Create(*api_, &metrics_, opts);
  ASSERT_TRUE(big.ok()) << big.error().ToString();
  (*big)->Start();
  TestHttpClient client((*big)->port());

  std::int64_t org = Org("basic");
  std::string contact = Contact(org, /*named=*/true);
  auto created = CreateTicket(contact);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string number = std::to_string(created.json().value("number", 0));

  struct Body {
    const char* name;
    std::string text;
    const char* detail;
  };
  const std::vector<Body> bodies = {
      {"1e400", R"({"a":1e400})", "number out of range at byte 5: 1e400"},
      {"-1e400 in subject", R"({"subject":-1e400})", "number out of range"},
      {"400-digit integer", "{\"subject\":" + std::string(400, '7') + "}", "number out of range at byte 11"},
      {"200,000 levels", "{\"subject\":" + std::string(200000, '[') + std::string(200000, ']') + "}",
       "nested deeper than 64 levels (at byte 74)"},
      {"1,000,000 open brackets", std::string(1000000, '['), "nested deeper than 64 levels (at byte 64)"},
      {"ill-formed UTF-8", "{\"subject\":\"\xff\"}", "ill-formed UTF-8"},
      {"truncated", R"({"subject":"x)", "not valid JSON"},
  };
  const std::vector<std::pair<std::string, std::string>> endpoints = {
      {"POST", "/api/v1/tickets"},
      {"PATCH", "/api/v1/tickets/" + number},
      {"POST", "/api/v1/tickets/" + number + "/messages"},
      {"POST", "/api/v1/organisations"},
  };
  for (const auto& b : bodies) {
    for (const auto& [method, path] : endpoints) {
      for (const std::string& token : {std::string(), admin_, contact}) {
        auto r = client.Send(method, path, token, b.text);
        ASSERT_EQ(r.status, 400) << b.name << " " << method << " " << path << " token=" << !token.empty() << ": "
                                 << r.body.substr(0, 300);
        EXPECT_NE(r.json().value("detail", "").find(b.detail), std::string::npos)
            << b.name << ": " << r.body.substr(0, 300);
      }
    }
  }
  EXPECT_EQ(client.Get("/healthz", "").status, 200);
  EXPECT_EQ(client_->Get("/api/v1/tickets/" + number, admin_).status, 200);
  (*big)->Stop();
  (*big)->Wait();
}

TEST_P(HostileRequestTest, MetricsStayBoundedUnderRandomMethodsAndPaths) {
  std::mt19937 rng(20260302);
  auto word = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('A' + rng() % 26);
    return s;
  };
  RawClient c(server_->port());
  int answered = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string method = (i % 3 == 0) ? "GET" : word(3 + static_cast<int>(rng() % 8));
    std::string path = (i % 5 == 0) ? "/api/v1/tickets/" + std::to_string(rng() % 100000)
                                    : "/" + word(4) + "/" + word(6);
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    if (!c.connected() || !c.Send(req)) break;
    if (StatusOf(c.ReadResponse()) != 0) ++answered;
  }
  EXPECT_EQ(answered, 1000);
  // GET/other x {unmatched, /api/v1/tickets/{number}} x a few statuses.
  EXPECT_LE(metrics_.request_series(), 12u);
  std::string text = metrics_.Render(nullptr);
  EXPECT_NE(text.find("method=\"other\""), std::string::npos);
  EXPECT_EQ(text.find("method=\"" + word(5)), std::string::npos);
}

TEST(ServerMetricsLabels, MethodsOutsideTheStandardSetAreOther) {
  for (const char* m : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    EXPECT_EQ(ServerMetrics::MethodLabel(m), m);
  for (const char* m : {"get", "PROPFIND", "BREW", "", "GET\n"}) EXPECT_EQ(ServerMetrics::MethodLabel(m), "other");
  ServerMetrics metrics;
  metrics.RecordRequest("X", "unmatched", 999, 0.001);
  metrics.RecordRequest("Y", "unmatched", -5, 0.001);
  EXPECT_EQ(metrics.request_series(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, HostileRequestTest, ::testing::ValuesIn(Backends()),
                         [](const auto& i) { return i.param; });

}  // namespace
}  // namespace sladesk::testing
