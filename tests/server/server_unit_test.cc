// Unit tests of the service's pure parts: the token codec, query parsing,
// and the demo seeding on the real policies.
#include <gtest/gtest.h>

#include "server/demo_data.h"
#include "storage/sql_mail_repository.h"
#include "server/desk_api.h"
#include "server/token_codec.h"
#include "storage/test_database.h"

namespace sladesk {
namespace {

TEST(TokenCodecTest, Sha256AndSecrets) {
  EXPECT_EQ(TokenCodec::Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string a = TokenCodec::NewSecret(), b = TokenCodec::NewSecret();
  EXPECT_EQ(a.size(), 68u);
  EXPECT_EQ(a.rfind("sdk_", 0), 0u);
  EXPECT_NE(a, b);
}

TEST(TokenCodecTest, Base64RoundTripsAndRejectsGarbage) {
  const std::string samples[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)};
  const char* encoded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy", "AP8Q"};
  for (size_t i = 0; i < std::size(samples); ++i) {
    EXPECT_EQ(TokenCodec::Base64Encode(samples[i]), encoded[i]);
    EXPECT_EQ(TokenCodec::Base64Decode(encoded[i]), samples[i]);
    EXPECT_EQ(TokenCodec::Base64Decode(TokenCodec::Base64Encode(samples[i], true)), samples[i]);
  }
  EXPECT_FALSE(TokenCodec::Base64Decode("a").has_value());
  EXPECT_FALSE(TokenCodec::Base64Decode("ab$d").has_value());
}

TEST(DeskApiTest, ParsesQueries) {
  std::map<std::string, std::string> q;
  ASSERT_TRUE(DeskApi::ParseQuery("status=open%2Cnew&due_before=2026-03-02T12%3A00%3A00Z&x=a+b&flag", &q));
  EXPECT_EQ(q["status"], "open,new");
  EXPECT_EQ(q["due_before"], "2026-03-02T12:00:00Z");
  EXPECT_EQ(q["x"], "a b");
  EXPECT_TRUE(q.count("flag"));
  std::map<std::string, std::string> bad;
  EXPECT_FALSE(DeskApi::ParseQuery("a=%zz", &bad));
  EXPECT_FALSE(DeskApi::ParseQuery("a=%2", &bad));
}

// `make run` depends on this: the demo seeds on the project's own policies.
TEST(DemoDataTest, SeedsEveryPlanOfThePoliciesWithTicketsInEveryStatus) {
  auto policies = PolicyRegistry::LoadDirectory(std::string(SLADESK_SOURCE_DIR) + "/policies");
  ASSERT_TRUE(policies.ok()) << policies.error().ToString();
  testing::TestDatabase db("sqlite");
  auto store = DeskStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  const Instant now = FromEpoch(1772442000);
  auto seeded = DemoData::Seed(**store, *policies, now);
  ASSERT_TRUE(seeded.ok()) << seeded.error().ToString();
  EXPECT_GE(seeded->tickets, 36);
  EXPECT_FALSE(seeded->admin.empty());
  EXPECT_FALSE(seeded->contact.empty());
  std::size_t plans = 0;
  for (const auto& id : (*policies)->Ids()) plans += (*policies)->Find(id)->plans.size();
  EXPECT_EQ(seeded->organisations, static_cast<int>(plans));
  std::map<TicketStatus, int> by_status;
  int with_due = 0;
  Status st = (*store)->RunRead([&](DeskRepository& r) -> Status {
    TicketQuery q;
    q.limit = 1000;
    auto rows = r.ListTickets(q);
    if (!rows.ok()) return rows.error();
    for (const auto& t : *rows) {
      by_status[t.status]++;
      if (t.next_due) with_due++;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  for (auto s : {TicketStatus::kNew, TicketStatus::kOpen, TicketStatus::kWaitingOnCustomer, TicketStatus::kResolved,
                 TicketStatus::kClosed})
    EXPECT_GT(by_status[s], 0) << StatusName(s);
  EXPECT_GT(with_due, 0) << "no ticket has a running SLA clock";
  // Two messages wait in the held mail: an unknown sender's and an automatic reply.
  EXPECT_EQ(seeded->held_mail, 2);
  st = (*store)->RunRead([&](DeskRepository& r) -> Status {
    auto mail = SqlMailRepository::ForUnit(r);
    if (!mail.ok()) return mail.error();
    InboundQuery q;
    q.actions = {MailAction::kHeld};
    auto rows = mail->QueryInbound(q);
    if (!rows.ok()) return rows.error();
    EXPECT_EQ(rows->size(), 2u);
    for (const auto& row : *rows) EXPECT_FALSE(row.raw.empty()) << row.sender;
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  // A second start finds the data and hands out fresh tokens.
  auto again = DemoData::Seed(**store, *policies, now);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_seeded);
  EXPECT_NE(again->admin, seeded->admin);
}

}  // namespace
}  // namespace sladesk
