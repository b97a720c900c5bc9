// `sladesk mail parse` end to end: the built binary on files and stdin, the
// exit statuses (0, and 2 with one message naming the input), --trim.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace sladesk {
namespace {

using sladesk::testing::RunSladesk;
using sladesk::testing::Slurp;

const std::string kCorpus = std::string(SLADESK_SOURCE_DIR) + "/tests/data/mail/";

TEST(MailParseCli, PrintsTheContractJsonForAFileAndForStdin) {
  const std::string file = kCorpus + "contract_example.eml";
  auto r = RunSladesk("mail parse '" + file + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty());
  const auto expected = nlohmann::json::parse(Slurp(kCorpus + "contract_example.expected.json"));
  auto got = nlohmann::json::parse(r.out);
  for (const auto& [k, v] : expected.items()) EXPECT_EQ(got[k], v) << k;
  auto piped = RunSladesk("mail parse -", Slurp(file));
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out, r.out);
}

TEST(MailParseCli, BadInputExitsTwoWithOneLine) {
  for (const char* name : {"bad_empty", "bad_binary_garbage", "bad_no_header_block"}) {
    auto r = RunSladesk("mail parse '" + kCorpus + name + ".eml'");
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_TRUE(r.out.empty()) << name;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("input: "), std::string::npos) << r.err;
  }
  auto r = RunSladesk("mail parse /nonexistent/mail.eml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
  r = RunSladesk("mail parse -", "");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("<stdin>"), std::string::npos) << r.err;
  r = RunSladesk("mail parse");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(MailParseCli, TrimAddsTheReplyAndKeepsText) {
  auto plain = RunSladesk("mail parse '" + kCorpus + "gmail_reply_alternative.eml'");
  auto trimmed = RunSladesk("mail parse --trim '" + kCorpus + "gmail_reply_alternative.eml'");
  ASSERT_EQ(trimmed.exit_code, 0) << trimmed.err;
  const auto a = nlohmann::json::parse(plain.out), b = nlohmann::json::parse(trimmed.out);
  EXPECT_EQ(a["text"], b["text"]);
  EXPECT_EQ(b["reply_text"], "Thanks, that fixed it! \xF0\x9F\x8E\x89");
  EXPECT_NE(b["quoted_text"].get<std::string>().find("Please clear the browser cache"), std::string::npos);
  EXPECT_FALSE(a.contains("reply_text"));
}

}  // namespace
}  // namespace sladesk
