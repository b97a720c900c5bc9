#include "desk/user_service.h"

#include "desk/text_rules.h"

namespace sladesk {

Result<User> UserService::CreateStaff(const User& actor, Instant now, const StaffInput& in) {
  if (actor.role != Role::kAdmin && actor.role != Role::kSystem) return ForbiddenError("only admins create staff users");
  if (TextRules::IsBlank(in.name)) return MakeError("name", "'name' must not be empty");
  if (Status st = TextRules::CheckSingleLine("name", in.name); !st.ok()) return st.error();
  if (Status st = TextRules::CheckSingleLine("email", in.email); !st.ok()) return st.error();
  if (in.email.find('@') == std::string::npos) return MakeError("email", "'email' must be an e-mail address");
  if (in.role == Role::kContact || in.role == Role::kSystem)
    return MakeError("role", "'role' must be agent, lead or admin (contacts are added to an organisation)");
  auto existing = repo_.FindUserByEmail(in.email);
  if (!existing.ok()) return existing.error();
  if (*existing) return ConflictError("email", "a user with e-mail '" + (*existing)->email + "' already exists");
  User u;
  u.name = in.name;
  u.email = in.email;
  u.role = in.role;
  u.created_at = now;
  auto id = repo_.InsertUser(u);
  if (!id.ok()) return id.error();
  u.id = *id;
  return u;
}

Result<std::vector<User>> UserService::ListStaff(const User& actor) {
  if (!IsStaff(actor.role)) return ForbiddenError("contacts cannot list staff");
  return repo_.ListUsers(std::nullopt);
}

Result<User> UserService::IssueToken(Instant now, const TokenRequest& r) {
  auto user = repo_.FindUserByEmail(r.email);
  if (!user.ok()) return user.error();
  User u;
  if (*user) {
    u = **user;
  } else {
    if (!r.create_role || *r.create_role == Role::kContact || *r.create_role == Role::kSystem)
      return MakeError("--email", "no user has e-mail '" + r.email + "'; pass --role agent|lead|admin to create a staff user");
    auto created = CreateStaff(SystemUser(), now,
                               {r.name.empty() ? r.email : r.name, r.email, *r.create_role});
    if (!created.ok()) return created.error();
    u = *created;
  }
  ApiToken t;
  t.user_id = u.id;
  t.name = r.token_name;
  t.token_hash = r.token_hash;
  t.created_at = now;
  t.expires_at = r.expires_at;
  auto id = repo_.InsertToken(t);
  if (!id.ok()) return id.error();
  return u;
}

Result<User> UserService::Authenticate(const std::string& token_hash, Instant now) {
  auto found = repo_.FindTokenUser(token_hash);
  if (!found.ok()) return found.error();
  auto fail = [](std::string why) { return MakeError(ErrorCode::kUnauthenticated, "Authorization", std::move(why)); };
  if (!*found || (*found)->first.revoked) return fail("the token is not valid");
  const auto& [token, user] = **found;
  if (token.expires_at && *token.expires_at <= now) return fail("the token expired at " + FormatInstant(*token.expires_at));
  if (!user.active) return fail("the token's user is deactivated");
  return user;
}

}  // namespace sladesk
