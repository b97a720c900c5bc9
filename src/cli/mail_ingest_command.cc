// `sladesk mail ingest` and `sladesk mail poll`: mail into the desk.
//
// ingest: one message on stdin (an MTA's pipe transport), or --maildir DIR
// / --mbox FILE (imports and replays). Prints one JSON line per message
// (stdin) or a summary (bulk). Exit 0 when the message was stored or
// deliberately dropped; 75 (EX_TEMPFAIL, sysexits.h) when the store is
// unavailable, so the MTA keeps the mail and retries; 2 for bad usage or
// input that is not mail.
// sender-rule: what unknown senders of a domain get (refuse, hold,
// create_contact in an organisation).
// poll: one poll of an IMAP mailbox over TLS (ImapPoller: a lease per
// mailbox, positions stored, never a message twice); exit 75 when the
// store or the IMAP server is unavailable.
// Answers (acknowledgements, refusals) are outbox rows written with the
// message; with --smtp this process sends the ones it just wrote (a server
// with --smtp sends them otherwise, and retries what SMTP deferred); the
// secret that signs and verifies Message-IDs comes from --secret-file or
// SLADESK_MAIL_SECRET and must be the same for every process of a desk.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "cli/mail_gate_setup.h"
#include "common/clock.h"
#include "desk/held_mail_service.h"
#include "desk/policy_registry.h"
#include "mail/maildir_reader.h"
#include "mail/mbox_reader.h"
#include "mailgate/imap_poller.h"
#include "mailgate/mail_gateway.h"
#include "storage/desk_store.h"
#include "storage/sql_mail_repository.h"

namespace sladesk {
namespace {

// Input that is not mail: 2 (the MTA bounces it). Anything else (the store
// down or busy, a race that kept failing): 75, the MTA tries again later.
int ExitFor(const Error& e) { return e.code == ErrorCode::kInvalid ? kExitBadInput : kExitTempFail; }

nlohmann::json OutcomeJson(const mailgate::IngestResult& r) {
  nlohmann::json j;
  j["action"] = std::string(MailActionName(r.outcome.action));
  j["message_id"] = r.message_id;
  j["ticket_number"] = r.outcome.ticket_number ? nlohmann::json(*r.outcome.ticket_number) : nlohmann::json();
  j["reason"] = r.outcome.reason;
  if (r.outcome.answer != MailAnswer::kNone) j["answer"] = r.outcome.answer == MailAnswer::kRefusal ? "refusal" : "acknowledgement";
  if (r.answers) j["answers"] = {{"sent", r.answers->sent}, {"retry", r.answers->retry}, {"failed", r.answers->failed}};
  return j;
}

void RunIngest(CliContext& ctx, const MailGateOptions& opt) {
  if (!opt.maildir.empty() && !opt.mbox.empty()) {
    Fail(ctx, MakeError("--maildir", "give --maildir or --mbox, not both"));
    return;
  }
  // Read stdin before opening anything: the MTA's pipe is drained either way.
  std::string raw;
  if (opt.maildir.empty() && opt.mbox.empty()) {
    std::stringstream ss;
    ss << ctx.in->rdbuf();
    raw = ss.str();
  }
  MailGateOptions setup = opt;
  if (opt.maildir.empty() && opt.mbox.empty()) setup.store_readers = 0;  // one message: no reader thread
  auto parts = SetupMailGate(ctx, setup, nullptr, nullptr);
  if (!parts) return;
  if (opt.maildir.empty() && opt.mbox.empty()) {
    auto r = parts->gateway->Ingest(raw, "stdin");
    if (!r.ok()) {
      Error e = r.error();
      if (e.field == "input") e.file = "<stdin>";
      Fail(ctx, e, ExitFor(e));
      return;
    }
    *ctx.out << OutcomeJson(*r).dump() << "\n";
    ctx.exit_code = kExitOk;
    return;
  }
  std::function<Result<bool>(std::string&)> next;
  std::unique_ptr<mail::MaildirReader> maildir;
  std::unique_ptr<mail::MboxReader> mbox;
  if (!opt.maildir.empty()) {
    auto r = mail::MaildirReader::Open(opt.maildir);
    if (!r.ok()) return (void)Fail(ctx, r.error());
    maildir = std::move(*r);
    next = [&](std::string& out) -> Result<bool> {
      mail::MaildirMessage m;
      auto more = maildir->Next(m);
      if (!more.ok() || !*more) return more;
      out = std::move(m.bytes);
      return true;
    };
  } else {
    auto r = mail::MboxReader::Open(opt.mbox);
    if (!r.ok()) return (void)Fail(ctx, r.error());
    mbox = std::move(*r);
    next = [&](std::string& out) -> Result<bool> {
      mail::MboxMessage m;
      auto more = mbox->Next(m);
      if (!more.ok() || !*more) return more;
      out = std::move(m.bytes);
      return true;
    };
  }
  auto stats = parts->gateway->IngestMany(next, opt.maildir.empty() ? "mbox" : "maildir");
  if (!stats.ok()) {
    Fail(ctx, stats.error(), ExitFor(stats.error()));
    return;
  }
  nlohmann::json j{{"messages", stats->messages},
                   {"stored", stats->stored},
                   {"duplicates", stats->duplicates},
                   {"not_mail", stats->not_mail},
                   {"answers_sent", stats->answers.sent},
                   {"answers_retry", stats->answers.retry},
                   {"answers_failed", stats->answers.failed},
                   {"actions", stats->actions}};
  *ctx.out << j.dump() << "\n";
  ctx.exit_code = kExitOk;
}

void RunPoll(CliContext& ctx, const MailGateOptions& opt) {
  if (opt.imap_url.empty()) return (void)Fail(ctx, MakeError("--imap", "the IMAP URL is required"));
  auto parts = SetupMailGate(ctx, opt, nullptr, nullptr);
  if (!parts) return;
  auto poller = MakeImapPoller(ctx, opt, *parts, true);
  if (!poller) return;
  auto r = poller->PollOnce();
  if (!r.ok()) {
    Fail(ctx, r.error(), r.error().field == "imap" ? kExitTempFail : ExitFor(r.error()));
    return;
  }
  nlohmann::json j{{"polled", r->polled}, {"fetched", r->fetched}, {"stored", r->stored},
                   {"duplicates", r->duplicates}, {"failed", r->failed}};
  *ctx.out << j.dump() << "\n";
  ctx.exit_code = kExitOk;
}

struct SenderRuleOptions {
  std::string db = "sqlite:./data/sladesk.db";
  std::string domain, action;
  std::int64_t organisation = 0;
};

// `mail sender-rule`: what mail from unknown addresses of a domain does.
void RunSenderRule(CliContext& ctx, const SenderRuleOptions& opt) {
  SenderRule rule;
  rule.domain = opt.domain;
  auto action = UnknownSenderActionFromName(opt.action);
  if (!action) return (void)Fail(ctx, MakeError("--action", "must be refuse, hold or create_contact"));
  rule.action = *action;
  if (rule.action == UnknownSenderAction::kCreateContact) {
    if (opt.organisation <= 0)
      return (void)Fail(ctx, MakeError("--organisation", "create_contact needs the organisation the contacts join"));
    rule.organisation_id = opt.organisation;
  }
  auto store = DeskStore::Open(opt.db, DeskStoreOptions{1, 1, 1});
  if (!store.ok()) return (void)Fail(ctx, store.error(), kExitTempFail);
  // The rule's checks are the console's (HeldMailService::CheckSenderRule).
  Status st = (*store)->RunWrite([&](DeskRepository& repo) -> Status {
    auto checked = HeldMailService::CheckSenderRule(repo, rule);
    if (!checked.ok()) return checked.error();
    rule = *checked;
    auto mail = SqlMailRepository::ForUnit(repo);
    if (!mail.ok()) return mail.error();
    return mail->PutSenderRule(rule);
  });
  if (!st.ok()) return (void)Fail(ctx, st.error(), st.error().code == ErrorCode::kUnavailable ? kExitTempFail : kExitBadInput);
  *ctx.out << "unknown senders from " << rule.domain << ": " << UnknownSenderActionName(rule.action)
           << (rule.organisation_id ? " (organisation " + std::to_string(*rule.organisation_id) + ")" : "") << "\n";
  ctx.exit_code = kExitOk;
}

}  // namespace

void RegisterMailIngestCommands(CLI::App& mail, CliContext& ctx) {
  auto ropt = std::make_shared<SenderRuleOptions>();
  CLI::App* rule = mail.add_subcommand("sender-rule", "Set what mail from unknown addresses of a domain does");
  rule->add_option("--db", ropt->db, "sqlite:PATH or postgresql://... (default sqlite:./data/sladesk.db)");
  rule->add_option("--domain", ropt->domain, "the sender domain, e.g. customer.example")->required();
  rule->add_option("--action", ropt->action, "refuse (polite answer), hold (for an agent) or create_contact")->required();
  rule->add_option("--organisation", ropt->organisation, "create_contact: the organisation id the senders join");
  rule->callback([&ctx, ropt] { RunSenderRule(ctx, *ropt); });

  auto opt = std::make_shared<MailGateOptions>();
  CLI::App* ingest = mail.add_subcommand("ingest", "Route mail into tickets: one message on stdin, or --maildir/--mbox");
  AddMailGateOptions(ingest, *opt, true);
  ingest->add_option("--maildir", opt->maildir, "ingest every message of a maildir");
  ingest->add_option("--mbox", opt->mbox, "ingest every message of an mbox file");
  ingest->callback([&ctx, opt] { RunIngest(ctx, *opt); });

  auto popt = std::make_shared<MailGateOptions>();
  CLI::App* poll = mail.add_subcommand("poll", "Fetch new mail from an IMAP mailbox (TLS) into tickets, once");
  AddMailGateOptions(poll, *popt, true);
  poll->add_option("--imap", popt->imap_url, "imaps://host:port or imap://host:port (STARTTLS)")->required();
  poll->add_option("--imap-mailbox", popt->imap_mailbox, "the folder (default INBOX)");
  poll->add_option("--imap-user", popt->imap_user, "IMAP user");
  poll->add_option("--imap-password-file", popt->imap_password_file, "file holding the IMAP password");
  poll->add_option("--imap-ca", popt->imap_ca, "extra CA bundle for the IMAP server's certificate");
  poll->callback([&ctx, popt] { RunPoll(ctx, *popt); });
}

}  // namespace sladesk
