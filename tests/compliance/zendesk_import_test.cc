// Zendesk ticket metric events CSV -> history JSONL: the sample file made
// for this (data/zendesk/) converts to the hand-checked JSONL, CSV quoting,
// and the errors a bad export gets.
#include "compliance/zendesk_import.h"

#include <gtest/gtest.h>

#include "compliance/history_jsonl.h"
#include "compliance_test_util.h"

namespace sladesk {
namespace {

std::string Convert(const std::string& csv, ZendeskDefaults d, Status* status = nullptr) {
  ZendeskImport import(std::move(d));
  Status s = import.AddCsv(csv);
  if (status) *status = s;
  if (!s.ok()) return "error: " + s.error().ToString();
  auto tickets = import.Finish();
  if (!tickets.ok()) return "error: " + tickets.error().ToString();
  std::string out;
  for (const auto& t : *tickets) out += HistoryLineJson(t) + "\n";
  return out;
}

TEST(ZendeskImportTest, TheSampleConvertsToTheCheckedHistory) {
  // 101: created, answered (reply_time + pausable_update_time fulfil at the
  // same second: one agent_reply), pending, back, solved, reopened (instance
  // 2), updated, solved again. 102: answered late (Zendesk's own breach row
  // is ignored), then a periodic update. 103: solved without a reply.
  EXPECT_EQ(Convert(testing::ReadSourceFile("tests/compliance/data/zendesk/ticket_metric_events.csv"), {"", "gold", ""}),
            testing::ReadSourceFile("tests/compliance/data/zendesk/ticket_metric_events.jsonl"));
}

TEST(ZendeskImportTest, RowsInAnyOrderAndQuotedFields) {
  const std::string csv =
      "ticket_id,time,type,metric,instance_id,plan,organisation\r\n"
      "9,2026-03-02T10:00:00Z,fulfill,reply_time,1,,\r\n"
      "10,2026-03-02T08:00:00Z,activate,reply_time,1,gold,\"A \"\"quoted\"\", name\"\r\n"
      "9,2026-03-02T08:00:00Z,activate,reply_time,1,enterprise,\"multi\nline\"\r\n"
      "\r\n";
  EXPECT_EQ(Convert(csv, {}),
            "{\"id\":\"9\",\"organisation\":\"multi\\nline\",\"plan\":\"enterprise\",\"events\":["
            "{\"at\":\"2026-03-02T08:00:00Z\",\"type\":\"opened\"},{\"at\":\"2026-03-02T10:00:00Z\",\"type\":\"agent_reply\"}]}\n"
            "{\"id\":\"10\",\"organisation\":\"A \\\"quoted\\\", name\",\"plan\":\"gold\",\"events\":["
            "{\"at\":\"2026-03-02T08:00:00Z\",\"type\":\"opened\"}]}\n");
}

TEST(ZendeskImportTest, Errors) {
  EXPECT_EQ(Convert("", {}), "error: --csv: empty file: expected a header line");
  EXPECT_EQ(Convert("ticket_id,metric,type,time\n", {}).rfind("error: --csv: the header has no 'instance_id' column", 0), 0u);
  EXPECT_EQ(Convert("ticket_id,metric,instance_id,type,time\n1,reply_time,1,activate,yesterday\n", {"", "gold", ""})
                .rfind("error: line 2: time: 'yesterday' is not an RFC 3339 time", 0),
            0u);
  EXPECT_EQ(Convert("ticket_id,metric,instance_id,type,time\n,reply_time,1,activate,2026-03-02T08:00:00Z\n", {}),
            "error: line 2: ticket_id: missing");
  EXPECT_EQ(Convert("ticket_id,metric,instance_id,type,time\n7,reply_time,1,activate,2026-03-02T08:00:00Z\n", {}),
            "error: --plan: ticket 7 has no plan column and no --plan was given");
  EXPECT_EQ(Convert("ticket_id,metric,instance_id,type,time\n7,reply_time,1,activate,\"2026-03-02T08:00:00Z\n", {"", "g", ""}),
            "error: line 2: unterminated quoted field");
}

TEST(ZendeskImportTest, CsvRecords) {
  std::vector<std::string> f;
  size_t pos = 0;
  std::string err;
  const std::string text = "a,\"b,c\",\"d\"\"e\"\n,\n";
  ASSERT_TRUE(NextCsvRecord(text, pos, f, &err));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b,c", "d\"e"}));
  ASSERT_TRUE(NextCsvRecord(text, pos, f, &err));
  EXPECT_EQ(f, (std::vector<std::string>{"", ""}));
  EXPECT_FALSE(NextCsvRecord(text, pos, f, &err));
  EXPECT_TRUE(err.empty());
}

}  // namespace
}  // namespace sladesk
