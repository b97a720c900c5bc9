// `sladesk token create`: the expiry is 1..3650 days, or none at all.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_runner.h"

namespace sladesk::testing {
namespace {

TEST(TokenCliTest, ZeroDaysIsRefusedInsteadOfMeaningNever) {
  const auto dir = std::filesystem::temp_directory_path() / ("sladesk_token_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string db = "sqlite:" + (dir / "desk.db").string();
  auto zero = RunSladesk("token create --db " + db + " --email ops@example.com --role admin --expires-in-days 0");
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("--expires-in-days"), std::string::npos) << zero.err;
  auto week = RunSladesk("token create --db " + db + " --email ops@example.com --role admin --expires-in-days 7");
  EXPECT_EQ(week.exit_code, 0) << week.err;
  EXPECT_EQ(week.out.rfind("sdk_", 0), 0u) << week.out;
  auto never = RunSladesk("token create --db " + db + " --email OPS@example.com");  // the same user, any case
  EXPECT_EQ(never.exit_code, 0) << never.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sladesk::testing
