#include "compliance/parallel_lines.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace sladesk {
namespace {

struct Chunk {
  std::int64_t first_line = 1;
  std::string text;
  std::string output;
  Status status;
  std::int64_t lines = 0;
  bool done = false;
};

std::int64_t CountNewlines(const char* p, size_t n) {
  std::int64_t count = 0;
  const char* end = p + n;
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr) {
    ++count;
    ++p;
  }
  return count;
}

}  // namespace

Result<ParallelLines::Stats> ParallelLines::Run(const Options& options, const ReadFn& read, const ProcessFn& process,
                                                const EmitFn& emit, const ProgressFn& progress) {
  const int workers = std::max(1, options.workers);
  const size_t in_flight_max = std::max<size_t>(1, options.max_chunks_in_flight);
  std::mutex mu;
  std::condition_variable work_ready, slot_free;
  std::deque<std::unique_ptr<Chunk>> pending;  // read, not yet emitted, in order
  std::deque<Chunk*> queue;                    // not yet taken by a worker
  bool reading_done = false;
  bool stop = false;
  std::optional<Error> first_error;
  Stats stats;

  auto worker = [&](int index) {
    for (;;) {
      Chunk* c = nullptr;
      {
        std::unique_lock<std::mutex> lock(mu);
        work_ready.wait(lock, [&] { return !queue.empty() || reading_done; });
        if (queue.empty()) return;
        c = queue.front();
        queue.pop_front();
      }
      // Process its lines (outside the lock).
      const char* p = c->text.data();
      const char* end = p + c->text.size();
      std::int64_t line = c->first_line;
      while (p < end) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        const char* stop_at = nl ? nl : end;
        std::string_view text(p, static_cast<size_t>(stop_at - p));
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (text.find_first_not_of(" \t") != std::string_view::npos) {
          ++c->lines;
          Status s = process(index, text, line, c->output);
          if (!s.ok()) {
            Error e = s.error();
            e.line = static_cast<int>(std::min<std::int64_t>(line, 2147483647));
            c->status = e;
            break;
          }
        }
        ++line;
        p = nl ? nl + 1 : end;
      }
      // Emit every finished chunk at the front, in order.
      std::lock_guard<std::mutex> lock(mu);
      c->done = true;
      while (!pending.empty() && pending.front()->done) {
        std::unique_ptr<Chunk> front = std::move(pending.front());
        pending.pop_front();
        if (!stop) {
          if (!front->status.ok()) {
            first_error = front->status.error();
            stop = true;
          } else {
            stats.lines += front->lines;
            if (emit && !front->output.empty()) emit(front->output);
          }
        }
      }
      slot_free.notify_all();
    }
  };

  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(workers));
  for (int i = 0; i < workers; ++i) threads.emplace_back(worker, i);

  std::optional<Error> read_error;
  std::string carry;
  std::int64_t next_line = 1;
  bool eof = false;
  while (!eof) {
    {
      std::unique_lock<std::mutex> lock(mu);
      slot_free.wait(lock, [&] { return pending.size() < in_flight_max || stop; });
      if (stop) break;
    }
    auto chunk = std::make_unique<Chunk>();
    chunk->text = std::move(carry);
    carry.clear();
    size_t want = std::max(options.chunk_bytes, chunk->text.size() + 4096);
    // Fill to `want`, then cut after the last newline (grow for a long line).
    for (;;) {
      const size_t have = chunk->text.size();
      chunk->text.resize(want);
      size_t got_total = have;
      while (got_total < want) {
        auto got = read(chunk->text.data() + got_total, want - got_total);
        if (!got.ok()) {
          read_error = got.error();
          break;
        }
        if (*got == 0) {
          eof = true;
          break;
        }
        got_total += *got;
      }
      chunk->text.resize(got_total);
      stats.bytes += static_cast<std::int64_t>(got_total - have);
      if (read_error || eof) break;
      const size_t last_nl = chunk->text.rfind('\n');
      if (last_nl != std::string::npos) {
        carry.assign(chunk->text, last_nl + 1, std::string::npos);
        chunk->text.resize(last_nl + 1);
        break;
      }
      if (want >= options.max_line_bytes) {
        Error e = MakeError("input", "a line longer than " + std::to_string(options.max_line_bytes) +
                                         " bytes (one ticket object a line)");
        e.line = static_cast<int>(std::min<std::int64_t>(next_line, 2147483647));
        read_error = e;
        break;
      }
      want = std::min(want * 2, options.max_line_bytes);
    }
    if (read_error) break;
    if (chunk->text.empty()) continue;
    chunk->first_line = next_line;
    next_line += CountNewlines(chunk->text.data(), chunk->text.size());
    if (carry.size() > options.max_line_bytes) {  // the next line is already too long
      Error e = MakeError("input", "a line longer than " + std::to_string(options.max_line_bytes) +
                                       " bytes (one ticket object a line)");
      e.line = static_cast<int>(std::min<std::int64_t>(next_line, 2147483647));
      read_error = e;
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      ++stats.chunks;
      queue.push_back(chunk.get());
      pending.push_back(std::move(chunk));
    }
    work_ready.notify_one();
    if (progress) progress(stats.bytes);
    if (read_error) break;
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    reading_done = true;
  }
  work_ready.notify_all();
  for (auto& t : threads) t.join();
  if (first_error) return *first_error;
  if (read_error) return *read_error;
  return stats;
}

}  // namespace sladesk
