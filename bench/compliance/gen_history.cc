// gen_history: writes a synthetic ticket history (docs/COMPLIANCE.md JSONL)
// for the `backtest` and `report sla` benchmarks, on stdout.
//
//   gen_history TICKETS [SEED]
//
// Tickets of seed 002 (policies/gold-support.toml: plans professional,
// enterprise, gold; severities urgent..low) spread over 2026, 200
// organisations, 40 agents, exactly 10 events each: opened, replies,
// waits and customer replies, a severity change on some, resolved,
// sometimes reopened and resolved again. Deterministic for a seed.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace {

void AppendInstant(std::string& out, std::int64_t t) {
  const std::int64_t days = t / 86400;
  std::int64_t secs = t % 86400;
  // civil_from_days (Howard Hinnant)
  std::int64_t z = days + 719468;
  const std::int64_t era = z / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02" PRId64 ":%02" PRId64 "Z", y, m,
                d, secs / 3600, secs % 3600 / 60, secs % 60);
  out += buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_history TICKETS [SEED]\n");
    return 2;
  }
  const long long n = std::atoll(argv[1]);
  std::mt19937_64 rng(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1);
  const char* plans[] = {"professional", "enterprise", "gold"};
  const char* sevs[] = {"urgent", "high", "normal", "low"};
  auto gap = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::string line;
  line.reserve(2048);
  const std::int64_t year_start = 1767225600;  // 2026-01-01T00:00:00Z
  for (long long i = 0; i < n; ++i) {
    line.clear();
    const int org = static_cast<int>(gap(0, 199));
    line += "{\"id\":\"T-" + std::to_string(i) + "\",\"organisation\":\"org-" + std::to_string(org) +
            "\",\"plan\":\"" + plans[org % 3] + "\",\"severity\":\"" + sevs[gap(0, 3)] + "\",\"assignee\":\"agent-" +
            std::to_string(gap(0, 39)) + "\",\"events\":[";
    std::int64_t t = year_start + gap(0, 364 * 86400);
    // 10 events: opened, reply, wait, customer reply, reply, [severity change | reply],
    // resolved, reopened, reply, resolved.
    const char* kinds[10] = {"opened", "agent_reply", "waiting_on_customer", "customer_reply", "agent_reply",
                             gap(0, 4) == 0 ? "severity_changed" : "agent_reply", "resolved", "reopened",
                             "agent_reply", "resolved"};
    for (int k = 0; k < 10; ++k) {
      if (k > 0) {
        t += k == 7 ? gap(3600, 5 * 86400) : gap(60, 30 * 3600);
        line += ',';
      }
      line += "{\"at\":\"";
      AppendInstant(line, t);
      line += "\",\"type\":\"";
      line += kinds[k];
      line += '"';
      if (kinds[k][0] == 's' && kinds[k][1] == 'e') {
        line += ",\"severity\":\"";
        line += sevs[gap(0, 3)];
        line += '"';
      }
      line += '}';
    }
    line += "]";
    if (gap(0, 9) == 0) {
      line += ",\"escalations\":[{\"at\":\"";
      AppendInstant(line, t - 3600);
      line += "\",\"level\":\"Duty manager\"}]";
    }
    if (gap(0, 3) == 0) line += ",\"support_hours\":" + std::to_string(gap(1, 20) / 4.0).substr(0, 4);
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}
