// WebhookSigner against the Standard Webhooks test vector and, on random
// messages, against an independent Python implementation.
#include <gtest/gtest.h>

#include <random>

#include "notify/notify_test_support.h"
#include "notify/webhook_signer.h"

namespace sladesk::testing {
namespace {

TEST(WebhookSigner, PublishedTestVector) {
  // From the Standard Webhooks reference libraries' tests.
  auto s = WebhookSigner::FromSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  auto h = s->HeadersFor("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})");
  EXPECT_EQ(h.id, "msg_p5jXN8AQM9LWM0D4loKWxJek");
  EXPECT_EQ(h.timestamp, "1614265330");
  EXPECT_EQ(h.signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSigner, VerifyAcceptsAnyOfSeveralSignaturesAndNothingElse) {
  auto s = *WebhookSigner::FromSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  const std::string good = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  const char* id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  const char* body = R"({"test": 2432232314})";
  EXPECT_TRUE(s.Verify(id, 1614265330, body, good));
  EXPECT_TRUE(s.Verify(id, 1614265330, body, "v1,bm9wZQ== " + good));
  EXPECT_FALSE(s.Verify(id, 1614265331, body, good));
  EXPECT_FALSE(s.Verify(id, 1614265330, R"({"test": 2432232315})", good));
  EXPECT_FALSE(s.Verify(id, 1614265330, body, "v1a," + good.substr(3)));
  EXPECT_FALSE(s.Verify(id, 1614265330, body, ""));
}

TEST(WebhookSigner, SecretsAreCheckedAndNewOnesAreValid) {
  for (const char* bad : {"", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not*base64", "whsec_c2hvcnQ=",
                          "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS"}) {
    auto r = WebhookSigner::FromSecret(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "secret");
  }
  std::string secret = WebhookSigner::NewSecret();
  EXPECT_EQ(secret.substr(0, 6), "whsec_");
  EXPECT_TRUE(WebhookSigner::FromSecret(secret).ok());
  EXPECT_NE(secret, WebhookSigner::NewSecret());
  std::string id = WebhookSigner::NewMessageId();
  EXPECT_EQ(id.size(), 30u);
  EXPECT_EQ(id.find('.'), std::string::npos);
}

TEST(WebhookSigner, AgreesWithAnIndependentPythonImplementation) {
  PythonChild py(DataPath("sign_reference.py"), {});
  std::mt19937 rng(42);
  for (int i = 0; i < 200; ++i) {
    std::string secret = WebhookSigner::NewSecret();
    std::string id = WebhookSigner::NewMessageId();
    std::int64_t ts = 1600000000 + static_cast<std::int64_t>(rng() % 100000000);
    std::string body;
    for (std::size_t n = rng() % 300; n > 0; --n) body += static_cast<char>(rng() % 256);
    static const char* kHex = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : body) {
      hex += kHex[c >> 4];
      hex += kHex[c & 15];
    }
    ASSERT_TRUE(py.WriteLine(secret + " " + id + " " + std::to_string(ts) + " " + (hex.empty() ? "-" : hex)));
    std::string theirs = py.ReadLine();
    ASSERT_FALSE(theirs.empty()) << "python3 did not answer";
    EXPECT_EQ((*WebhookSigner::FromSecret(secret)).Sign(id, ts, body), theirs) << "message " << i;
  }
}

}  // namespace
}  // namespace sladesk::testing
