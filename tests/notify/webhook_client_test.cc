// WebhookClient against a real receiver on loopback (data/webhook_receiver.py,
// which checks each signature with its own Python implementation).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>

#include "notify/notify_test_support.h"
#include "notify/webhook_client.h"

namespace sladesk::testing {
namespace {

using Outcome = WebhookResult::Outcome;

class WebhookClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sladesk-hook-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    log_ = dir_ + "/requests.jsonl";
    secret_ = WebhookSigner::NewSecret();
    receiver_ = std::make_unique<PythonChild>(DataPath("webhook_receiver.py"), std::vector<std::string>{log_, secret_});
    std::string port = receiver_->ReadLine();
    ASSERT_FALSE(port.empty()) << "the receiver did not start";
    base_ = "http://127.0.0.1:" + port;
    WebhookClientOptions o;
    o.total_timeout = std::chrono::milliseconds(1000);
    o.connect_timeout = std::chrono::milliseconds(1000);
    o.use_environment_proxy = false;
    client_ = std::make_unique<WebhookClient>(o);
  }
  void TearDown() override {
    receiver_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  WebhookResult Post(const std::string& path, const std::string& body = R"({"type":"ticket.created","data":{"number":7}})") {
    auto signer = *WebhookSigner::FromSecret(secret_);
    ++n_;
    return client_->Deliver(base_ + path, signer, "msg_test" + std::to_string(n_), 1772442000 + n_, body);
  }
  std::vector<nlohmann::json> Received() {
    std::vector<nlohmann::json> out;
    std::istringstream in(ReadText(log_));
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
  }

  std::string dir_, log_, secret_, base_;
  std::unique_ptr<PythonChild> receiver_;
  std::unique_ptr<WebhookClient> client_;
  int n_ = 0;
};

TEST_F(WebhookClientTest, DeliveredWithASignatureTheReceiverAccepts) {
  auto r = Post("/ok", R"({"type":"ticket.created","data":{"subject":"Grüße \"quoted\""}})");
  EXPECT_EQ(r.outcome, Outcome::kDelivered) << r.detail;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.response_body, "thanks");
  auto got = Received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0]["valid"].get<bool>()) << got[0].dump();
  EXPECT_EQ(got[0]["id"], "msg_test1");
  EXPECT_EQ(got[0]["timestamp"], "1772442001");
  EXPECT_EQ(got[0]["content_type"], "application/json");
  EXPECT_EQ(got[0]["body"], R"({"type":"ticket.created","data":{"subject":"Grüße \"quoted\""}})");
}

TEST_F(WebhookClientTest, StatusesAreClassified) {
  struct Case {
    const char* path;
    Outcome outcome;
    int status;
    std::optional<long> retry_after_min, retry_after_max;
  };
  const std::vector<Case> cases = {
      {"/gone", Outcome::kGone, 410, {}, {}},
      {"/fail", Outcome::kRetry, 500, {}, {}},
      {"/notfound", Outcome::kRetry, 404, {}, {}},
      {"/busy", Outcome::kRetry, 429, 7, 7},
      {"/unavailable", Outcome::kRetry, 503, 100, 121},
      {"/redirect", Outcome::kRetry, 302, {}, {}},
  };
  for (const auto& c : cases) {
    auto r = Post(c.path);
    EXPECT_EQ(r.outcome, c.outcome) << c.path << " " << r.detail;
    EXPECT_EQ(r.http_status, c.status) << c.path;
    if (c.retry_after_min) {
      ASSERT_TRUE(r.retry_after) << c.path;
      EXPECT_GE(r.retry_after->count(), *c.retry_after_min) << c.path;
      EXPECT_LE(r.retry_after->count(), *c.retry_after_max) << c.path;
    } else {
      EXPECT_FALSE(r.retry_after) << c.path;
    }
  }
  // The redirect was not followed: /ok was never called.
  for (const auto& j : Received()) EXPECT_NE(j["path"], "/ok");
}

TEST_F(WebhookClientTest, SlowReceiversTimeOutAndHugeAnswersAreCut) {
  auto slow = Post("/slow");
  EXPECT_EQ(slow.outcome, Outcome::kRetry);
  EXPECT_EQ(slow.http_status, 0);
  EXPECT_NE(slow.detail.find("timed out"), std::string::npos) << slow.detail;
  EXPECT_LT(slow.elapsed.count(), 2500);
  auto huge = Post("/huge");
  EXPECT_EQ(huge.outcome, Outcome::kDelivered) << huge.detail;
  EXPECT_TRUE(huge.response_truncated);
  EXPECT_EQ(huge.response_body.size(), 64u * 1024);
}

TEST_F(WebhookClientTest, OnlyHttpAndHttpsAreCalled) {
  auto signer = *WebhookSigner::FromSecret(secret_);
  for (const char* url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/", "dict://127.0.0.1/",
                          "127.0.0.1:8080/hook", "http://", "not a url", "http://127.0.0.1/a b"}) {
    auto r = client_->Deliver(url, signer, "msg_x", 1, "{}");
    EXPECT_EQ(r.outcome, Outcome::kRefused) << url << ": " << r.detail;
    EXPECT_FALSE(WebhookClient::CheckUrl(url).ok()) << url;
  }
  EXPECT_TRUE(WebhookClient::CheckUrl("https://hooks.example.com/sladesk?x=1").ok());
  // Nothing listens on port 1: a connection error, retried.
  auto r = client_->Deliver("http://127.0.0.1:1/hook", signer, "msg_x", 1, "{}");
  EXPECT_EQ(r.outcome, Outcome::kRetry);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_TRUE(Received().empty());
}

TEST(WebhookClientParts, ClassifyAndRetryAfter) {
  EXPECT_EQ(WebhookClient::Classify(200), Outcome::kDelivered);
  EXPECT_EQ(WebhookClient::Classify(204), Outcome::kDelivered);
  EXPECT_EQ(WebhookClient::Classify(299), Outcome::kDelivered);
  EXPECT_EQ(WebhookClient::Classify(410), Outcome::kGone);
  for (int s : {0, 100, 301, 400, 401, 404, 408, 429, 500, 502, 503, 504}) EXPECT_EQ(WebhookClient::Classify(s), Outcome::kRetry) << s;
  EXPECT_EQ(WebhookClient::ParseRetryAfter("120", 0)->count(), 120);
  EXPECT_EQ(WebhookClient::ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 60)->count(), 60);
  EXPECT_EQ(WebhookClient::ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 60)->count(), 0);
  EXPECT_FALSE(WebhookClient::ParseRetryAfter("soon", 0));
  EXPECT_FALSE(WebhookClient::ParseRetryAfter("", 0));
  EXPECT_FALSE(WebhookClient::ParseRetryAfter("-5", 0));
}

}  // namespace
}  // namespace sladesk::testing
