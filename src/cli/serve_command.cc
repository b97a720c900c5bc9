// `sladesk serve` (the help desk service) and `sladesk token create`.
//
// serve: loads the policies, opens (and migrates) the database, optionally
// seeds demo data, prints the URL, and serves until SIGTERM/SIGINT, then
// drains in-flight requests and pending writes before exiting 0.
// token create: makes an API token for a user (creating a staff user when
// --role is given and the e-mail is new) and prints the secret once.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "cli/mail_gate_setup.h"
#include "mailgate/mail_poll_loop.h"
#include "mailgate/outbox_email_transport.h"
#include "server/demo_data.h"
#include "server/desk_api.h"
#include "server/http_server.h"
#include "server/openapi_document.h"
#include "desk/policy_registry.h"
#include "ops/scheduler.h"
#include "ops/outbox_dispatcher.h"
#include "ops/outbox_webhook_transport.h"
#include "server/static_files.h"
#include "storage/desk_store.h"

namespace sladesk {
namespace {

constexpr const char* kDefaultDb = "sqlite:./data/sladesk.db";

struct ServeOptions {
  int port = 8080;
  std::string address = "127.0.0.1";
  std::string db = kDefaultDb;
  std::string policies = "policies";
  bool demo = false;
  int threads = 2;
  int db_writers = 0;
  std::size_t max_body_bytes = 4 * 1024 * 1024;
  std::size_t max_attachment_bytes = 2 * 1024 * 1024;
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_address = 256;
  int idle_timeout_seconds = 15;
  std::string web_root;  // empty: web/dist here, else web/ next to the binary, else none
  bool test_clock = false;
  bool no_scheduler = false;
  bool secure_cookies = false;
  MailGateOptions mail;  // --imap: poll a mailbox into tickets
  std::string public_url;  // the web app's address, for links in notifications
};

struct TokenOptions {
  std::string db = kDefaultDb;
  std::string email;
  std::string name;
  std::string role;
  int expires_in_days = 0;
};

// The built web app: --web-root, else ./web/dist, else web/ beside the binary.
std::string FindWebRoot(const std::string& flag) {
  namespace fs = std::filesystem;
  if (!flag.empty()) return flag;
  std::error_code ec;
  if (fs::is_directory("web/dist", ec)) return "web/dist";
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && fs::is_directory(exe.parent_path() / "web", ec)) return (exe.parent_path() / "web").string();
  return "";
}


void RunServe(CliContext& ctx, const ServeOptions& opt) {
  if (opt.port < 0 || opt.port > 65535) {
    Fail(ctx, MakeError("--port", "must be 0..65535"));
    return;
  }
  auto policies = PolicyRegistry::LoadDirectory(opt.policies);
  if (!policies.ok()) {
    Fail(ctx, policies.error());
    return;
  }
  DeskStoreOptions store_opts;
  store_opts.writers = opt.db_writers;
  auto store = DeskStore::Open(opt.db, store_opts);
  if (!store.ok()) {
    Fail(ctx, store.error());
    return;
  }
  ServerMetrics metrics;
  DeskApiConfig config;
  config.max_body_bytes = opt.max_body_bytes;
  config.max_attachment_bytes = opt.max_attachment_bytes;
  config.openapi_json = OpenApiDocument();
  config.secure_cookies = opt.secure_cookies;
  // The held-mail console reads stored messages with the gateway's secret
  // (signed ticket tags); without one it reads them unsigned.
  if (auto secret = MailSecret(opt.mail); secret.ok()) {
    config.mail_secret = *secret;
  } else {
    Fail(ctx, secret.error());
    return;
  }
  // The server's clock: the wall clock, or one tests move forward.
  SystemClock system_clock;
  OffsetClock test_clock;
  Clock& clock = opt.test_clock ? static_cast<Clock&>(test_clock) : system_clock;
  TicketChangeHub hub;
  config.hub = &hub;
  if (opt.test_clock) config.test_clock = &test_clock;
  // The SLA scheduler: fires warnings, breaches and auto-close on the
  // second; re-armed by committed writes that move a due instant earlier.
  SchedulerMetrics scheduler_metrics;
  SchedulerOptions scheduler_opts;
  scheduler_opts.release_leases_at_start = (*store)->dialect() == SqlDialect::kSqlite;
  Scheduler scheduler(**store, *policies, clock, scheduler_opts, &scheduler_metrics, [&hub](const FireResult& r) {
    bool breach = false;
    for (const auto& f : r.fired) breach = breach || f.kind == EventKind::kSlaBreached;
    hub.Publish(r.ticket.organisation_id, r.ticket.number, r.ticket.version, breach ? "breach" : "warning");
  });
  if (!opt.no_scheduler) {
    config.on_ticket_due = [&scheduler](std::optional<Instant> due) { scheduler.NoteDue(due); };
    metrics.AddSection([&scheduler_metrics] { return scheduler_metrics.Render(); });
  }
  DeskApi api(**store, *policies, config, [&clock] { return clock.Now(); }, &metrics);

  // --imap: mail into tickets on a timer (the lease lets several servers run it).
  std::unique_ptr<MailGateParts> mail_parts;
  std::unique_ptr<mailgate::MailPollLoop> mail_loop;
  MailGateOptions gate_opt = opt.mail;
  gate_opt.send_answers = false;  // the dispatcher below sends them
  if (!opt.mail.imap_url.empty() || !opt.mail.smtp.empty()) {
    mail_parts = SetupMailGate(ctx, gate_opt, store->get(), *policies, &clock);
    if (!mail_parts) return;
  }
  if (!opt.mail.imap_url.empty()) {
    auto poller = MakeImapPoller(ctx, opt.mail, *mail_parts, /*release_lease=*/false);
    if (!poller) return;
    mail_loop = std::make_unique<mailgate::MailPollLoop>(
        std::move(poller), std::chrono::seconds(opt.mail.imap_interval_seconds),
        [&ctx](const std::string& line) { *ctx.err << "sladesk: " + line + "\n" << std::flush; });
  }
  // The outbox dispatcher: woken by every commit that wrote notification
  // rows, by clock jumps and at the earliest retry.
  OutboxDispatcherOptions outbox_opts;
  outbox_opts.templates_dir = FindTemplates(opt.mail.templates);
  outbox_opts.base_url = opt.public_url;
  outbox_opts.desk_name = opt.mail.desk_name;
  outbox_opts.random = [] { return static_cast<double>(std::rand()) / (static_cast<double>(RAND_MAX) + 1.0); };
  OutboxDispatcher dispatcher(**store, clock, outbox_opts);
  if (Status st = dispatcher.AddTransport(std::make_unique<OutboxWebhookTransport>()); !st.ok()) {
    Fail(ctx, st.error());
    return;
  }
  // --smtp: the email channel; its held rows become pending. Without it
  // email rows stay `held` (kept, sent once a server runs with --smtp).
  if (mail_parts && mail_parts->email_config) {
    if (Status st = dispatcher.AddTransport(
            std::make_unique<mailgate::OutboxEmailTransport>(**store, *mail_parts->email_config));
        !st.ok()) {
      Fail(ctx, st.error());
      return;
    }
  }
  (*store)->SetAfterCommit([&dispatcher] { dispatcher.Wake(); });
  // Whichever way RunServe ends, the store stops calling the dispatcher
  // before the dispatcher goes (the store outlives it).
  struct Unhook {
    DeskStore& store;
    ~Unhook() { store.SetAfterCommit(nullptr); }
  } unhook{**store};
  metrics.AddSection([&dispatcher] { return dispatcher.RenderMetrics(); });
  dispatcher.Start();

  std::optional<DemoTokens> demo;
  if (opt.demo) {
    auto seeded = DemoData::Seed(**store, *policies, clock.Now(), config.mail_secret);
    if (!seeded.ok()) {
      Fail(ctx, seeded.error(), 1);
      return;
    }
    demo = *seeded;
  }
  HttpServerOptions http_opts;
  http_opts.address = opt.address;
  http_opts.port = static_cast<unsigned short>(opt.port);
  http_opts.threads = opt.threads;
  http_opts.max_connections = opt.max_connections;
  http_opts.max_connections_per_address = opt.max_connections_per_address;
  http_opts.idle_timeout = std::chrono::seconds(opt.idle_timeout_seconds);
  const std::string web_root = FindWebRoot(opt.web_root);
  if (!web_root.empty()) {
    auto files = StaticFiles::Load(web_root);
    if (!files.ok()) {
      Fail(ctx, files.error());
      return;
    }
    http_opts.static_files = *files;
  }
  auto server = HttpServer::Create(api, &metrics, http_opts);
  if (!server.ok()) {
    Fail(ctx, server.error());
    return;
  }
  if (!opt.no_scheduler) {
    if (Status st = scheduler.Start(); !st.ok()) {
      Fail(ctx, st.error());
      return;
    }
  }
  std::string url = "http://" + opt.address + ":" + std::to_string((*server)->port());
  *ctx.out << "sladesk serving " << url << "/api/v1 (" << (*store)->backend_name() << ", "
           << (*policies)->size() << " policies from " << opt.policies << ")\n";
  if (demo) {
    if (demo->already_seeded)
      *ctx.out << "demo data already present; new tokens for the demo users:\n";
    else
      *ctx.out << "demo data: " << demo->organisations << " organisations, " << demo->tickets << " tickets, "
               << demo->held_mail << " held mails\n";
    *ctx.out << "  admin token:   " << demo->admin << "\n";
    if (!demo->agent.empty()) *ctx.out << "  agent token:   " << demo->agent << "\n";
    if (!demo->contact.empty())
      *ctx.out << "  contact token: " << demo->contact << " (" << demo->contact_email << ")\n";
    *ctx.out << "try: curl -H 'Authorization: Bearer " << demo->admin << "' " << url
             << "/api/v1/tickets?limit=5\n";
    if (!demo->logins.empty()) {
      *ctx.out << "sign in to the web app with (new passwords at every start):\n";
      for (const auto& l : demo->logins)
        *ctx.out << "  " << l.who << ": " << l.email << " / " << l.password << "\n";
    }
  }
  if (http_opts.static_files)
    *ctx.out << "web app: " << url << "/ (" << http_opts.static_files->file_count() << " files from " << web_root
             << ")\n";
  if ((*server)->effective_max_connections() < opt.max_connections)
    *ctx.out << "connections capped at " << (*server)->effective_max_connections()
             << " by the open-file limit (ulimit -n)\n";
  if (mail_loop) {
    *ctx.out << "mail: polling " << opt.mail.imap_url << "/" << opt.mail.imap_mailbox << " every "
             << opt.mail.imap_interval_seconds << " s\n";
    mail_loop->Start();
  }
  ctx.out->flush();
  (*server)->Run();
  if (mail_loop) mail_loop->Stop();
  scheduler.Stop();
  // Requests in flight have been answered; stop sending (what is unsent
  // stays in the outbox), finish queued writes, then exit.
  dispatcher.Stop();
  (*store)->Shutdown();
  *ctx.out << "sladesk: stopped\n";
  ctx.exit_code = kExitOk;
}

void RunTokenCreate(CliContext& ctx, const TokenOptions& opt) {
  auto store = DeskStore::Open(opt.db, DeskStoreOptions{1, 1, 1});
  if (!store.ok()) {
    Fail(ctx, store.error());
    return;
  }
  std::optional<Instant> expires;
  if (opt.expires_in_days > 0) expires = WallNow() + std::chrono::hours(24 * opt.expires_in_days);
  auto secret = DemoData::CreateToken(**store, opt.email, opt.name, opt.role, expires, WallNow());
  if (!secret.ok()) {
    Fail(ctx, secret.error());
    return;
  }
  *ctx.out << *secret << "\n";
  ctx.exit_code = kExitOk;
}

}  // namespace

void RegisterServeCommands(CLI::App& app, CliContext& ctx) {
  auto serve_opt = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand("serve", "Run the help desk service (JSON REST API under /api/v1)");
  serve->add_option("--port", serve_opt->port, "TCP port (default 8080; 0 picks a free one)");
  serve->add_option("--address", serve_opt->address, "address to listen on (default 127.0.0.1)");
  serve->add_option("--db", serve_opt->db, "sqlite:PATH or postgresql://... (default sqlite:./data/sladesk.db)");
  serve->add_option("--policies", serve_opt->policies, "directory of policy TOML files (default policies)");
  serve->add_flag("--demo", serve_opt->demo, "seed demo organisations, people and tickets; print tokens");
  serve->add_option("--threads", serve_opt->threads, "HTTP threads (default 2)")->check(CLI::Range(1, 64));
  serve->add_option("--db-writers", serve_opt->db_writers, "database writer connections (default 1)")
      ->check(CLI::Range(0, 32));
  serve->add_option("--max-body-bytes", serve_opt->max_body_bytes, "largest request body (default 4 MiB)");
  serve->add_option("--max-attachment-bytes", serve_opt->max_attachment_bytes, "largest attachment (default 2 MiB)");
  serve->add_option("--max-connections", serve_opt->max_connections, "open connections in all (default 10000)")
      ->check(CLI::Range(1, 1000000));
  serve->add_option("--max-connections-per-address", serve_opt->max_connections_per_address,
                    "open connections from one client address (default 256)")
      ->check(CLI::Range(1, 1000000));
  serve->add_option("--idle-timeout", serve_opt->idle_timeout_seconds,
                    "seconds an idle keep-alive connection (or a request header) may take (default 15)")
      ->check(CLI::Range(1, 3600));
  serve->add_option("--web-root", serve_opt->web_root,
                    "directory of the built web app served at / (default: web/dist, else web/ beside the binary)");
  serve->add_flag("--test-clock", serve_opt->test_clock,
                  "end-to-end tests only: POST /api/v1/test/clock moves the server's clock forward");
  serve->add_flag("--no-scheduler", serve_opt->no_scheduler,
                  "do not fire SLA warnings, breaches and auto-close from this process (another server does)");
  serve->add_flag("--secure-cookies", serve_opt->secure_cookies,
                  "mark session cookies Secure (when a TLS-terminating proxy serves sladesk)");
  serve->add_option("--imap", serve_opt->mail.imap_url,
                    "poll this IMAP mailbox (imaps://host:port, or imap:// with STARTTLS) into tickets");
  serve->add_option("--imap-mailbox", serve_opt->mail.imap_mailbox, "the folder (default INBOX)");
  serve->add_option("--imap-user", serve_opt->mail.imap_user, "IMAP user");
  serve->add_option("--imap-password-file", serve_opt->mail.imap_password_file, "file holding the IMAP password");
  serve->add_option("--imap-ca", serve_opt->mail.imap_ca, "extra CA bundle for the IMAP server");
  serve->add_option("--imap-interval", serve_opt->mail.imap_interval_seconds, "seconds between polls (default 60)")
      ->check(CLI::Range(1, 86400));
  AddMailGateOptions(serve, serve_opt->mail, /*with_store=*/false);
  serve->add_option("--public-url", serve_opt->public_url,
                    "the web app's address, for the ticket links in notifications (e.g. https://desk.example)");
  serve->callback([&ctx, serve_opt] { RunServe(ctx, *serve_opt); });

  auto tok_opt = std::make_shared<TokenOptions>();
  CLI::App* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  CLI::App* create = token->add_subcommand("create", "Create an API token and print it (shown once)");
  create->add_option("--db", tok_opt->db, "database (as for serve)");
  create->add_option("--email", tok_opt->email, "the user's e-mail")->required();
  create->add_option("--role", tok_opt->role, "agent, lead or admin: create this staff user if the e-mail is new");
  create->add_option("--name", tok_opt->name, "display name for a new staff user");
  // 0 would read as "expires today" to some and "never" to others: leave
  // the flag out for a token that never expires.
  create->add_option("--expires-in-days", tok_opt->expires_in_days, "expiry in days, 1..3650 (default: never)")
      ->check(CLI::Range(1, 3650));
  create->callback([&ctx, tok_opt] { RunTokenCreate(ctx, *tok_opt); });
}

}  // namespace sladesk
