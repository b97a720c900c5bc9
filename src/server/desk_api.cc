#include "server/desk_api.h"

#include <chrono>
#include <exception>

#include <nlohmann/json.hpp>

#include "desk/session_service.h"
#include "desk/user_service.h"
#include "server/handlers.h"
#include "server/json_body.h"
#include "server/json_views.h"
#include "server/password_hasher.h"
#include "server/sign_in.h"
#include "server/token_codec.h"

namespace sladesk {
namespace {

using nlohmann::json;

struct Caller {
  User user;
  std::optional<Session> session;  // set when authenticated by the session cookie
};

// The caller's identity: the Authorization header's bearer token, else the
// session cookie, whose unsafe requests must carry its CSRF token.
Result<Caller> Authenticate(DeskRepository& repo, const ApiRequest& req, Instant now) {
  const std::string prefix = "Bearer ";
  const std::string& header = req.authorization;
  if (header.empty()) {
    const std::string secret = SignIn::SessionSecret(req.cookie);
    if (secret.empty())
      return MakeError(ErrorCode::kUnauthenticated, "Authorization",
                       "sign in, or send 'Authorization: Bearer <token>'");
    auto found = SessionService(repo).Authenticate(TokenCodec::Sha256Hex(secret), now);
    if (!found.ok()) return found.error();
    const bool safe = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
    if (!safe && !PasswordHasher::Equal(req.csrf_token, found->first.csrf_token))
      return ForbiddenError("send the session's CSRF token as X-CSRF-Token with every change");
    return Caller{std::move(found->second), std::move(found->first)};
  }
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0)
    return MakeError(ErrorCode::kUnauthenticated, "Authorization", "the Authorization header must be 'Bearer <token>'");
  auto user = UserService(repo).Authenticate(TokenCodec::Sha256Hex(header.substr(prefix.size())), now);
  if (!user.ok()) return user.error();
  return Caller{std::move(user).value(), std::nullopt};
}

}  // namespace

DeskApi::DeskApi(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, DeskApiConfig config, Clock clock,
                 ServerMetrics* metrics)
    : store_(store), policies_(std::move(policies)), config_(std::move(config)), clock_(std::move(clock)),
      metrics_(metrics) {}

std::vector<RouteInfo> DeskApi::Routes() {
  std::vector<RouteInfo> out;
  for (const auto& r : ApiRoutes()) out.push_back({r.method, r.pattern});
  out.push_back({"POST", "/api/v1/auth/login"});
  out.push_back({"GET", "/api/v1/openapi.json"});
  out.push_back({"GET", "/healthz"});
  out.push_back({"GET", "/metrics"});
  return out;
}

bool DeskApi::PercentDecode(const std::string& in, std::string* out, bool plus_is_space) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
        return false;
      *out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      *out += ' ';
    } else {
      *out += c;
    }
  }
  return true;
}

bool DeskApi::ParseQuery(const std::string& query, std::map<std::string, std::string>* out) {
  size_t i = 0;
  while (i < query.size()) {
    size_t amp = query.find('&', i);
    std::string pair = query.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string k, v;
      if (!PercentDecode(pair.substr(0, eq), &k)) return false;
      if (eq != std::string::npos && !PercentDecode(pair.substr(eq + 1), &v)) return false;
      (*out)[k] = v;
    }
    if (amp == std::string::npos) break;
    i = amp + 1;
  }
  return true;
}

void DeskApi::Handle(ApiRequest request, Respond respond) {
  const auto started = std::chrono::steady_clock::now();
  auto finish = [this, started, respond](const std::string& method, const std::string& route, ApiResponse r) {
    if (metrics_) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      metrics_->RecordRequest(method, route, r.status, secs);
    }
    respond(std::move(r));
  };
  const std::string method = request.method;

  if (request.path == "/healthz" && method == "GET") {
    store_.SubmitRead([](DeskRepository& repo) { return repo.Ping(); },
                      [finish, method, this](Status st) {
                        ApiResponse r = JsonResponse(st.ok() ? 200 : 503,
                                                     json{{"status", st.ok() ? "ok" : "unavailable"},
                                                          {"database", store_.backend_name()}});
                        finish(method, "/healthz", std::move(r));
                      });
    return;
  }
  if (request.path == "/metrics" && method == "GET") {
    ApiResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics_ ? metrics_->Render(&store_) : std::string();
    finish(method, "/metrics", std::move(r));
    return;
  }
  if (request.path == "/api/v1/openapi.json" && method == "GET") {
    ApiResponse r;
    r.body = config_.openapi_json;
    if (r.body.empty()) r = ProblemResponse(NotFound("this server was started without its OpenAPI document"));
    finish(method, "/api/v1/openapi.json", std::move(r));
    return;
  }

  if (request.path == "/api/v1/auth/login") {
    if (method != "POST") {
      ApiResponse r = ProblemResponse({405, "method-not-allowed", "Method not allowed", method + " is not allowed here; allowed: POST", ""});
      r.headers.emplace_back("Allow", "POST");
      return finish(method, "/api/v1/auth/login", std::move(r));
    }
    SignIn::Start(store_, request, clock_(), config_.secure_cookies,
                  [finish, method](ApiResponse r) { finish(method, "/api/v1/auth/login", std::move(r)); });
    return;
  }

  std::vector<std::string> params;
  std::string allow;
  const ApiRoute* route = MatchRoute(method, request.path, &params, &allow);
  if (!route) {
    if (!allow.empty()) {
      ApiResponse r = ProblemResponse({405, "method-not-allowed", "Method not allowed",
                                       method + " is not allowed here; allowed: " + allow, ""});
      r.headers.emplace_back("Allow", allow);
      finish(method, "unmatched", std::move(r));
    } else {
      finish(method, "unmatched", ProblemResponse(NotFound("no route for " + request.path)));
    }
    return;
  }
  const std::string route_name = route->pattern;

  // Everything that needs no database is checked before a unit is queued.
  json body = json::object();
  // A POST without a body (sign-out, onboarding complete) is an empty object.
  if ((method == "POST" || method == "PATCH" || method == "PUT") && !(method == "POST" && request.body.empty())) {
    std::string ct = request.content_type.substr(0, request.content_type.find(';'));
    while (!ct.empty() && ct.back() == ' ') ct.pop_back();
    if (ct != "application/json") {
      finish(method, route_name,
             ProblemResponse({415, "unsupported-media-type", "Unsupported media type",
                              "send the body as application/json", "Content-Type"}));
      return;
    }
    auto parsed = ParseJsonBody(request.body);
    if (!parsed.ok()) {
      finish(method, route_name, ProblemResponse(BadRequest(parsed.error().field, parsed.error().message)));
      return;
    }
    body = std::move(parsed).value();
    if (!body.is_object()) {
      finish(method, route_name, ProblemResponse(BadRequest("", "the body must be a JSON object")));
      return;
    }
  }
  if (!request.idempotency_key.empty()) {
    bool printable = request.idempotency_key.size() <= 200;
    for (char c : request.idempotency_key) printable = printable && c > 32 && c < 127;
    if (!printable) {
      finish(method, route_name,
             ProblemResponse(BadRequest("Idempotency-Key", "'Idempotency-Key' must be 1-200 printable ASCII characters")));
      return;
    }
  }

  struct State {
    ApiRequest req;
    std::vector<std::string> params;
    json body;
    ApiResponse out;
  };
  auto state = std::make_shared<State>(State{std::move(request), std::move(params), std::move(body), {}});
  const Instant now = clock_();
  auto work = [this, state, route, now](DeskRepository& repo) -> Status {
    // Public routes (the status page) answer anyone, as no one.
    auto caller = route->anonymous ? Result<Caller>(Caller{User{}, std::nullopt}) : Authenticate(repo, state->req, now);
    if (!caller.ok()) {
      state->out = ProblemFor(caller.error());
      return caller.error();
    }
    ApiCall call{state->req, state->params, state->body, caller->user, now, repo, *policies_, config_,
                 caller->session ? &*caller->session : nullptr};
    const bool idem = route->idempotent_create && !state->req.idempotency_key.empty();
    std::string hash;
    if (idem) {
      hash = TokenCodec::Sha256Hex(state->req.method + " " + state->req.path + "\n" + state->req.body);
      auto rec = repo.FindIdempotency(call.actor.id, state->req.idempotency_key);
      if (!rec.ok()) {
        state->out = ProblemFor(rec.error());
        return rec.error();
      }
      if (rec->has_value()) {
        if ((*rec)->request_hash != hash) {
          state->out = ProblemResponse({422, "idempotency-key-reused", "Idempotency key reused",
                                        "this Idempotency-Key was used for a different request", "Idempotency-Key"});
          return MakeError("Idempotency-Key", "reused");
        }
        ApiResponse replay;
        replay.status = (*rec)->status_code;
        replay.body = (*rec)->response_body;
        if (!(*rec)->location.empty()) replay.headers.emplace_back("Location", (*rec)->location);
        replay.headers.emplace_back("Idempotent-Replayed", "true");
        state->out = std::move(replay);
        return Status::Ok();
      }
    }
    try {
      state->out = route->handler(call);
    } catch (const std::exception& e) {
      // A bug, not bad input: answer 500 and roll the unit back rather than
      // let the exception take a store thread (and the process) down.
      state->out = ProblemFor(InternalError(std::string("unexpected failure in ") + route->pattern + ": " + e.what()));
    }
    if (state->out.status >= 400 && !state->out.keep_writes)
      return MakeError("", "refused with " + std::to_string(state->out.status));
    if (idem) {
      // The stored answer is replayed byte for byte, so it is rendered here.
      state->out.Materialize();
      std::string location;
      for (const auto& [k, v] : state->out.headers)
        if (k == "Location") location = v;
      Status st = repo.InsertIdempotency(
          {call.actor.id, state->req.idempotency_key, hash, state->out.status, state->out.body, location, now});
      if (!st.ok()) {
        state->out = ProblemFor(st.error());
        return st.error();
      }
    }
    return Status::Ok();
  };
  auto done = [this, state, finish, method, route_name](Status st) {
    ApiResponse out = std::move(state->out);
    if (st.ok() && out.changed && config_.hub)
      config_.hub->Publish(out.changed->organisation_id, out.changed->number, out.changed->version, "changed");
    if (st.ok() && out.changed && config_.on_ticket_due) config_.on_ticket_due(out.changed->next_fire);
    // The unit was accepted but the commit failed: nothing was saved, say so.
    if (!st.ok() && out.status < 400) {
      Error e = st.error();
      if (e.code != ErrorCode::kUnavailable && e.code != ErrorCode::kInternal) e.code = ErrorCode::kUnavailable;
      out = ProblemFor(e);
    }
    finish(method, route_name, std::move(out));
  };
  if (route->write)
    store_.SubmitWrite(std::move(work), std::move(done));
  else
    store_.SubmitRead(std::move(work), std::move(done));
}

}  // namespace sladesk
