#include "mailgate/imap_poller.h"

#include "storage/sql_mail_repository.h"

namespace sladesk::mailgate {

Result<bool> ImapPoller::Lease() {
  const Instant now = clock_.Now();
  return store_.Write<bool>([&](DeskRepository& repo) -> Result<bool> {
    auto mail = SqlMailRepository::ForUnit(repo);
    if (!mail.ok()) return mail.error();
    return mail->TryLease("imap:" + Name(), config_.holder, now, now + std::chrono::seconds(config_.lease_seconds));
  });
}

Result<PollResult> ImapPoller::PollOnce() {
  PollResult out;
  auto leased = Lease();
  if (!leased.ok()) return leased.error();
  if (!*leased) return out;
  out.polled = true;
  const std::string name = Name();
  auto finish = [&]() {
    if (!config_.release_lease) return;
    (void)store_.RunWrite([&](DeskRepository& repo) -> Status {
      auto mail = SqlMailRepository::ForUnit(repo);
      if (!mail.ok()) return mail.error();
      return mail->ReleaseLease("imap:" + name, config_.holder);
    });
  };
  mail::ImapMailbox mailbox_(config_.imap);
  auto status = mailbox_.Status();
  if (!status.ok()) {
    finish();
    return status.error();
  }
  auto position = store_.Write<std::optional<ImapPosition>>([&](DeskRepository& repo) -> Result<std::optional<ImapPosition>> {
    auto mail = SqlMailRepository::ForUnit(repo);
    if (!mail.ok()) return mail.error();
    return mail->GetImapPosition(name);
  });
  if (!position.ok()) {
    finish();
    return position.error();
  }
  ImapPosition pos{name, static_cast<std::int64_t>(status->uidvalidity), 0};
  if (*position && (*position)->uidvalidity == pos.uidvalidity) pos.last_uid = (*position)->last_uid;
  auto uids = mailbox_.UidsFrom(static_cast<std::uint64_t>(pos.last_uid) + 1);
  if (!uids.ok()) {
    finish();
    return uids.error();
  }
  Status failure = Status::Ok();
  for (std::uint64_t uid : *uids) {
    if (out.fetched >= config_.max_messages) break;
    if (out.fetched > 0 && out.fetched % 100 == 0) {
      auto renewed = Lease();
      if (!renewed.ok() || !*renewed) break;  // lost the lease: stop, someone else polls
    }
    auto raw = mailbox_.Fetch(uid);
    if (!raw.ok()) {
      failure = raw.error();
      break;
    }
    ++out.fetched;
    auto ingested = gateway_.Ingest(*raw, "imap");
    if (!ingested.ok()) {
      if (ingested.error().code == ErrorCode::kUnavailable || ingested.error().code == ErrorCode::kInternal) {
        (void)mailbox_.MarkUnseen(uid);
        failure = ingested.error();
        break;
      }
      ++out.failed;  // not mail: skip it
    } else if (ingested->outcome.action == MailAction::kDuplicate) {
      ++out.duplicates;
    } else {
      ++out.stored;
    }
    (void)mailbox_.MarkSeen(uid);
    pos.last_uid = static_cast<std::int64_t>(uid);
    Status saved = store_.RunWrite([&](DeskRepository& repo) -> Status {
      auto mail = SqlMailRepository::ForUnit(repo);
      if (!mail.ok()) return mail.error();
      return mail->PutImapPosition(pos);
    });
    if (!saved.ok()) {
      failure = saved;
      break;
    }
  }
  finish();
  if (!failure.ok()) return failure.error();
  return out;
}

}  // namespace sladesk::mailgate
