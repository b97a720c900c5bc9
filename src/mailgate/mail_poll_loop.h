// MailPollLoop: `serve --imap`: polls one IMAP mailbox on a timer, on a
// thread of its own, until stopped.
//
// Purpose: the server's side of mail in. Every `interval` it runs one
// ImapPoller::PollOnce (the lease keeps several servers from polling the
// mailbox together) and reports failures through `log` (the IMAP server or
// the store down: the next round tries again). Stop() wakes the thread and
// joins it; the poll under way finishes first.
// Thread-safety: Start/Stop from one thread. Ownership: owns the poller and
// its thread; borrows what the poller borrows.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "mailgate/imap_poller.h"

namespace sladesk::mailgate {

class MailPollLoop {
 public:
  MailPollLoop(std::unique_ptr<ImapPoller> poller, std::chrono::seconds interval,
               std::function<void(const std::string&)> log)
      : poller_(std::move(poller)), interval_(interval), log_(std::move(log)) {}
  ~MailPollLoop() { Stop(); }
  MailPollLoop(const MailPollLoop&) = delete;
  MailPollLoop& operator=(const MailPollLoop&) = delete;

  void Start();
  void Stop();
  std::uint64_t rounds() const;

 private:
  void Run();

  std::unique_ptr<ImapPoller> poller_;
  std::chrono::seconds interval_;
  std::function<void(const std::string&)> log_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::uint64_t rounds_ = 0;
  std::thread thread_;
};

}  // namespace sladesk::mailgate
