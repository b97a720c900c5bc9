// TrimQuotedHistory over the cases in tests/mail/data/quotes/: each file
// holds "=== text", optionally "=== html", and the expected "=== reply".
// Besides the reply, nothing may be lost: every non-blank line of the text
// is in the reply or in the quoted part (text-only cases).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "mail/quote_trimmer.h"

namespace sladesk::mail {
namespace {

const std::string kDir = std::string(SLADESK_SOURCE_DIR) + "/tests/mail/data/quotes/";

std::map<std::string, std::string> ReadSections(const std::string& path) {
  std::ifstream in(path);
  std::map<std::string, std::string> sections;
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.rfind("=== ", 0) == 0) {
      current = line.substr(4);
      sections[current];
      continue;
    }
    sections[current] += line + "\n";
  }
  for (auto& [k, v] : sections)
    while (!v.empty() && v.back() == '\n') v.pop_back();
  return sections;
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kDir))
    if (e.path().extension() == ".txt") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class QuoteTrimmerTest : public ::testing::TestWithParam<std::string> {};

TEST_P(QuoteTrimmerTest, TrimsOnlyQuotedHistory) {
  auto s = ReadSections(kDir + GetParam() + ".txt");
  ASSERT_TRUE(s.count("text") && s.count("reply")) << GetParam();
  const TrimmedText t = TrimQuotedHistory(s["text"], s.count("html") ? s["html"] : "");
  EXPECT_EQ(t.reply, s["reply"]);
  EXPECT_EQ(t.trimmed, !t.quoted.empty());
  if (!s.count("html")) {
    std::istringstream lines(s["text"]);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      EXPECT_TRUE(t.reply.find(line) != std::string::npos || t.quoted.find(line) != std::string::npos)
          << "lost line: " << line;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Quotes, QuoteTrimmerTest, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace sladesk::mail
