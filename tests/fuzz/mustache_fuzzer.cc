// libFuzzer target: CheckMustache and libmstch. Any text must give OK or an
// Error with a position, never a crash or hang; a text the check accepts
// must render through mstch (in both escape modes) without crashing.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include "notify/mustache_check.h"
#include "notify/template_renderer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sladesk::Status st = sladesk::CheckMustache(text, "fuzz.txt.mustache");
  if (!st.ok()) {
    if (st.error().line < 1 || st.error().column < 1) std::abort();
    return 0;
  }
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("sladesk-mustache-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  for (const char* name : {"f.txt", "f.html"}) {
    std::ofstream(dir / (std::string(name) + ".mustache"), std::ios::binary) << text;
    auto r = sladesk::TemplateRenderer::Open(dir);
    if (!r.ok()) std::abort();
    nlohmann::json values = {{"a", "<x>"}, {"b", {{"c", 1}, {"d", {1, 2, 3}}}}, {"e", true}, {"f", nullptr}};
    (void)r->Render(name, "", values);
  }
  return 0;
}
