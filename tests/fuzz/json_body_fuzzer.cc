// libFuzzer target: ParseJsonBody (the API's request bodies). Any bytes
// must give a json value or an Error, never a crash, hang or sanitizer
// report; an accepted value is at most 64 levels deep; and it agrees with
// nlohmann::json::accept except where one of its own limits refused.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "server/json_body.h"

namespace {
std::size_t Depth(const nlohmann::json& root) {
  std::size_t deepest = 0;
  std::vector<std::pair<const nlohmann::json*, std::size_t>> todo{{&root, 1}};
  while (!todo.empty()) {
    auto [j, d] = todo.back();
    todo.pop_back();
    if (!j->is_structured()) continue;
    deepest = std::max(deepest, d);
    for (const auto& child : *j) todo.push_back({&child, d + 1});
  }
  return deepest;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = sladesk::ParseJsonBody(text);
  const bool nlohmann_accepts = nlohmann::json::accept(text);
  if (parsed.ok()) {
    if (Depth(*parsed) > 64) std::abort();
    if (!nlohmann_accepts) std::abort();
  } else {
    const std::string& m = parsed.error().message;
    const bool limit = m.find("nested deeper") != std::string::npos || m.find("longer than") != std::string::npos;
    if (nlohmann_accepts && !limit) std::abort();
  }
  return 0;
}
