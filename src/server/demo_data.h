// DemoData: fills an empty desk with a believable help desk for `make run`:
// staff, one organisation per plan of every loaded policy, contacts, and a
// few dozen tickets in every status, some close to or past their deadlines.
//
// Purpose: demo only; it calls the desk services (as a person of the demo
// would) with a clock set into the recent past, so every ticket's event
// log and SLA columns are exactly what live traffic would have produced.
// Thread-safety: call once at start-up, before serving. Ownership: none.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "desk/policy_registry.h"
#include "storage/desk_store.h"

namespace sladesk {

struct DemoTokens {
  std::string admin;
  std::string agent;
  std::string contact;        // a contact of the first organisation
  std::string contact_email;
  int organisations = 0;
  int tickets = 0;
  int held_mail = 0;
  bool already_seeded = false;  // the database had demo data; no new tokens were made
  // Fresh passwords for signing in to the web app: (e-mail, password, who).
  struct Login {
    std::string email, password, who;
  };
  std::vector<Login> logins;
};

class DemoData {
 public:
  // Seeds when the database has no demo admin yet; otherwise reports
  // already_seeded (tokens are never stored in clear, so none are returned).
  // Two messages go through the mail gateway (signed with `mail_secret`,
  // a fixed demo secret when empty) and wait in the held mail: one from an
  // unknown sender, one automatic mail from a contact.
  static Result<DemoTokens> Seed(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, Instant now,
                                 const std::string& mail_secret = {});
  // Creates a token for `email` (creating a staff user with `role` when the
  // e-mail is unknown and role is set). Returns the secret.
  // Sets a new random password for each demo person who signs in (admin,
  // lead, an agent, the first contact) and returns them.
  static Result<std::vector<DemoTokens::Login>> ResetPasswords(DeskStore& store);
  static Result<std::string> CreateToken(DeskStore& store, const std::string& email, const std::string& name,
                                         const std::string& role, std::optional<Instant> expires_at, Instant now);
};

}  // namespace sladesk
