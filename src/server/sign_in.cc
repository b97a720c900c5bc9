#include "server/sign_in.h"

#include <memory>

#include "desk/session_service.h"
#include "server/api_problem.h"
#include "server/json_body.h"
#include "server/json_fields.h"
#include "server/json_views.h"
#include "server/password_hasher.h"
#include "server/token_codec.h"

namespace sladesk {
namespace {

// Verified when nobody has the address, so an unknown one costs the same time.
const std::string& DummyHash() {
  static const std::string hash = PasswordHasher::Hash("sladesk-no-such-user").value();
  return hash;
}

struct Attempt {
  std::string email, password, address;
  SignInCandidate candidate;
  bool verified = false;
  NewSession session;
  Result<Session> outcome = InternalError("not run");
};

}  // namespace

std::string SignIn::SessionSecret(const std::string& cookie) {
  const std::string name = "sladesk_session=";
  size_t i = 0;
  while (i < cookie.size()) {
    while (i < cookie.size() && (cookie[i] == ' ' || cookie[i] == ';')) ++i;
    size_t end = cookie.find(';', i);
    std::string pair = cookie.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (pair.rfind(name, 0) == 0) return pair.substr(name.size());
    if (end == std::string::npos) break;
    i = end + 1;
  }
  return "";
}

std::string SignIn::SessionCookie(const std::string& secret, Seconds max_age, bool secure) {
  return "sladesk_session=" + secret + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age) +
         (secure ? "; Secure" : "");
}

void SignIn::Start(DeskStore& store, const ApiRequest& request, Instant now, bool secure,
                   std::function<void(ApiResponse)> respond) {
  std::string ct = request.content_type.substr(0, request.content_type.find(';'));
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  if (ct != "application/json")
    return respond(ProblemResponse(
        {415, "unsupported-media-type", "Unsupported media type", "send the body as application/json", "Content-Type"}));
  auto body = ParseJsonBody(request.body);
  if (!body.ok()) return respond(ProblemResponse(BadRequest(body.error().field, body.error().message)));
  auto attempt = std::make_shared<Attempt>();
  {
    JsonFields f(*body, {"email", "password"});
    attempt->email = f.RequiredString("email", 254);
    attempt->password = f.RequiredString("password", 1024);
    if (!f.ok()) return respond(ProblemResponse(f.error()));
  }
  attempt->address = request.remote_address;
  store.SubmitRead(
      [attempt, now](DeskRepository& repo) -> Status {
        auto c = SessionService(repo).Prepare(attempt->email, attempt->address, now);
        if (!c.ok()) {
          attempt->outcome = c.error();
          return c.error();
        }
        attempt->candidate = std::move(c).value();
        return Status::Ok();
      },
      [attempt, now, secure, respond, &store](Status st) {
        if (!st.ok()) return respond(ProblemFor(attempt->outcome.ok() ? st.error() : attempt->outcome.error()));
        const auto& c = attempt->candidate;
        const bool known = c.user && !c.password_hash.empty();
        const bool verified = PasswordHasher::Verify(known ? c.password_hash : DummyHash(), attempt->password);
        attempt->verified = known && verified;
        const std::string secret = TokenCodec::NewSecret();
        attempt->session = {TokenCodec::Sha256Hex(secret), TokenCodec::NewSecret()};
        store.SubmitWrite(
            [attempt, now](DeskRepository& repo) -> Status {
              attempt->outcome = SessionService(repo).Complete(attempt->candidate, attempt->verified, attempt->email,
                                                               attempt->address, now, attempt->session);
              // A failure's record is committed like a success.
              const bool refused = !attempt->outcome.ok() && attempt->outcome.error().code == ErrorCode::kUnauthenticated;
              if (attempt->outcome.ok() || refused) return Status::Ok();
              return attempt->outcome.error();
            },
            [attempt, secret, secure, respond](Status st) {
              if (!st.ok()) return respond(ProblemFor(st.error()));
              if (!attempt->outcome.ok()) return respond(ProblemFor(attempt->outcome.error()));
              const Session& s = *attempt->outcome;
              ApiResponse r;
              r.body = DumpJson({{"user", UserJson(*attempt->candidate.user)},
                                 {"csrf_token", s.csrf_token},
                                 {"expires_at", FormatInstant(s.expires_at)}});
              r.headers.emplace_back("Set-Cookie", SessionCookie(secret, kSessionLifetime, secure));
              r.headers.emplace_back("Cache-Control", "no-store");
              respond(std::move(r));
            });
      });
}

}  // namespace sladesk
