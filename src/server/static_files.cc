#include "server/static_files.h"

#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "server/token_codec.h"

namespace sladesk {

namespace fs = std::filesystem;

namespace {

bool StartsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }
bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> SplitList(const std::string& v) {
  std::vector<std::string> out;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(Trim(item));
  return out;
}

// "gzip", "x-gzip" or "*" with a q-value above zero.
bool AcceptsGzip(const std::string& accept_encoding) {
  for (const auto& item : SplitList(Lower(accept_encoding))) {
    std::string coding = Trim(item.substr(0, item.find(';')));
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
    auto q = item.find("q=");
    if (q == std::string::npos) return true;
    try {
      if (std::stod(item.substr(q + 2)) > 0) return true;
    } catch (...) {
    }
  }
  return false;
}

// Weak comparison, as RFC 9110 §13.1.2 asks for If-None-Match.
bool NoneMatchHits(const std::string& if_none_match, const std::string& etag) {
  if (Trim(if_none_match) == "*") return true;
  for (auto tag : SplitList(if_none_match)) {
    if (StartsWith(tag, "W/")) tag = tag.substr(2);
    if (tag == etag) return true;
  }
  return false;
}

std::string ReadAll(const fs::path& p, std::string* error) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    *error = "cannot read " + p.string();
    return "";
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ETagOf(const std::string& body) { return "\"" + TokenCodec::Sha256Hex(body).substr(0, 32) + "\""; }

// Request paths that can never name a file: traversal, NUL, backslashes,
// hidden segments.
bool SafeRelative(const std::string& rel) {
  if (rel.find('\0') != std::string::npos || rel.find('\\') != std::string::npos) return false;
  std::size_t start = 0;
  while (start <= rel.size()) {
    std::size_t slash = rel.find('/', start);
    std::string seg = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (seg == "." || seg == ".." || (!seg.empty() && seg[0] == '.')) return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

}  // namespace

std::string StaticFiles::ContentTypeFor(const std::string& path) {
  static const std::vector<std::pair<std::string, std::string>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
      {".wasm", "application/wasm"},
      {".pdf", "application/pdf"},
  };
  std::string lower = Lower(path);
  for (const auto& [ext, type] : kTypes)
    if (EndsWith(lower, ext)) return type;
  return "application/octet-stream";
}

Result<std::shared_ptr<const StaticFiles>> StaticFiles::Load(const fs::path& root, const StaticFilesLimits& limits) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return MakeError("--web-root", "'" + root.string() + "' is not a directory");
  fs::path canonical_root = fs::canonical(root, ec);
  if (ec) return MakeError("--web-root", "cannot resolve '" + root.string() + "': " + ec.message());
  const std::string root_prefix = canonical_root.string() + "/";
  auto files = std::shared_ptr<StaticFiles>(new StaticFiles());
  files->root_ = canonical_root;
  std::vector<std::pair<std::string, fs::path>> gz;
  fs::recursive_directory_iterator it(canonical_root, fs::directory_options::follow_directory_symlink, ec), end;
  if (ec) return MakeError("--web-root", "cannot list '" + root.string() + "': " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return MakeError("--web-root", "cannot list '" + root.string() + "': " + ec.message());
    fs::path rel_path = it->path().lexically_relative(canonical_root);
    std::string rel = rel_path.generic_string();
    if (rel.empty() || !SafeRelative(rel)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    // A symlink is followed only when it stays inside the root.
    fs::path real = fs::canonical(it->path(), ec);
    if (ec || !StartsWith(real.string(), root_prefix)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!fs::is_regular_file(real, ec)) continue;
    if (files->files_.size() >= limits.max_files)
      return MakeError("--web-root", "more than " + std::to_string(limits.max_files) + " files under '" +
                                         root.string() + "'");
    if (EndsWith(rel, ".gz")) {
      gz.emplace_back(rel, real);
      continue;
    }
    std::string error;
    File f;
    f.body = ReadAll(real, &error);
    if (!error.empty()) return MakeError("--web-root", error);
    files->total_bytes_ += f.body.size();
    if (files->total_bytes_ > limits.max_total_bytes)
      return MakeError("--web-root", "the files under '" + root.string() + "' are larger than " +
                                         std::to_string(limits.max_total_bytes) + " bytes");
    f.etag = ETagOf(f.body);
    files->files_.emplace(rel, std::move(f));
  }
  // x.js.gz is x.js precompressed; a .gz with no original is an ordinary file.
  for (const auto& [rel, real] : gz) {
    std::string error;
    std::string body = ReadAll(real, &error);
    if (!error.empty()) return MakeError("--web-root", error);
    files->total_bytes_ += body.size();
    auto base = files->files_.find(rel.substr(0, rel.size() - 3));
    if (base != files->files_.end()) {
      base->second.gzip_etag = ETagOf(body);
      base->second.gzip_body = std::move(body);
    } else {
      File f;
      f.etag = ETagOf(body);
      f.body = std::move(body);
      files->files_.emplace(rel, std::move(f));
    }
  }
  return std::shared_ptr<const StaticFiles>(files);
}

bool StaticFiles::Handles(const ApiRequest& r) {
  if (r.method != "GET" && r.method != "HEAD") return false;
  const std::string& p = r.path;
  if (StartsWith(p, "/api/") || p == "/api") return false;
  if (p == "/healthz" || p == "/metrics") return false;
  return true;
}

const StaticFiles::File* StaticFiles::Find(const std::string& relative) const {
  auto it = files_.find(relative);
  return it == files_.end() ? nullptr : &it->second;
}

ApiResponse StaticFiles::Serve(const ApiRequest& request) const {
  const std::string& path = request.path;
  std::string rel = path.empty() ? "" : path.substr(1);
  if (path.empty() || path[0] != '/' || !SafeRelative(rel)) {
    ApiResponse r = ProblemResponse(BadRequest("", "the path is not allowed"));
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
  }
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  const File* file = Find(rel);
  if (!file) {
    std::string last = rel.substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
    // No such file: a name with an extension is missing, anything else is
    // one of the app's own routes.
    if (last.find('.') == std::string::npos || EndsWith(path, "/")) {
      rel = "index.html";
      file = Find(rel);
    }
  }
  if (!file) {
    ApiResponse r = ProblemResponse(NotFound("no file at " + path));
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
  }
  return Answer(rel, *file, request);
}

ApiResponse StaticFiles::Answer(const std::string& relative, const File& file, const ApiRequest& request) const {
  const bool gzip = !file.gzip_body.empty() && AcceptsGzip(request.accept_encoding);
  const std::string& etag = gzip ? file.gzip_etag : file.etag;
  const std::string type = ContentTypeFor(relative);
  ApiResponse r;
  r.content_type = type;
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control",
                         StartsWith(relative, "assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  if (!file.gzip_body.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (StartsWith(type, "text/html")) {
    r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Referrer-Policy", "same-origin");
  }
  if (!request.if_none_match.empty() && NoneMatchHits(request.if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  r.body = gzip ? file.gzip_body : file.body;
  return r;
}

}  // namespace sladesk
