// /api/v1/test/clock: under `serve --test-clock` only, end-to-end tests move
// the server's clock forward (every request and the scheduler read it).
#include "server/desk_api.h"
#include "server/handlers.h"
#include "server/json_fields.h"

namespace sladesk {

using nlohmann::json;

ApiResponse GetTestClock(ApiCall& call) {
  if (!call.config.test_clock) return ProblemResponse(NotFound("no route for /api/v1/test/clock"));
  const Instant now = call.config.test_clock->Now();
  return JsonResponse(200, json{{"now", FormatInstant(now)}, {"offset_seconds", call.config.test_clock->offset()}});
}

ApiResponse SetTestClock(ApiCall& call) {
  OffsetClock* clock = call.config.test_clock;
  if (!clock) return ProblemResponse(NotFound("no route for /api/v1/test/clock"));
  if (call.actor.role != Role::kAdmin) return ProblemFor(ForbiddenError("only admins move the test clock"));
  JsonFields f(call.body, {"now", "advance_seconds"});
  auto at = f.OptString("now", 40, false);
  auto advance = f.OptInt("advance_seconds", 0, 31622400);
  if (!f.ok()) return ProblemResponse(f.error());
  if (at.has_value() == advance.has_value())
    return ProblemFor(MakeError("now", "give exactly one of 'now' and 'advance_seconds'"));
  Instant target = clock->Now();
  if (at) {
    auto t = ParseInstant(*at, "now");
    if (!t.ok()) return ProblemFor(t.error());
    target = *t;
  } else {
    target += std::chrono::seconds(*advance);
  }
  if (!clock->Set(target))
    return ProblemFor(MakeError("now", "the test clock only moves forward (it is at " + FormatInstant(clock->Now()) + ")"));
  if (call.config.hub) call.config.hub->PublishClock(clock->Now());
  return JsonResponse(200, json{{"now", FormatInstant(clock->Now())}, {"offset_seconds", clock->offset()}});
}

}  // namespace sladesk
