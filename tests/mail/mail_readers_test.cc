// MboxReader and MaildirReader: splitting, >From unescaping (mboxrd and
// mboxo), the separator lines left out, line ends kept, new/ and cur/ with
// flags, tmp/ and dot files skipped, and memory that does not grow with the
// number of messages.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "mail/maildir_reader.h"
#include "mail/mbox_reader.h"

namespace sladesk::mail {
namespace {

std::vector<MboxMessage> ReadAll(const std::string& text, MboxFormat format = MboxFormat::kMboxrd) {
  std::istringstream in(text);
  MboxReader reader(in, format);
  std::vector<MboxMessage> out;
  MboxMessage m;
  while (true) {
    auto r = reader.Next(m);
    EXPECT_TRUE(r.ok());
    if (!r.ok() || !*r) break;
    out.push_back(m);
  }
  return out;
}

TEST(MboxReader, SplitsAndUnescapes) {
  const std::string mbox =
      "From jane@x.example Mon Dec 14 09:00:00 2026\n"
      "Subject: one\n\n"
      "Hello\n>From the logs\n>>From twice quoted\nFrom within a line is fine\n\n"
      "From tom@x.example Mon Dec 14 10:00:00 2026\n"
      "Subject: two\n\nSecond\n\n"
      "From - Tue Dec 15 08:00:00 2026\n"
      "Subject: three\n\nThird, no final newline";
  const auto m = ReadAll(mbox);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].envelope, "jane@x.example Mon Dec 14 09:00:00 2026");
  EXPECT_EQ(m[0].bytes,
            "Subject: one\n\nHello\nFrom the logs\n>From twice quoted\nFrom within a line is fine\n");
  EXPECT_EQ(m[1].bytes, "Subject: two\n\nSecond\n");
  EXPECT_EQ(m[2].envelope, "- Tue Dec 15 08:00:00 2026");
  EXPECT_EQ(m[2].bytes, "Subject: three\n\nThird, no final newline");
  EXPECT_EQ(m[1].index, 1u);
  EXPECT_EQ(m[1].offset, mbox.find("From tom@"));
  // mboxo: only a single '>' is an escape.
  const auto o = ReadAll(mbox, MboxFormat::kMboxo);
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o[0].bytes,
            "Subject: one\n\nHello\nFrom the logs\n>>From twice quoted\nFrom within a line is fine\n");
}

TEST(MboxReader, KeepsCrlfAndNeedsAFromLine) {
  const auto m = ReadAll("From a@b Mon Dec 14 09:00:00 2026\r\nSubject: x\r\n\r\nbody\r\n\r\n"
                         "From c@d Mon Dec 14 09:00:00 2026\r\nSubject: y\r\n\r\nbody2\r\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].bytes, "Subject: x\r\n\r\nbody\r\n");
  EXPECT_EQ(m[1].bytes, "Subject: y\r\n\r\nbody2\r\n");
  // A "From " line not after an empty line is body text.
  EXPECT_EQ(ReadAll("From a@b x 2026\nSubject: z\n\nline\nFrom here on\n").size(), 1u);
  EXPECT_TRUE(ReadAll("").empty());
  std::istringstream not_mbox("Subject: plain message\n\nbody\n");
  MboxReader reader(not_mbox);
  MboxMessage msg;
  auto r = reader.Next(msg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "--mbox");
  EXPECT_FALSE(MboxReader::Open("/nonexistent/file.mbox").ok());
}

TEST(MboxReader, MemoryIsFlatInTheNumberOfMessages) {
  std::string mbox;
  for (int i = 0; i < 5000; ++i)
    mbox += "From sender@x.example Mon Dec 14 09:00:00 2026\nSubject: " + std::to_string(i) + "\n\nbody\n\n";
  std::istringstream in(mbox);
  MboxReader reader(in);
  MboxMessage m;
  std::size_t count = 0, max_buffer = 0;
  while (*reader.Next(m)) {
    ++count;
    max_buffer = std::max(max_buffer, reader.BufferedBytes());
    EXPECT_LT(m.bytes.size(), 64u);
  }
  EXPECT_EQ(count, 5000u);
  EXPECT_LT(max_buffer, 256u);  // one look-ahead line, not the file
}

class MaildirReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "sladesk_maildir_" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    for (const char* sub : {"new", "cur", "tmp"}) std::filesystem::create_directories(dir_ + "/" + sub);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) { std::ofstream(dir_ + "/" + rel, std::ios::binary) << text; }
  std::string dir_;
};

TEST_F(MaildirReaderTest, ReadsNewThenCurWithFlags) {
  Write("new/1700000001.M1P1.host", "Subject: a\r\n\r\nA\r\n");
  Write("new/1700000002.M2P1.host", "Subject: b\n\nB\n");
  Write("cur/1700000000.M0P1.host:2,RS", "Subject: c\n\nC\n");
  Write("tmp/1700000003.M3P1.host", "Subject: in progress\n\n");
  Write("new/.hidden", "x");
  std::filesystem::create_directories(dir_ + "/cur/subdir");
  auto reader = MaildirReader::Open(dir_);
  ASSERT_TRUE(reader.ok());
  MaildirMessage m;
  std::vector<MaildirMessage> all;
  while (*(*reader)->Next(m)) all.push_back(m);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(all[0].is_new);
  EXPECT_TRUE(all[1].is_new);
  EXPECT_FALSE(all[2].is_new);
  std::set<std::string> new_bodies{all[0].bytes, all[1].bytes};
  EXPECT_EQ(new_bodies, (std::set<std::string>{"Subject: a\r\n\r\nA\r\n", "Subject: b\n\nB\n"}));
  EXPECT_EQ(all[2].name, "1700000000.M0P1.host");
  EXPECT_EQ(all[2].flags, "RS");
  EXPECT_EQ(all[2].bytes, "Subject: c\n\nC\n");
}

TEST_F(MaildirReaderTest, RefusesWhatIsNotAMaildir) {
  EXPECT_FALSE(MaildirReader::Open(dir_ + "/new").ok());
  EXPECT_FALSE(MaildirReader::Open("/nonexistent").ok());
  std::filesystem::remove_all(dir_ + "/new");
  auto reader = MaildirReader::Open(dir_);  // cur/ alone is enough
  ASSERT_TRUE(reader.ok());
  MaildirMessage m;
  EXPECT_FALSE(*(*reader)->Next(m));
}

}  // namespace
}  // namespace sladesk::mail
