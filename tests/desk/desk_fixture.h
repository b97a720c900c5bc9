// DeskFixture: the desk services against a real store (SQLite in a temp
// file, or PostgreSQL), with the five seed policies and a clock the test
// sets. No socket: the rules are tested where they live.
//
// Helpers create organisations, contacts and staff through the services
// themselves, so a test reads as a sequence of things people do.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "desk/organisation_service.h"
#include "desk/ticket_conversation.h"
#include "desk/ticket_engineering.h"
#include "desk/ticket_intake.h"
#include "desk/ticket_queries.h"
#include "desk/ticket_workflow.h"
#include "desk/user_service.h"
#include "storage/desk_store.h"
#include "storage/test_database.h"

namespace sladesk::testing {

class DeskFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    SLADESK_SKIP_UNLESS_CONFIGURED(GetParam());
    db_ = std::make_unique<TestDatabase>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto s = DeskStore::Open(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(s).value();
    auto p = PolicyRegistry::LoadDirectory(std::string(SLADESK_SOURCE_DIR) + "/policies");
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    policies_ = *p;
    now_ = At("2026-03-02T09:00:00Z");  // a Monday
    admin_ = Staff("admin@desk.test", Role::kAdmin);
    agent_ = Staff("agent@desk.test", Role::kAgent);
    lead_ = Staff("lead@desk.test", Role::kLead);
  }

  static Instant At(const char* t) { return *ParseInstant(t, "t"); }
  void Advance(Seconds s) { now_ += std::chrono::seconds(s); }

  template <typename T>
  Result<T> Run(const std::function<Result<T>(DeskRepository&)>& call) { return store_->Write<T>(call); }

  User Staff(const std::string& email, Role role) {
    auto u = Run<User>([&](DeskRepository& r) { return UserService(r).CreateStaff(SystemUser(), now_, {email, email, role}); });
    EXPECT_TRUE(u.ok()) << u.error().ToString();
    return u.ok() ? *u : User{};
  }

  Organisation Org(const std::string& policy, const std::string& plan, OrganisationInput extra = {}) {
    extra.name = extra.name.value_or(policy + " " + plan + " customer " + std::to_string(++orgs_));
    extra.policy_id = policy;
    extra.plan_id = plan;
    auto o = Run<Organisation>([&](DeskRepository& r) { return OrganisationService(r, *policies_).Create(admin_, now_, extra); });
    EXPECT_TRUE(o.ok()) << o.error().ToString();
    return o.ok() ? *o : Organisation{};
  }

  User Contact(const Organisation& org, bool named = true, const std::string& phone = "") {
    ContactInput in;
    in.name = "Casey " + std::to_string(++contacts_);
    in.email = "casey" + std::to_string(contacts_) + "@customer" + std::to_string(org.id) + ".test";
    in.named_contact = named;
    if (!phone.empty()) in.phone = phone;
    auto u = Run<User>([&](DeskRepository& r) { return OrganisationService(r, *policies_).AddContact(admin_, now_, org.id, in); });
    EXPECT_TRUE(u.ok()) << u.error().ToString();
    return u.ok() ? *u : User{};
  }

  // A ticket form with every text field filled.
  static OpenTicketInput Form(std::string subject = "Export fails") {
    OpenTicketInput in;
    in.subject = std::move(subject);
    in.description = "The CSV export answers HTTP 500.";
    in.steps_to_reproduce = "Open Reports, click Export";
    in.business_impact = "Finance cannot close the month";
    return in;
  }

  Result<OpenedTicket> Open(const User& who, OpenTicketInput in) {
    return Run<OpenedTicket>([&](DeskRepository& r) { return TicketIntake(r, *policies_).Open(who, now_, in); });
  }
  Ticket MustOpen(const User& who, OpenTicketInput in) {
    auto t = Open(who, std::move(in));
    EXPECT_TRUE(t.ok()) << t.error().ToString();
    return t.ok() ? t->ticket : Ticket{};
  }
  Result<PostedMessage> Reply(const User& who, std::int64_t number, const std::string& body,
                              Visibility v = Visibility::kPublic) {
    return Run<PostedMessage>([&](DeskRepository& r) {
      return TicketConversation(r, *policies_).Reply(who, now_, number, {body, v, {}});
    });
  }
  Result<StatusResult> SetStatus(const User& who, std::int64_t number, TicketStatus to,
                                 std::optional<TicketOutcome> outcome = std::nullopt) {
    StatusInput in;
    in.status = to;
    in.outcome = outcome;
    return Run<StatusResult>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ChangeStatus(who, now_, number, in); });
  }
  Result<TicketDetail> Get(const User& who, std::int64_t number) {
    return Run<TicketDetail>([&](DeskRepository& r) { return TicketQueries(r, *policies_).Get(who, now_, number); });
  }
  std::vector<TicketEventRecord> Events(std::int64_t number) {
    auto e = Run<std::vector<TicketEventRecord>>([&](DeskRepository& r) { return TicketQueries(r, *policies_).Events(admin_, number); });
    EXPECT_TRUE(e.ok());
    return e.ok() ? *e : std::vector<TicketEventRecord>{};
  }
  std::vector<std::string> EventKinds(std::int64_t number) {
    std::vector<std::string> out;
    for (const auto& e : Events(number)) out.emplace_back(EventKindName(e.kind));
    return out;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<DeskStore> store_;
  std::shared_ptr<const PolicyRegistry> policies_;
  Instant now_{};
  User admin_, agent_, lead_;
  int orgs_ = 0, contacts_ = 0;
};

// Expects a failed Result with this code (and field, when given).
#define EXPECT_REFUSED(result, error_code, error_field)                               \
  do {                                                                                \
    const auto& r_ = (result);                                                        \
    ASSERT_FALSE(r_.ok()) << "accepted, expected " << ErrorCodeName(error_code);       \
    EXPECT_EQ(r_.error().code, error_code) << r_.error().ToString();                  \
    if (std::string(error_field) != "") {                                             \
      EXPECT_EQ(r_.error().field, error_field) << r_.error().ToString();              \
    }                                                                                 \
  } while (0)

}  // namespace sladesk::testing
