// HtmlToText, DecodeHtmlEntities and the uuencode cutter, table-driven.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mail/html_to_text.h"
#include "mail/uuencode.h"

namespace sladesk::mail {
namespace {

TEST(HtmlToText, TagsEntitiesAndBlocks) {
  struct Case {
    std::string html, expected;
  };
  const std::vector<Case> cases = {
      {"<p>a</p><p>b</p>", "a\n\nb"},
      {"<div>a</div><div>b</div>", "a\nb"},
      {"<div>a<div><br></div><div>b</div></div>", "a\n\nb"},
      {"a<br>b<br/>c<BR >d", "a\nb\nc\nd"},
      {"a   b\n\n c", "a b c"},
      {"<pre>  x\n  y</pre>", "x\n  y"},  // trimmed at both ends of the text only
      {"<p>x</p><pre>\n  a  b\n</pre>", "x\n\n  a  b"},
      {"<table><tr><td>A</td><td>B</td></tr><tr><td>C</td><td>D</td></tr></table>", "A B\nC D"},
      {"<ul><li>one</li><li>two</li></ul>", "one\ntwo"},
      {"<style>p{}</style><script>x()</script>shown", "shown"},
      {"<head><title>T</title><meta x></head><body>body</body>", "body"},
      {"<!-- c --><!--[if mso]>hidden<![endif]-->v", "v"},
      {"<![if !supportLists]>·<![endif]>item", "·item"},
      {"&amp;&lt;&gt;&quot;&#39;&apos;&nbsp;x", "&<>\"'' x"},
      {"&eacute;&Eacute;&hellip;&mdash;&euro;&copy", "éÉ…—€©"},
      {"&#233;&#xE9;&#x1F600;&#128;&#0;&#xD800;", "éé😀€\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"&zzz; &amp &ampx & &notin &notit;", "&zzz; & &x & ¬in ¬it;"},  // legacy references need no ';'
      {"a<b>b</b>c", "abc"},
      {"1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
      {"<a href=\"https://x.example/?a=1&b=2\">link</a>", "link"},
      {"<img alt=\"logo\" src=\"cid:x\">text", "text"},
      {"<p>&nbsp;</p><p>&nbsp;</p><p>x</p>", "x"},
      {"<p>x</p><p>&nbsp;</p><p>&nbsp;</p><p>y</p>", "x\n\ny"},
      {"<div title='a > b'>t</div>", "t"},
      {"<h1>Title</h1>text", "Title\n\ntext"},
      {"x<hr>y", "x\ny"},
      {"<blockquote>q</blockquote>after", "q\nafter"},
      {"<script>never closed", ""},
      {"<p>unclosed <b>bold", "unclosed bold"},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(HtmlToText(c.html), c.expected) << c.html;
}

TEST(HtmlToText, NoTagsSurviveAnyInput) {
  const std::string html = "<div class=\"x\"><span style=\"a:b\">t</span></div><o:p></o:p><v:shape id=1/>";
  EXPECT_EQ(HtmlToText(html), "t");
  EXPECT_EQ(DecodeHtmlEntities("no entities"), "no entities");
}

TEST(Uuencode, WellFormedBlocksBecomeFiles) {
  std::string text =
      "Before.\n"
      "begin 644 hello.txt\n"
      "%:&5L;&\\`\n"
      "`\n"
      "end\n"
      "After.\n";
  auto files = ExtractUuencodedFiles(text);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename, "hello.txt");
  EXPECT_EQ(files[0].content_type, "text/plain");
  EXPECT_EQ(files[0].data, "hello");
  EXPECT_EQ(text, "Before.\nAfter.\n");
}

TEST(Uuencode, MalformedBlocksStayInTheText) {
  for (std::string text : {std::string("begin 644 a.txt\nthis is not uuencode\nend\n"),
                           std::string("begin 644 a.txt\n%:&5L;&\\`\n"),  // no end
                           std::string("begin 9999 a.txt\n`\nend\n"), std::string("begin 644\n`\nend\n"),
                           std::string("I will begin 644 soon\n")}) {
    const std::string before = text;
    EXPECT_TRUE(ExtractUuencodedFiles(text).empty()) << before;
    EXPECT_EQ(text, before);
  }
  // The zero-length line before "end" may have lost its space.
  std::string stripped = "begin 600 b.bin\n!80``\n\nend\n";
  auto files = ExtractUuencodedFiles(stripped);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].data, "a");
  EXPECT_EQ(files[0].content_type, "application/octet-stream");
  EXPECT_EQ(MediaTypeForFilename("X.PDF"), "application/pdf");
}

}  // namespace
}  // namespace sladesk::mail
