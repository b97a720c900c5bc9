// `sladesk incident add|end|list --db` and `report sla --db`, end to end on
// a fresh SQLite file (the API tests cover PostgreSQL and the figures).
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace sladesk {
namespace {

using nlohmann::json;
using testing::RunSladesk;

const std::string kSrc = SLADESK_SOURCE_DIR;

class StoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("sladesk_store_cli_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    db_ = "sqlite:" + (dir_ / "desk.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Incident(const std::string& args) {
    return "incident " + args + " --db " + db_ + " --policies " + kSrc + "/policies --now 2026-03-02T09:00:00Z";
  }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(StoreCliTest, RecordEndAndListIncidents) {
  auto a = RunSladesk(Incident("add --service hosting --start 2026-01-10T00:00:00Z --end 2026-01-10T15:40:00Z"));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const json first = json::parse(a.out);
  EXPECT_EQ(first["cause"], "outage");
  EXPECT_TRUE(first["organisation_id"].is_null());
  auto m = RunSladesk(Incident("add --maintenance --service db --start 2026-03-07T01:00:00Z --end 2026-03-07T03:00:00Z"));
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(json::parse(m.out)["cause"], "allowed_maintenance");
  auto open = RunSladesk(Incident("add --service api --start 2026-03-02T08:00:00Z --title 'API errors'"));
  ASSERT_EQ(open.exit_code, 0) << open.err;
  const std::int64_t id = json::parse(open.out)["id"];
  auto list = RunSladesk(Incident("list --open"));
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(json::parse(list.out.substr(0, list.out.find('\n')))["id"], id);
  auto end = RunSladesk(Incident("end --id " + std::to_string(id) + " --end 2026-03-02T08:30:00Z"));
  ASSERT_EQ(end.exit_code, 0) << end.err;
  EXPECT_EQ(json::parse(end.out)["end"], "2026-03-02T08:30:00Z");
  auto again = RunSladesk(Incident("end --id " + std::to_string(id)));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already ended"), std::string::npos) << again.err;
}

TEST_F(StoreCliTest, BadInputNamesTheField) {
  struct Case {
    std::string args, field;
  };
  for (const Case& c : std::vector<Case>{
           {"add --service hosting --start 2026-01-10T00:00:00Z --cause gremlins", "cause"},
           {"add --service hosting --start 2026-01-10", "start"},  // fine as a date: not an error
           {"add --service hosting --start tomorrow", "--start"},
           {"add --service hosting --start 2026-03-05T00:00:00Z", "start"},
           {"add --service hosting --start 2026-01-10T10:00:00Z --end 2026-01-10T09:00:00Z", "end"},
           {"end --id 999", "incident 999"},
       }) {
    SCOPED_TRACE(c.args);
    auto r = RunSladesk(Incident(c.args));
    if (c.args == "add --service hosting --start 2026-01-10") {
      EXPECT_EQ(r.exit_code, 0) << r.err;
      continue;
    }
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.err.find(c.field), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(StoreCliTest, ReportSlaFromTheStore) {
  ASSERT_EQ(RunSladesk(Incident("list")).exit_code, 0);  // creates and migrates the database
  auto r = RunSladesk("report sla --db " + db_ + " --policy " + kSrc +
                      "/policies/gold-support.toml --from 2026-01-01 --to 2026-02-01 --format json --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["tickets_read"], 0);
  EXPECT_EQ(report["total"]["tickets"]["opened"], 0);
  auto both = RunSladesk("report sla --db " + db_ + " --history x.jsonl --policy " + kSrc +
                         "/policies/gold-support.toml --from 2026-01-01 --to 2026-02-01");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("--history"), std::string::npos) << both.err;
}

}  // namespace
}  // namespace sladesk
