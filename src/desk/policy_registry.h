// PolicyRegistry: the support policies the desk serves, by id.
//
// Purpose: loads every *.toml in a directory once at start-up (through the
// policy loader) and answers Find(id) for each organisation's policy.
// Thread-safety: immutable after Load/Add; Find is safe from any thread.
// Ownership: shares the loaded policies.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "policy/policy.h"

namespace sladesk {

class PolicyRegistry {
 public:
  // Loads every *.toml file in `dir` (sorted by name). Fails on the first
  // invalid file or a duplicate policy id, naming the file.
  static Result<std::shared_ptr<const PolicyRegistry>> LoadDirectory(const std::string& dir);
  // For tests and embedding: a registry of given policies.
  static std::shared_ptr<const PolicyRegistry> FromPolicies(std::vector<std::shared_ptr<const Policy>> policies);

  const Policy* Find(const std::string& id) const;
  std::vector<std::string> Ids() const;
  std::size_t size() const { return policies_.size(); }

 private:
  std::map<std::string, std::shared_ptr<const Policy>> policies_;
};

}  // namespace sladesk
