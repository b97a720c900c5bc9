// /api/v1/me and /api/v1/users: who is calling, and the staff.
#include "desk/session_service.h"
#include "desk/user_service.h"
#include "server/desk_api.h"
#include "server/sign_in.h"
#include "server/handlers.h"
#include "server/json_fields.h"
#include "server/json_views.h"

namespace sladesk {

using nlohmann::json;

ApiResponse GetMe(ApiCall& call) {
  json me = UserJson(call.actor);
  if (call.session) me["csrf_token"] = call.session->csrf_token;
  me["organisation_name"] = nullptr;
  if (call.actor.organisation_id) {
    auto o = call.repo.GetOrganisation(*call.actor.organisation_id, false);
    if (!o.ok()) return ProblemFor(o.error());
    if (*o) me["organisation_name"] = (*o)->name;
  }
  return WithHeader(JsonResponse(200, me), "Cache-Control", "no-store");
}

ApiResponse SignOut(ApiCall& call) {
  if (!call.session)
    return ProblemFor(MakeError(ErrorCode::kUnauthenticated, "Cookie", "no session to end: sign-out is for the browser's session cookie"));
  if (Status st = SessionService(call.repo).SignOut(call.session->token_hash); !st.ok()) return ProblemFor(st.error());
  ApiResponse r;
  r.status = 204;
  r.headers.emplace_back("Set-Cookie", SignIn::SessionCookie("", 0, call.config.secure_cookies));
  return r;
}

ApiResponse ListUsers(ApiCall& call) {
  auto users = UserService(call.repo).ListStaff(call.actor);
  if (!users.ok()) return ProblemFor(users.error());
  json items = json::array();
  for (const auto& u : *users) items.push_back(UserJson(u));
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse CreateUser(ApiCall& call) {
  JsonFields f(call.body, {"name", "email", "role"});
  StaffInput in;
  in.name = f.RequiredString("name", 200);
  in.email = f.RequiredString("email", 254);
  std::string role = f.RequiredString("role", 20);
  if (!f.ok()) return ProblemResponse(f.error());
  auto r = RoleFromName(role);
  if (!r || *r == Role::kContact || *r == Role::kSystem)
    return ProblemFor(MakeError("role", "'role' must be agent, lead or admin (contacts are added to an organisation)"));
  in.role = *r;
  auto u = UserService(call.repo).CreateStaff(call.actor, call.now, in);
  if (!u.ok()) return ProblemFor(u.error());
  return WithHeader(JsonResponse(201, UserJson(*u)), "Location", "/api/v1/users/" + std::to_string(u->id));
}

}  // namespace sladesk
