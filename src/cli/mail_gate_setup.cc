#include "cli/mail_gate_setup.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli_io.h"
#include "mailgate/outbox_email_transport.h"

namespace sladesk {
namespace {

Result<std::string> ReadSecretFile(const std::string& path, const std::string& field) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return MakeError(field, "cannot read '" + path + "'");
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

Result<std::string> MailSecret(const MailGateOptions& opt) {
  if (!opt.secret_file.empty()) return ReadSecretFile(opt.secret_file, "--secret-file");
  if (const char* env = std::getenv("SLADESK_MAIL_SECRET")) return std::string(env);
  return std::string();
}

std::unique_ptr<MailGateParts> SetupMailGate(CliContext& ctx, const MailGateOptions& opt, DeskStore* store_in,
                                             std::shared_ptr<const PolicyRegistry> policies_in, Clock* clock) {
  auto parts = std::make_unique<MailGateParts>();
  parts->clock = clock ? clock : &parts->system_clock;
  auto read = MailSecret(opt);
  if (!read.ok()) return Fail(ctx, read.error()), nullptr;
  const std::string secret = *read;
  if (secret.size() < 16)
    return Fail(ctx, MakeError("--secret-file", "a Message-ID secret of at least 16 characters is required "
                                                "(--secret-file FILE or SLADESK_MAIL_SECRET)")),
           nullptr;
  auto unknown = UnknownSenderActionFromName(opt.unknown_senders);
  if (!unknown)
    return Fail(ctx, MakeError("--unknown-senders", "must be refuse, hold or create_contact")), nullptr;
  if (policies_in) {
    parts->policies = std::move(policies_in);
  } else {
    auto policies = PolicyRegistry::LoadDirectory(opt.policies);
    if (!policies.ok()) return Fail(ctx, policies.error()), nullptr;
    parts->policies = *policies;
  }
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
    parts->email_config = tc;
    // The templates are read here so a bad --templates is an error now,
    // not an answer rendered empty later.
    auto renderer = TemplateRenderer::Open(FindTemplates(opt.templates));
    if (!renderer.ok()) return Fail(ctx, renderer.error()), nullptr;
  }
  if (store_in) {
    parts->store = store_in;
  } else {
    auto store = DeskStore::Open(opt.db, DeskStoreOptions{1, opt.store_readers, 256});
    if (!store.ok()) return Fail(ctx, store.error(), kExitTempFail), nullptr;
    parts->own_store = std::move(*store);
    parts->store = parts->own_store.get();
  }
  mailgate::MailGatewayConfig gc;
  gc.secret = secret;
  gc.desk_name = opt.desk_name;
  gc.portal_url = opt.portal_url;
  gc.intake.unknown_senders = *unknown;
  if (parts->email_config && opt.send_answers) {
    OutboxDispatcherOptions d;
    d.templates_dir = FindTemplates(opt.templates);
    d.desk_name = opt.desk_name;
    d.base_url = opt.portal_url;
    d.release_held = false;  // the server's dispatcher owns the rest of the outbox
    parts->answers = std::make_unique<OutboxDispatcher>(*parts->store, *parts->clock, d);
    if (Status st = parts->answers->AddTransport(
            std::make_unique<mailgate::OutboxEmailTransport>(*parts->store, *parts->email_config));
        !st.ok())
      return Fail(ctx, st.error(), kExitTempFail), nullptr;
  }
  parts->gateway = std::make_unique<mailgate::MailGateway>(*parts->store, parts->policies, gc, *parts->clock,
                                                           parts->answers.get());
  return parts;
}


std::string FindTemplates(const std::string& flag) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!flag.empty() && fs::is_directory(flag, ec)) return flag;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && fs::is_directory(exe.parent_path() / "templates", ec)) return (exe.parent_path() / "templates").string();
  return flag;
}

std::unique_ptr<mailgate::ImapPoller> MakeImapPoller(CliContext& ctx, const MailGateOptions& opt, MailGateParts& parts,
                                                     bool release_lease) {
  mailgate::ImapPollConfig pc;
  pc.imap.url = opt.imap_url;
  pc.imap.mailbox = opt.imap_mailbox;
  pc.imap.username = opt.imap_user;
  if (!opt.imap_password_file.empty()) {
    auto pw = ReadSecretFile(opt.imap_password_file, "--imap-password-file");
    if (!pw.ok()) return Fail(ctx, pw.error()), nullptr;
    pc.imap.password = *pw;
  }
  pc.imap.ca_file = opt.imap_ca;
  pc.release_lease = release_lease;
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  pc.holder = std::string(host) + ":" + std::to_string(getpid());
  return std::make_unique<mailgate::ImapPoller>(*parts.store, *parts.gateway, pc, *parts.clock);
}

void AddMailGateOptions(CLI::App* c, MailGateOptions& o, bool with_store) {
  if (with_store) {
    c->add_option("--db", o.db, "sqlite:PATH or postgresql://... (default sqlite:./data/sladesk.db)");
    c->add_option("--policies", o.policies, "directory of policy TOML files (default policies)");
  }
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


}  // namespace sladesk
