// MailGatewayFixture: the mail gateway on a real store (both backends) with
// the seed policies, a few organisations whose contacts write the messages
// in tests/mailgate/data, and a clock the test sets.
//
// acme.test (gold-support, CSM = the agent): alice, bob; other.test:
// carol; named.test (openback pro, one named contact): a named contact and
// dan, who is not named; metrics.test (supermetrics, which requires steps
// and business impact): erin. Domains: refuse.test refuses strangers,
// join.test adds them to acme; anything else is held.
#pragma once

#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "desk/desk_fixture.h"
#include "mail/email_notification_transport.h"
#include "mail/message_id_signer.h"
#include "mailgate/mail_gateway.h"
#include "storage/sql_mail_repository.h"

namespace sladesk::testing {

inline constexpr const char* kMailSecret = "test-secret-0123456789";

// The desk's sending configuration against a test SMTP server at `url`.
inline mail::EmailTransportConfig TestTransportConfig(const std::string& url) {
  mail::EmailTransportConfig c;
  c.smtp.url = url;
  c.smtp.starttls = mail::StartTls::kNever;
  c.smtp.timeout = std::chrono::milliseconds(20000);
  c.from = {"support@desk.example", "Desk Test Support"};
  c.domain = "desk.example";
  c.secret = kMailSecret;
  return c;
}

class MailGatewayFixture : public DeskFixture {
 protected:
  void SetUp() override {
    DeskFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    OrganisationInput acme_in;
    acme_in.name = "Acme";
    acme_in.csm_user_id = agent_.id;
    acme_ = Org("gold-support", "professional", acme_in);
    other_ = Org("gold-support", "professional");
    OrganisationInput done;
    done.onboarding_complete = true;
    named_ = Org("openback", "pro", done);
    metrics_ = Org("supermetrics", "premium");
    alice_ = Person(acme_, "Alice Admin", "alice@acme.test", true);
    bob_ = Person(acme_, "Bob Builder", "bob@acme.test", true);
    Person(other_, "Carol", "carol@other.test", true);
    Person(named_, "Nadia Named", "nadia@named.test", true);
    Person(named_, "Dan", "dan@named.test", false);
    Person(metrics_, "Erin", "erin@metrics.test", true);
    Rule({"refuse.test", UnknownSenderAction::kRefuse, std::nullopt});
    Rule({"join.test", UnknownSenderAction::kCreateContact, acme_.id});
    clock_.Set(now_);
    MakeGateway(nullptr);
  }

  // `answers`: the one-shot commands' dispatcher (nullptr: answers stay
  // in the outbox, as in serve before its dispatcher runs).
  void MakeGateway(OutboxDispatcher* answers) {
    mailgate::MailGatewayConfig config;
    config.secret = kMailSecret;
    config.desk_name = "Desk Test Support";
    config.portal_url = "https://desk.test";
    gateway_ = std::make_unique<mailgate::MailGateway>(*store_, policies_, config, clock_, answers);
  }

  User Person(const Organisation& org, const std::string& name, const std::string& email, bool named) {
    ContactInput in;
    in.name = name;
    in.email = email;
    in.named_contact = named;
    auto u = Run<User>([&](DeskRepository& r) { return OrganisationService(r, *policies_).AddContact(admin_, now_, org.id, in); });
    EXPECT_TRUE(u.ok()) << u.error().ToString();
    return u.ok() ? *u : User{};
  }

  void Rule(const SenderRule& rule) {
    Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
      auto m = SqlMailRepository::ForUnit(r);
      if (!m.ok()) return m.error();
      return m->PutSenderRule(rule);
    });
    ASSERT_TRUE(st.ok()) << st.error().ToString();
  }

  template <typename T>
  Result<T> Mail(const std::function<Result<T>(MailRepository&)>& call) {
    return store_->Write<T>([&](DeskRepository& r) -> Result<T> {
      auto m = SqlMailRepository::ForUnit(r);
      if (!m.ok()) return m.error();
      return call(*m);
    });
  }

  // A file of tests/mailgate/data with {{TICKET}} and {{SIGNED}} filled in.
  std::string Load(const std::string& name, std::int64_t ticket) {
    std::ifstream f(std::string(SLADESK_SOURCE_DIR) + "/tests/mailgate/data/" + name, std::ios::binary);
    EXPECT_TRUE(f.good()) << name;
    std::stringstream ss;
    ss << f.rdbuf();
    std::string s = ss.str();
    const std::string signed_id =
        mail::MessageIdSigner(kMailSecret).MakeMessageId(ticket, "desk.example", "00112233445566ff");
    auto fill = [&](const std::string& from, const std::string& to) {
      for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
    };
    fill("{{TICKET}}", std::to_string(ticket));
    fill("{{SIGNED}}", signed_id);
    return s;
  }

  Result<mailgate::IngestResult> Ingest(const std::string& name, std::int64_t ticket = 0) {
    return gateway_->Ingest(Load(name, ticket), "test");
  }

  ManualClock clock_{Instant{}};
  std::unique_ptr<mailgate::MailGateway> gateway_;
  Organisation acme_, other_, named_, metrics_;
  User alice_, bob_;
};

}  // namespace sladesk::testing
