#include "mail/mail_body.h"

#include <array>
#include <vector>

#include "mail/charset.h"
#include "mail/gmime_support.h"
#include "mail/header_decoder.h"
#include "mail/html_to_text.h"
#include "mail/mime_params.h"
#include "mail/utf8.h"
#include "mail/uuencode.h"

namespace sladesk::mail {
namespace {

enum class NodeKind { kLeaf, kMultipart, kMessage };

struct Node {
  GMimeObject* obj = nullptr;
  int parent = -1;
  NodeKind kind = NodeKind::kLeaf;
  std::string type, subtype;  // lower case
  HeaderParams content_type, disposition;
  bool is_inline = true;
  std::vector<int> children;
  int end = 0;  // the subtree is [index, end) in depth-first order
};

std::string RawHeader(GMimeObject* obj, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);
  if (!list) return {};
  const int n = g_mime_header_list_get_count(list);
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    const char* hn = g_mime_header_get_name(h);
    if (hn && EqualsIgnoreCase(hn, name)) {
      const char* raw = g_mime_header_get_raw_value(h);
      return raw ? raw : "";
    }
  }
  return {};
}

// The tree in depth-first message order, message parts as leaves.
std::vector<Node> Flatten(GMimeObject* top, std::string_view fallback) {
  std::vector<Node> nodes;
  struct Item {
    GMimeObject* obj;
    int parent;
  };
  std::vector<Item> stack{{top, -1}};
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    Node n;
    n.obj = item.obj;
    n.parent = item.parent;
    GMimeContentType* ct = g_mime_object_get_content_type(item.obj);
    const char* type = ct ? g_mime_content_type_get_media_type(ct) : nullptr;
    const char* subtype = ct ? g_mime_content_type_get_media_subtype(ct) : nullptr;
    n.type = AsciiLower(type ? type : "application");
    n.subtype = AsciiLower(subtype ? subtype : "octet-stream");
    n.content_type = ParseHeaderParams(RawHeader(item.obj, "Content-Type"), fallback);
    n.disposition = ParseHeaderParams(RawHeader(item.obj, "Content-Disposition"), fallback);
    n.is_inline = n.disposition.value != "attachment";
    if (GMIME_IS_MULTIPART(item.obj)) {
      n.kind = NodeKind::kMultipart;
    } else if (n.type == "message" &&
               (n.subtype == "rfc822" || n.subtype == "rfc2822" || n.subtype == "global" || n.subtype == "news")) {
      n.kind = NodeKind::kMessage;  // a leaf: gmime_support.h registers these as plain parts
    }
    const int index = static_cast<int>(nodes.size());
    if (item.parent >= 0) nodes[static_cast<std::size_t>(item.parent)].children.push_back(index);
    nodes.push_back(std::move(n));
    if (GMIME_IS_MULTIPART(item.obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(item.obj);
      for (int i = g_mime_multipart_get_count(mp) - 1; i >= 0; --i)
        stack.push_back({g_mime_multipart_get_part(mp, i), index});
    }
  }
  for (std::size_t i = nodes.size(); i-- > 0;) {
    Node& n = nodes[i];
    n.end = n.children.empty() ? static_cast<int>(i) + 1 : nodes[static_cast<std::size_t>(n.children.back())].end;
  }
  return nodes;
}

bool HasEncoding(GMimeObject* obj, GMimeContentEncoding encoding) {
  return GMIME_IS_PART(obj) && g_mime_part_get_content_encoding(GMIME_PART(obj)) == encoding;
}
bool IsUuencodePart(GMimeObject* obj) { return HasEncoding(obj, GMIME_CONTENT_ENCODING_UUENCODE); }
bool IsBase64Part(GMimeObject* obj) { return HasEncoding(obj, GMIME_CONTENT_ENCODING_BASE64); }

// The part's bytes as they stand in the message (transfer encoding kept).
std::string RawContent(GMimeDataWrapper* w) {
  GMimeStream* raw = g_mime_data_wrapper_get_stream(w);
  if (!raw) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_stream_reset(raw);
  g_mime_stream_write_to_stream(raw, mem.get());
  g_mime_stream_reset(raw);
  GByteArray* a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return std::string(reinterpret_cast<const char*>(a->data), a->len);
}

// A part in Content-Transfer-Encoding x-uuencode whose data lines come
// without the "begin" line (Eudora and Mac mailers write them so): GMime's
// decoder waits for "begin" and gives nothing; decode the lines as one block.
std::string UuencodeWithoutBegin(GMimeDataWrapper* w) {
  std::string lines = NormalizeNewlines(RawContent(w));
  if (lines.find("begin ") != std::string::npos) return {};
  while (!lines.empty() && lines.back() == '\n') lines.pop_back();
  if (lines.size() >= 4 && lines.compare(lines.size() - 4, 4, "\nend") == 0) lines.resize(lines.size() - 4);
  std::string text = "begin 644 part\n" + lines + "\n`\nend\n";
  std::vector<UuencodedFile> files = ExtractUuencodedFiles(text);
  return files.size() == 1 ? std::move(files[0].data) : std::string();
}

// Base64 alphabet values; -1 for other bytes (skipped), -2 for '='.
constexpr std::array<signed char, 256> kBase64Values = [] {
  std::array<signed char, 256> t{};
  t.fill(-1);
  for (int c = 0; c < 26; ++c) {
    t[static_cast<std::size_t>('A' + c)] = static_cast<signed char>(c);
    t[static_cast<std::size_t>('a' + c)] = static_cast<signed char>(26 + c);
  }
  for (int c = 0; c < 10; ++c) t[static_cast<std::size_t>('0' + c)] = static_cast<signed char>(52 + c);
  t[static_cast<std::size_t>('+')] = 62;
  t[static_cast<std::size_t>('/')] = 63;
  t[static_cast<std::size_t>('=')] = -2;
  return t;
}();

// Base64 cut short without padding ("/9j/4AAQSkZJABC", 15 characters): GMime
// drops the last incomplete group, other decoders (Python, Ruby, mail
// clients) keep its whole bytes. Returns those bytes, or "" when the data
// ends on a full group or has any '=' (then GMime's reading stands). Reads
// the encoded stream in chunks (no copy of the part).
std::string UnpaddedBase64Tail(GMimeDataWrapper* w) {
  GMimeStream* raw = g_mime_data_wrapper_get_stream(w);
  if (!raw) return {};
  g_mime_stream_reset(raw);
  std::array<char, 16384> buf;
  unsigned int acc = 0;
  std::uint64_t n = 0;
  bool padded = false;
  for (;;) {
    const ssize_t got = g_mime_stream_read(raw, buf.data(), buf.size());
    if (got <= 0) break;
    for (ssize_t i = 0; i < got; ++i) {
      const int v = kBase64Values[static_cast<unsigned char>(buf[static_cast<std::size_t>(i)])];
      if (v >= 0) {
        acc = (n % 4 == 0 ? 0u : acc << 6) | static_cast<unsigned int>(v);
        ++n;
      } else if (v == -2) {
        padded = true;
      }
    }
  }
  g_mime_stream_reset(raw);
  if (padded) return {};
  std::string tail;
  if (n % 4 == 2) tail += static_cast<char>((acc >> 4) & 0xFF);
  if (n % 4 == 3) {
    tail += static_cast<char>((acc >> 10) & 0xFF);
    tail += static_cast<char>((acc >> 2) & 0xFF);
  }
  return tail;
}

std::string DecodedContent(GMimeObject* obj) {
  if (!GMIME_IS_PART(obj)) return {};
  GMimeDataWrapper* w = g_mime_part_get_content(GMIME_PART(obj));
  if (!w) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(w, mem.get());
  GByteArray* a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  std::string out(reinterpret_cast<const char*>(a->data), a->len);
  if (out.empty() && IsUuencodePart(obj)) out = UuencodeWithoutBegin(w);
  if (IsBase64Part(obj)) out += UnpaddedBase64Tail(w);
  return out;
}

std::uint64_t DecodedSize(GMimeObject* obj) {
  if (!GMIME_IS_PART(obj)) return 0;
  if (IsUuencodePart(obj)) return DecodedContent(obj).size();
  GMimeDataWrapper* w = g_mime_part_get_content(GMIME_PART(obj));
  if (!w) return 0;
  GPtr<GMimeStream> null(g_mime_stream_null_new());
  g_mime_data_wrapper_write_to_stream(w, null.get());
  return GMIME_STREAM_NULL(null.get())->written + (IsBase64Part(obj) ? UnpaddedBase64Tail(w).size() : 0);
}

// <meta charset="x"> or <meta http-equiv=Content-Type content="text/html; charset=x">
// in the first 2 KiB of an HTML part.
std::string MetaCharset(std::string_view html) {
  const std::string head = AsciiLower(html.substr(0, 2048));
  std::size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const std::size_t end = head.find('>', pos);
    const std::string tag = head.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos += 5;
    const std::size_t cs = tag.find("charset");
    if (cs == std::string::npos) continue;
    std::size_t i = cs + 7;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '=' || tag[i] == '"' || tag[i] == '\'')) ++i;
    std::size_t e = i;
    while (e < tag.size() && tag[e] != '"' && tag[e] != '\'' && tag[e] != ';' && tag[e] != ' ' && tag[e] != '/' &&
           tag[e] != '>')
      ++e;
    if (e > i) return tag.substr(i, e - i);
  }
  return {};
}

std::string PartText(const Node& n, std::string_view fallback, bool html, std::string* html_out) {
  const std::string raw = DecodedContent(n.obj);
  const std::string* cs = n.content_type.Find("charset");
  std::string label = cs ? *cs : std::string();
  if (html && CanonicalCharset(label).empty()) {
    const std::string meta = MetaCharset(raw);
    if (!CanonicalCharset(meta).empty()) label = meta;
  }
  std::string text = NormalizeNewlines(DecodeToUtf8(raw, label, fallback));
  if (!html) return text;
  if (html_out) *html_out = text;
  return HtmlToText(text);
}

bool IsInlineText(const Node& n, std::string_view subtype) {
  return n.kind == NodeKind::kLeaf && n.is_inline && n.type == "text" && n.subtype == subtype;
}

bool IsAncestor(const std::vector<Node>& nodes, int ancestor, int node) {
  return node >= ancestor && node < nodes[static_cast<std::size_t>(ancestor)].end;
}

// Marks the alternatives of `body` in `alt`.
void MarkAlternatives(const std::vector<Node>& nodes, int body, std::vector<bool>& alt) {
  for (int a = nodes[static_cast<std::size_t>(body)].parent; a >= 0; a = nodes[static_cast<std::size_t>(a)].parent) {
    const Node& anc = nodes[static_cast<std::size_t>(a)];
    if (anc.subtype != "alternative") continue;
    for (int c : anc.children) {
      if (IsAncestor(nodes, c, body)) continue;
      const Node& child = nodes[static_cast<std::size_t>(c)];
      if (child.kind != NodeKind::kMultipart) {
        alt[static_cast<std::size_t>(c)] = true;
        continue;
      }
      for (int k = c; k < child.end; ++k) {
        const Node& d = nodes[static_cast<std::size_t>(k)];
        if (IsInlineText(d, "plain") || IsInlineText(d, "html")) alt[static_cast<std::size_t>(k)] = true;
      }
    }
  }
}

// The first inline text/html leaf among the other children of body's nearest
// multipart/alternative, or -1.
int HtmlAlternative(const std::vector<Node>& nodes, int body) {
  for (int a = nodes[static_cast<std::size_t>(body)].parent; a >= 0; a = nodes[static_cast<std::size_t>(a)].parent) {
    if (nodes[static_cast<std::size_t>(a)].subtype != "alternative") continue;
    for (int k = a + 1; k < nodes[static_cast<std::size_t>(a)].end; ++k)
      if (IsInlineText(nodes[static_cast<std::size_t>(k)], "html")) return k;
    return -1;
  }
  return -1;
}

MailAttachment LeafAttachment(const Node& n, const BodyOptions& options) {
  MailAttachment a;
  a.filename = AttachmentFilename(n.disposition, n.content_type);
  a.content_type = n.type + "/" + n.subtype;
  a.inline_disposition = n.is_inline;
  if (GMIME_IS_PART(n.obj)) {
    const char* cid = g_mime_part_get_content_id(GMIME_PART(n.obj));
    if (cid) a.content_id = RepairUtf8(cid);
  }
  // An attached message's content is its bytes as in the input (after any
  // transfer encoding is undone), from its first header to the line break
  // before the next boundary.
  if (options.keep_content) {
    a.content = DecodedContent(n.obj);
    a.size = a.content.size();
  } else {
    a.size = DecodedSize(n.obj);
  }
  return a;
}

void AddUuFiles(std::string& text, const BodyOptions& options, std::vector<MailAttachment>& out) {
  for (UuencodedFile& f : ExtractUuencodedFiles(text)) {
    MailAttachment a;
    a.filename = std::move(f.filename);
    a.content_type = std::move(f.content_type);
    a.size = f.data.size();
    a.from_uuencode = true;
    if (options.keep_content) a.content = std::move(f.data);
    out.push_back(std::move(a));
  }
}

}  // namespace

std::string FirstDeclaredCharset(GMimeObject* top) {
  const std::vector<Node> nodes = Flatten(top, {});
  auto declared = [](const Node& n) -> std::string {
    const std::string* cs = n.content_type.Find("charset");
    if (!cs) return {};
    const std::string canonical = CanonicalCharset(*cs);
    return !canonical.empty() && canonical != "UTF-8" && canonical != "ASCII" ? *cs : std::string();
  };
  for (const Node& n : nodes)
    if (n.type == "text")
      if (std::string cs = declared(n); !cs.empty()) return cs;
  // Chinese mailers put the charset on the multipart itself
  // ("multipart/mixed; boundary=...; charset=GB2312") and write raw GBK
  // file names: meaningless for MIME, but the sender's charset.
  for (const Node& n : nodes)
    if (n.kind == NodeKind::kMultipart)
      if (std::string cs = declared(n); !cs.empty()) return cs;
  return {};
}

void ExtractBody(GMimeObject* top, const BodyOptions& options, ParsedMail& out) {
  const std::vector<Node> nodes = Flatten(top, options.fallback_charset);
  int plain = -1, html = -1;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (plain < 0 && IsInlineText(nodes[i], "plain")) plain = static_cast<int>(i);
    if (html < 0 && IsInlineText(nodes[i], "html")) html = static_cast<int>(i);
  }
  int body = plain >= 0 ? plain : html;
  std::string text;
  bool from_html = false;
  if (plain >= 0) {
    text = PartText(nodes[static_cast<std::size_t>(plain)], options.fallback_charset, false, nullptr);
    if (StripSpace(text).empty()) {
      const int alt_html = HtmlAlternative(nodes, plain);
      if (alt_html >= 0) body = alt_html;
    }
  }
  if (body >= 0 && body != plain) {
    text = PartText(nodes[static_cast<std::size_t>(body)], options.fallback_charset, true,
                    options.keep_content ? &out.html : nullptr);
    from_html = true;
  } else if (body >= 0 && options.keep_content) {
    const int alt_html = HtmlAlternative(nodes, body);
    if (alt_html >= 0) PartText(nodes[static_cast<std::size_t>(alt_html)], options.fallback_charset, true, &out.html);
  }

  std::vector<bool> alternative(nodes.size(), false);
  if (body >= 0) MarkAlternatives(nodes, body, alternative);
  const std::string body_subtype = from_html ? "html" : "plain";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    if (static_cast<int>(i) == body) {
      if (!from_html) AddUuFiles(text, options, out.attachments);
      continue;
    }
    if (n.kind == NodeKind::kMultipart || alternative[i]) continue;
    if (body >= 0 && static_cast<int>(i) > body && IsInlineText(n, body_subtype) &&
        !AttachmentFilename(n.disposition, n.content_type) && n.parent >= 0 &&
        nodes[static_cast<std::size_t>(n.parent)].subtype == "mixed") {
      std::string more = PartText(n, options.fallback_charset, from_html, nullptr);
      if (!from_html) AddUuFiles(more, options, out.attachments);
      more = StripSpace(more);
      if (!more.empty()) text = StripTrailingSpace(text) + "\n" + more;
    }
    out.attachments.push_back(LeafAttachment(n, options));
  }
  // A multipart whose boundary never appears: its text is all in the prologue.
  if (body < 0 && nodes.size() == 1 && nodes[0].kind == NodeKind::kMultipart) {
    const char* prologue = g_mime_multipart_get_prologue(GMIME_MULTIPART(top));
    if (prologue) {
      // The message's own transfer encoding covers that text too.
      std::string bytes = prologue;
      std::string cte = AsciiLower(StripSpace(RawHeader(top, "Content-Transfer-Encoding")));
      if (cte == "quoted-printable") {
        std::string joined;
        const std::string lf = NormalizeNewlines(bytes);
        for (std::size_t i = 0; i < lf.size(); ++i) {
          if (lf[i] == '=' && i + 1 < lf.size() && lf[i + 1] == '\n') {
            ++i;  // a soft line break
            continue;
          }
          joined += lf[i];
        }
        bytes = DecodeQ(joined, false);
      } else if (cte == "base64") {
        bytes = DecodeBase64Lenient(bytes);
      }
      text = NormalizeNewlines(DecodeUnlabelled(bytes, options.fallback_charset));
    }
  }
  out.text = StripSpace(text);
  out.text_from_html = from_html;
}

}  // namespace sladesk::mail
