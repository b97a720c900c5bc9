#include "server/event_stream.h"

#include <algorithm>

namespace sladesk {

namespace {
std::string OneLine(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '\r' && c != '\n') out += c;
  return out;
}
}  // namespace

std::string EventStream::Format(std::string_view event, std::string_view data, std::string_view id) {
  std::string out;
  if (!id.empty()) out += "id: " + OneLine(id) + "\n";
  if (!event.empty()) out += "event: " + OneLine(event) + "\n";
  std::size_t start = 0;
  while (true) {
    std::size_t end = data.find_first_of("\r\n", start);
    out += "data: ";
    out.append(data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    out += "\n";
    if (end == std::string_view::npos) break;
    start = end + ((data[end] == '\r' && end + 1 < data.size() && data[end + 1] == '\n') ? 2 : 1);
  }
  out += "\n";
  return out;
}

EventStream::EventStream(std::function<void()> wake, std::size_t max_pending_bytes)
    : wake_(std::move(wake)), max_pending_(max_pending_bytes) {}

bool EventStream::Send(std::string_view event, std::string_view data, std::string_view id) {
  return Queue(Format(event, data, id));
}

bool EventStream::SendComment(std::string_view text) { return Queue(": " + OneLine(text) + "\n\n"); }

bool EventStream::Queue(std::string text) {
  std::function<void()> wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_ || ended_) return false;
    const bool was_empty = pending_.empty();
    pending_ += text;
    ++events_;
    // A client that reads nothing while events keep coming is cut off
    // rather than growing this buffer without end.
    if (pending_.size() > max_pending_) closing_ = overflowed_ = true;
    if (was_empty || closing_) wake = wake_;
  }
  if (wake) wake();
  return true;
}

void EventStream::Close() {
  std::function<void()> wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_ || ended_) return;
    closing_ = true;
    wake = wake_;
  }
  if (wake) wake();
}

bool EventStream::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closing_ || ended_;
}

void EventStream::OnClose(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!ended_) {
      on_close_ = std::move(fn);
      return;
    }
  }
  if (fn) fn();
}

std::string EventStream::TakePending(bool* closing) {
  std::lock_guard<std::mutex> lock(mu_);
  *closing = closing_;
  std::string out;
  out.swap(pending_);
  return out;
}

void EventStream::Ended() {
  std::function<void()> fn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ended_) return;
    ended_ = true;
    closing_ = true;
    pending_.clear();
    wake_ = nullptr;  // the session it points at is going
    fn = std::move(on_close_);
  }
  if (fn) fn();
}

bool EventStream::overflowed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return overflowed_;
}

std::size_t EventStream::events_sent() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_;
}

void EventStreamRegistry::Add(const std::shared_ptr<EventStream>& s) {
  std::lock_guard<std::mutex> lock(mu_);
  streams_.erase(std::remove_if(streams_.begin(), streams_.end(), [](const auto& w) { return w.expired(); }),
                 streams_.end());
  streams_.push_back(s);
}

void EventStreamRegistry::CloseAll() {
  std::vector<std::shared_ptr<EventStream>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& w : streams_)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->Close();
}

void EventStreamRegistry::EndAll() {
  std::vector<std::shared_ptr<EventStream>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& w : streams_)
      if (auto s = w.lock()) live.push_back(std::move(s));
    streams_.clear();
  }
  for (auto& s : live) s->Ended();
}

std::size_t EventStreamRegistry::open() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t n = 0;
  for (const auto& w : streams_)
    if (auto s = w.lock(); s && !s->closed()) ++n;
  return n;
}

}  // namespace sladesk
