// The dispatcher on a real store (both backends) against a loopback
// receiver that checks signatures itself (tests/notify/data/webhook_receiver.py), with a
// driven clock: retries come at the backoff's instants, without sleeping.
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <sstream>

#include "desk/desk_fixture.h"
#include "notify/notify_test_support.h"
#include "notify/webhook_signer.h"
#include "ops/outbox_dispatcher.h"
#include "ops/outbox_webhook_transport.h"

namespace sladesk::testing {
namespace {

using json = nlohmann::json;

class RecordingEmail final : public OutboxTransport {
 public:
  OutboxChannel channel() const override { return OutboxChannel::kEmail; }
  TransportResult Send(const OutboxMessage& m) override {
    sent.push_back(m);
    TransportResult r;
    r.outcome = TransportResult::Outcome::kDelivered;
    return r;
  }
  std::vector<OutboxMessage> sent;
};

// Wraps a transport and holds its first Send until Open(): while it is held,
// the dispatcher that called it owns a claimed batch, so another dispatcher
// running then must find every other row and none of these.
class GatedTransport final : public OutboxTransport {
 public:
  explicit GatedTransport(std::unique_ptr<OutboxTransport> inner) : inner_(std::move(inner)) {}
  OutboxChannel channel() const override { return inner_->channel(); }
  TransportResult Send(const OutboxMessage& m) override {
    {
      std::unique_lock lock(mu_);
      entered_ = true;
      cv_.notify_all();
      cv_.wait_for(lock, std::chrono::seconds(20), [this] { return open_; });
    }
    return inner_->Send(m);
  }
  bool WaitEntered() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [this] { return entered_; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::unique_ptr<OutboxTransport> inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false, open_ = false;
};

class OutboxDispatcherTest : public DeskFixture {
 protected:
  void SetUp() override {
    DeskFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::string tmpl = (std::filesystem::temp_directory_path() / "sladesk-outbox-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    log_ = dir_ + "/requests.jsonl";
    secret_ = WebhookSigner::NewSecret();
    receiver_ = std::make_unique<PythonChild>(std::string(SLADESK_SOURCE_DIR) + "/tests/notify/data/webhook_receiver.py",
                                              std::vector<std::string>{log_, secret_});
    const std::string port = receiver_->ReadLine();
    ASSERT_FALSE(port.empty()) << "the receiver did not start";
    base_ = "http://127.0.0.1:" + port;
    clock_ = std::make_unique<ManualClock>(now_);
    OutboxDispatcherOptions o;
    o.backoff.initial = std::chrono::seconds(5);
    o.backoff.multiplier = 4;
    o.backoff.max_attempts = 4;
    o.templates_dir = std::string(SLADESK_SOURCE_DIR) + "/templates";
    o.desk_name = "Test Desk";
    o.base_url = "https://desk.test";
    o.random = [] { return 0.5; };  // no jitter: the schedule is exact
    dispatcher_ = std::make_unique<OutboxDispatcher>(*store_, *clock_, o);
    WebhookClientOptions w;
    w.use_environment_proxy = false;
    w.total_timeout = std::chrono::milliseconds(5000);
    ASSERT_TRUE(dispatcher_->AddTransport(std::make_unique<OutboxWebhookTransport>(w)).ok());
  }
  void TearDown() override {
    dispatcher_.reset();
    receiver_.reset();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  Id Endpoint(const std::string& path, std::vector<std::string> types, bool enabled = true) {
    WebhookEndpoint e;
    e.url = base_ + path;
    e.secret = secret_;
    e.event_types = std::move(types);
    e.enabled = enabled;
    e.created_at = e.updated_at = now_;
    auto id = Run<Id>([&](DeskRepository& r) { return r.outbox()->InsertEndpoint(e); });
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }
  std::vector<json> Received() {
    std::vector<json> out;
    std::istringstream in(ReadText(log_));
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) out.push_back(json::parse(line));
    return out;
  }
  int Drain() {
    auto n = dispatcher_->Drain();
    EXPECT_TRUE(n.ok()) << n.error().ToString();
    return n.ok() ? *n : -1;
  }
  void Tick(Seconds s) {
    clock_->Advance(s);
    now_ += std::chrono::seconds(s);
  }
  std::vector<OutboxEntry> Rows(const Ticket& t) {
    auto r = Run<std::vector<OutboxEntry>>([&](DeskRepository& repo) { return repo.outbox()->ListForTicket(t.id); });
    return r.ok() ? *r : std::vector<OutboxEntry>{};
  }
  const OutboxEntry* Row(const std::vector<OutboxEntry>& rows, const std::string& recipient) {
    for (const auto& r : rows)
      if (r.recipient == recipient) return &r;
    return nullptr;
  }
  std::vector<WebhookDelivery> Deliveries(Id endpoint) {
    auto r = Run<std::vector<WebhookDelivery>>([&](DeskRepository& repo) { return repo.outbox()->ListDeliveries(endpoint, 0, 50); });
    return r.ok() ? *r : std::vector<WebhookDelivery>{};
  }

  std::string dir_, log_, secret_, base_;
  std::unique_ptr<PythonChild> receiver_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<OutboxDispatcher> dispatcher_;
};

TEST_P(OutboxDispatcherTest, SignedRetriedWithBackoffAndGoneDisables) {
  const Id flaky = Endpoint("/flaky", {"ticket.created"});
  const Id gone = Endpoint("/gone", {"*"});
  const Id off = Endpoint("/ok", {"*"}, /*enabled=*/false);
  const Id replies = Endpoint("/ok", {"ticket.agent_reply"});
  Organisation org = Org("gtmhub", "standard");
  User c = Contact(org, true, "+49 30 1234567");
  Ticket t = MustOpen(c, Form());

  EXPECT_GT(Drain(), 0);
  auto got = Received();
  ASSERT_EQ(got.size(), 2u) << "one POST to /flaky (500) and one to /gone (410); none to the disabled or unsubscribed";
  std::map<std::string, json> by_path;
  for (const auto& g : got) by_path[g["path"]] = g;
  ASSERT_TRUE(by_path.count("/flaky") && by_path.count("/gone"));
  EXPECT_TRUE(by_path["/flaky"]["valid"].get<bool>()) << by_path["/flaky"].dump();
  EXPECT_EQ(by_path["/flaky"]["timestamp"], std::to_string(ToEpoch(now_)));
  const json body = json::parse(by_path["/flaky"]["body"].get<std::string>());
  EXPECT_EQ(body["type"], "ticket.created");
  EXPECT_EQ(body["data"]["ticket"]["number"], t.number);
  const std::string message_id = by_path["/flaky"]["id"];

  // 410: the endpoint is disabled, its row failed with the reason.
  auto e = Run<std::optional<WebhookEndpoint>>([&](DeskRepository& r) { return r.outbox()->GetEndpoint(gone); });
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_FALSE((*e)->enabled);
  EXPECT_NE((*e)->disabled_reason.find("410"), std::string::npos);
  auto rows = Rows(t);
  const OutboxEntry* gone_row = Row(rows, "endpoint:" + std::to_string(gone));
  ASSERT_NE(gone_row, nullptr);
  EXPECT_EQ(gone_row->state, OutboxState::kFailed);
  EXPECT_NE(gone_row->last_error.find("410"), std::string::npos);
  EXPECT_EQ(Row(rows, "endpoint:" + std::to_string(off)), nullptr);
  EXPECT_EQ(Row(rows, "endpoint:" + std::to_string(replies)), nullptr);

  // 500: again after 5 s, then 20 s (x4), then delivered; nothing before.
  const OutboxEntry* f = Row(rows, "endpoint:" + std::to_string(flaky));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->state, OutboxState::kPending);
  EXPECT_EQ(f->attempts, 1);
  EXPECT_EQ(f->next_attempt_at, now_ + std::chrono::seconds(5));
  EXPECT_EQ(f->last_error, "HTTP 500");
  Tick(4);
  EXPECT_EQ(Drain(), 0);
  EXPECT_EQ(Received().size(), 2u) << "retried before its backoff";
  Tick(1);
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(Received().size(), 3u);
  rows = Rows(t);
  f = Row(rows, "endpoint:" + std::to_string(flaky));
  EXPECT_EQ(f->next_attempt_at, now_ + std::chrono::seconds(20));
  Tick(19);
  EXPECT_EQ(Drain(), 0);
  Tick(1);
  EXPECT_EQ(Drain(), 1);
  got = Received();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got.back()["id"], message_id) << "the webhook-id stays across retries";
  EXPECT_EQ(got.back()["timestamp"], std::to_string(ToEpoch(now_))) << "signed afresh at each attempt";
  EXPECT_TRUE(got.back()["valid"].get<bool>());
  rows = Rows(t);
  f = Row(rows, "endpoint:" + std::to_string(flaky));
  EXPECT_EQ(f->state, OutboxState::kSent);
  EXPECT_EQ(f->attempts, 3);
  auto log = Deliveries(flaky);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].outcome, "delivered");
  EXPECT_EQ(log[1].outcome, "retry");
  EXPECT_EQ(log[2].http_status, 500);

  // The in-app row became the customer's feed entry, rendered; the email
  // row is held (no email transport).
  auto feed = Run<std::vector<InAppNotification>>([&](DeskRepository& r) { return r.outbox()->ListInApp(c.id, false, 0, 10); });
  ASSERT_TRUE(feed.ok());
  ASSERT_EQ(feed->size(), 1u);
  EXPECT_EQ((*feed)[0].kind, "ticket_acknowledgement");
  EXPECT_NE((*feed)[0].body.find("#" + std::to_string(t.number)), std::string::npos) << (*feed)[0].body;
  EXPECT_NE((*feed)[0].body.find("Test Desk"), std::string::npos);
  const OutboxEntry* mail = nullptr;
  for (const auto& r : rows)
    if (r.channel == OutboxChannel::kEmail) mail = &r;
  ASSERT_NE(mail, nullptr);
  EXPECT_EQ(mail->state, OutboxState::kHeld);
  EXPECT_EQ(mail->last_error, "no email transport is configured");
  EXPECT_EQ(dispatcher_->stats().held, 1);

  // A transport plugged in releases the held row.
  auto email = std::make_unique<RecordingEmail>();
  RecordingEmail* sent = email.get();
  ASSERT_TRUE(dispatcher_->AddTransport(std::move(email)).ok());
  EXPECT_EQ(Drain(), 1);
  ASSERT_EQ(sent->sent.size(), 1u);
  EXPECT_EQ(sent->sent[0].to_address, c.email);
  EXPECT_NE(sent->sent[0].body.find("https://desk.test/tickets/" + std::to_string(t.number)), std::string::npos);
  EXPECT_NE(sent->sent[0].html.find("<html"), std::string::npos);
}

TEST_P(OutboxDispatcherTest, GivesUpAfterTheLimitAndSaysSo) {
  const Id failing = Endpoint("/fail", {"ticket.created"});
  Organisation org = Org("gtmhub", "standard");
  User c = Contact(org, true, "+49 30 1234567");
  Ticket t = MustOpen(c, Form());
  Drain();
  for (Seconds wait : {5, 20, 80}) {
    Tick(wait);
    EXPECT_EQ(Drain(), 1) << "attempt after " << wait << " s";
  }
  Tick(100000);
  EXPECT_EQ(Drain(), 0) << "no attempt after the limit";
  auto rows = Rows(t);
  const OutboxEntry* f = Row(rows, "endpoint:" + std::to_string(failing));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->state, OutboxState::kFailed);
  EXPECT_EQ(f->attempts, 4);
  EXPECT_EQ(f->last_error, "gave up after 4 attempts: HTTP 500");
  EXPECT_EQ(Deliveries(failing).size(), 4u);
  EXPECT_EQ(Received().size(), 4u);
  EXPECT_EQ(dispatcher_->stats().failed, 1u);
  EXPECT_NE(dispatcher_->RenderMetrics().find("sladesk_outbox_failed_total 1\n"), std::string::npos);
  // The ticket change itself was never held up.
  EXPECT_EQ(Get(c, t.number)->ticket.status, TicketStatus::kNew);
}

// The dispatcher's own thread: woken by the commit that wrote the rows (no
// polling interval) and by clock jumps for retries.
TEST_P(OutboxDispatcherTest, TheThreadIsWokenByCommitsAndClockJumps) {
  Endpoint("/flaky", {"ticket.created"});
  store_->SetAfterCommit([this] { dispatcher_->Wake(); });
  dispatcher_->Start();
  Organisation org = Org("gtmhub", "standard");
  User c = Contact(org, true, "+49 30 1234567");
  MustOpen(c, Form());
  auto wait_for = [&](std::size_t n) {
    for (int i = 0; i < 500 && Received().size() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return Received().size();
  };
  EXPECT_EQ(wait_for(1), 1u);
  clock_->Advance(5);
  EXPECT_EQ(wait_for(2), 2u);
  dispatcher_->Stop();
  store_->SetAfterCommit(nullptr);
}

// Two dispatchers on two stores (as two server processes) share one
// database: every row is delivered once (PostgreSQL: FOR UPDATE SKIP
// LOCKED; SQLite: one writer at a time). The interleaving is forced, not
// left to the thread scheduler: `a` is held inside its first webhook send
// (its batch claimed, the lease running) while `b` drains the rest.
TEST_P(OutboxDispatcherTest, TwoDispatchersDeliverEachRowOnce) {
  Endpoint("/ok", {"ticket.created"});
  Organisation org = Org("gtmhub", "standard");
  User c = Contact(org, true, "+49 30 1234567");
  constexpr int kTickets = 30;
  for (int i = 0; i < kTickets; ++i) MustOpen(c, Form("ticket " + std::to_string(i)));
  auto other_store = DeskStore::Open(db_->url());
  ASSERT_TRUE(other_store.ok()) << other_store.error().ToString();
  OutboxDispatcherOptions o;
  o.batch = 4;  // small claims: `a` holds one batch, `b` takes the others
  OutboxDispatcher a(*store_, *clock_, o), b(**other_store, *clock_, o);
  WebhookClientOptions w;
  w.use_environment_proxy = false;
  auto gated = std::make_unique<GatedTransport>(std::make_unique<OutboxWebhookTransport>(w));
  GatedTransport* gate = gated.get();
  ASSERT_TRUE(a.AddTransport(std::move(gated)).ok());
  ASSERT_TRUE(b.AddTransport(std::make_unique<OutboxWebhookTransport>(w)).ok());
  Status sa;
  std::thread ta([&] { auto n = a.Drain(1000); sa = n.ok() ? Status::Ok() : Status(n.error()); });
  const bool held = gate->WaitEntered();
  auto nb = held ? b.Drain(1000) : Result<int>(0);
  gate->Open();
  ta.join();
  ASSERT_TRUE(held) << "the first dispatcher never reached a webhook send";
  EXPECT_TRUE(sa.ok()) << sa.error().ToString();
  EXPECT_TRUE(nb.ok()) << nb.error().ToString();
  const auto got = Received();
  std::set<std::string> ids;
  for (const auto& g : got) ids.insert(g["id"].get<std::string>());
  EXPECT_EQ(got.size(), static_cast<std::size_t>(kTickets)) << "a row was delivered twice or not at all";
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kTickets));
  EXPECT_GT(a.stats().sent, 0u) << "the held batch was not delivered";
  EXPECT_GT(b.stats().sent, 0u) << "the second dispatcher claimed nothing while the first held a batch";
  EXPECT_EQ(a.stats().sent + b.stats().sent, static_cast<std::uint64_t>(3 * kTickets - kTickets))
      << "every in-app and webhook row sent once (email rows are held)";
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxDispatcherTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
