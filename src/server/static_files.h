// StaticFiles: serves the built web app (Vite's dist/ directory) at `/`.
//
// Purpose: `sladesk serve` hands every GET/HEAD that is not under /api/,
// /healthz or /metrics to this class before the API. Files are read once at
// start-up into memory (a built app is a few MB; this means no file-system
// access, traversal check or symlink race per request, and ETags computed
// once; a rebuilt app needs a restart — in development Vite's own server
// serves it). Rules:
//  - Content-Type by extension; X-Content-Type-Options: nosniff on all.
//  - /assets/* (Vite's hashed names): Cache-Control public, max-age=31536000,
//    immutable. Everything else, index.html included: no-cache with a strong
//    ETag, and If-None-Match answers 304.
//  - A path with no file that has no extension in its last segment is one of
//    the app's client-side routes: index.html. A missing file with an
//    extension is 404.
//  - "..", NUL, backslash or a path segment starting with '.' never match;
//    symlinks are followed only when they resolve inside the root.
//  - When the client accepts gzip and the file has a precompressed `.gz`
//    sibling, that is served with Content-Encoding: gzip (Vary:
//    Accept-Encoding). Nothing is compressed at run time.
//  - HTML carries Content-Security-Policy (no inline scripts, frame-ancestors
//    'none'), X-Frame-Options DENY and Referrer-Policy.
// Thread-safety: immutable after Load; Serve is safe from any thread.
// Ownership: owns the file contents.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "common/result.h"
#include "server/api_types.h"

namespace sladesk {

struct StaticFilesLimits {
  std::size_t max_total_bytes = 256u * 1024 * 1024;
  std::size_t max_files = 20000;
};

class StaticFiles {
 public:
  static constexpr const char* kContentSecurityPolicy =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
      "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  // Reads every regular file under `root`; an error names the directory or file.
  static Result<std::shared_ptr<const StaticFiles>> Load(const std::filesystem::path& root,
                                                         const StaticFilesLimits& limits = {});

  // True for GET and HEAD outside /api/, /healthz and /metrics.
  static bool Handles(const ApiRequest& request);
  // The answer for a request Handles() accepted (the transport drops the
  // body of a HEAD answer but keeps its Content-Length).
  ApiResponse Serve(const ApiRequest& request) const;

  std::size_t file_count() const { return files_.size(); }
  std::size_t total_bytes() const { return total_bytes_; }
  const std::filesystem::path& root() const { return root_; }

  static std::string ContentTypeFor(const std::string& path);

 private:
  struct File {
    std::string body;
    std::string etag;
    std::string gzip_body;  // empty: no .gz sibling
    std::string gzip_etag;
  };
  const File* Find(const std::string& relative) const;
  ApiResponse Answer(const std::string& relative, const File& file, const ApiRequest& request) const;

  std::filesystem::path root_;
  std::map<std::string, File> files_;  // "index.html", "assets/app-1a2b.js"
  std::size_t total_bytes_ = 0;
};

}  // namespace sladesk
