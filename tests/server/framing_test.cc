// Request framing over a real socket (defect 4 of the desk-layer issue):
// every request whose body length is ambiguous is answered 400 (or 501) and
// the connection is closed, so a body can never run as the next request.
// Each smuggling case carries a second request in its body and checks the
// handler never saw it.
#include <gtest/gtest.h>

#include "server/request_framing.h"
#include "server/transport_fixture.h"

namespace sladesk::testing {
namespace {

const std::string kSmuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

struct FramingCase {
  const char* name;
  std::string head;  // request line and fields, without the empty line
  int status;
};

class FramingTest : public TransportFixture {};

TEST_F(FramingTest, AmbiguousBodiesAreRefusedAndTheConnectionCloses) {
  StartServer();
  const std::string cl = "Content-Length: " + std::to_string(kSmuggled.size()) + "\r\n";
  const std::vector<FramingCase> cases = {
      {"xchunked", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n", 400},
      {"gzip only", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n", 400},
      {"chunked then identity", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n", 400},
      {"chunked on two lines then identity",
       "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", 400},
      {"empty coding after chunked", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked,\r\n", 400},
      {"chunked twice", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n", 400},
      {"gzip then chunked", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n", 501},
      {"TE and CL", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + cl, 400},
      {"CL and TE", "POST /a HTTP/1.1\r\nHost: x\r\n" + cl + "Transfer-Encoding: chunked\r\n", 400},
      {"CL and non-chunked TE", "POST /a HTTP/1.1\r\nHost: x\r\n" + cl + "Transfer-Encoding: gzip\r\n", 400},
      {"TE on HTTP/1.0", "POST /a HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n", 400},
      {"two different lengths", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n" + cl, 400},
      {"length list that disagrees", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 2\r\n", 400},
      {"no Host", "POST /a HTTP/1.1\r\n" + cl, 400},
      {"two Hosts", "POST /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n" + cl, 400},
      {"obs-fold", "POST /a HTTP/1.1\r\nHost: x\r\nX-Note: one\r\n two\r\n" + cl, 400},
      {"obs-fold with tab", "POST /a HTTP/1.1\r\nHost: x\r\nX-Note: one\r\n\ttwo\r\n" + cl, 400},
      {"expectation we do not know", "POST /a HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n" + cl, 417},
  };
  for (const auto& c : cases) {
    // The body is a whole second request: if the server took the first as
    // body-less, it would run it.
    bool closed = false;
    std::string r = Exchange(c.head + "\r\n" + kSmuggled, &closed);
    EXPECT_EQ(StatusOf(r), c.status) << c.name << ":\n" << r;
    EXPECT_NE(r.find("Connection: close"), std::string::npos) << c.name;
    EXPECT_TRUE(closed) << c.name << ": the connection stayed open";
  }
  EXPECT_FALSE(SawPath("/smuggled"));
  EXPECT_FALSE(SawPath("/a")) << "a refused request reached the handler";
}

TEST_F(FramingTest, ChunkedRequestsAndPipeliningStillWork) {
  StartServer();
  RawClient c(port());
  c.Send("POST /one HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
         "GET /two HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string first = c.ReadResponse();
  std::string second = c.ReadResponse();
  EXPECT_EQ(StatusOf(first), 200) << first;
  EXPECT_NE(first.find("POST /one hello"), std::string::npos) << first;
  EXPECT_EQ(StatusOf(second), 200) << second;
  EXPECT_NE(second.find("GET /two"), std::string::npos) << second;
  // HTTP/1.0 without Host is fine.
  std::string old = Exchange("GET /old HTTP/1.0\r\n\r\n");
  EXPECT_EQ(StatusOf(old), 200) << old;
}

TEST_F(FramingTest, ExpectContinueIsAnsweredBeforeTheBody) {
  StartServer();
  RawClient c(port());
  c.Send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  std::string interim = c.Read(std::chrono::milliseconds(3000), "\r\n\r\n");
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  c.Send("hello");
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200) << r;
  EXPECT_NE(r.find("POST /up hello"), std::string::npos) << r;
}

TEST_F(FramingTest, ExpectContinueOverTheLimitIs413WithoutReadingTheBody) {
  options_.max_body_bytes = 1000;
  StartServer();
  RawClient c(port());
  c.Send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n");
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 413) << r;
  EXPECT_EQ(r.find("100 Continue"), std::string::npos) << r;
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_FALSE(SawPath("/up"));
}

TEST_F(FramingTest, OversizedBodyWithoutExpectIs413AndCloses) {
  options_.max_body_bytes = 1000;
  StartServer();
  bool closed = false;
  std::string r = Exchange("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + std::string(2000, 'a'),
                           &closed);
  EXPECT_EQ(StatusOf(r), 413) << r;
  EXPECT_TRUE(closed);
  // Chunked past the limit as well.
  std::string chunked = "POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "1f4\r\n" + std::string(500, 'b') + "\r\n";
  chunked += "0\r\n\r\n";
  r = Exchange(chunked, &closed);
  EXPECT_EQ(StatusOf(r), 413) << r;
  EXPECT_TRUE(closed);
  EXPECT_FALSE(SawPath("/big"));
}

TEST_F(FramingTest, HugeHeaderIs431) {
  options_.max_header_bytes = 4096;
  StartServer();
  bool closed = false;
  std::string r = Exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n", &closed);
  EXPECT_EQ(StatusOf(r), 431) << r;
  EXPECT_TRUE(closed);
}

TEST_F(FramingTest, GarbageIs400AndCloses) {
  StartServer();
  bool closed = false;
  std::string r = Exchange("HELLO\r\n\r\n", &closed);
  EXPECT_EQ(StatusOf(r), 400) << r;
  EXPECT_TRUE(closed);
  r = Exchange("GET / HTTP/2.0\r\nHost: x\r\n\r\n", &closed);
  EXPECT_EQ(StatusOf(r), 400) << r;
  r = Exchange("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + kSmuggled, &closed);
  EXPECT_EQ(StatusOf(r), 400) << r;
  EXPECT_TRUE(closed);
  EXPECT_FALSE(SawPath("/smuggled"));
}

TEST(RequestFraming, ObsFoldDetection) {
  EXPECT_FALSE(HasObsFold("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(HasObsFold("GET / HTTP/1.1\r\nHost: x\r\n y\r\n\r\n"));
  EXPECT_TRUE(HasObsFold("GET / HTTP/1.1\r\n\tHost: x\r\n\r\n"));
  EXPECT_FALSE(HasObsFold("GET / HTTP/1.1\r\nX: a b\tc\r\n\r\n"));
}

}  // namespace
}  // namespace sladesk::testing

namespace sladesk::testing {
namespace {

// What a handler answers cannot break the response framing: a 204 or 304
// with a body (Beast throws on those) and CR/LF inside header values.
TEST_F(FramingTest, HandlerAnswersCannotBreakTheResponse) {
  handler_ = [](const ApiRequest& r, DeskApi::Respond respond) {
    ApiResponse out;
    if (r.path == "/204") {
      out.status = 204;
      out.body = "should not be sent";
    } else if (r.path == "/304") {
      out.status = 304;
      out.body = "nor this";
    } else if (r.path == "/split") {
      out.content_type = "text/html\r\nContent-Length: 5\r\n\r\n<svg>";
      out.headers.emplace_back("Content-Disposition", "attachment; filename=\"a\r\nSet-Cookie: x=1\"");
      out.body = "ok";
    } else {
      out.status = 1234;
    }
    respond(std::move(out));
  };
  StartServer();
  RawClient c(port());
  c.Send("GET /204 HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string r204 = c.Read(std::chrono::milliseconds(3000), "\r\n\r\n");
  EXPECT_EQ(StatusOf(r204), 204) << r204;
  c.Send("GET /304 HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string r304 = c.Read(std::chrono::milliseconds(3000), "\r\n\r\n");
  EXPECT_EQ(StatusOf(r304), 304) << r304;
  EXPECT_EQ(r304.find("nor this"), std::string::npos);
  c.Send("GET /split HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string split = c.ReadResponse();
  EXPECT_EQ(StatusOf(split), 200) << split;
  EXPECT_EQ(split.find("\r\nSet-Cookie"), std::string::npos) << split;
  EXPECT_EQ(split.find("\r\nContent-Length: 5"), std::string::npos) << split;
  EXPECT_NE(split.find("\r\nContent-Length: 2\r\n"), std::string::npos) << split;
  std::string odd = Exchange("GET /odd HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusOf(odd), 500) << odd;
}

}  // namespace
}  // namespace sladesk::testing
