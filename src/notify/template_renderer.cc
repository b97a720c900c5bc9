#include "notify/template_renderer.h"

#include <mstch/mstch.hpp>

#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>

#include "notify/mustache_check.h"

namespace sladesk {

namespace fs = std::filesystem;

namespace {

thread_local bool t_escape_html = true;

void InstallEscape() {
  static std::once_flag once;
  std::call_once(once, [] {
    mstch::config::escape = [](const std::string& s) {
      return t_escape_html ? TemplateRenderer::HtmlEscape(s) : s;
    };
  });
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool SafeWord(const std::string& s, bool allow_dash) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (allow_dash && c == '-'))) return false;
  return true;
}

mstch::node ToNode(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return nullptr;
    case nlohmann::json::value_t::boolean: return j.get<bool>();
    case nlohmann::json::value_t::string: return j.get<std::string>();
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: {
      if (j.is_number_unsigned() ? j.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<int>::max())
                                 : (j.get<std::int64_t>() >= std::numeric_limits<int>::min() &&
                                    j.get<std::int64_t>() <= std::numeric_limits<int>::max()))
        return static_cast<int>(j.get<std::int64_t>());
      return j.dump();
    }
    case nlohmann::json::value_t::number_float: return j.get<double>();
    case nlohmann::json::value_t::array: {
      mstch::array a;
      for (const auto& e : j) a.push_back(ToNode(e));
      return a;
    }
    case nlohmann::json::value_t::object: {
      mstch::map m;
      for (const auto& [k, v] : j.items()) m.emplace(k, ToNode(v));
      return m;
    }
    default: return j.dump();
  }
}

Result<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    Error e = MakeError("template", "cannot read the template");
    e.file = p.string();
    return e;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

const std::vector<std::string>& TemplateRenderer::DefaultNotifications() {
  static const std::vector<std::string> kNames = {"ticket_acknowledgement", "agent_reply", "severity_changed",
                                                  "status_update", "sla_warning", "sla_breach", "escalation_step",
                                                  "auto_close_notice"};
  return kNames;
}

std::string TemplateRenderer::HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '/': out += "&#x2F;"; break;
      case '`': out += "&#x60;"; break;
      case '=': out += "&#x3D;"; break;
      default: out += c;
    }
  }
  return out;
}

Result<TemplateRenderer> TemplateRenderer::Open(const fs::path& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec))
    return MakeError("templates", "'" + directory.string() + "' is not a directory of templates");
  InstallEscape();
  return TemplateRenderer(directory);
}

Result<fs::path> TemplateRenderer::Resolve(const std::string& name, const std::string& policy_id) const {
  const bool txt = EndsWith(name, ".txt"), html = EndsWith(name, ".html");
  if (!txt && !html) return MakeError("template", "'" + name + "' must end in .txt or .html");
  std::string stem = name.substr(0, name.size() - (txt ? 4 : 5));
  if (!SafeWord(stem, false)) return MakeError("template", "'" + name + "' is not a template name");
  if (!policy_id.empty() && !SafeWord(policy_id, true))
    return MakeError("policy_id", "'" + policy_id + "' is not a policy id");
  std::error_code ec;
  if (!policy_id.empty()) {
    fs::path over = dir_ / policy_id / (name + ".mustache");
    if (fs::is_regular_file(over, ec)) return over;
  }
  fs::path base = dir_ / (name + ".mustache");
  if (fs::is_regular_file(base, ec)) return base;
  Error e = MakeError("template", "no template '" + name + "'" +
                                      (policy_id.empty() ? "" : " for policy '" + policy_id + "'"));
  e.file = base.string();
  return e;
}

Result<std::string> TemplateRenderer::Render(const std::string& name, const std::string& policy_id,
                                             const nlohmann::json& values) const {
  auto path = Resolve(name, policy_id);
  if (!path.ok()) return path.error();
  auto text = ReadFile(*path);
  if (!text.ok()) return text.error();
  if (Status st = CheckMustache(*text, path->string()); !st.ok()) return st.error();
  if (!values.is_object()) return MakeError("values", "template values must be an object");
  const bool saved = t_escape_html;
  t_escape_html = EndsWith(name, ".html");
  std::string out;
  try {
    out = mstch::render(*text, ToNode(values));
  } catch (const std::exception& ex) {
    t_escape_html = saved;
    Error e = MakeError("template", std::string("rendering failed: ") + ex.what());
    e.file = path->string();
    return e;
  }
  t_escape_html = saved;
  return out;
}

Status TemplateRenderer::CheckAll() const {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".mustache") continue;
    auto text = ReadFile(it->path());
    if (!text.ok()) return text.error();
    if (Status st = CheckMustache(*text, it->path().string()); !st.ok()) return st;
  }
  if (ec) return MakeError("templates", "cannot list '" + dir_.string() + "': " + ec.message());
  return Status::Ok();
}

}  // namespace sladesk
