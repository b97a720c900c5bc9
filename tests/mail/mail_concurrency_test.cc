// ParseMail from several threads at once: GMime is initialised once
// (std::call_once) and every call owns its objects, so concurrent parses of
// the whole corpus give exactly the answers of a single thread (run under
// AddressSanitizer in make test).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mail/mail_json.h"
#include "mail/mail_parser.h"
#include "mail/quote_trimmer.h"

namespace sladesk::mail {
namespace {

TEST(MailConcurrency, ThreadsParseLikeOne) {
  const std::string dir = std::string(SLADESK_SOURCE_DIR) + "/tests/data/mail/";
  std::vector<std::string> inputs;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".eml") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    inputs.push_back(ss.str());
  }
  std::sort(inputs.begin(), inputs.end());
  ASSERT_GE(inputs.size(), 40u);
  auto answer = [](const std::string& raw) {
    ParseOptions o;
    o.keep_content = true;
    auto r = ParseMail(raw, o);
    if (!r.ok()) return "error: " + r.error().ToString();
    const TrimmedText t = TrimQuotedHistory(r->text, r->html);
    return ParsedMailToJson(*r, &t);
  };
  std::vector<std::string> expected;
  for (const auto& raw : inputs) expected.push_back(answer(raw));
  constexpr int kThreads = 4, kRounds = 5;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round)
        for (std::size_t i = 0; i < inputs.size(); ++i) {
          const std::size_t k = (i + static_cast<std::size_t>(t) * 7) % inputs.size();
          if (answer(inputs[k]) != expected[k]) ++mismatches[static_cast<std::size_t>(t)];
        }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[static_cast<std::size_t>(t)], 0) << "thread " << t;
}

}  // namespace
}  // namespace sladesk::mail
