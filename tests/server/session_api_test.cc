// Signing in to the web app: passwords, session cookies, CSRF, sign-out and
// the rate limit on failed sign-ins, over HTTP on every backend.
#include <gtest/gtest.h>

#include "desk/session_service.h"
#include "server/password_hasher.h"
#include "server/server_fixture.h"

namespace sladesk::testing {
namespace {

using nlohmann::json;

class SessionApiTest : public ServerFixture {
 protected:
  void SetPassword(const std::string& email, const std::string& password) {
    auto hash = PasswordHasher::Hash(password);
    ASSERT_TRUE(hash.ok());
    auto r = store_->Write<bool>([&](DeskRepository& repo) -> Result<bool> {
      auto u = repo.FindUserByEmail(email);
      if (!u.ok()) return u.error();
      Status st = SessionService(repo).SetPassword(SystemUser(), (*u)->id, password, *hash);
      if (!st.ok()) return st.error();
      return true;
    });
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  HttpResult Login(const std::string& email, const std::string& password) {
    return client_->Json("POST", "/api/v1/auth/login", "", {{"email", email}, {"password", password}});
  }
  static std::string CookieOf(const HttpResult& r) {
    std::string c = r.header("Set-Cookie");
    return c.substr(0, c.find(';'));
  }
};

TEST_P(SessionApiTest, ASessionCookieAuthenticatesAndNeedsItsCsrfTokenToChangeAnything) {
  SetPassword("agent@test.desk", "correct horse battery");
  auto r = Login("AGENT@test.desk", "correct horse battery");  // e-mail case does not matter
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string set_cookie = r.header("Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);  // plain HTTP here
  const std::string cookie = CookieOf(r), csrf = r.json()["csrf_token"];
  EXPECT_EQ(r.json()["user"]["email"], "agent@test.desk");
  auto me = client_->Send("GET", "/api/v1/me", "", std::nullopt, {{"Cookie", cookie}});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["csrf_token"], csrf);
  // A write without the CSRF token is refused; with it, it goes through.
  std::int64_t org = Org("premium");
  std::string c = Contact(org);
  auto t = CreateTicket(c).json();
  const std::string path = "/api/v1/tickets/" + std::to_string(t["number"].get<int>()) + "/messages";
  auto no_csrf = client_->Json("POST", path, "", {{"body", "hello"}}, {{"Cookie", cookie}});
  EXPECT_EQ(no_csrf.status, 403) << no_csrf.body;
  auto wrong = client_->Json("POST", path, "", {{"body", "hello"}}, {{"Cookie", cookie}, {"X-CSRF-Token", csrf + "x"}});
  EXPECT_EQ(wrong.status, 403);
  auto ok = client_->Json("POST", path, "", {{"body", "hello"}}, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(ok.status, 201) << ok.body;
  // Sign-out ends the session for good.
  auto out = client_->Send("POST", "/api/v1/auth/logout", "", std::nullopt, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(client_->Send("GET", "/api/v1/me", "", std::nullopt, {{"Cookie", cookie}}).status, 401);
  // Sessions expire after 12 hours.
  auto again = Login("agent@test.desk", "correct horse battery");
  const std::string cookie2 = CookieOf(again);
  Advance(kSessionLifetime);
  EXPECT_EQ(client_->Send("GET", "/api/v1/me", "", std::nullopt, {{"Cookie", cookie2}}).status, 401);
}

TEST_P(SessionApiTest, WrongCredentialsOfEveryKindGetTheSameAnswer) {
  SetPassword("agent@test.desk", "correct horse battery");
  auto wrong_password = Login("agent@test.desk", "wrong password!");
  auto unknown = Login("nobody@test.desk", "correct horse battery");
  auto no_password = Login("lead@test.desk", "correct horse battery");  // has no password
  for (const auto* r : {&wrong_password, &unknown, &no_password}) {
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_EQ(r->json()["detail"], wrong_password.json()["detail"]);
    EXPECT_TRUE(r->header("Set-Cookie").empty());
  }
  EXPECT_EQ(client_->Json("POST", "/api/v1/auth/login", "", {{"email", "a@b"}}).status, 422);
  EXPECT_EQ(client_->Send("POST", "/api/v1/auth/login", "", "email=a", {}, "application/x-www-form-urlencoded").status, 415);
}

TEST_P(SessionApiTest, FiveFailuresForOneAddressLockItForFifteenMinutesEvenWithTheRightPassword) {
  SetPassword("agent@test.desk", "correct horse battery");
  for (int i = 0; i < kSignInFailuresPerEmail; ++i) EXPECT_EQ(Login("agent@test.desk", "guess " + std::to_string(i)).status, 401);
  auto locked = Login("agent@test.desk", "correct horse battery");
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_FALSE(locked.header("Retry-After").empty());
  Advance(kSignInWindow - 1);
  EXPECT_EQ(Login("agent@test.desk", "correct horse battery").status, 429);
  Advance(1);
  EXPECT_EQ(Login("agent@test.desk", "correct horse battery").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionApiTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
