// StaticFiles: the built web app from a temp directory of fake Vite output
// (index.html, hashed assets with .gz siblings, a favicon, a hidden file
// and symlinks in and out of the root), directly and over a socket.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/static_files.h"
#include "server/transport_fixture.h"

namespace sladesk::testing {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class TempWebRoot {
 public:
  TempWebRoot() {
    std::string tmpl = (fs::temp_directory_path() / "sladesk-web-XXXXXX").string();
    base_ = mkdtemp(tmpl.data());
    root_ = base_ / "dist";
    Write(root_ / "index.html", "<!doctype html><script type=module src=/assets/app-3f9a1c.js></script>");
    Write(root_ / "assets/app-3f9a1c.js", "console.log('app')");
    Write(root_ / "assets/app-3f9a1c.js.gz", std::string("\x1f\x8b fake gzip", 12));
    Write(root_ / "assets/app-3f9a1c.css", "body{}");
    Write(root_ / "favicon.ico", "ico");
    Write(root_ / "robots.txt", "User-agent: *");
    Write(root_ / ".env", "SECRET=1");
    Write(root_ / "docs/index.html", "<p>docs</p>");
    Write(base_ / "secret.txt", "outside the root");
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
    fs::create_symlink(base_, root_ / "up");
    fs::create_symlink(root_ / "robots.txt", root_ / "robots-link.txt");
  }
  ~TempWebRoot() {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path base_, root_;
};

ApiRequest Get(const std::string& path, const std::string& accept_encoding = "", const std::string& inm = "") {
  ApiRequest r;
  r.method = "GET";
  r.path = path;
  r.target = path;
  r.accept_encoding = accept_encoding;
  r.if_none_match = inm;
  return r;
}

std::string HeaderOf(const ApiResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto f = StaticFiles::Load(web_.root());
    ASSERT_TRUE(f.ok()) << f.error().ToString();
    files_ = *f;
  }
  TempWebRoot web_;
  std::shared_ptr<const StaticFiles> files_;
};

TEST_F(StaticFilesTest, IndexIsNoCacheWithETagAndSecurityHeaders) {
  ApiResponse r = files_->Serve(Get("/"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<!doctype html>"), std::string::npos);
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "DENY");
  EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "same-origin");
  std::string csp = HeaderOf(r, "Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  std::string etag = HeaderOf(r, "ETag");
  ASSERT_EQ(etag.size(), 34u);
  // If-None-Match: exact, weak, in a list, or *: 304 with no body.
  for (const std::string& inm : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    ApiResponse again = files_->Serve(Get("/index.html", "", inm));
    EXPECT_EQ(again.status, 304) << inm;
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(HeaderOf(again, "ETag"), etag);
  }
  EXPECT_EQ(files_->Serve(Get("/", "", "\"stale\"")).status, 200);
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndGzipWhenAccepted) {
  ApiResponse plain = files_->Serve(Get("/assets/app-3f9a1c.js"));
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.body, "console.log('app')");
  EXPECT_EQ(HeaderOf(plain, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(plain, "Vary"), "Accept-Encoding");
  EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(plain, "Content-Security-Policy"), "");
  ApiResponse gz = files_->Serve(Get("/assets/app-3f9a1c.js", "br, gzip;q=0.8"));
  EXPECT_EQ(HeaderOf(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(gz.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(gz.body.substr(0, 2), "\x1f\x8b");
  EXPECT_NE(HeaderOf(gz, "ETag"), HeaderOf(plain, "ETag"));
  EXPECT_EQ(HeaderOf(files_->Serve(Get("/assets/app-3f9a1c.js", "gzip;q=0")), "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(files_->Serve(Get("/assets/app-3f9a1c.css", "gzip")), "Content-Encoding"), "");
  EXPECT_EQ(files_->Serve(Get("/assets/app-3f9a1c.css")).content_type, "text/css; charset=utf-8");
  EXPECT_EQ(files_->Serve(Get("/favicon.ico")).content_type, "image/x-icon");
}

TEST_F(StaticFilesTest, ClientRoutesFallBackToIndexButMissingFilesAre404) {
  for (const char* route : {"/tickets", "/tickets/42", "/queue/mine/", "/org/acme.corp/contacts"}) {
    ApiResponse r = files_->Serve(Get(route));
    EXPECT_EQ(r.status, 200) << route;
    EXPECT_NE(r.body.find("<!doctype html>"), std::string::npos) << route;
  }
  EXPECT_EQ(files_->Serve(Get("/assets/missing-123.js")).status, 404);
  EXPECT_EQ(files_->Serve(Get("/nothing.png")).status, 404);
  EXPECT_EQ(files_->Serve(Get("/docs/")).body, "<p>docs</p>");
}

TEST_F(StaticFilesTest, NothingOutsideTheRootOrHidden) {
  for (const char* bad : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/a\\..\\secret.txt",
                          "/.env", "/up/secret.txt", "/leak.txt"}) {
    ApiResponse r = files_->Serve(Get(bad));
    EXPECT_EQ(r.body.find("outside the root"), std::string::npos) << bad;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << bad;
    EXPECT_NE(r.status, 200) << bad;
  }
  EXPECT_EQ(files_->Serve(Get(std::string("/index.html\0.js", 15))).status, 400);
  // A symlink that stays inside the root is served.
  EXPECT_EQ(files_->Serve(Get("/robots-link.txt")).body, "User-agent: *");
}

TEST_F(StaticFilesTest, OnlyGetAndHeadOutsideTheApi) {
  ApiRequest r = Get("/");
  EXPECT_TRUE(StaticFiles::Handles(r));
  r.method = "HEAD";
  EXPECT_TRUE(StaticFiles::Handles(r));
  r.method = "POST";
  EXPECT_FALSE(StaticFiles::Handles(r));
  for (const char* api : {"/api/v1/tickets", "/api", "/healthz", "/metrics", "/api/v1/openapi.json"})
    EXPECT_FALSE(StaticFiles::Handles(Get(api))) << api;
}

TEST(StaticFilesLoad, ErrorsNameTheDirectory) {
  auto r = StaticFiles::Load("/nonexistent/web");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "--web-root");
  EXPECT_NE(r.error().message.find("/nonexistent/web"), std::string::npos);
  TempWebRoot web;
  StaticFilesLimits tiny;
  tiny.max_total_bytes = 10;
  EXPECT_FALSE(StaticFiles::Load(web.root(), tiny).ok());
}

class StaticFilesWireTest : public TransportFixture {
 protected:
  TempWebRoot web_;
};

TEST_F(StaticFilesWireTest, ServedBeforeTheApiWithHeadAndTraversalRefused) {
  options_.static_files = *StaticFiles::Load(web_.root());
  StartServer();
  RawClient c(port());
  c.Send("GET /tickets/7 HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string page = c.ReadResponse();
  EXPECT_EQ(StatusOf(page), 200) << page;
  EXPECT_NE(page.find("Content-Security-Policy: "), std::string::npos);
  c.Send("HEAD /assets/app-3f9a1c.js HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string head = c.Read(std::chrono::milliseconds(3000), "\r\n\r\n");
  EXPECT_EQ(StatusOf(head), 200) << head;
  EXPECT_NE(head.find("Content-Length: 18\r\n"), std::string::npos) << head;
  // No body follows the HEAD answer: the next answer starts right after it.
  c.Send("GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string next = c.ReadResponse();
  EXPECT_EQ(next.find("console.log"), std::string::npos) << next;
  EXPECT_EQ(StatusOf(next), 200) << next;
  // A revalidation: 304 with the ETag and no body.
  std::string etag = page.substr(page.find("ETag: ") + 6, 34);
  c.Send("GET / HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n");
  std::string not_modified = c.Read(std::chrono::milliseconds(3000), "\r\n\r\n");
  EXPECT_EQ(StatusOf(not_modified), 304) << not_modified;
  EXPECT_NE(not_modified.find("ETag: " + etag), std::string::npos) << not_modified;
  // Encoded traversal: the path is decoded before it is checked.
  for (const char* t : {"/%2e%2e/secret.txt", "/assets/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt",
                        "/index.html%00.js"}) {
    std::string r = Exchange(std::string("GET ") + t + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(r.find("outside the root"), std::string::npos) << t;
    EXPECT_NE(StatusOf(r), 200) << t << "\n" << r;
  }
  // The API still gets everything under /api/ and every other method.
  EXPECT_EQ(StatusOf(Exchange("GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\n\r\n")), 200);
  EXPECT_TRUE(SawPath("/api/v1/tickets"));
  EXPECT_EQ(StatusOf(Exchange("POST /tickets HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")), 200);
  EXPECT_TRUE(SawPath("/tickets"));
  EXPECT_FALSE(SawPath("/robots.txt"));
}

}  // namespace
}  // namespace sladesk::testing
