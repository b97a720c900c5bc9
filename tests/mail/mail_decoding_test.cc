// Unit tables for the decoding pieces of the mail parser: charsets, RFC 2047
// header text, RFC 2231 parameters, addresses, message ids, the ticket tag
// and the auto-generated rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mail/address_parser.h"
#include "mail/charset.h"
#include "mail/header_decoder.h"
#include "mail/mail_headers.h"
#include "mail/mime_params.h"
#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

struct CharsetCase {
  std::string bytes, label, expected;
};

TEST(Charset, LabelsAreReadAsMailClientsReadThem) {
  const std::vector<CharsetCase> cases = {
      {"caf\xE9", "iso-8859-1", "café"},
      {"\x93quoted\x94 \x96 \x80", "ISO-8859-1", "“quoted” – €"},  // read as windows-1252
      {"\x93x\x94", "us-ascii", "“x”"},                            // US-ASCII with 8-bit bytes
      {"caf\xC3\xA9", "us-ascii", "café"},                         // ... or UTF-8 bytes
      {"\xC4\xE3\xBA\xC3", "gb2312", "你好"},
      {"\x85\x41", "GB2312", "匒"},                                 // GBK-only, beyond GB2312
      {"\xB0\xA1", "ks_c_5601-1987", "가"},
      {"\x81\x41", "ks_c_5601-1987", "갂"},                         // CP949-only
      {"\x87\x40", "shift_jis", "①"},                              // CP932 extension
      {"\xF0\xD2\xC9\xD7\xC5\xD4", "koi8-r", "Привет"},
      {"\xEF\xF0\xE8\xE2\xE5\xF2", "windows-1251", "привет"},
      {"\xFD", "iso-8859-9", "ı"},
      {"caf\xC3\xA9", "\"UTF-8\"", "café"},
      {"caf\xC3\xA9", "utf-8*en", "café"},
      {"caf\xE9", "", "café"},                      // unlabelled, not UTF-8: windows-1252
      {"caf\xC3\xA9", "", "café"},                  // unlabelled UTF-8
      {"caf\xE9", "x-no-such-charset", "café"},     // unknown label: the unlabelled rule
      {"caf\xE9", "unknown-8bit", "café"},
      {"a\xFF" "b", "utf-8", "a\xEF\xBF\xBD" "b"},  // ill-formed UTF-8: U+FFFD
      {"\xE2\x82", "utf-8", "\xEF\xBF\xBD"},        // one U+FFFD for a truncated sequence
      {std::string("\xFF\xFEh\0i\0", 6), "utf-16", "hi"},
      {"+AGEAYgBj-", "utf-7", "abc"},
      {"\x1B$B$3$s$K$A$O\x1B(B", "iso-2022-jp", "こんにちは"},
      {"plain", "utf-8//IGNORE", "plain"},           // not a charset name: fallback
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DecodeToUtf8(c.bytes, c.label), c.expected) << "label " << c.label;
  }
}

TEST(Charset, FallbackCharsetIsUsedForUnlabelledBytesOnly) {
  EXPECT_EQ(DecodeUnlabelled("\xF0\xD2\xC9", "koi8-r"), "При");
  EXPECT_EQ(DecodeUnlabelled("caf\xC3\xA9", "koi8-r"), "café");  // valid UTF-8 wins
  EXPECT_EQ(DecodeUnlabelled("caf\xE9", "utf-8"), "café");       // a UTF-8 fallback is no help
  // Unlabelled, no fallback: raw Cyrillic words are guessed; Western text stays windows-1252.
  EXPECT_EQ(DecodeUnlabelled("\xD4\xC5\xD3\xD4 \xD4\xC5\xD3\xD4", ""), "тест тест");        // KOI8-R
  EXPECT_EQ(DecodeUnlabelled("\xF2\xE5\xF1\xF2 \xF1\xE2\xFF\xE7\xE8", ""), "тест связи");  // windows-1251
  EXPECT_EQ(DecodeUnlabelled("\xDE\xFA ert h\xE9r", ""), "Þú ert hér");  // mixed words: Western
  EXPECT_EQ(DecodeUnlabelled("\xDE\xFA ert", ""), "Þú ert");              // one high word is not enough
  EXPECT_EQ(DecodeUnlabelled("Gr\xFC\xDF" "e aus K\xF6ln", ""), "Grüße aus Köln");
  // 7-bit ISO 2022 escapes name their encoding, labelled US-ASCII or not at all.
  EXPECT_EQ(DecodeUnlabelled("Re: \x1B$B%F%9%H\x1B(B ok", ""), "Re: テスト ok");
  EXPECT_EQ(DecodeToUtf8("\x1B$B%F%9%H\x1B(B", "us-ascii"), "テスト");
  EXPECT_EQ(DecodeUnlabelled("\x1B$)C\x0E>H3g\x0F", ""), "안녕");         // ISO-2022-KR
  EXPECT_EQ(DecodeUnlabelled("\x1B[1mbold\x1B[0m", ""), "\x1B[1mbold\x1B[0m");  // other escapes stay
  EXPECT_EQ(DecodeUnlabelled("\x1B$B%F\xE9", ""), "\x1B$B%F\xC3\xA9");       // 8-bit: not ISO 2022
  EXPECT_EQ(CanonicalCharset("GB2312"), "GB18030");
  EXPECT_EQ(CanonicalCharset("Latin1"), "WINDOWS-1252");
  EXPECT_EQ(CanonicalCharset("EUC-KR"), "CP949");
  EXPECT_EQ(CanonicalCharset("x-unknown"), "");
  EXPECT_EQ(CanonicalCharset("ISO-8859-13"), "ISO-8859-13");  // passed to iconv as written
}

TEST(Utf8, StripAndLowerFollowUnicode) {
  EXPECT_EQ(StripSpace("\xC2\xA0 \t\nx y\r\n\xE3\x80\x80"), "x y");
  EXPECT_EQ(Utf8Lower("ÄBC@Bücher.DE"), "äbc@bücher.de");
  EXPECT_EQ(NormalizeNewlines("a\r\nb\rc\n"), "a\nb\nc\n");
  EXPECT_EQ(RepairUtf8("\xF0\x9F\x98"), "\xEF\xBF\xBD");
  EXPECT_EQ(RepairUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogates are ill-formed
}

struct TextCase {
  std::string raw, expected;
};

TEST(HeaderDecoder, EncodedWordsReadLoosely) {
  const std::vector<TextCase> cases = {
      {" =?utf-8?q?caf=C3=A9?=\r\n", "café"},
      {"=?UTF-8?B?Y2Fmw6k=?=", "café"},
      {"=?utf-8?b?Y2Fmw6k?=", "café"},  // missing padding
      {"=?utf-8?q?a?= =?utf-8?q?b?=", "ab"},
      {"=?utf-8?q?a?=\r\n\t=?utf-8?q?b?=", "ab"},
      {"=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b"},
      {"=?utf-8?q?=C3?= =?utf-8?q?=A9?=", "é"},                  // a character split across words
      {"=?utf-8?q?=C3?= =?iso-8859-1?q?=E9?=", "\xEF\xBF\xBD" "é"},  // different charsets are not joined
      {"pre=?utf-8?q?fix?=post", "prefixpost"},                   // glued to text
      {"=?utf-8?q?hello_world?=", "hello world"},
      {"=?utf-8?Q?a=3F=5F?=", "a?_"},
      {"=?iso-8859-1*de?q?Gr=FC=DFe?=", "Grüße"},                 // RFC 2231 language
      {"=?gb2312?b?xOO6ww==?=", "你好"},
      {"=?bogus?q?caf=E9?=", "café"},                             // unknown charset: unlabelled rule
      {"=?utf-8?q?no end", "=?utf-8?q?no end"},
      {"=?utf-8?x?bad encoding?=", "=?utf-8?x?bad encoding?="},
      {"Re: =?utf-8?q?line=0D=0Abreak?=", "Re: line  break"},
      {"a\r\n b", "a b"},
      {"  padded  ", "padded"},
      {"tab\r\n\tfold", "tab\tfold"},
      {"caf\xE9 raw", "café raw"},
      {"caf\xC3\xA9 raw", "café raw"},
  };
  for (const auto& c : cases) EXPECT_EQ(DecodeHeaderText(c.raw), c.expected) << c.raw;
  EXPECT_EQ(DecodeHeaderText("\xF0\xD2\xC9\xD7\xC5\xD4", "koi8-r"), "Привет");
}

TEST(MimeParams, Rfc2231AndRfc2047FileNames) {
  struct Case {
    std::string raw, expected;
  };
  const std::vector<Case> cases = {
      {"attachment; filename=\"a b.pdf\"", "a b.pdf"},
      {"attachment; filename=a b.pdf", "a b.pdf"},
      {"attachment; FILENAME=\"x.txt\"", "x.txt"},
      {"attachment; filename*=UTF-8''%C3%A9t%C3%A9.pdf", "été.pdf"},
      {"attachment; filename*=iso-8859-1'fr'%E9t%E9.pdf", "été.pdf"},
      {"attachment; filename*0=\"long \"; filename*1=\"name.txt\"", "long name.txt"},
      {"attachment; filename*1*=%C3%A9.txt; filename*0*=UTF-8''caf", "café.txt"},  // out of order
      {"attachment; filename=\"plain.bin\"; filename*=UTF-8''%E2%9C%93.bin", "✓.bin"},  // 2231 wins
      {"attachment; filename=\"=?UTF-8?B?w6l0w6kucGRm?=\"", "été.pdf"},
      {"attachment; filename==?utf-8?q?caf=C3=A9.txt?=", "café.txt"},
      {"attachment; filename=\"caf\xE9.txt\"", "café.txt"},
      {"attachment; filename=\"with \\\"quotes\\\".txt\"", "with \"quotes\".txt"},
      {"attachment; filename*0*=gb2312''%C4%E3; filename*1*=%BA%C3.txt", "你好.txt"},
      {"attachment;\r\n filename=\"folded\r\n name.txt\"", "folded name.txt"},
  };
  for (const auto& c : cases) {
    const HeaderParams p = ParseHeaderParams(c.raw);
    EXPECT_EQ(p.value, "attachment") << c.raw;
    auto name = AttachmentFilename(p, HeaderParams{});
    ASSERT_TRUE(name.has_value()) << c.raw;
    EXPECT_EQ(*name, c.expected) << c.raw;
  }
  EXPECT_FALSE(AttachmentFilename(ParseHeaderParams("attachment; filename=\"  \""), HeaderParams{}).has_value());
  EXPECT_EQ(*AttachmentFilename(ParseHeaderParams("inline"), ParseHeaderParams("image/png; name=x.png")), "x.png");
  EXPECT_EQ(ParseHeaderParams(" Text/HTML ; charset=\"UTF-8\"").value, "text/html");
  EXPECT_EQ(*ParseHeaderParams("text/plain; charset=\"UTF-8\"").Find("charset"), "UTF-8");
}

std::string Show(const std::vector<MailAddress>& list) {
  std::string s;
  for (const auto& a : list) s += a.address + "|" + (a.name ? *a.name : "<null>") + ";";
  return s;
}

TEST(AddressParser, ListsAsClientsReadThem) {
  struct Case {
    std::string raw, expected;
  };
  const std::vector<Case> cases = {
      {"Jane Doe <Jane@Example.COM>", "jane@example.com|Jane Doe;"},
      {"\"Doe, Jane\" <j@x.example>, b@y.example", "j@x.example|Doe, Jane;b@y.example|<null>;"},
      {"<j@x.example>", "j@x.example|<null>;"},
      {"\"\" <j@x.example>", "j@x.example|<null>;"},
      {"j@x.example (Jane Doe)", "j@x.example|<null>;"},
      {"Jane (work) Doe <j@x.example>", "j@x.example|Jane Doe;"},
      {"=?utf-8?q?J=C3=B6rg?= <j@x.example>", "j@x.example|Jörg;"},
      {"\"=?utf-8?q?J=C3=B6rg?= M\" <j@x.example>", "j@x.example|Jörg M;"},
      {"=?utf-8?q?A?= =?utf-8?q?B?= <j@x.example>", "j@x.example|AB;"},
      {"J\xF6rg <j@x.example>", "j@x.example|Jörg;"},
      {"undisclosed-recipients:;", ""},
      {"Team: a@x.example, b@x.example;, c@x.example", "a@x.example|<null>;b@x.example|<null>;c@x.example|<null>;"},
      {"<@hop.example:r@x.example>", "r@x.example|<null>;"},
      {"Doe, John <jd@x.example>", "jd@x.example|Doe, John;"},
      {"Mary Major mary@x.example", "mary@x.example|Mary Major;"},
      {"MAILER-DAEMON (Mail Delivery System)", "mailer-daemon|<null>;"},
      {", ,<>, a@x.example", "a@x.example|<null>;"},
      {"<mailto:M@X.example>", "m@x.example|<null>;"},
      {"\"O'Brien \\\"Ren\\\"\" <r@x.example>", "r@x.example|O'Brien \"Ren\";"},
      {"Ünïcödé <ÜSER@BÜCHER.example>", "üser@bücher.example|Ünïcödé;"},
      {"John Q. Public <jqp@x.example>", "jqp@x.example|John Q. Public;"},
      {"unterminated <u@x.example", "u@x.example|unterminated;"},
      {"\"unterminated quote <q@x.example>", ""},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(Show(ParseAddressList(c.raw)), c.expected) << c.raw;
}

TEST(MailHeaders, MessageIdsAndTicketTags) {
  EXPECT_EQ(*FirstMessageId(" <abc@x.example>\r\n"), "<abc@x.example>");
  EXPECT_EQ(*FirstMessageId("<abc@x.example> (Jane's message of Monday)"), "<abc@x.example>");
  EXPECT_EQ(*FirstMessageId("Your message of Monday <abc@x.example>"), "<abc@x.example>");
  EXPECT_EQ(*FirstMessageId("<abc@\r\n x.example>"), "<abc@x.example>");
  EXPECT_EQ(*FirstMessageId("abc@x.example"), "abc@x.example");
  EXPECT_FALSE(FirstMessageId("   ").has_value());
  EXPECT_FALSE(FirstMessageId("<>").has_value());
  EXPECT_EQ(MessageIdList("<a@x> <b@x>\r\n\t<c@x>"), (std::vector<std::string>{"<a@x>", "<b@x>", "<c@x>"}));
  EXPECT_EQ(MessageIdList("<a@x>,<a@x>"), (std::vector<std::string>{"<a@x>", "<a@x>"}));
  EXPECT_EQ(MessageIdList("a@x b@x"), (std::vector<std::string>{"a@x", "b@x"}));
  EXPECT_TRUE(MessageIdList("").empty());

  EXPECT_EQ(*TicketNumberFromSubject("Re: [#1042] CSV"), 1042);
  EXPECT_EQ(*TicketNumberFromSubject("[#1][#2]"), 1);
  EXPECT_EQ(*TicketNumberFromSubject("x [#123456789012345678]"), 123456789012345678);
  EXPECT_FALSE(TicketNumberFromSubject("x [#1234567890123456789]").has_value());  // 19 digits
  EXPECT_FALSE(TicketNumberFromSubject("[#] [# 1] [#1 ] #1 [1]").has_value());
  EXPECT_EQ(*TicketNumberFromSubject("[#x] then [#5]"), 5);
}

TEST(MailHeaders, AutoGeneratedRulesOfTheContract) {
  struct Case {
    RawHeaders headers;
    std::string content_type;
    std::string from;
    AutoReason expected;
  };
  const std::vector<Case> cases = {
      {{}, "text/plain", "jane@x.example", AutoReason::kNone},
      {{{"Auto-Submitted", " auto-replied"}}, "text/plain", "", AutoReason::kAutoSubmitted},
      {{{"auto-submitted", " Auto-Generated (vacation)"}}, "text/plain", "", AutoReason::kAutoSubmitted},
      {{{"Auto-Submitted", " no"}}, "text/plain", "", AutoReason::kNone},
      {{{"Auto-Submitted", " No (a human)"}}, "text/plain", "", AutoReason::kNone},
      {{{"Auto-Submitted", " no; x=y"}}, "text/plain", "", AutoReason::kNone},
      {{{"Auto-Submitted", ""}}, "text/plain", "", AutoReason::kAutoSubmitted},
      {{{"Precedence", " bulk"}}, "text/plain", "", AutoReason::kPrecedence},
      {{{"Precedence", " JUNK"}}, "text/plain", "", AutoReason::kPrecedence},
      {{{"Precedence", " list"}}, "text/plain", "", AutoReason::kPrecedence},
      {{{"Precedence", " first-class"}}, "text/plain", "", AutoReason::kNone},
      {{{"Precedence", " auto_reply"}}, "text/plain", "", AutoReason::kNone},  // not on the contract's list
      {{{"X-Auto-Response-Suppress", " All"}}, "text/plain", "", AutoReason::kAutoResponseSuppress},
      {{{"X-Auto-Response-Suppress", " DR, OOF"}}, "text/plain", "", AutoReason::kAutoResponseSuppress},
      {{{"X-Auto-Response-Suppress", " DR, RN, NRN, AutoReply"}}, "text/plain", "", AutoReason::kNone},
      {{{"List-Id", " <users.lists.example>"}}, "text/plain", "", AutoReason::kMailingList},
      {{{"List-Unsubscribe", " <mailto:u@x>"}}, "text/plain", "", AutoReason::kMailingList},
      {{{"Return-Path", " <>"}}, "text/plain", "", AutoReason::kNullReturnPath},
      {{{"Return-Path", " < >"}}, "text/plain", "", AutoReason::kNullReturnPath},
      {{{"Return-Path", " <jane@x.example>"}}, "text/plain", "", AutoReason::kNone},
      {{}, "text/plain", "mailer-daemon@x.example", AutoReason::kDaemonSender},
      {{}, "text/plain", "postmaster@x.example", AutoReason::kDaemonSender},
      {{}, "text/plain", "mailer-daemon", AutoReason::kDaemonSender},
      {{}, "text/plain", "postmaster-team@x.example", AutoReason::kNone},
      {{}, "text/plain", "not-postmaster@x.example", AutoReason::kNone},
      {{{"Sender", " MAILER-DAEMON@x.example"}}, "text/plain", "jane@x.example", AutoReason::kDaemonSender},
      {{{"Return-Path", " <MAILER-DAEMON@x.example>"}}, "text/plain", "jane@x.example", AutoReason::kDaemonSender},
      {{}, "multipart/report", "jane@x.example", AutoReason::kDeliveryReport},
      {{}, "multipart/mixed", "jane@x.example", AutoReason::kNone},
  };
  for (const auto& c : cases) {
    std::optional<MailAddress> from;
    if (!c.from.empty()) from = MailAddress{c.from, std::nullopt};
    EXPECT_EQ(AutoGeneratedReason(c.headers, c.content_type, from), c.expected)
        << (c.headers.empty() ? c.from : c.headers[0].first + ":" + c.headers[0].second);
  }
}

TEST(MailHeaders, DmarcFailure) {
  EXPECT_TRUE(DmarcFailed({{"Authentication-Results", " mx.example; spf=pass; dmarc=fail (p=REJECT) header.from=x"}}));
  EXPECT_TRUE(DmarcFailed({{"Authentication-Results", " a; dmarc=pass"}, {"Authentication-Results", " b; dmarc = fail"}}));
  EXPECT_FALSE(DmarcFailed({{"Authentication-Results", " mx.example; dmarc=pass"}}));
  EXPECT_FALSE(DmarcFailed({{"Authentication-Results", " mx.example; spf=fail; dmarc=none"}}));
}

}  // namespace
}  // namespace sladesk::mail
