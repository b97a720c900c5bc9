// EventStream: one open Server-Sent Events response (text/event-stream)
// that the API layer pushes events into.
//
// Purpose: live queue updates for the web app without polling. A handler
// answers with an ApiResponse whose `event_stream` callback is set; the
// transport writes the response head (200, text/event-stream, no-cache,
// Connection: close — the body ends when the connection does), then calls
// the callback with the open stream. The handler keeps the shared_ptr and
// calls Send() from any thread; the transport writes queued events in order,
// sends a ": ping" comment every heartbeat interval (15 s by default), and
// ends the stream when the client disconnects, when a client lets more than
// max_pending bytes queue up unread, on Close(), or at server shutdown (open
// streams never delay the graceful drain). OnClose's callback runs exactly
// once in every one of those cases; drop the shared_ptr there.
// Thread-safety: every method is safe from any thread (one mutex). The
// OnClose callback runs on the thread that ends the stream, with no lock
// held; it may call Send (which then returns false).
// Ownership: shared by the handler and the transport; owns its queue.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sladesk {

class EventStream {
 public:
  // "id: <id>\nevent: <event>\ndata: <line 1>\ndata: <line 2>\n\n". CR and
  // LF in `event` and `id` are dropped; `data` is split into data: lines at
  // CRLF, CR or LF (so nothing can end the event early or forge a field).
  static std::string Format(std::string_view event, std::string_view data, std::string_view id = {});

  // Queues one event (`event` empty: the default "message" type). False once
  // the stream is closed or closing.
  bool Send(std::string_view event, std::string_view data, std::string_view id = {});
  // Queues a comment line (": text"), e.g. a heartbeat.
  bool SendComment(std::string_view text);
  // Ends the response once what is queued has been written.
  void Close();
  bool closed() const;
  // Sets the callback run once when the stream ends (immediately if it has).
  void OnClose(std::function<void()> fn);

  // ---- transport side (HttpSession / HttpServer) ----
  // `wake` is called (under no lock) when there is something to write.
  EventStream(std::function<void()> wake, std::size_t max_pending_bytes);
  // Takes everything queued; `*closing` says Close() was called (or the
  // client fell too far behind) and the connection should end after it.
  std::string TakePending(bool* closing);
  // The connection is gone: no more sends; runs the OnClose callback.
  void Ended();
  // The client let more than max_pending bytes queue up: drop it now
  // rather than wait for the write in progress.
  bool overflowed() const;
  std::size_t events_sent() const;

 private:
  bool Queue(std::string text);

  mutable std::mutex mu_;
  std::function<void()> wake_;
  const std::size_t max_pending_;
  std::string pending_;
  bool closing_ = false;
  bool overflowed_ = false;
  bool ended_ = false;
  std::size_t events_ = 0;
  std::function<void()> on_close_;
};

// The server's open streams, so shutdown can end them.
class EventStreamRegistry {
 public:
  void Add(const std::shared_ptr<EventStream>& s);
  // Close() every open stream (shutdown: they end as soon as written).
  void CloseAll();
  // Ended() every stream still registered (after the io_context stopped).
  void EndAll();
  std::size_t open() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<EventStream>> streams_;
};

}  // namespace sladesk
