#include "mailgate/mail_poll_loop.h"

namespace sladesk::mailgate {

void MailPollLoop::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void MailPollLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t MailPollLoop::rounds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rounds_;
}

void MailPollLoop::Run() {
  for (;;) {
    auto r = poller_->PollOnce();
    if (!r.ok()) {
      if (log_) log_("mail poll " + poller_->Name() + ": " + r.error().ToString());
    } else if (r->stored || r->failed) {
      if (log_)
        log_("mail poll " + poller_->Name() + ": " + std::to_string(r->stored) + " stored, " +
             std::to_string(r->duplicates) + " duplicate(s), " + std::to_string(r->failed) + " not mail");
    }
    std::unique_lock<std::mutex> lock(mu_);
    ++rounds_;
    if (cv_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace sladesk::mailgate
