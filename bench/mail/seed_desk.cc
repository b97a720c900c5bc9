// Seeds a desk for the mail ingest benchmark: one organisation on
// gold-support/professional and the contacts customer0..customer{N-1}
// @customer.example that bench/mail/generate_corpus.py writes from.
//
//   seed_desk DB_URL POLICIES_DIR [N=997]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/clock.h"
#include "desk/organisation_service.h"
#include "desk/policy_registry.h"
#include "storage/desk_store.h"

int main(int argc, char** argv) {
  using namespace sladesk;
  if (argc < 3) {
    std::fprintf(stderr, "usage: seed_desk DB_URL POLICIES_DIR [N]\n");
    return 2;
  }
  const int n = argc > 3 ? std::atoi(argv[3]) : 997;
  auto policies = PolicyRegistry::LoadDirectory(argv[2]);
  auto store = DeskStore::Open(argv[1]);
  if (!policies.ok() || !store.ok()) {
    std::fprintf(stderr, "seed_desk: %s\n", (!policies.ok() ? policies.error() : store.error()).ToString().c_str());
    return 1;
  }
  const Instant now = WallNow();
  const User admin = SystemUser("bench");
  auto org = (*store)->Write<Organisation>([&](DeskRepository& r) {
    OrganisationInput in;
    in.name = "Bench Customer";
    in.policy_id = "gold-support";
    in.plan_id = "professional";
    return OrganisationService(r, **policies).Create(admin, now, in);
  });
  if (!org.ok()) {
    std::fprintf(stderr, "seed_desk: %s\n", org.error().ToString().c_str());
    return 1;
  }
  for (int i = 0; i < n; ++i) {
    auto c = (*store)->Write<User>([&](DeskRepository& r) {
      ContactInput in;
      in.name = "Customer " + std::to_string(i);
      in.email = "customer" + std::to_string(i) + "@customer.example";
      in.named_contact = true;
      return OrganisationService(r, **policies).AddContact(admin, now, org->id, in);
    });
    if (!c.ok()) {
      std::fprintf(stderr, "seed_desk: contact %d: %s\n", i, c.error().ToString().c_str());
      return 1;
    }
  }
  std::printf("seeded organisation %lld with %d contacts\n", static_cast<long long>(org->id), n);
  return 0;
}
