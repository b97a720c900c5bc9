// TransportFixture: the HTTP transport (HttpServer) on an ephemeral
// loopback port in front of a test handler, with no database: the handler
// records every request it is given and answers 200 with the method, path
// and body. Tests adjust `options_` before calling StartServer().
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/http_server.h"
#include "server/raw_client.h"

namespace sladesk::testing {

class TransportFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.port = 0;
    options_.handle_signals = false;
    options_.max_body_bytes = 64 * 1024;
  }
  void TearDown() override { StopServer(); }

  void StartServer() {
    auto srv = HttpServer::Create(
        [this](ApiRequest r, DeskApi::Respond respond) {
          ApiResponse out;
          {
            std::lock_guard<std::mutex> lock(mu_);
            seen_.push_back(r.method + " " + r.path);
            last_ = r;
          }
          if (handler_) {
            handler_(r, respond);
            return;
          }
          out.content_type = "text/plain";
          out.body = r.method + " " + r.path + " " + r.body;
          respond(std::move(out));
        },
        &metrics_, options_);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server_ = std::move(srv).value();
    server_->Start();
  }
  void StopServer() {
    if (!server_) return;
    server_->Stop();
    server_->Wait();
    server_.reset();
  }
  unsigned short port() const { return server_->port(); }

  std::vector<std::string> Seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  bool SawPath(const std::string& path) {
    for (const auto& s : Seen())
      if (s.find(" " + path) != std::string::npos) return true;
    return false;
  }
  ApiRequest Last() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

  // Sends `bytes` on a new connection and returns the first response.
  std::string Exchange(const std::string& bytes, bool* closed = nullptr) {
    RawClient c(port());
    EXPECT_TRUE(c.connected());
    c.Send(bytes);
    std::string r = c.ReadResponse();
    if (closed) *closed = c.WaitClosed(std::chrono::milliseconds(3000));
    return r;
  }

  HttpServerOptions options_;
  ServerMetrics metrics_;
  std::function<void(const ApiRequest&, DeskApi::Respond)> handler_;
  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::vector<std::string> seen_;
  ApiRequest last_;
};

}  // namespace sladesk::testing
