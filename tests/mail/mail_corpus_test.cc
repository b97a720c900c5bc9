// The mail corpus (tests/data/mail/): every NAME.eml with a
// NAME.expected.json must parse to exactly that JSON (CONTRACT §9 keys plus
// cc), in process; every bad_*.eml must be refused with an Error naming
// "input". The messages are shaped like real clients' output (Outlook,
// Gmail, Apple Mail, Thunderbird, Lotus Notes, bounces, out-of-office
// replies, mailing lists, broken MIME); tests/data/mail/README.md lists them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mail/mail_json.h"
#include "mail/mail_parser.h"

namespace sladesk::mail {
namespace {

const std::string kCorpus = std::string(SLADESK_SOURCE_DIR) + "/tests/data/mail/";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> CorpusNames(bool bad) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".eml") continue;
    const std::string name = file.substr(0, file.size() - 4);
    if ((name.rfind("bad_", 0) == 0) == bad) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class MailCorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MailCorpusTest, ParsesToExpectedJson) {
  const std::string name = GetParam();
  const std::string expected_path = kCorpus + name + ".expected.json";
  ASSERT_TRUE(std::filesystem::exists(expected_path)) << "missing " << expected_path;
  const auto expected = nlohmann::json::parse(Slurp(expected_path));
  auto parsed = ParseMail(Slurp(kCorpus + name + ".eml"));
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  const auto got = nlohmann::ordered_json::parse(ParsedMailToJson(*parsed));
  for (const auto& [key, value] : expected.items()) {
    ASSERT_TRUE(got.contains(key)) << name << ": key " << key;
    EXPECT_EQ(nlohmann::json::parse(got[key].dump()), value) << name << ": key " << key;
  }
  // Every contract key is present, in the contract's order.
  const std::vector<std::string> keys = {"message_id", "in_reply_to", "references", "from", "to", "subject",
                                         "ticket_number", "auto_generated", "text", "attachments"};
  std::vector<std::string> got_keys;
  for (const auto& [key, value] : got.items()) got_keys.push_back(key);
  ASSERT_GE(got_keys.size(), keys.size());
  EXPECT_EQ(std::vector<std::string>(got_keys.begin(), got_keys.begin() + static_cast<long>(keys.size())), keys);
}

INSTANTIATE_TEST_SUITE_P(Corpus, MailCorpusTest, ::testing::ValuesIn(CorpusNames(false)),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

class MailBadInputTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MailBadInputTest, IsRefusedNamingInput) {
  auto parsed = ParseMail(Slurp(kCorpus + GetParam() + ".eml"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "input");
  EXPECT_NE(parsed.error().message.find("mail message"), std::string::npos) << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(Corpus, MailBadInputTest, ::testing::ValuesIn(CorpusNames(true)),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(MailCorpus, HasAtLeastFortyMessages) { EXPECT_GE(CorpusNames(false).size(), 40u); }

}  // namespace
}  // namespace sladesk::mail
