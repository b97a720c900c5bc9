// GMime 3 plumbing: one initialisation per process and owning pointers for
// GObjects.
//
// Purpose: every use of GMime in src/mail goes through EnsureGMimeInitialized()
// (std::call_once around g_mime_init; GMime is never shut down, so objects
// made on any thread stay valid until exit) and GPtr<T> (g_object_unref on
// destruction, so no reference leaks on any path).
// The initialisation also registers message/rfc822 (rfc2822, global, news)
// as plain GMimePart leaves in GMime's process-wide type registry: sladesk
// treats an attached message as one opaque attachment, so GMime does not
// parse inside it (nor run its own header decoders, which are quadratic on
// some broken headers). Nothing else in the process uses GMime.
// Thread-safety: EnsureGMimeInitialized is safe to call from any thread at
// any time. After it, GMime objects may be created and used on any thread as
// long as one object is not shared between threads (GMime's own global
// tables are initialised once and then only read; its iconv cache locks).
// Ownership: GPtr owns one reference.
#pragma once

#include <gmime/gmime.h>

#include <memory>

namespace sladesk::mail {

void EnsureGMimeInitialized();

struct GObjectUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};

template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

// Parser options shared (read-only) by every parse: loose RFC 2047, RFC 2231
// and address compliance, addresses without a domain allowed.
GMimeParserOptions* SharedParserOptions();

}  // namespace sladesk::mail
