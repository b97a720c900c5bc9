// /api/v1/policies: the loaded support policies, for the policy viewer and
// the portal's ticket form. A contact reads only their organisation's.
#include "server/handlers.h"
#include "server/policy_views.h"

namespace sladesk {
namespace {

using nlohmann::json;

// The policy id a contact may read, or "" for staff (all).
Result<std::string> ContactPolicy(ApiCall& call) {
  if (call.actor.role != Role::kContact) return std::string();
  auto o = call.repo.GetOrganisation(*call.actor.organisation_id, false);
  if (!o.ok()) return o.error();
  if (!*o) return NotFoundError("organisation " + std::to_string(*call.actor.organisation_id) + " does not exist");
  return (*o)->policy_id;
}

ApiResponse Cached(ApiResponse r, const std::string& tag) {
  r.headers.emplace_back("ETag", "\"p-" + tag + "\"");
  r.headers.emplace_back("Cache-Control", "private, max-age=300");
  return r;
}

}  // namespace

ApiResponse ListPolicies(ApiCall& call) {
  auto only = ContactPolicy(call);
  if (!only.ok()) return ProblemFor(only.error());
  json items = json::array();
  for (const auto& id : call.policies.Ids())
    if (only->empty() || *only == id) items.push_back(PolicySummaryJson(*call.policies.Find(id)));
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse GetPolicy(ApiCall& call) {
  auto only = ContactPolicy(call);
  if (!only.ok()) return ProblemFor(only.error());
  const std::string& id = call.params.at(0);
  const Policy* p = call.policies.Find(id);
  if (!p || (!only->empty() && *only != id)) return ProblemFor(NotFoundError("policy '" + id + "' does not exist"));
  const Policy* policy = p;
  return Cached(DeferredJsonResponse(200, [policy] { return PolicyJson(*policy); }), id);
}

}  // namespace sladesk
