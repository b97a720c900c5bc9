#include "mailgate/mail_gateway.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
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
  if (answers_) {
    std::vector<std::int64_t> tickets;
    if (out.outcome.ticket_number && out.outcome.action != MailAction::kDuplicate)
      tickets.push_back(*out.outcome.ticket_number);
    if (out.outcome.answer == MailAnswer::kRefusal) tickets.push_back(0);
    if (!tickets.empty()) out.answers = SendAnswers(std::move(tickets));
  }
  return out;
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
  std::vector<std::int64_t> touched;  // tickets whose answers are drained at the end
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
          if (d.outcome->action == MailAction::kDuplicate) {
            ++stats.duplicates;
          } else {
            ++stats.stored;
            if (d.outcome->ticket_number) touched.push_back(*d.outcome->ticket_number);
          }
          if (d.outcome->answer == MailAnswer::kRefusal) touched.push_back(0);
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
  stats.answers = SendAnswers(std::move(touched));
  if (failure) return *failure;
  return stats;
}

AnswerCounts MailGateway::SendAnswers(std::vector<std::int64_t> tickets) {
  AnswerCounts counts;
  if (!answers_ || tickets.empty()) return counts;
  std::sort(tickets.begin(), tickets.end());
  tickets.erase(std::unique(tickets.begin(), tickets.end()), tickets.end());
  const OutboxDispatcherStats before = answers_->stats();
  constexpr std::size_t kPerClaim = 500;  // bound parameters of one claim
  for (std::size_t from = 0; from < tickets.size(); from += kPerClaim) {
    OutboxClaimScope scope;
    scope.channel = OutboxChannel::kEmail;
    scope.ticket_numbers.assign(tickets.begin() + static_cast<std::ptrdiff_t>(from),
                                tickets.begin() + static_cast<std::ptrdiff_t>(std::min(tickets.size(), from + kPerClaim)));
    // A store failure leaves the rows pending for the server's dispatcher.
    (void)answers_->Drain(100, scope);
  }
  const OutboxDispatcherStats after = answers_->stats();
  counts.sent = after.sent - before.sent;
  counts.retry = after.retried - before.retried;
  counts.failed = after.failed - before.failed;
  return counts;
}

}  // namespace sladesk::mailgate
