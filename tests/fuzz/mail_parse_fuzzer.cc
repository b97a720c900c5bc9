// libFuzzer target: `sladesk mail parse` (CONTRACT §9) and the decoding
// pieces under it. Any input must give a ParsedMail or an Error naming
// "input", never a crash, hang or sanitizer report (GObject references
// included: LeakSanitizer runs at exit); the JSON must be valid UTF-8 with
// every contract key; the quoted-history trimmer must lose nothing. The
// same bytes are also fed to the header, address, parameter and HTML
// decoders on their own.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mail/address_parser.h"
#include "mail/header_decoder.h"
#include "mail/html_to_text.h"
#include "mail/mail_json.h"
#include "mail/mail_parser.h"
#include "mail/mime_params.h"
#include "mail/quote_trimmer.h"
#include "mail/utf8.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sladesk::mail;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (bool keep : {false, true}) {
    ParseOptions options;
    options.keep_content = keep;
    auto parsed = ParseMail(input, options);
    if (!parsed.ok()) {
      Check(parsed.error().field == "input");
      continue;
    }
    const std::string json = ParsedMailToJson(*parsed);
    Check(IsValidUtf8(json));
    const auto j = nlohmann::json::parse(json, nullptr, false);
    Check(!j.is_discarded() && j.contains("message_id") && j.contains("attachments") && j["text"].is_string());
    Check(IsValidUtf8(parsed->text));
    const TrimmedText t = TrimQuotedHistory(parsed->text, parsed->html);
    Check(IsValidUtf8(t.reply) && IsValidUtf8(t.quoted));
    if (!t.trimmed) Check(t.quoted.empty());
  }
  Check(IsValidUtf8(DecodeHeaderText(input)));
  for (const MailAddress& a : ParseAddressList(input)) Check(IsValidUtf8(a.address) && !a.address.empty());
  const HeaderParams p = ParseHeaderParams(input);
  for (const auto& [k, v] : p.params) Check(IsValidUtf8(v));
  if (size < 20000) Check(IsValidUtf8(HtmlToText(RepairUtf8(input))));
  return 0;
}
