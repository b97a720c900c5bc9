#include "mailgate/mail_gateway.h"

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <algorithm>
#include <mutex>
#include <thread>

#include "mailgate/inbound_decoder.h"
#include "storage/sql_mail_repository.h"

namespace sladesk::mailgate {
namespace {
constexpr int kConflictRetries = 3;
}  // namespace

Result<IngestResult> MailGateway::Ingest(std::string_view raw, std::string_view source) {
  auto decoded = DecodeInbound(raw, source, config_.secret);
  if (!decoded.ok()) return decoded.error();
  const InboundMail& in = *decoded;
  const Instant now = clock_.Now();
  auto run = [&]() {
    return store_.Write<MailOutcome>([&](DeskRepository& repo) -> Result<MailOutcome> {
      auto mail = SqlMailRepository::ForUnit(repo);
      if (!mail.ok()) return mail.error();
      return MailIntake(repo, *mail, *policies_, config_.intake).Receive(now, in);
    });
  };
  auto receive = run();
  // A race with another change to the ticket (its version moved): again.
  for (int attempt = 0; attempt < kConflictRetries && !receive.ok() && receive.error().code == ErrorCode::kConflict &&
                        !MailIntake::IsRefusal(receive.error());
       ++attempt)
    receive = run();
  if (!receive.ok() && MailIntake::IsRefusal(receive.error())) {
    const Error why = receive.error();
    receive = store_.Write<MailOutcome>([&](DeskRepository& repo) -> Result<MailOutcome> {
      auto mail = SqlMailRepository::ForUnit(repo);
      if (!mail.ok()) return mail.error();
      return MailIntake(repo, *mail, *policies_, config_.intake).Refuse(now, in, why);
    });
  }
  if (!receive.ok()) return receive.error();
  IngestResult out;
  out.outcome = std::move(*receive);
  out.message_id = in.message_id;
  if (out.outcome.answer != MailAnswer::kNone) out.answer = SendAnswer(in, out.outcome);
  return out;
}

Result<mail::RenderedNotification> MailGateway::RenderAcknowledgement(const InboundMail& in,
                                                                      const MailOutcome& out) const {
  if (!out.ticket) return MakeError(ErrorCode::kInternal, "acknowledgement", "no ticket to acknowledge");
  const Ticket& t = *out.ticket;
  nlohmann::json v;
  v["desk"]["name"] = config_.desk_name;
  v["recipient"]["name"] = out.requester ? out.requester->name : in.from_name;
  v["ticket"] = {{"number", t.number},
                 {"subject", t.subject},
                 {"severity", t.severity},
                 {"status", std::string(StatusName(t.status))},
                 {"url", config_.portal_url + "/tickets/" + std::to_string(t.number)}};
  if (out.officer) v["assignee"]["name"] = out.officer->name;
  v["targets"] = nlohmann::json::array();
  mail::RenderedNotification n;
  n.recipient = {out.answer_to, out.requester ? out.requester->name : in.from_name};
  n.subject = "Ticket received: " + t.subject;
  n.ticket_number = t.number;
  if (templates_) {
    auto text = templates_->Render("ticket_acknowledgement.txt", out.policy_id, v);
    if (!text.ok()) return text.error();
    auto html = templates_->Render("ticket_acknowledgement.html", out.policy_id, v);
    if (!html.ok()) return html.error();
    n.text = std::move(*text);
    n.html = std::move(*html);
  } else {
    n.text = "Ticket #" + std::to_string(t.number) + " received: " + t.subject + "\n" +
             (out.officer ? "Your support officer is " + out.officer->name + ".\n"
                          : "A support officer will be assigned shortly.\n");
  }
  if (!in.message_id.empty()) {
    n.in_reply_to = in.message_id;
    n.references.push_back(in.message_id);
  }
  n.automatic = true;
  return n;
}

void MailGateway::Submit(std::shared_ptr<const InboundMail> in, Instant now,
                         std::function<void(Result<MailOutcome>)> done) {
  auto result = std::make_shared<std::optional<Result<MailOutcome>>>();
  auto unit = [this, in, now, result](bool refuse, std::optional<Error> why) {
    return [this, in, now, result, refuse, why](DeskRepository& repo) -> Status {
      auto mail = SqlMailRepository::ForUnit(repo);
      if (!mail.ok()) return mail.error();
      MailIntake intake(repo, *mail, *policies_, config_.intake);
      result->emplace(refuse ? intake.Refuse(now, *in, *why) : intake.Receive(now, *in));
      return (*result)->ok() ? Status::Ok() : Status((*result)->error());
    };
  };
  store_.SubmitWrite(unit(false, std::nullopt), [this, result, unit, done](Status st) {
    if (st.ok() && *result && (*result)->ok()) return done(std::move(**result));
    const Error e = (*result && !(*result)->ok()) ? (*result)->error() : st.error();
    if (e.code == ErrorCode::kConflict && !MailIntake::IsRefusal(e)) {
      // A race with another change to the ticket: once more, then give up.
      result->reset();
      store_.SubmitWrite(unit(false, std::nullopt), [result, done](Status st2) {
        if (st2.ok() && *result && (*result)->ok()) return done(std::move(**result));
        done((*result && !(*result)->ok()) ? (*result)->error() : st2.error());
      });
      return;
    }
    if (!MailIntake::IsRefusal(e)) return done(e);
    result->reset();
    store_.SubmitWrite(unit(true, e), [result, done](Status st2) {
      if (st2.ok() && *result && (*result)->ok()) return done(std::move(**result));
      done((*result && !(*result)->ok()) ? (*result)->error() : st2.error());
    });
  });
}

Result<MailGateway::ImportStats> MailGateway::IngestMany(const std::function<Result<bool>(std::string& raw)>& next,
                                                         std::string_view source, std::size_t window) {
  struct Done {
    std::shared_ptr<const InboundMail> in;
    Result<MailOutcome> outcome;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Done> finished;
  std::size_t in_flight = 0;
  ImportStats stats;
  std::optional<Error> failure;
  auto drain = [&](bool wait_all) {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return !finished.empty() || in_flight == 0 || (!wait_all && in_flight < window); });
      while (!finished.empty()) {
        Done d = std::move(finished.front());
        finished.pop_front();
        lock.unlock();
        if (!d.outcome.ok()) {
          if (!failure) failure = d.outcome.error();
        } else {
          stats.actions[std::string(MailActionName(d.outcome->action))]++;
          if (d.outcome->action == MailAction::kDuplicate) ++stats.duplicates;
          else ++stats.stored;
          if (d.outcome->answer != MailAnswer::kNone) {
            auto sent = SendAnswer(*d.in, *d.outcome);
            if (sent && sent->outcome == mail::DeliveryOutcome::kSent) ++stats.answers_sent;
            else if (sent) ++stats.answers_failed;
          }
        }
        lock.lock();
      }
      if (wait_all ? in_flight == 0 : in_flight < window) return;
    }
  };
  // Messages are read in chunks and decoded by `decoders` threads (this
  // one and helpers), then submitted in their order, so a reply still
  // follows the message it answers.
  const std::size_t decoders = std::max<std::size_t>(1, std::min<std::size_t>(4, std::thread::hardware_concurrency()));
  constexpr std::size_t kChunk = 64;
  std::vector<std::string> raws(kChunk);
  std::vector<std::optional<Result<InboundMail>>> decoded(kChunk);
  bool end = false;
  while (!end && !failure) {
    std::size_t n = 0;
    while (n < kChunk) {
      auto more = next(raws[n]);
      if (!more.ok()) {
        drain(true);
        return more.error();
      }
      if (!*more) {
        end = true;
        break;
      }
      ++n;
    }
    auto decode_range = [&](std::size_t from, std::size_t step) {
      for (std::size_t i = from; i < n; i += step) decoded[i].emplace(DecodeInbound(raws[i], source, config_.secret));
    };
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < decoders && n > 8; ++t) helpers.emplace_back(decode_range, t, decoders);
    decode_range(0, n > 8 ? decoders : 1);
    for (auto& h : helpers) h.join();
    for (std::size_t i = 0; i < n; ++i) {
      ++stats.messages;
      if (!decoded[i]->ok()) {
        ++stats.not_mail;
        continue;
      }
      auto in = std::make_shared<const InboundMail>(std::move(**decoded[i]));
      decoded[i].reset();
      {
        std::lock_guard<std::mutex> lock(mu);
        ++in_flight;
      }
      Submit(in, clock_.Now(), [&, in](Result<MailOutcome> r) {
        std::lock_guard<std::mutex> lock(mu);
        finished.push_back(Done{in, std::move(r)});
        --in_flight;
        cv.notify_all();
      });
      drain(false);
    }
  }
  drain(true);
  if (failure) return *failure;
  return stats;
}

std::optional<mail::DeliveryResult> MailGateway::SendAnswer(const InboundMail& in, const MailOutcome& out) {
  if (!transport_) return std::nullopt;
  if (out.answer == MailAnswer::kAcknowledgement && config_.acknowledgements_via_outbox) return std::nullopt;
  mail::RenderedNotification n;
  if (out.answer == MailAnswer::kAcknowledgement) {
    auto r = RenderAcknowledgement(in, out);
    if (!r.ok()) {
      mail::DeliveryResult failed;
      failed.outcome = mail::DeliveryOutcome::kFailed;
      failed.detail = r.error().ToString();
      return failed;
    }
    n = std::move(*r);
  } else {
    n.recipient = {out.answer_to, in.from_name};
    n.subject = in.subject.empty() ? "Your message to " + config_.desk_name : "Re: " + in.subject;
    n.text = "Hello,\n\n" + out.answer_text + "\n\n" + config_.desk_name + "\n";
    if (!in.message_id.empty()) {
      n.in_reply_to = in.message_id;
      n.references.push_back(in.message_id);
    }
    n.automatic = true;
  }
  return transport_->Deliver(n, clock_.Now());
}

}  // namespace sladesk::mailgate
