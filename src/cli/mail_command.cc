// `sladesk mail parse FILE|-` (CONTRACT §9).
//
// Prints the parsed message as one JSON object on stdout and exits 0. Input
// that is not a mail message at all (empty, binary garbage, no header block)
// or an unreadable file prints one "sladesk: input: ..." line on stderr and
// exits 2. --trim adds the quoted-history trimming (reply_text and
// quoted_text keys); `text` itself is never trimmed.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "mail/mail_json.h"
#include "mail/mail_parser.h"
#include "mail/quote_trimmer.h"

namespace sladesk {
namespace {

struct MailParseOptions {
  std::string file;
  bool trim = false;
};

void RunParse(CliContext& ctx, const MailParseOptions& opt) {
  auto raw = ReadInput(ctx, opt.file, "FILE");
  if (!raw.ok()) {
    Fail(ctx, raw.error());
    return;
  }
  mail::ParseOptions options;
  options.keep_content = opt.trim;  // the HTML body helps the trimmer
  auto parsed = mail::ParseMail(*raw, options);
  if (!parsed.ok()) {
    Error e = parsed.error();
    e.file = opt.file == "-" ? "<stdin>" : opt.file;
    Fail(ctx, e);
    return;
  }
  if (opt.trim) {
    const mail::TrimmedText trimmed = mail::TrimQuotedHistory(parsed->text, parsed->html);
    *ctx.out << mail::ParsedMailToJson(*parsed, &trimmed);
  } else {
    *ctx.out << mail::ParsedMailToJson(*parsed);
  }
  ctx.out->flush();
  ctx.exit_code = kExitOk;
}

}  // namespace

void RegisterMailCommands(CLI::App& app, CliContext& ctx) {
  auto opt = std::make_shared<MailParseOptions>();
  CLI::App* mail = app.add_subcommand("mail", "Email: parse, ingest and poll inbound messages");
  mail->require_subcommand(1);
  CLI::App* parse = mail->add_subcommand("parse", "Parse one RFC 5322 message and print it as JSON (CONTRACT §9)");
  parse->add_option("FILE", opt->file, "The message file, or - for stdin")->required();
  parse->add_flag("--trim", opt->trim, "Also print reply_text and quoted_text (quoted history trimmed)");
  parse->callback([&ctx, opt] { RunParse(ctx, *opt); });
  RegisterMailIngestCommands(*mail, ctx);
}

}  // namespace sladesk
