#include "policy/policy_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "policy/policy_reader.h"

namespace sladesk {
namespace {

struct Outcome {
  std::shared_ptr<Policy> policy;
  std::vector<Error> errors;
};

Outcome Run(std::string_view text, std::string_view source_name) {
  Outcome out;
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    Error err = MakeError("", "TOML syntax: " + std::string(e.description()));
    err.file = std::string(source_name);
    err.line = e.source().begin.line > 0 ? static_cast<int>(e.source().begin.line) : 1;
    err.column = e.source().begin.column > 0 ? static_cast<int>(e.source().begin.column) : 1;
    out.errors.push_back(std::move(err));
    return out;
  } catch (const std::exception& e) {
    // toml++ only throws parse_error; anything else (e.g. bad_alloc) still
    // must not cross the module boundary.
    Error err = MakeError("", std::string("cannot parse: ") + e.what());
    err.file = std::string(source_name);
    out.errors.push_back(std::move(err));
    return out;
  }
  PolicyReader reader{std::string(source_name)};
  out.policy = reader.Read(root);
  out.errors = std::move(reader.errors());
  return out;
}

}  // namespace

Result<std::shared_ptr<const Policy>> ParsePolicy(std::string_view toml_text,
                                                  std::string_view source_name) {
  Outcome o = Run(toml_text, source_name);
  if (!o.errors.empty()) return o.errors.front();
  return std::shared_ptr<const Policy>(std::move(o.policy));
}

std::vector<Error> CheckPolicyText(std::string_view toml_text, std::string_view source_name) {
  return Run(toml_text, source_name).errors;
}

Result<std::shared_ptr<const Policy>> LoadPolicyFile(const std::string& path) {
  auto fail = [&path](std::string why) {
    Error e = MakeError("", std::move(why));
    e.file = path;
    return e;
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return fail("is a directory, not a policy file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(std::string("cannot read policy file: ") + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return fail("cannot read policy file");
  return ParsePolicy(buf.str(), path);
}

Result<std::vector<std::shared_ptr<const Policy>>> LoadPolicyDirectory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return MakeError("--policies", "'" + dir + "' is not a directory");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  if (ec) return MakeError("--policies", "cannot list '" + dir + "': " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<std::shared_ptr<const Policy>> out;
  for (const auto& f : files) {
    auto p = LoadPolicyFile(f.string());
    if (!p.ok()) {
      Error e = p.error();
      if (e.file.empty()) e.file = f.string();
      return e;
    }
    out.push_back(std::move(p).value());
  }
  return out;
}

}  // namespace sladesk
