// Server-Sent Events through the transport, with a test-only handler that
// answers /events with an event stream: events arrive in order, heartbeats
// come, a client that goes away and a server that shuts down both end the
// stream (and run OnClose), and open streams do not hold up the drain.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "server/event_stream.h"
#include "server/transport_fixture.h"

namespace sladesk::testing {
namespace {

using std::chrono::milliseconds;

class EventStreamTest : public TransportFixture {
 protected:
  void SetUp() override {
    TransportFixture::SetUp();
    handler_ = [this](const ApiRequest& r, DeskApi::Respond respond) {
      ApiResponse out;
      if (r.path != "/events") {
        out.body = "plain";
        respond(std::move(out));
        return;
      }
      out.headers.emplace_back("X-Stream", "queue");
      out.event_stream = [this](std::shared_ptr<EventStream> s) {
        s->OnClose([this] { closes_++; });
        s->Send("hello", "first");
        std::lock_guard<std::mutex> lock(stream_mu_);
        stream_ = std::move(s);
        stream_cv_.notify_all();
      };
      respond(std::move(out));
    };
  }
  std::shared_ptr<EventStream> WaitForStream() {
    std::unique_lock<std::mutex> lock(stream_mu_);
    stream_cv_.wait_for(lock, std::chrono::seconds(5), [this] { return stream_ != nullptr; });
    return stream_;
  }
  template <typename Pred>
  static bool Eventually(Pred pred, milliseconds timeout = milliseconds(5000)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(milliseconds(2));
    return pred();
  }

  std::mutex stream_mu_;
  std::condition_variable stream_cv_;
  std::shared_ptr<EventStream> stream_;
  std::atomic<int> closes_{0};
};

const char kOpen[] = "GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n";

TEST_F(EventStreamTest, EventsArriveInOrderAfterTheStreamHead) {
  StartServer();
  RawClient c(port());
  c.Send(kOpen);
  std::string got = c.Read(milliseconds(5000), "data: first\n\n");
  EXPECT_EQ(StatusOf(got), 200) << got;
  EXPECT_NE(got.find("Content-Type: text/event-stream\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("Cache-Control: no-cache\r\n"), std::string::npos);
  EXPECT_NE(got.find("X-Stream: queue\r\n"), std::string::npos);
  EXPECT_EQ(got.find("Content-Length"), std::string::npos);
  EXPECT_NE(got.find("\r\n\r\nevent: hello\ndata: first\n\n"), std::string::npos) << got;
  auto s = WaitForStream();
  ASSERT_TRUE(s);
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(s->Send("ticket", "{\"n\":" + std::to_string(i) + "}", std::to_string(i)));
  std::string more = c.Read(milliseconds(5000), "data: {\"n\":49}\n\n");
  std::size_t at = 0;
  for (int i = 0; i < 50; ++i) {
    auto p = more.find("id: " + std::to_string(i) + "\nevent: ticket\ndata: {\"n\":" + std::to_string(i) + "}\n\n", at);
    ASSERT_NE(p, std::string::npos) << "event " << i << " missing or out of order";
    at = p;
  }
  // Close() from the API side ends the response.
  s->Close();
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_TRUE(Eventually([&] { return closes_.load() == 1; }));
  EXPECT_FALSE(s->Send("late", "x"));
}

TEST_F(EventStreamTest, HeartbeatsKeepTheConnectionAlive) {
  options_.sse_heartbeat = milliseconds(30);
  options_.idle_timeout = milliseconds(100);  // a stream is not an idle connection
  StartServer();
  RawClient c(port());
  c.Send(kOpen);
  std::string got = c.Read(milliseconds(5000), ": ping\n\n: ping\n\n: ping\n\n: ping\n\n: ping\n\n");
  EXPECT_NE(got.find(": ping\n\n: ping\n\n: ping\n\n: ping\n\n: ping\n\n"), std::string::npos) << got;
  EXPECT_FALSE(c.closed());
}

TEST_F(EventStreamTest, ClientDisconnectEndsTheStream) {
  StartServer();
  {
    RawClient c(port());
    c.Send(kOpen);
    c.Read(milliseconds(5000), "data: first\n\n");
    ASSERT_TRUE(WaitForStream());
  }
  EXPECT_TRUE(Eventually([&] { return closes_.load() == 1; }));
  EXPECT_TRUE(WaitForStream()->closed());
  EXPECT_FALSE(WaitForStream()->Send("x", "y"));
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(EventStreamTest, ShutdownEndsStreamsWithoutWaitingForTheGrace) {
  options_.grace = milliseconds(20000);
  StartServer();
  RawClient c(port());
  c.Send(kOpen);
  c.Read(milliseconds(5000), "data: first\n\n");
  ASSERT_TRUE(WaitForStream());
  auto t0 = std::chrono::steady_clock::now();
  StopServer();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(5000)) << "the stream held up the drain";
  EXPECT_EQ(closes_.load(), 1);
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_FALSE(WaitForStream()->Send("x", "y"));
}

TEST_F(EventStreamTest, AClientThatNeverReadsIsCutOff) {
  StartServer();
  RawClient c(port());
  // A tiny receive buffer so the server's writes back up quickly.
  int small = 4096;
  setsockopt(c.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  c.Send(kOpen);
  auto s = WaitForStream();
  ASSERT_TRUE(s);
  std::string payload(16 * 1024, 'x');
  int sent = 0;
  while (s->Send("big", payload) && sent < 10000) ++sent;
  EXPECT_LT(sent, 10000) << "the queue grew without bound";
  EXPECT_TRUE(Eventually([&] { return closes_.load() == 1; }, milliseconds(10000)));
}

TEST(EventStreamFormat, DataLinesCannotForgeFields) {
  EXPECT_EQ(EventStream::Format("", "x"), "data: x\n\n");
  EXPECT_EQ(EventStream::Format("t", "a\nb"), "event: t\ndata: a\ndata: b\n\n");
  EXPECT_EQ(EventStream::Format("t", "a\r\nb\rc"), "event: t\ndata: a\ndata: b\ndata: c\n\n");
  EXPECT_EQ(EventStream::Format("t", "a\n\nevent: evil"), "event: t\ndata: a\ndata: \ndata: event: evil\n\n");
  EXPECT_EQ(EventStream::Format("t\nid: 9", "x", "1\r\n"), "id: 1\nevent: tid: 9\ndata: x\n\n");
}

TEST(EventStreamFormat, OnCloseRunsOnceAndAfterTheFact) {
  int woken = 0;
  EventStream s([&] { woken++; }, 1024);
  int closed = 0;
  s.OnClose([&] { closed++; });
  EXPECT_TRUE(s.Send("a", "b"));
  EXPECT_EQ(woken, 1);
  bool closing = true;
  EXPECT_EQ(s.TakePending(&closing), "event: a\ndata: b\n\n");
  EXPECT_FALSE(closing);
  s.Ended();
  s.Ended();
  EXPECT_EQ(closed, 1);
  int late = 0;
  s.OnClose([&] { late++; });
  EXPECT_EQ(late, 1);
}

}  // namespace
}  // namespace sladesk::testing
