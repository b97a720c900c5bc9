// libFuzzer target: the TOML policy loader (ParsePolicy, CheckPolicyText).
// Any text must give a Policy or Errors, never a crash, hang or sanitizer
// report; a text ParsePolicy accepts must have no CheckPolicyText errors.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "policy/policy_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = sladesk::ParsePolicy(text, "fuzz.toml");
  auto errors = sladesk::CheckPolicyText(text, "fuzz.toml");
  if (policy.ok() && !errors.empty()) std::abort();
  if (!policy.ok()) (void)policy.error().ToString();
  return 0;
}
