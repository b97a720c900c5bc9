// The mail gateway's flags and its assembly, shared by `mail ingest`,
// `mail poll` and `serve --imap`.
//
// Purpose: one place that turns the flags into a MailGateway: the
// Message-ID secret (--secret-file or SLADESK_MAIL_SECRET, at least 16
// characters), the answers' sender and SMTP transport (none without
// --smtp), the templates, the default for unknown senders; and for the
// CLI commands their own store (exit 75 when it cannot be opened) and,
// with --smtp, the dispatcher that sends the answers to what they stored
// (an OutboxDispatcher with the OutboxEmailTransport, drained by the
// gateway; serve's own dispatcher sends them in the server).
// Thread-safety: single-threaded set-up. Ownership: MailGateParts owns
// everything it holds, and borrows the store when it was given one.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "cli/cli_context.h"
#include "common/clock.h"
#include "desk/policy_registry.h"
#include "mail/email_notification_transport.h"
#include "mailgate/imap_poller.h"
#include "mailgate/mail_gateway.h"
#include "ops/outbox_dispatcher.h"
#include "storage/desk_store.h"

namespace sladesk {

inline constexpr int kExitTempFail = 75;  // EX_TEMPFAIL (sysexits.h): the MTA retries

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
  // poll, serve --imap
  std::string imap_url, imap_mailbox = "INBOX", imap_user, imap_password_file, imap_ca;
  int imap_interval_seconds = 60;
  // Reader connections/threads of the store SetupMailGate opens; 0 for a
  // one-shot message on stdin (its few reads run on the writer's connection).
  int store_readers = 1;
  // The one-shot commands (true) drain the answers themselves; serve
  // (false) leaves them to its running dispatcher.
  bool send_answers = true;
};

struct MailGateParts {
  std::unique_ptr<DeskStore> own_store;  // the CLI commands' (serve passes its own)
  DeskStore* store = nullptr;
  std::shared_ptr<const PolicyRegistry> policies;
  std::optional<mail::EmailTransportConfig> email_config;  // with --smtp: for the outbox's email transport
  SystemClock system_clock;
  Clock* clock = nullptr;
  std::unique_ptr<OutboxDispatcher> answers;  // with --smtp and send_answers
  std::unique_ptr<mailgate::MailGateway> gateway;
};

// `with_store`: also --db and --policies (serve has its own).
void AddMailGateOptions(CLI::App* command, MailGateOptions& options, bool with_store);
// nullptr after reporting the failure on ctx (exit 2 for usage, 75 when
// the store cannot be opened). `store`/`policies`/`clock` null: opened from
// the options.
// The Message-ID secret of the flags: --secret-file's contents (trailing
// line ends dropped), else SLADESK_MAIL_SECRET, else "" (the caller decides
// whether that is enough; SetupMailGate needs 16 characters).
Result<std::string> MailSecret(const MailGateOptions& opt);

std::unique_ptr<MailGateParts> SetupMailGate(CliContext& ctx, const MailGateOptions& options, DeskStore* store,
                                             std::shared_ptr<const PolicyRegistry> policies,
                                             Clock* clock = nullptr);
// Notification templates: --templates (default "templates") when it is a
// directory, else templates/ beside the binary, else the flag as given
// (its error names it).
std::string FindTemplates(const std::string& flag);
// The IMAP poller of --imap and its flags.
std::unique_ptr<mailgate::ImapPoller> MakeImapPoller(CliContext& ctx, const MailGateOptions& options,
                                                     MailGateParts& parts, bool release_lease);

}  // namespace sladesk
