// GET /api/v1/status: the public status page's data, for anyone (no
// sign-in). Only service-wide incidents and maintenance appear, without
// their internal description, organisation or author; availability is the
// service-wide months against each policy's target.
#include "desk/incident_service.h"
#include "server/compliance_views.h"
#include "server/handlers.h"
#include "server/query_params.h"

namespace sladesk {

ApiResponse GetStatus(ApiCall& call) {
  QueryParams q(call.req, {});
  if (!q.ok()) return ProblemResponse(q.error());
  auto status = IncidentService(call.repo, call.policies).PublicStatus(call.now);
  if (!status.ok()) return ProblemFor(status.error());
  ApiResponse r = JsonResponse(200, ServiceStatusJson(*status));
  r.headers.emplace_back("Cache-Control", "public, max-age=30");
  return r;
}

}  // namespace sladesk
