// TestDatabase: a fresh, empty database for one test, on either backend.
//
// Purpose: lets the storage and server suites run the same tests against
// SQLite (a file in a new temp directory) and PostgreSQL (a new database on
// the cluster named by SLADESK_TEST_PG_URL, see scripts/pg-test-cluster.sh).
// Backends() lists both; PostgreSQL cases skip when that variable is unset.
// Thread-safety: single-threaded test use. Ownership: removes the file or
// drops the database on destruction.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/postgres_connection.h"

namespace sladesk::testing {

// Both backends are always instantiated (ctest discovers tests at build
// time, before a test cluster runs); PostgreSQL cases skip themselves at run
// time when SLADESK_TEST_PG_URL is unset (see SkipUnlessConfigured).
inline std::vector<std::string> Backends() { return {"sqlite", "postgresql"}; }

inline bool BackendConfigured(const std::string& backend) {
  if (backend != "postgresql") return true;
  const char* pg = std::getenv("SLADESK_TEST_PG_URL");
  return pg && *pg;
}

// scripts/run-tests.sh (what `make test` runs) sets SLADESK_REQUIRE_PG: there
// a PostgreSQL case without a cluster is a failure, never a silent skip.
inline bool BackendRequired() {
  const char* required = std::getenv("SLADESK_REQUIRE_PG");
  return required && *required && std::string(required) != "0";
}

#define SLADESK_SKIP_UNLESS_CONFIGURED(backend)                                                   \
  if (!::sladesk::testing::BackendConfigured(backend)) {                                           \
    if (::sladesk::testing::BackendRequired()) FAIL() << "SLADESK_REQUIRE_PG is set but SLADESK_TEST_PG_URL is not"; \
    GTEST_SKIP() << "PostgreSQL tests need SLADESK_TEST_PG_URL (scripts/pg-test-cluster.sh start)"; \
  }

class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend) : backend_(backend) {
    static std::atomic<int> counter{0};
    std::string tag = std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (backend == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / ("sladesk_test_" + tag);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "desk.db").string();
      return;
    }
    const char* base = std::getenv("SLADESK_TEST_PG_URL");
    if (!base || !*base) {
      error_ = "SLADESK_TEST_PG_URL is not set";
      return;
    }
    base_url_ = base;
    name_ = "sladesk_t_" + tag;
    auto admin = PostgresConnection::Open(base_url_);
    if (!admin.ok()) {
      error_ = admin.error().ToString();
      return;
    }
    auto st = (*admin)->Execute("CREATE DATABASE " + name_);
    if (!st.ok()) {
      error_ = st.error().ToString();
      return;
    }
    url_ = base_url_.substr(0, base_url_.rfind('/') + 1) + name_;
  }
  ~TestDatabase() {
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
    if (!name_.empty() && error_.empty()) {
      auto admin = PostgresConnection::Open(base_url_);
      if (admin.ok()) (void)(*admin)->Execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }  // non-empty when setup failed
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::string backend_;
  std::string url_;
  std::string base_url_;
  std::string name_;
  std::string error_;
  std::filesystem::path dir_;
};

}  // namespace sladesk::testing
