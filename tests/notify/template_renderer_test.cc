// TemplateRenderer: every shipped template renders its sample values
// (data/template_values.json) in both formats with the right escaping;
// policy overrides win; bad templates (data/bad_templates/) are errors
// naming the file, line and column.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

#include "notify/mustache_check.h"
#include "notify/notify_test_support.h"
#include "notify/template_renderer.h"

namespace sladesk::testing {
namespace {

namespace fs = std::filesystem;

const std::string kTemplates = std::string(SLADESK_SOURCE_DIR) + "/templates";

TEST(TemplateRenderer, EveryShippedTemplateRendersItsSampleValues) {
  auto renderer = TemplateRenderer::Open(kTemplates);
  ASSERT_TRUE(renderer.ok()) << renderer.error().message;
  ASSERT_TRUE(renderer->CheckAll().ok()) << renderer->CheckAll().error().ToString();
  auto samples = nlohmann::json::parse(ReadText(DataPath("template_values.json")));
  for (const auto& name : TemplateRenderer::DefaultNotifications()) {
    ASSERT_TRUE(samples.contains(name)) << name;
    const auto& values = samples[name]["values"];
    auto txt = renderer->Render(name + ".txt", "", values);
    ASSERT_TRUE(txt.ok()) << name << ": " << txt.error().ToString();
    auto html = renderer->Render(name + ".html", "", values);
    ASSERT_TRUE(html.ok()) << name << ": " << html.error().ToString();
    for (const auto& expect : samples[name]["expect"]) {
      EXPECT_NE(txt->find(expect.get<std::string>()), std::string::npos) << name << ".txt lacks '" << expect << "':\n"
                                                                          << *txt;
    }
    // Text is not escaped; HTML is, so the subject's markup stays text.
    EXPECT_NE(txt->find("Export <script>alert(1)</script> & CSV"), std::string::npos) << name << ".txt:\n" << *txt;
    EXPECT_EQ(html->find("<script>"), std::string::npos) << name << ".html:\n" << *html;
    EXPECT_NE(html->find("Export &lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; CSV"), std::string::npos)
        << name << ".html:\n" << *html;
    EXPECT_NE(html->find("<!doctype html>"), std::string::npos);
    EXPECT_NE(txt->find("1042"), std::string::npos);
    for (const std::string* out : {&*txt, &*html}) {
      EXPECT_EQ(out->find("{{"), std::string::npos) << name;
      EXPECT_EQ(out->find("}}"), std::string::npos) << name;
    }
  }
}

TEST(TemplateRenderer, AcknowledgementWithoutAssigneeOrTargets) {
  auto r = *TemplateRenderer::Open(kTemplates);
  nlohmann::json v = {{"desk", {{"name", "Desk"}}}, {"recipient", {{"name", "Ann"}}},
                      {"ticket", {{"number", 5}, {"subject", "S"}, {"url", "u"}, {"severity", "low"}}}};
  auto out = r.Render("ticket_acknowledgement.txt", "", v);
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("A support officer will be assigned shortly."), std::string::npos) << *out;
}

class TemplateOverrideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "sladesk-tpl-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    auto write = [](const fs::path& p, const std::string& text) {
      fs::create_directories(p.parent_path());
      std::ofstream(p) << text;
    };
    write(dir_ / "note.txt.mustache", "base {{who}} {{{raw}}}");
    write(dir_ / "note.html.mustache", "<p>{{who}} {{{raw}}} {{&raw}}</p>{{#items}}[{{.}}]{{/items}}");
    write(dir_ / "gold-support" / "note.txt.mustache", "gold {{who}}");
    write(dir_ / "broken" / "note.txt.mustache", "line one\n{{#open}} never closed");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TemplateOverrideTest, PolicyOverridesWinAndEscapingFollowsTheFormat) {
  auto r = *TemplateRenderer::Open(dir_);
  nlohmann::json v = {{"who", "<Ann & \"Bo\">"}, {"raw", "<b>"}, {"items", {1, 2.5, "x<"}}};
  EXPECT_EQ(*r.Render("note.txt", "", v), "base <Ann & \"Bo\"> <b>");
  EXPECT_EQ(*r.Render("note.txt", "gold-support", v), "gold <Ann & \"Bo\">");
  EXPECT_EQ(*r.Render("note.txt", "other-policy", v), "base <Ann & \"Bo\"> <b>");
  EXPECT_EQ(*r.Render("note.html", "gold-support", v),
            "<p>&lt;Ann &amp; &quot;Bo&quot;&gt; <b> <b></p>[1][2.5][x&lt;]");
  EXPECT_EQ(*r.Render("note.txt", "", v), "base <Ann & \"Bo\"> <b>");  // the mode does not stick
}

TEST_F(TemplateOverrideTest, ErrorsNameTheFile) {
  auto r = *TemplateRenderer::Open(dir_);
  auto missing = r.Render("nothing.txt", "gold-support", nlohmann::json::object());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no template 'nothing.txt' for policy 'gold-support'"), std::string::npos);
  EXPECT_NE(missing.error().file.find("nothing.txt.mustache"), std::string::npos);
  auto broken = r.Render("note.txt", "broken", nlohmann::json::object());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().file.find("broken/note.txt.mustache"), std::string::npos);
  EXPECT_EQ(broken.error().line, 2);
  EXPECT_EQ(broken.error().column, 1);
  EXPECT_NE(broken.error().ToString().find("never closed"), std::string::npos) << broken.error().ToString();
  EXPECT_FALSE(r.CheckAll().ok());
  for (const char* bad : {"note", "note.md", "../note.txt", "a/b.txt", ".txt"})
    EXPECT_FALSE(r.Render(bad, "", nlohmann::json::object()).ok()) << bad;
  EXPECT_FALSE(r.Render("note.txt", "../etc", nlohmann::json::object()).ok());
  EXPECT_FALSE(TemplateRenderer::Open(dir_ / "absent").ok());
}

TEST(MustacheCheck, TableOfBadTemplates) {
  std::istringstream in(ReadText(DataPath("bad_templates.tsv")));
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string file, l, c, msg;
    std::getline(f, file, '\t');
    std::getline(f, l, '\t');
    std::getline(f, c, '\t');
    std::getline(f, msg);
    std::string path = DataPath("bad_templates/" + file);
    Status st = CheckMustache(ReadText(path), path);
    ++rows;
    if (msg == "ok") {
      EXPECT_TRUE(st.ok()) << file << ": " << st.error().ToString();
      continue;
    }
    ASSERT_FALSE(st.ok()) << file;
    EXPECT_EQ(st.error().file, path);
    EXPECT_EQ(st.error().line, std::stoi(l)) << file << ": " << st.error().ToString();
    EXPECT_EQ(st.error().column, std::stoi(c)) << file << ": " << st.error().ToString();
    EXPECT_NE(st.error().message.find(msg), std::string::npos) << file << ": " << st.error().message;
  }
  EXPECT_GE(rows, 10);
}

}  // namespace
}  // namespace sladesk::testing
