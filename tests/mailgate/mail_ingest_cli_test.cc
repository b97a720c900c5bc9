// `sladesk mail ingest` end to end: the built binary as an MTA's pipe
// transport runs it. Exit 0 when stored or deliberately dropped (and for a
// duplicate), 2 for input that is not mail or bad usage, 75 (EX_TEMPFAIL)
// when the store is unavailable; --maildir and --mbox summaries; with
// --smtp the answer to the message goes out through the outbox (aiosmtpd).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "mail/smtp_test_server.h"  // tests/mail

namespace sladesk {
namespace {

using sladesk::testing::RunSladesk;
using sladesk::testing::Slurp;

const std::string kData = std::string(SLADESK_SOURCE_DIR) + "/tests/mailgate/data/";

class MailIngestCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "sladesk_ingest_" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ + "/secret") << "a-secret-of-enough-length\n";
    flags_ = "--db sqlite:" + dir_ + "/db --policies " + std::string(SLADESK_SOURCE_DIR) + "/policies --secret-file " +
             dir_ + "/secret";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_, flags_;
};

TEST_F(MailIngestCli, StdinStoredDuplicateNotMail) {
  const std::string mail = Slurp(kData + "forged_tag_stranger.eml");
  auto r = RunSladesk("mail ingest " + flags_, mail);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["action"], "held");
  EXPECT_EQ(j["message_id"], "<forged-1@evil.test>");
  r = RunSladesk("mail ingest " + flags_, mail);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["action"], "duplicate");
  r = RunSladesk("mail ingest " + flags_, "\x01garbage");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("<stdin>"), std::string::npos) << r.err;
}

TEST_F(MailIngestCli, SmtpSendsTheRefusalOnceThroughTheOutbox) {
  SLADESK_SKIP_WITHOUT_SMTP();
  sladesk::testing::SmtpTestServer smtp({});
  ASSERT_TRUE(smtp.ready());
  auto rule = RunSladesk("mail sender-rule --db sqlite:" + dir_ + "/db --domain refuse.test --action refuse", "");
  ASSERT_EQ(rule.exit_code, 0) << rule.err;
  const std::string send = flags_ + " --smtp " + smtp.url() + " --smtp-starttls never --templates " +
                           std::string(SLADESK_SOURCE_DIR) + "/templates --desk-name 'Acme Support'";
  const std::string mail = Slurp(kData + "unknown_refused.eml");
  auto r = RunSladesk("mail ingest " + send, mail);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["action"], "refused");
  EXPECT_EQ(j["answer"], "refusal");
  EXPECT_EQ(j["answers"]["sent"], 1) << r.out;
  ASSERT_EQ(smtp.Messages().size(), 1u);
  EXPECT_NE(smtp.Messages()[0].find("Acme Support"), std::string::npos);
  EXPECT_NE(smtp.Messages()[0].find("In-Reply-To: <refuse-1@refuse.test>"), std::string::npos);
  r = RunSladesk("mail ingest " + send, mail);  // the MTA delivered it twice
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["action"], "duplicate");
  EXPECT_EQ(smtp.Messages().size(), 1u);
}

TEST_F(MailIngestCli, StoreUnavailableIsTempFail) {
  const std::string mail = Slurp(kData + "new_from_contact.eml");
  auto r = RunSladesk("mail ingest --db postgresql://127.0.0.1:1/none --secret-file " + dir_ + "/secret", mail);
  EXPECT_EQ(r.exit_code, 75) << r.err;
  // A database that cannot be opened (its directory would be inside a file).
  r = RunSladesk("mail ingest --db sqlite:" + dir_ + "/secret/sub/db --secret-file " + dir_ + "/secret", mail);
  EXPECT_EQ(r.exit_code, 75) << r.err;
}

TEST_F(MailIngestCli, BadUsageExitsTwo) {
  auto r = RunSladesk("mail ingest --db sqlite:" + dir_ + "/db", "From: a@b.test\n\nx\n");
  EXPECT_EQ(r.exit_code, 2);  // no secret
  EXPECT_NE(r.err.find("secret"), std::string::npos) << r.err;
  r = RunSladesk("mail ingest " + flags_ + " --maildir " + dir_ + " --mbox " + dir_ + "/x");
  EXPECT_EQ(r.exit_code, 2);
  r = RunSladesk("mail ingest " + flags_ + " --unknown-senders ignore", "From: a@b.test\n\nx\n");
  EXPECT_EQ(r.exit_code, 2);
  r = RunSladesk("mail poll " + flags_);
  EXPECT_EQ(r.exit_code, 2);  // --imap is required
}

TEST_F(MailIngestCli, SenderRulesDecideForUnknownSenders) {
  const std::string db = "--db sqlite:" + dir_ + "/db";
  auto r = RunSladesk("mail sender-rule " + db + " --domain Refuse.TEST --action refuse");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "unknown senders from refuse.test: refuse\n");
  r = RunSladesk("mail ingest " + flags_, Slurp(kData + "unknown_refused.eml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["action"], "refused");
  r = RunSladesk("mail sender-rule " + db + " --domain join.test --action create_contact");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--organisation"), std::string::npos) << r.err;
  r = RunSladesk("mail sender-rule " + db + " --domain join.test --action create_contact --organisation 99");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  r = RunSladesk("mail sender-rule " + db + " --domain a@b --action hold");
  EXPECT_EQ(r.exit_code, 2);
  r = RunSladesk("mail sender-rule " + db + " --domain b.test --action ignore");
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(MailIngestCli, MaildirAndMboxSummaries) {
  std::filesystem::create_directories(dir_ + "/md/new");
  std::filesystem::create_directories(dir_ + "/md/cur");
  std::ofstream mbox(dir_ + "/all.mbox");
  int n = 0;
  for (const char* f : {"forged_tag_stranger.eml", "dmarc_failure.eml", "own_mail_returned.eml"}) {
    const std::string m = Slurp(kData + f);
    std::ofstream(dir_ + "/md/new/" + std::to_string(++n) + ".eml") << m;
    mbox << "From x@y Mon Mar  2 09:00:00 2026\n" << m << "\n";
  }
  std::ofstream(dir_ + "/md/new/junk") << "\x01\x02";
  mbox.close();
  auto r = RunSladesk("mail ingest " + flags_ + " --maildir " + dir_ + "/md");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["messages"], 4);
  EXPECT_EQ(j["stored"], 3);
  EXPECT_EQ(j["not_mail"], 1);
  EXPECT_EQ(j["actions"]["held"], 2);
  EXPECT_EQ(j["actions"]["dropped"], 1);
  r = RunSladesk("mail ingest " + flags_ + " --mbox " + dir_ + "/all.mbox");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["messages"], 3);
  EXPECT_EQ(j["duplicates"], 3);
}

}  // namespace
}  // namespace sladesk
