// Parse throughput of ParseMail (CONTRACT §9) on one core, over the corpus
// of bench/mail/generate_corpus.py (10,000 messages in a maildir; set
// SLADESK_MAIL_CORPUS, default /tmp/sladesk-mail-corpus). items_per_second
// is messages per second; bytes_per_second the input rate.
//
//   python3 bench/mail/generate_corpus.py --out /tmp/sladesk-mail-corpus
//   ./build/bench/mail_parse_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "mail/mail_json.h"
#include "mail/mail_parser.h"
#include "mail/maildir_reader.h"
#include "mail/quote_trimmer.h"

namespace {

const std::vector<std::string>& Corpus() {
  static const std::vector<std::string>* corpus = [] {
    auto* out = new std::vector<std::string>;
    const char* env = std::getenv("SLADESK_MAIL_CORPUS");
    const std::string dir = env ? env : "/tmp/sladesk-mail-corpus";
    auto reader = sladesk::mail::MaildirReader::Open(dir);
    if (!reader.ok()) {
      std::cerr << reader.error().ToString() << " (run bench/mail/generate_corpus.py first)\n";
      std::exit(2);
    }
    sladesk::mail::MaildirMessage m;
    while (*(*reader)->Next(m)) out->push_back(std::move(m.bytes));
    return out;
  }();
  return *corpus;
}

std::size_t TotalBytes() {
  std::size_t n = 0;
  for (const auto& m : Corpus()) n += m.size();
  return n;
}

// The whole corpus once per iteration: what `mail ingest --maildir` parses.
void BM_ParseCorpus(benchmark::State& state) {
  const auto& corpus = Corpus();
  for (auto _ : state) {
    for (const std::string& raw : corpus) {
      auto parsed = sladesk::mail::ParseMail(raw);
      benchmark::DoNotOptimize(parsed);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(corpus.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(TotalBytes()));
}
BENCHMARK(BM_ParseCorpus)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// What ingest keeps: attachment bytes and the HTML, then the trimmed reply.
void BM_ParseKeepContentAndTrim(benchmark::State& state) {
  const auto& corpus = Corpus();
  sladesk::mail::ParseOptions options;
  options.keep_content = true;
  for (auto _ : state) {
    for (const std::string& raw : corpus) {
      auto parsed = sladesk::mail::ParseMail(raw, options);
      if (parsed.ok()) benchmark::DoNotOptimize(sladesk::mail::TrimQuotedHistory(parsed->text, parsed->html));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(corpus.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(TotalBytes()));
}
BENCHMARK(BM_ParseKeepContentAndTrim)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Parse + the contract's JSON (`sladesk mail parse` without the process).
void BM_ParseToJson(benchmark::State& state) {
  const auto& corpus = Corpus();
  for (auto _ : state) {
    for (const std::string& raw : corpus) {
      auto parsed = sladesk::mail::ParseMail(raw);
      if (parsed.ok()) benchmark::DoNotOptimize(sladesk::mail::ParsedMailToJson(*parsed));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(corpus.size()));
}
BENCHMARK(BM_ParseToJson)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
