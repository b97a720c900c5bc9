#include "mail/gmime_support.h"

#include <mutex>

// LeakSanitizer's annotations, when the build has it (weak: absent otherwise).
extern "C" void __lsan_disable() __attribute__((weak));
extern "C" void __lsan_enable() __attribute__((weak));

namespace sladesk::mail {
namespace {

std::once_flag g_init_once;
GMimeParserOptions* g_options = nullptr;

}  // namespace

void EnsureGMimeInitialized() {
  std::call_once(g_init_once, [] {
    // GMime's tables live until exit; re-registering a type drops GMime's
    // previous bucket without freeing it (16 bytes each). Neither is a leak
    // that grows, so LeakSanitizer is told to ignore what is allocated here.
    if (__lsan_disable) __lsan_disable();
    g_mime_init();
    // Attached messages are opaque leaves for sladesk (CONTRACT §9: one
    // attachment, nothing inside counts): GMime then neither parses nor
    // decodes their headers, and their content is their exact bytes.
    for (const char* subtype : {"rfc822", "rfc2822", "global", "news"})
      g_mime_object_register_type("message", subtype, g_mime_part_get_type());
    g_options = g_mime_parser_options_new();
    g_mime_parser_options_set_address_compliance_mode(g_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(g_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_rfc2047_compliance_mode(g_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(g_options, TRUE);
    if (__lsan_enable) __lsan_enable();
  });
}

GMimeParserOptions* SharedParserOptions() {
  EnsureGMimeInitialized();
  return g_options;
}

}  // namespace sladesk::mail
