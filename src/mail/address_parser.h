// Address lists (From, To, Cc, Reply-To) read loosely, the way mail clients
// read them.
//
// Purpose: RFC 5322 address-list with the obsolete and broken forms seen in
// real mail: groups (flattened, the group name dropped; "undisclosed-
// recipients:;" gives nothing), routes (<@a,@b:jane@x>), comments (ignored:
// `jane@x (Jane)` has no display name, as RFC 5322's display-name is the
// phrase only), RFC 2047 words anywhere in the phrase (inside quotes too, as
// clients decode them), raw 8-bit phrases (charset.h's unlabelled rule),
// unquoted commas in a name (`Doe, Jane <jd@x>` is one mailbox named
// "Doe, Jane"), a missing angle pair (`Jane Doe jane@x`). Addresses are
// lower-cased (Unicode simple lower-casing); entries without an address are
// dropped; `name` is null when absent or empty after decoding.
// Thread-safety: pure functions. Ownership: returns values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sladesk::mail {

struct MailAddress {
  std::string address;              // lower-cased, e.g. "jane@customer.example"
  std::optional<std::string> name;  // decoded display name, or null
  bool operator==(const MailAddress&) const = default;
};

// `raw` is the header value as it appears (folded or not).
std::vector<MailAddress> ParseAddressList(std::string_view raw, std::string_view fallback_charset = {});

}  // namespace sladesk::mail
