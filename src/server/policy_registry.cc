#include "server/policy_registry.h"

#include <algorithm>
#include <filesystem>

#include "policy/policy_loader.h"

namespace sladesk {

Result<std::shared_ptr<const PolicyRegistry>> PolicyRegistry::LoadDirectory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return MakeError("--policies", "'" + dir + "' is not a directory");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  if (ec) return MakeError("--policies", "cannot list '" + dir + "': " + ec.message());
  std::sort(files.begin(), files.end());
  auto registry = std::make_shared<PolicyRegistry>();
  for (const auto& f : files) {
    auto p = LoadPolicyFile(f.string());
    if (!p.ok()) {
      Error e = p.error();
      if (e.file.empty()) e.file = f.string();
      return e;
    }
    const std::string id = (*p)->id;
    if (registry->policies_.count(id))
      return MakeError("--policies", "policy id '" + id + "' appears twice (" + f.string() + ")");
    registry->policies_.emplace(id, *p);
  }
  return std::shared_ptr<const PolicyRegistry>(registry);
}

std::shared_ptr<const PolicyRegistry> PolicyRegistry::FromPolicies(
    std::vector<std::shared_ptr<const Policy>> policies) {
  auto registry = std::make_shared<PolicyRegistry>();
  for (auto& p : policies) registry->policies_[p->id] = p;
  return registry;
}

const Policy* PolicyRegistry::Find(const std::string& id) const {
  auto it = policies_.find(id);
  return it == policies_.end() ? nullptr : it->second.get();
}

std::vector<std::string> PolicyRegistry::Ids() const {
  std::vector<std::string> out;
  for (const auto& [id, p] : policies_) out.push_back(id);
  return out;
}

}  // namespace sladesk
