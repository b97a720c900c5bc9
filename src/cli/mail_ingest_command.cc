// `sladesk mail ingest` and `sladesk mail poll`: mail into the desk.
//
// ingest: one message on stdin (an MTA's pipe transport), or --maildir DIR
// / --mbox FILE (imports and replays). Prints one JSON line per message
// (stdin) or a summary (bulk). Exit 0 when the message was stored or
// deliberately dropped; 75 (EX_TEMPFAIL, sysexits.h) when the store is
// unavailable, so the MTA keeps the mail and retries; 2 for bad usage or
// input that is not mail.
// poll: one poll of an IMAP mailbox over TLS (ImapPoller: a lease per
// mailbox, positions stored, never a message twice); exit 75 when the
// store or the IMAP server is unavailable.
// Answers (acknowledgements, refusals) go to --smtp when it is given; the
// secret that signs and verifies Message-IDs comes from --secret-file or
// SLADESK_MAIL_SECRET and must be the same for every process of a desk.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "common/clock.h"
#include "desk/policy_registry.h"
#include "mail/maildir_reader.h"
#include "mail/mbox_reader.h"
#include "mailgate/imap_poller.h"
#include "mailgate/mail_gateway.h"
#include "storage/desk_store.h"

namespace sladesk {
namespace {

constexpr int kExitTempFail = 75;  // EX_TEMPFAIL

struct MailGateOptions {
  std::string db = "sqlite:./data/sladesk.db";
  std::string policies = "policies";
  std::string templates = "templates";
  std::string secret_file;
  std::string domain = "desk.example";
  std::string from = "support@desk.example";
  std::string from_name = "Support";
  std::string desk_name = "Support";
  std::string portal_url;
  std::string smtp;  // empty: no answers are sent
  std::string smtp_starttls = "if-offered";
  std::string smtp_user, smtp_password_file, smtp_ca;
  std::string unknown_senders = "hold";
  // ingest
  std::string maildir, mbox;
  // poll
  std::string imap_url, imap_mailbox = "INBOX", imap_user, imap_password_file, imap_ca;
};

Result<std::string> ReadSecretFile(const std::string& path, const std::string& field) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return MakeError(field, "cannot read '" + path + "'");
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Everything a gateway needs, owned together.
struct GateParts {
  std::unique_ptr<DeskStore> store;
  std::shared_ptr<const PolicyRegistry> policies;
  std::optional<TemplateRenderer> templates;
  std::unique_ptr<mail::EmailNotificationTransport> transport;
  SystemClock clock;
  std::unique_ptr<mailgate::MailGateway> gateway;
};

// nullptr after reporting the failure (exit 2 for usage, 75 for the store).
std::unique_ptr<GateParts> Setup(CliContext& ctx, const MailGateOptions& opt) {
  auto parts = std::make_unique<GateParts>();
  std::string secret;
  if (!opt.secret_file.empty()) {
    auto s = ReadSecretFile(opt.secret_file, "--secret-file");
    if (!s.ok()) return Fail(ctx, s.error()), nullptr;
    secret = *s;
  } else if (const char* env = std::getenv("SLADESK_MAIL_SECRET")) {
    secret = env;
  }
  if (secret.size() < 16)
    return Fail(ctx, MakeError("--secret-file", "a Message-ID secret of at least 16 characters is required "
                                                "(--secret-file FILE or SLADESK_MAIL_SECRET)")),
           nullptr;
  auto unknown = UnknownSenderActionFromName(opt.unknown_senders);
  if (!unknown)
    return Fail(ctx, MakeError("--unknown-senders", "must be refuse, hold or create_contact")), nullptr;
  auto policies = PolicyRegistry::LoadDirectory(opt.policies);
  if (!policies.ok()) return Fail(ctx, policies.error()), nullptr;
  parts->policies = *policies;
  if (!opt.smtp.empty()) {
    mail::EmailTransportConfig tc;
    tc.smtp.url = opt.smtp;
    tc.smtp.starttls = opt.smtp_starttls == "never"      ? mail::StartTls::kNever
                       : opt.smtp_starttls == "required" ? mail::StartTls::kRequired
                                                         : mail::StartTls::kIfOffered;
    tc.smtp.username = opt.smtp_user;
    if (!opt.smtp_password_file.empty()) {
      auto pw = ReadSecretFile(opt.smtp_password_file, "--smtp-password-file");
      if (!pw.ok()) return Fail(ctx, pw.error()), nullptr;
      tc.smtp.password = *pw;
    }
    tc.smtp.ca_file = opt.smtp_ca;
    tc.from = {opt.from, opt.from_name};
    tc.domain = opt.domain;
    tc.secret = secret;
    parts->transport = std::make_unique<mail::EmailNotificationTransport>(tc);
    auto renderer = TemplateRenderer::Open(opt.templates);
    if (!renderer.ok()) return Fail(ctx, renderer.error()), nullptr;
    parts->templates.emplace(std::move(*renderer));
  }
  auto store = DeskStore::Open(opt.db, DeskStoreOptions{1, 1, 256});
  if (!store.ok()) return Fail(ctx, store.error(), kExitTempFail), nullptr;
  parts->store = std::move(*store);
  mailgate::MailGatewayConfig gc;
  gc.secret = secret;
  gc.desk_name = opt.desk_name;
  gc.portal_url = opt.portal_url;
  gc.intake.unknown_senders = *unknown;
  parts->gateway = std::make_unique<mailgate::MailGateway>(
      *parts->store, parts->policies, gc, parts->clock, parts->transport.get(),
      parts->templates ? &*parts->templates : nullptr);
  return parts;
}

// Input that is not mail: 2 (the MTA bounces it). Anything else (the store
// down or busy, a race that kept failing): 75, the MTA tries again later.
int ExitFor(const Error& e) { return e.code == ErrorCode::kInvalid ? kExitBadInput : kExitTempFail; }

nlohmann::json OutcomeJson(const mailgate::IngestResult& r) {
  nlohmann::json j;
  j["action"] = std::string(MailActionName(r.outcome.action));
  j["message_id"] = r.message_id;
  j["ticket_number"] = r.outcome.ticket_number ? nlohmann::json(*r.outcome.ticket_number) : nlohmann::json();
  j["reason"] = r.outcome.reason;
  if (r.answer) {
    j["answer"] = {{"outcome", mail::DeliveryOutcomeName(r.answer->outcome)},
                   {"message_id", r.answer->message_id},
                   {"detail", r.answer->detail}};
  }
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
  auto parts = Setup(ctx, opt);
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
  nlohmann::json j{{"messages", stats->messages},         {"stored", stats->stored},
                   {"duplicates", stats->duplicates},     {"not_mail", stats->not_mail},
                   {"answers_sent", stats->answers_sent}, {"answers_failed", stats->answers_failed},
                   {"actions", stats->actions}};
  *ctx.out << j.dump() << "\n";
  ctx.exit_code = kExitOk;
}

void RunPoll(CliContext& ctx, const MailGateOptions& opt) {
  if (opt.imap_url.empty()) return (void)Fail(ctx, MakeError("--imap", "the IMAP URL is required"));
  auto parts = Setup(ctx, opt);
  if (!parts) return;
  mailgate::ImapPollConfig pc;
  pc.imap.url = opt.imap_url;
  pc.imap.mailbox = opt.imap_mailbox;
  pc.imap.username = opt.imap_user;
  if (!opt.imap_password_file.empty()) {
    auto pw = ReadSecretFile(opt.imap_password_file, "--imap-password-file");
    if (!pw.ok()) return (void)Fail(ctx, pw.error());
    pc.imap.password = *pw;
  }
  pc.imap.ca_file = opt.imap_ca;
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  pc.holder = std::string(host) + ":" + std::to_string(getpid());
  mailgate::ImapPoller poller(*parts->store, *parts->gateway, pc, parts->clock);
  auto r = poller.PollOnce();
  if (!r.ok()) {
    Fail(ctx, r.error(), r.error().field == "imap" ? kExitTempFail : ExitFor(r.error()));
    return;
  }
  nlohmann::json j{{"polled", r->polled}, {"fetched", r->fetched}, {"stored", r->stored},
                   {"duplicates", r->duplicates}, {"failed", r->failed}};
  *ctx.out << j.dump() << "\n";
  ctx.exit_code = kExitOk;
}

void AddGateOptions(CLI::App* c, MailGateOptions& o) {
  c->add_option("--db", o.db, "sqlite:PATH or postgresql://... (default sqlite:./data/sladesk.db)");
  c->add_option("--policies", o.policies, "directory of policy TOML files (default policies)");
  c->add_option("--templates", o.templates, "notification templates (default templates)");
  c->add_option("--secret-file", o.secret_file, "the Message-ID signing secret (else SLADESK_MAIL_SECRET)");
  c->add_option("--domain", o.domain, "right-hand side of the Message-IDs sladesk writes (default desk.example)");
  c->add_option("--from", o.from, "address answers come from (default support@desk.example)");
  c->add_option("--from-name", o.from_name, "display name of --from");
  c->add_option("--desk-name", o.desk_name, "the desk's name in answers");
  c->add_option("--portal-url", o.portal_url, "base URL of ticket links in answers");
  c->add_option("--smtp", o.smtp, "smtp://host:port or smtps://host:port for answers (default: none sent)");
  c->add_option("--smtp-starttls", o.smtp_starttls, "never, if-offered (default) or required")
      ->check(CLI::IsMember({"never", "if-offered", "required"}));
  c->add_option("--smtp-user", o.smtp_user, "SMTP AUTH user");
  c->add_option("--smtp-password-file", o.smtp_password_file, "file holding the SMTP password");
  c->add_option("--smtp-ca", o.smtp_ca, "extra CA bundle for the SMTP server's certificate");
  c->add_option("--unknown-senders", o.unknown_senders,
                "default for senders without a contact or a domain rule: refuse, hold (default), create_contact");
}

}  // namespace

void RegisterMailIngestCommands(CLI::App& mail, CliContext& ctx) {
  auto opt = std::make_shared<MailGateOptions>();
  CLI::App* ingest = mail.add_subcommand("ingest", "Route mail into tickets: one message on stdin, or --maildir/--mbox");
  AddGateOptions(ingest, *opt);
  ingest->add_option("--maildir", opt->maildir, "ingest every message of a maildir");
  ingest->add_option("--mbox", opt->mbox, "ingest every message of an mbox file");
  ingest->callback([&ctx, opt] { RunIngest(ctx, *opt); });

  auto popt = std::make_shared<MailGateOptions>();
  CLI::App* poll = mail.add_subcommand("poll", "Fetch new mail from an IMAP mailbox (TLS) into tickets, once");
  AddGateOptions(poll, *popt);
  poll->add_option("--imap", popt->imap_url, "imaps://host:port or imap://host:port (STARTTLS)")->required();
  poll->add_option("--mailbox", popt->imap_mailbox, "the folder (default INBOX)");
  poll->add_option("--imap-user", popt->imap_user, "IMAP user");
  poll->add_option("--imap-password-file", popt->imap_password_file, "file holding the IMAP password");
  poll->add_option("--imap-ca", popt->imap_ca, "extra CA bundle for the IMAP server's certificate");
  poll->callback([&ctx, popt] { RunPoll(ctx, *popt); });
}

}  // namespace sladesk
