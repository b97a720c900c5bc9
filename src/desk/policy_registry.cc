#include "desk/policy_registry.h"

#include "desk/firing_planner.h"
#include "policy/policy_loader.h"

namespace sladesk {
namespace {

// A policy that states no warning thresholds warns at kDefaultWarnPercent
// (the SLA engine and the scheduler read Policy::warn_at_percent).
std::shared_ptr<const Policy> WithDefaultWarnings(std::shared_ptr<const Policy> p) {
  if (!p->warn_at_percent.empty()) return p;
  auto copy = std::make_shared<Policy>(*p);
  copy->warn_at_percent = {kDefaultWarnPercent};
  return copy;
}

}  // namespace

Result<std::shared_ptr<const PolicyRegistry>> PolicyRegistry::LoadDirectory(const std::string& dir) {
  auto policies = LoadPolicyDirectory(dir);
  if (!policies.ok()) return policies.error();
  auto registry = std::make_shared<PolicyRegistry>();
  for (auto& p : *policies) {
    const std::string id = p->id;
    if (registry->policies_.count(id))
      return MakeError("--policies", "policy id '" + id + "' appears twice in '" + dir + "'");
    registry->policies_.emplace(id, WithDefaultWarnings(std::move(p)));
  }
  return std::shared_ptr<const PolicyRegistry>(registry);
}

std::shared_ptr<const PolicyRegistry> PolicyRegistry::FromPolicies(
    std::vector<std::shared_ptr<const Policy>> policies) {
  auto registry = std::make_shared<PolicyRegistry>();
  for (auto& p : policies) registry->policies_[p->id] = WithDefaultWarnings(p);
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
