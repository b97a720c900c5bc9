// DeskApi: the JSON REST API under /api/v1, plus /healthz and /metrics,
// independent of the HTTP transport.
//
// Purpose: routes a request to its handler, authenticates the bearer token,
// enforces roles and tenant isolation, and runs the handler as one unit of
// work in the DeskStore (writes are group-committed; the response is sent
// only after COMMIT, so a 201 is durable). A handler that answers 4xx/5xx
// has its unit rolled back: a refused request writes nothing. Creates honour
// Idempotency-Key (stored with the response in the same transaction);
// updates honour If-Match against the resource's ETag. Every error is
// application/problem+json naming the field at fault.
// Thread-safety: Handle() may be called from any thread concurrently;
// `respond` is called exactly once, on a store thread or the caller's.
// Ownership: borrows the store and metrics (they must outlive it); shares
// the policy registry.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/instant.h"
#include "common/clock.h"
#include "server/api_types.h"
#include "server/ticket_change_hub.h"
#include "desk/policy_registry.h"
#include "server/server_metrics.h"
#include "storage/desk_store.h"

namespace sladesk {

struct DeskApiConfig {
  std::size_t max_body_bytes = 4 * 1024 * 1024;        // enforced by the HTTP layer (413)
  std::size_t max_attachment_bytes = 2 * 1024 * 1024;  // decoded attachment size
  std::string openapi_json;                            // served at /api/v1/openapi.json
  bool secure_cookies = false;  // mark session cookies Secure (behind a TLS-terminating proxy)
  TicketChangeHub* hub = nullptr;   // live stream of ticket changes (GET /api/v1/stream)
  OffsetClock* test_clock = nullptr;  // serve --test-clock: /api/v1/test/clock moves it
  // After COMMIT of a write that changed a ticket: its next fire instant
  // (the SLA scheduler re-arms when it moved earlier).
  std::function<void(std::optional<Instant>)> on_ticket_due;
  // The mail gateway's Message-ID secret: the held-mail console decodes
  // stored messages with it (signed ticket tags); "" reads them unsigned.
  std::string mail_secret;
};

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/tickets/{number}"
};

class DeskApi {
 public:
  using Clock = std::function<Instant()>;
  using Respond = std::function<void(ApiResponse)>;

  DeskApi(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, DeskApiConfig config, Clock clock,
          ServerMetrics* metrics);

  void Handle(ApiRequest request, Respond respond);

  // Every route the API serves (for the OpenAPI conformance test).
  static std::vector<RouteInfo> Routes();
  // Splits "a=1&b=x%20y" into decoded pairs; false on bad percent-encoding.
  static bool ParseQuery(const std::string& query, std::map<std::string, std::string>* out);
  static bool PercentDecode(const std::string& in, std::string* out, bool plus_is_space = true);

  const DeskApiConfig& config() const { return config_; }

 private:
  DeskStore& store_;
  std::shared_ptr<const PolicyRegistry> policies_;
  DeskApiConfig config_;
  Clock clock_;
  ServerMetrics* metrics_;
};

}  // namespace sladesk
