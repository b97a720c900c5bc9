// ApiCall: what a handler gets for one request, and the helpers handlers
// share to read it and to answer.
//
// Purpose: handlers are transport only: they read the request (path
// parameters, query, JSON body through JsonFields, If-Match), call one
// desk service with plain values, and render its answer with the views
// (json_views.h) or its Error with ProblemFor (api_problem.h). The call
// runs inside a unit of work of the DeskStore: `repo` is its transaction,
// and an answer of 400 or more rolls the unit back.
// Thread-safety: one request, one thread. Ownership: borrows everything.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "desk/desk_repository.h"
#include "desk/policy_registry.h"
#include "desk/ticket_access.h"
#include "server/api_problem.h"
#include "server/api_types.h"

namespace sladesk {

struct DeskApiConfig;

struct ApiCall {
  const ApiRequest& req;
  const std::vector<std::string>& params;  // the route's {placeholders}, in order
  const nlohmann::json& body;              // an object for POST/PATCH, else empty
  User actor;
  Instant now;
  DeskRepository& repo;
  const PolicyRegistry& policies;
  const DeskApiConfig& config;
  const Session* session = nullptr;  // the cookie session, when the caller signed in with one
};

using ApiHandler = ApiResponse (*)(ApiCall&);

ApiResponse JsonResponse(int status, const nlohmann::json& body);
// The body is rendered later, on the HTTP thread (ApiResponse::render_body):
// `make` must own everything it reads.
ApiResponse DeferredJsonResponse(int status, std::function<nlohmann::json()> make);
// A ticket as the answer (rendered on the HTTP thread), its ETag, and the
// mark that it changed (for the live stream, published after COMMIT).
ApiResponse TicketResponse(int status, const Ticket& ticket);
// Marks an answer as having changed `ticket` (its ETag too).
ApiResponse ChangedTicket(ApiResponse r, const Ticket& ticket);
// Adds a header and returns the response (for chaining).
ApiResponse WithHeader(ApiResponse r, std::string name, std::string value);

// Parses a positive decimal id; false for anything else.
bool ParseId(const std::string& s, std::int64_t* out);
// Path parameter `index` as an id; a 400 problem naming `field` otherwise.
bool IdParam(const ApiCall& call, std::size_t index, const char* field, std::int64_t* out, ApiResponse* problem);
// The If-Match header as the versions of ticket `number` it names.
ExpectedVersion TicketExpectation(const ApiCall& call, std::int64_t number, bool required);

}  // namespace sladesk
