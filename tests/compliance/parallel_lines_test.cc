// ParallelLines: every line processed once with its number, outputs in input
// order whatever the worker count and chunk size, the first failing line in
// input order reported, blank lines and CRLF, over-long lines refused, and
// read errors passed on.
#include "compliance/parallel_lines.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>

namespace sladesk {
namespace {

ParallelLines::ReadFn FromString(const std::string& text, size_t piece = 7) {
  auto pos = std::make_shared<size_t>(0);
  return [&text, pos, piece](char* buf, size_t n) -> Result<size_t> {
    const size_t k = std::min({n, piece, text.size() - *pos});
    text.copy(buf, k, *pos);
    *pos += k;
    return k;
  };
}

std::string Lines(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i) s += "line " + std::to_string(i) + (i % 5 == 0 ? "\r\n" : "\n");
  return s;
}

TEST(ParallelLinesTest, EveryLineOnceOutputsInOrder) {
  const std::string text = Lines(5000);
  for (int workers : {1, 2, 4}) {
    for (size_t chunk : {size_t{16}, size_t{1000}, size_t{1} << 20}) {
      ParallelLines::Options o;
      o.workers = workers;
      o.chunk_bytes = chunk;
      o.max_chunks_in_flight = 3;
      std::mutex mu;
      std::set<std::int64_t> numbers;
      std::string emitted;
      auto stats = ParallelLines::Run(
          o, FromString(text, 333),
          [&](int w, std::string_view line, std::int64_t n, std::string& out) -> Status {
            EXPECT_GE(w, 0);
            EXPECT_LT(w, workers);
            EXPECT_EQ(line, "line " + std::to_string(n));  // no newline, no CR
            std::lock_guard<std::mutex> lock(mu);
            EXPECT_TRUE(numbers.insert(n).second);
            out += std::to_string(n) + ",";
            return Status::Ok();
          },
          [&](std::string_view out) { emitted += out; });
      ASSERT_TRUE(stats.ok()) << stats.error().ToString();
      EXPECT_EQ(stats->lines, 5000);
      EXPECT_EQ(stats->bytes, static_cast<std::int64_t>(text.size()));
      EXPECT_EQ(numbers.size(), 5000u);
      std::string expected;
      for (int i = 1; i <= 5000; ++i) expected += std::to_string(i) + ",";
      EXPECT_EQ(emitted, expected) << workers << " " << chunk;
    }
  }
}

TEST(ParallelLinesTest, TheFirstFailingLineInInputOrderWins) {
  const std::string text = Lines(3000);
  for (int run = 0; run < 20; ++run) {
    ParallelLines::Options o;
    o.workers = 3;
    o.chunk_bytes = 64;
    auto stats = ParallelLines::Run(o, FromString(text), [&](int, std::string_view, std::int64_t n, std::string&) -> Status {
      if (n == 1234 || n == 2000 || (n == 2900 && run % 2 == 0)) return MakeError("x", "bad line " + std::to_string(n));
      return Status::Ok();
    });
    ASSERT_FALSE(stats.ok());
    EXPECT_EQ(stats.error().line, 1234);
    EXPECT_EQ(stats.error().message, "bad line 1234");
  }
}

TEST(ParallelLinesTest, BlankLinesAreSkippedButCounted) {
  const std::string text = "a\n\n   \n\r\nb\nc";  // no final newline
  std::vector<std::pair<std::int64_t, std::string>> seen;
  std::mutex mu;
  ParallelLines::Options o;
  o.workers = 1;
  auto stats = ParallelLines::Run(o, FromString(text), [&](int, std::string_view line, std::int64_t n, std::string&) {
    std::lock_guard<std::mutex> lock(mu);
    seen.emplace_back(n, std::string(line));
    return Status::Ok();
  });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, std::string>>{{1, "a"}, {5, "b"}, {6, "c"}}));
  EXPECT_EQ(stats->lines, 3);
}

TEST(ParallelLinesTest, OverLongLinesAndReadErrors) {
  const std::string text = "short\n" + std::string(5000, 'x') + "\nshort\n";
  ParallelLines::Options o;
  o.chunk_bytes = 16;
  o.max_line_bytes = 1024;
  auto stats = ParallelLines::Run(o, FromString(text, 100), [](int, std::string_view, std::int64_t, std::string&) {
    return Status::Ok();
  });
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().line, 2);
  EXPECT_NE(stats.error().message.find("longer than"), std::string::npos);

  int calls = 0;
  auto failing = ParallelLines::Run(
      ParallelLines::Options{},
      [&](char* buf, size_t) -> Result<size_t> {
        if (calls++ == 0) {
          buf[0] = 'a';
          buf[1] = '\n';
          return size_t{2};
        }
        return MakeError("--history", "disk on fire");
      },
      [](int, std::string_view, std::int64_t, std::string&) { return Status::Ok(); });
  ASSERT_FALSE(failing.ok());
  EXPECT_EQ(failing.error().message, "disk on fire");
}

TEST(ParallelLinesTest, EmptyInput) {
  auto stats = ParallelLines::Run(ParallelLines::Options{}, [](char*, size_t) -> Result<size_t> { return size_t{0}; },
                                  [](int, std::string_view, std::int64_t, std::string&) { return Status::Ok(); });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->lines, 0);
}

}  // namespace
}  // namespace sladesk
