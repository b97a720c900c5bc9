// UserService: staff users, API tokens and who a request comes from.
//
// Purpose: creating staff users (admins only), listing them (staff only),
// issuing API tokens (their secrets are made and hashed by the caller: the
// desk stores and compares only the hash) and authenticating a request by
// its token's hash: unknown, revoked or expired tokens and deactivated
// users are kUnauthenticated.
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "desk/desk_repository.h"

namespace sladesk {

struct StaffInput {
  std::string name;
  std::string email;
  Role role = Role::kAgent;
};

struct TokenRequest {
  std::string email;
  std::string name;                 // for a new staff user
  std::optional<Role> create_role;  // create this staff user when the e-mail is new
  std::string token_hash;           // hex SHA-256 of the secret
  std::string token_name = "cli";
  std::optional<Instant> expires_at;
};

class UserService {
 public:
  explicit UserService(DeskRepository& repo) : repo_(repo) {}

  Result<User> CreateStaff(const User& actor, Instant now, const StaffInput& input);
  Result<std::vector<User>> ListStaff(const User& actor);
  // The token's user; the user is created first when `create_role` is set
  // and nobody has the address.
  Result<User> IssueToken(Instant now, const TokenRequest& request);
  Result<User> Authenticate(const std::string& token_hash, Instant now);

 private:
  DeskRepository& repo_;
};

}  // namespace sladesk
