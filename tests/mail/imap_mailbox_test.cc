// ImapMailbox against a real Dovecot (scripts/dovecot-test-cluster.sh, which
// scripts/run-tests.sh starts and exports as SLADESK_TEST_IMAP_*). Tests
// skip without it unless SLADESK_REQUIRE_IMAP is set. Each test works in a
// mailbox of its own, so ctest may run them in parallel.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "mail/imap_mailbox.h"
#include "mail/mail_parser.h"
#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

#define SLADESK_SKIP_WITHOUT_IMAP()                                                              \
  do {                                                                                           \
    if (Env("SLADESK_TEST_IMAP_URL").empty()) {                                                  \
      if (!Env("SLADESK_REQUIRE_IMAP").empty()) FAIL() << "SLADESK_TEST_IMAP_URL is not set";     \
      GTEST_SKIP() << "no test IMAP server (scripts/dovecot-test-cluster.sh; run-tests.sh starts one)"; \
    }                                                                                            \
  } while (0)

ImapConfig Config(bool implicit_tls, const std::string& mailbox) {
  ImapConfig c;
  c.url = Env(implicit_tls ? "SLADESK_TEST_IMAPS_URL" : "SLADESK_TEST_IMAP_URL");
  c.username = Env("SLADESK_TEST_IMAP_USER");
  c.password = Env("SLADESK_TEST_IMAP_PASSWORD");
  c.ca_file = Env("SLADESK_TEST_IMAP_CA");
  c.starttls = StartTls::kRequired;
  c.mailbox = mailbox;
  c.timeout = std::chrono::milliseconds(20000);
  return c;
}

std::string UniqueMailbox(const char* name) {
  static int n = 0;
  return std::string("t-") + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
}

std::string Message(int i) {
  return "From: Jane <jane@customer.example>\r\nTo: support@desk.test\r\nSubject: message " + std::to_string(i) +
         "\r\nMessage-ID: <m" + std::to_string(i) + "@customer.example>\r\n\r\nBody " + std::to_string(i) +
         ".\r\n";
}

// A mailbox of its own with `count` messages, all unseen.
std::vector<std::uint64_t> Fill(ImapMailbox& box, const std::string& name, int count) {
  EXPECT_TRUE(box.Create(name).ok());
  std::vector<std::uint64_t> uids;
  for (int i = 1; i <= count; ++i) {
    const Status s = box.Append(Message(i));
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().ToString());
  }
  auto all = box.UidsFrom(1);
  EXPECT_TRUE(all.ok());
  if (!all.ok()) return uids;
  for (std::uint64_t u : *all) EXPECT_TRUE(box.MarkUnseen(u).ok());  // APPEND set \Seen
  return *all;
}

TEST(ImapMailbox, ListsFetchesAndMarksOverStartTls) {
  SLADESK_SKIP_WITHOUT_IMAP();
  const std::string name = UniqueMailbox("basic");
  ImapMailbox box(Config(false, name));
  const auto uids = Fill(box, name, 3);
  ASSERT_EQ(uids.size(), 3u);

  auto status = box.Status();
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_GT(status->uidvalidity, 0u);
  EXPECT_EQ(status->messages, 3u);
  EXPECT_EQ(status->uidnext, uids.back() + 1);

  auto unseen = box.UnseenUids();
  ASSERT_TRUE(unseen.ok()) << unseen.error().ToString();
  EXPECT_EQ(*unseen, uids);

  auto raw = box.Fetch(uids[1]);
  ASSERT_TRUE(raw.ok()) << raw.error().ToString();
  EXPECT_EQ(NormalizeNewlines(*raw), NormalizeNewlines(Message(2)));
  auto parsed = ParseMail(*raw);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed->subject, "message 2");
  EXPECT_EQ(*parsed->message_id, "<m2@customer.example>");

  // Reading BODY[] set \Seen (IMAP's rule); MarkUnseen gives it back.
  unseen = box.UnseenUids();
  ASSERT_TRUE(unseen.ok());
  EXPECT_EQ(*unseen, (std::vector<std::uint64_t>{uids[0], uids[2]}));
  ASSERT_TRUE(box.MarkUnseen(uids[1]).ok());
  ASSERT_TRUE(box.MarkSeen(uids[0]).ok());
  unseen = box.UnseenUids();
  ASSERT_TRUE(unseen.ok());
  EXPECT_EQ(*unseen, (std::vector<std::uint64_t>{uids[1], uids[2]}));

  // From a UID on: what a poller keyed by (uidvalidity, last uid) asks.
  auto from = box.UidsFrom(uids[1]);
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(*from, (std::vector<std::uint64_t>{uids[1], uids[2]}));
  from = box.UidsFrom(status->uidnext);
  ASSERT_TRUE(from.ok());
  EXPECT_TRUE(from->empty());  // not IMAP's "n:*" quirk of naming the last message

  EXPECT_FALSE(box.Fetch(status->uidnext + 100).ok());
}

TEST(ImapMailbox, MovesToAnotherMailbox) {
  SLADESK_SKIP_WITHOUT_IMAP();
  const std::string name = UniqueMailbox("move");
  const std::string done = name + "-done";
  ImapMailbox box(Config(true, name));
  const auto uids = Fill(box, name, 2);
  ASSERT_EQ(uids.size(), 2u);
  ASSERT_TRUE(box.Create(done).ok());
  ASSERT_TRUE(box.Create(done).ok());  // an existing mailbox is fine
  const Status moved = box.Move(uids[0], done);
  ASSERT_TRUE(moved.ok()) << moved.error().ToString();
  auto left = box.UidsFrom(1);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, (std::vector<std::uint64_t>{uids[1]}));
  ImapMailbox target(Config(true, done));
  auto there = target.UidsFrom(1);
  ASSERT_TRUE(there.ok());
  ASSERT_EQ(there->size(), 1u);
  auto raw = target.Fetch(there->front());
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(NormalizeNewlines(*raw), NormalizeNewlines(Message(1)));
}

TEST(ImapMailbox, RefusesBadCredentialsAndUntrustedCertificates) {
  SLADESK_SKIP_WITHOUT_IMAP();
  ImapConfig c = Config(true, "INBOX");
  c.password = "wrong";
  auto s = ImapMailbox(c).Status();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "imap");
  c = Config(true, "INBOX");
  c.ca_file.clear();  // the self-signed certificate is not trusted
  EXPECT_FALSE(ImapMailbox(c).Status().ok());
  c = Config(false, "INBOX");
  c.ca_file.clear();  // STARTTLS required: the same
  EXPECT_FALSE(ImapMailbox(c).Status().ok());
  c = Config(true, "no such mailbox");
  EXPECT_FALSE(ImapMailbox(c).UnseenUids().ok());
  c = Config(true, "Ünicode");
  EXPECT_FALSE(ImapMailbox(c).UnseenUids().ok());
}

}  // namespace
}  // namespace sladesk::mail
