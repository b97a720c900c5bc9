#include "sla/sla_clock.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <string>
#include <vector>

namespace sladesk {
namespace {

// [from, to): a stretch during which an instance's clock ran.
struct Span {
  Instant from;
  Instant to;
  Seconds business = 0;  // filled when the instance is judged
};

// Spans of one instance: a few inline (no heap in the common case), more
// (a ticket with many waits) spill to a vector.
class SpanList {
 public:
  void clear() {
    size_ = 0;
    overflow_.clear();
  }
  void push(Span s) {
    if (size_ < kInline) inline_[size_] = s;
    else overflow_.push_back(s);
    ++size_;
  }
  size_t size() const { return size_; }
  Span& operator[](size_t i) { return i < kInline ? inline_[i] : overflow_[i - kInline]; }
  const Span& operator[](size_t i) const { return i < kInline ? inline_[i] : overflow_[i - kInline]; }
  Span& back() { return (*this)[size_ - 1]; }
  const Span& back() const { return (*this)[size_ - 1]; }

 private:
  static constexpr size_t kInline = 6;
  std::array<Span, kInline> inline_{};
  std::vector<Span> overflow_;
  size_t size_ = 0;
};

// One metric instance (first_response, resolution, or one next_update cycle).
struct Instance {
  bool started = false;
  bool active = false;   // the last span is open (the clock runs)
  bool stopped = false;
  Instant start{};
  Instant stop{};
  std::string_view stop_severity;
  SpanList spans;

  void Start(Instant t, bool paused) {
    started = true;
    stopped = false;
    start = t;
    spans.clear();
    spans.push({t, t});  // a paused start still fixes "start" for due_at
    active = !paused;
  }
  void Pause(Instant t) {
    if (active) {
      spans.back().to = t;
      active = false;
    }
  }
  void Resume(Instant t) {
    if (started && !stopped && !active) {
      spans.push({t, t});
      active = true;
    }
  }
  void Stop(Instant t, std::string_view severity) {
    if (!started || stopped) return;
    Pause(t);
    stopped = true;
    stop = t;
    stop_severity = severity;
  }
  void Reopen(Instant t) {
    if (!started || !stopped) return;
    stopped = false;
    spans.push({t, t});
    active = true;
  }
};

// Where a limit of business seconds runs out over an instance's spans.
struct Deadline {
  std::optional<Instant> due;
  bool breached = false;     // a span ended after its deadline
  std::optional<Instant> breached_at;  // the deadline of the first span that ended after it (need_due)
  size_t span = 0;           // the span the due time was computed from (the last)
  Seconds before = 0;        // business seconds before that span
};

// For each span i: D_i = add(from_i, limit − elapsed before i); breached when
// a span ended after its D_i. The due time is the last span's D (CONTRACT §4:
// add(last resume or start, target − elapsed before it)); once the limit has
// run out before a span, add(from, ≤ 0) = from (§3), so any clock time in
// that span is past its deadline. With need_due false only `breached` is
// wanted: add() is then only called when a span's business time equals the
// remainder exactly (closed time may follow the deadline).
Result<Deadline> FindDeadline(const BusinessCalendar& cal, const SpanList& spans, Seconds limit,
                              bool need_due) {
  Deadline d;
  Seconds elapsed = 0;
  const size_t n = spans.size();
  for (size_t i = 0; i < n; ++i) {
    const Span& s = spans[i];
    const Seconds rem = limit - elapsed;
    const bool last = i + 1 == n;
    if (rem <= 0) {
      if (s.to > s.from) {
        if (!d.breached && need_due) d.breached_at = s.from;
        d.breached = true;
      }
      if (last) d.due = s.from;
    } else if (s.business >= rem || last) {
      if (!need_due && s.business != rem) {
        d.breached = d.breached || s.business > rem;
        return d;
      }
      auto due = cal.Add(s.from, rem);
      if (!due.ok()) return due.error();
      if (s.to > *due) {
        if (!d.breached) d.breached_at = *due;
        d.breached = true;
      }
      if (last) d.due = *due;
    }
    if (last) {
      d.span = i;
      d.before = elapsed;
    } else if (d.breached && !need_due) {
      return d;
    }
    elapsed += s.business;
  }
  return d;
}

std::string KnownSeverities(const Policy& policy) {
  std::string out;
  for (const auto& s : policy.severities) {
    if (!out.empty()) out += ", ";
    out += s.id;
  }
  return out;
}

Error UnknownSeverity(const Policy& policy, std::string field, std::string_view severity) {
  return MakeError(std::move(field), "unknown severity '" + std::string(severity) +
                                         "' (known: " + KnownSeverities(policy) + ")");
}

class Evaluator {
 public:
  Evaluator(const Policy& policy, const Plan& plan, std::string_view initial_severity,
            std::span<const TicketEvent> events, Instant now, const EvaluateOptions& options)
      : policy_(policy),
        plan_(plan),
        initial_severity_(initial_severity),
        events_(events),
        now_(now),
        options_(options),
        explain_(options.explanation),
        instances_(options.instances) {}

  Result<SlaReport> Run();

 private:
  Status Validate() const;
  void Apply(const TicketEvent& e, size_t index);
  void EndWait(Instant t);
  void StartCycle(Instant t, bool paused);
  Status JudgeFinishedCycle();
  Status Report(Metric metric, Instance& inst, MetricReport& out, int cycle);
  const Target* FindTarget(std::string_view severity, Metric metric);
  void Consider(Instant t) {
    if (t > now_ && (!next_change_ || t < *next_change_)) next_change_ = t;
  }
  void Note(const TicketEvent& e, size_t index, std::string_view why);
  void Record(Metric metric, const Instance& inst, int cycle, bool latest, std::string_view severity,
              const Target* target, MetricState state, Seconds elapsed, const Deadline* deadline);
  void ExplainInstance(Metric metric, const Instance& inst, int cycle, bool latest,
                       std::string_view severity, const Target* target, const BusinessCalendar* cal,
                       const MetricReport& report, const Deadline* deadline);

  const Policy& policy_;
  const Plan& plan_;
  std::string_view initial_severity_;
  std::span<const TicketEvent> events_;
  Instant now_;
  const EvaluateOptions& options_;
  SlaExplanation* explain_;
  std::vector<InstanceReport>* instances_;

  std::string_view severity_;
  bool opened_ = false;
  bool resolved_ = false;
  bool waiting_ = false;
  Instance first_response_;
  Instance resolution_;
  Instance cycle_;  // the latest next_update cycle
  int cycles_ = 0;
  int finished_cycle_breaches_ = 0;
  Status cycle_status_;  // an error while judging a finished cycle
  std::optional<Instant> next_change_;

  // Target lookups are cached per severity string (the same few views recur).
  std::string_view cached_severity_{};
  const std::map<Metric, Target>* cached_targets_ = nullptr;
  bool cache_valid_ = false;
};

Status Evaluator::Validate() const {
  if (policy_.FindSeverity(initial_severity_) == nullptr)
    return UnknownSeverity(policy_, "severity", initial_severity_);
  for (size_t i = 0; i < events_.size(); ++i) {
    const TicketEvent& e = events_[i];
    if (e.type != EventType::kSeverityChanged) continue;
    if (e.severity.empty())
      return MakeError("events[" + std::to_string(i) + "].severity", "missing: severity_changed needs the new severity");
    if (policy_.FindSeverity(e.severity) == nullptr)
      return UnknownSeverity(policy_, "events[" + std::to_string(i) + "].severity", e.severity);
  }
  return Status::Ok();
}

const Target* Evaluator::FindTarget(std::string_view severity, Metric metric) {
  if (!cache_valid_ || severity.data() != cached_severity_.data() ||
      severity.size() != cached_severity_.size()) {
    auto it = plan_.targets.find(severity);
    cached_targets_ = it == plan_.targets.end() ? nullptr : &it->second;
    cached_severity_ = severity;
    cache_valid_ = true;
  }
  if (cached_targets_ == nullptr) return nullptr;
  auto it = cached_targets_->find(metric);
  return it == cached_targets_->end() ? nullptr : &it->second;
}

void Evaluator::Note(const TicketEvent& e, size_t index, std::string_view why) {
  if (!explain_) return;
  explain_->notes.push_back("events[" + std::to_string(index) + "] " + std::string(EventTypeName(e.type)) +
                            " at " + FormatInstant(e.at) + ": " + std::string(why));
}

void Evaluator::StartCycle(Instant t, bool paused) {
  if (cycle_.started) {
    cycle_.Stop(t, severity_);  // no-op when resolved/closed already stopped it
    Status s = JudgeFinishedCycle();
    if (!s.ok() && cycle_status_.ok()) cycle_status_ = s;
  }
  cycle_.Start(t, paused);
  ++cycles_;
}

void Evaluator::EndWait(Instant t) {
  waiting_ = false;
  resolution_.Resume(t);
  StartCycle(t, false);
}

void Evaluator::Apply(const TicketEvent& e, size_t index) {
  const Instant t = e.at;
  switch (e.type) {
    case EventType::kSeverityChanged:
      if (explain_ && e.severity != severity_)
        Note(e, index, "severity " + std::string(severity_) + " -> " + e.severity);
      severity_ = e.severity;
      return;
    case EventType::kOpened:
      if (opened_) return Note(e, index, "ignored: the ticket is already open");
      opened_ = true;
      first_response_.Start(t, false);
      if (!plan_.resolution_starts_at_first_response) resolution_.Start(t, false);
      return;
    default:
      break;
  }
  if (!opened_) return Note(e, index, "ignored: before the ticket was opened");
  switch (e.type) {
    case EventType::kAgentReply:
      if (resolved_) return Note(e, index, "ignored: the ticket is resolved");
      first_response_.Stop(t, severity_);
      if (plan_.resolution_starts_at_first_response && !resolution_.started)
        resolution_.Start(t, waiting_);
      StartCycle(t, waiting_);
      return;
    case EventType::kCustomerReply:
      if (resolved_) return Note(e, index, "ignored: the ticket is resolved");
      if (!waiting_) return Note(e, index, "no clock change: not waiting on the customer");
      EndWait(t);
      return;
    case EventType::kWaitingOnCustomer:
      if (resolved_) return Note(e, index, "ignored: the ticket is resolved");
      if (waiting_) return Note(e, index, "ignored: already waiting on the customer");
      waiting_ = true;
      resolution_.Pause(t);
      cycle_.Pause(t);
      return;
    case EventType::kResolved:
    case EventType::kClosed:
      if (resolved_) return Note(e, index, "no clock change: already resolved/closed");
      resolved_ = true;
      waiting_ = false;
      first_response_.Stop(t, severity_);
      resolution_.Stop(t, severity_);
      cycle_.Stop(t, severity_);
      return;
    case EventType::kReopened:
      if (resolved_) {
        resolved_ = false;
        resolution_.Reopen(t);
        StartCycle(t, false);
      } else if (waiting_) {
        Note(e, index, "ticket was not resolved: ends the wait like a customer_reply");
        EndWait(t);
      } else {
        // CONTRACT §4: a next_update cycle starts at every `reopened`; the
        // running one is left behind, judged at this instant.
        Note(e, index, "ticket was not resolved: starts a new next_update cycle");
        StartCycle(t, false);
      }
      return;
    default:
      return;
  }
}

const BusinessCalendar& CalendarOf(const Target& target, const Plan& plan) {
  if (target.calendar) return *target.calendar;
  if (plan.calendar) return *plan.calendar;
  return *BusinessCalendar::AlwaysOpen();
}

Error DeadlineError(Metric metric, const Error& cause) {
  return MakeError(std::string(MetricName(metric)), "cannot compute the due time: " + cause.ToString());
}

Status Evaluator::JudgeFinishedCycle() {
  const Target* target = FindTarget(cycle_.stop_severity, Metric::kNextUpdate);
  if (target == nullptr) {
    if (instances_)
      Record(Metric::kNextUpdate, cycle_, cycles_, false, cycle_.stop_severity, nullptr, MetricState::kNoTarget, 0,
             nullptr);
    if (explain_) {
      MetricReport r;
      r.metric = Metric::kNextUpdate;
      r.state = MetricState::kNoTarget;
      ExplainInstance(Metric::kNextUpdate, cycle_, cycles_, false, cycle_.stop_severity, nullptr, nullptr, r,
                      nullptr);
    }
    return Status::Ok();
  }
  const BusinessCalendar& cal = CalendarOf(*target, plan_);
  Span& s = cycle_.spans.back();  // a cycle has exactly one span: it never resumes
  s.business = cal.Between(s.from, s.to);
  auto d = FindDeadline(cal, cycle_.spans, target->seconds, explain_ != nullptr || instances_ != nullptr);
  if (!d.ok()) return DeadlineError(Metric::kNextUpdate, d.error());
  if (d->breached) ++finished_cycle_breaches_;
  if (instances_)
    Record(Metric::kNextUpdate, cycle_, cycles_, false, cycle_.stop_severity, target,
           d->breached ? MetricState::kBreached : MetricState::kMet, s.business, &*d);
  if (explain_) {
    MetricReport r;
    r.metric = Metric::kNextUpdate;
    r.state = d->breached ? MetricState::kBreached : MetricState::kMet;
    r.target_seconds = target->seconds;
    r.elapsed_seconds = s.business;
    r.due_at = d->due;
    r.stopped_at = cycle_.stop;
    ExplainInstance(Metric::kNextUpdate, cycle_, cycles_, false, cycle_.stop_severity, target, &cal, r, &*d);
  }
  return Status::Ok();
}

Status Evaluator::Report(Metric metric, Instance& inst, MetricReport& out, int cycle) {
  out.metric = metric;
  if (inst.started && inst.active) inst.spans.back().to = now_;
  const std::string_view severity = inst.started && inst.stopped ? inst.stop_severity : severity_;
  const Target* target = FindTarget(severity, metric);
  if (target == nullptr) {
    out.state = MetricState::kNoTarget;
    if (instances_ && inst.started)
      Record(metric, inst, cycle, true, severity, nullptr, MetricState::kNoTarget, 0, nullptr);
    if (explain_ && inst.started) ExplainInstance(metric, inst, cycle, true, severity, nullptr, nullptr, out, nullptr);
    return Status::Ok();
  }
  out.target = target;
  out.target_seconds = target->seconds;
  if (!inst.started) {
    out.state = MetricState::kNotStarted;
    return Status::Ok();
  }
  const BusinessCalendar& cal = CalendarOf(*target, plan_);
  Seconds elapsed = 0;
  for (size_t i = 0; i < inst.spans.size(); ++i) {
    Span& s = inst.spans[i];
    s.business = cal.Between(s.from, s.to);
    elapsed += s.business;
  }
  auto d = FindDeadline(cal, inst.spans, target->seconds, true);
  if (!d.ok()) return DeadlineError(metric, d.error());
  out.elapsed_seconds = elapsed;
  out.due_at = d->due;
  if (d->breached) out.state = MetricState::kBreached;
  else if (inst.stopped) out.state = MetricState::kMet;
  else if (inst.active) out.state = MetricState::kRunning;
  else out.state = MetricState::kPaused;
  if (inst.stopped) out.stopped_at = inst.stop;
  if (target->goal_seconds) {
    auto g = FindDeadline(cal, inst.spans, *target->goal_seconds, true);
    if (!g.ok()) return DeadlineError(metric, g.error());
    out.goal_due_at = g->due;
  }
  out.breaches = out.state == MetricState::kBreached ? 1 : 0;
  if (instances_) Record(metric, inst, cycle, true, severity, target, out.state, elapsed, &*d);

  // Warnings, and when the next one (or the breach) happens.
  const std::vector<int>& warn = target->warn_at_percent.empty() ? policy_.warn_at_percent
                                                                 : target->warn_at_percent;
  const Span& last = inst.spans.back();
  const Seconds before_last = elapsed - last.business;
  for (int pct : warn) {
    if (pct <= 0 || pct > 100) continue;
    const Seconds threshold = (target->seconds * pct + 99) / 100;
    if (elapsed >= threshold) {
      out.warned_percent = std::max(out.warned_percent, pct);
    } else if (options_.compute_next_change && out.state == MetricState::kRunning) {
      auto at = cal.Add(last.from, threshold - before_last);
      if (at.ok()) Consider(*at);
    }
  }
  if (options_.compute_next_change && out.state == MetricState::kRunning && out.due_at)
    Consider(*out.due_at + std::chrono::seconds{1});
  if (explain_) ExplainInstance(metric, inst, cycle, true, severity, target, &cal, out, &*d);
  return Status::Ok();
}

void Evaluator::Record(Metric metric, const Instance& inst, int cycle, bool latest, std::string_view severity,
                       const Target* target, MetricState state, Seconds elapsed, const Deadline* deadline) {
  InstanceReport r;
  r.metric = metric;
  r.cycle = metric == Metric::kNextUpdate ? cycle : 0;
  r.latest = latest;
  r.state = state;
  r.severity = std::string(severity);
  r.started_at = inst.start;
  r.judged_at = inst.spans.size() > 0 ? inst.spans.back().to : inst.start;
  if (inst.stopped) r.stopped_at = inst.stop;
  if (target != nullptr) {
    r.target_seconds = target->seconds;
    r.elapsed_seconds = elapsed;
  }
  if (deadline != nullptr) {
    r.due_at = deadline->due;
    if (state == MetricState::kBreached) r.breached_at = deadline->breached_at;
  }
  instances_->push_back(std::move(r));
}

Result<SlaReport> Evaluator::Run() {
  if (Status s = Validate(); !s.ok()) return s.error();
  if (instances_) instances_->clear();
  severity_ = initial_severity_;
  const size_t n = events_.size();
  bool sorted = true;
  for (size_t i = 1; i < n && sorted; ++i) sorted = events_[i - 1].at <= events_[i].at;
  if (sorted) {
    for (size_t i = 0; i < n && events_[i].at <= now_; ++i) Apply(events_[i], i);
  } else {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return events_[a].at < events_[b].at; });
    for (size_t i : order) {
      if (events_[i].at > now_) break;
      Apply(events_[i], i);
    }
  }
  if (explain_) {
    explain_->initial_severity = std::string(initial_severity_);
    explain_->severity_at_now = std::string(severity_);
    explain_->now = now_;
    for (size_t i = 0; i < n; ++i)
      if (events_[i].at > now_) Note(events_[i], i, "ignored: after now");
  }
  if (!cycle_status_.ok()) return cycle_status_.error();

  SlaReport report;
  if (Status s = Report(Metric::kFirstResponse, first_response_, report[Metric::kFirstResponse], 0); !s.ok())
    return s.error();
  MetricReport& nu = report[Metric::kNextUpdate];
  if (Status s = Report(Metric::kNextUpdate, cycle_, nu, cycles_); !s.ok()) return s.error();
  nu.breaches = finished_cycle_breaches_ + (nu.state == MetricState::kBreached ? 1 : 0);
  if (Status s = Report(Metric::kResolution, resolution_, report[Metric::kResolution], 0); !s.ok())
    return s.error();
  report.next_change = next_change_;
  return report;
}

void Evaluator::ExplainInstance(Metric metric, const Instance& inst, int cycle, bool latest,
                                std::string_view severity, const Target* target,
                                const BusinessCalendar* cal, const MetricReport& report,
                                const Deadline* deadline) {
  InstanceExplanation x;
  x.metric = metric;
  x.cycle = cycle;
  x.latest = latest;
  x.state = report.state;
  x.severity = std::string(severity);
  x.severity_reason = inst.stopped ? "in force when it stopped at " + FormatInstant(inst.stop)
                                   : "in force at now, applied from its start";
  x.start = inst.start;
  if (target != nullptr && cal != nullptr) {
    x.has_target = true;
    x.target_seconds = target->seconds;
    x.goal_seconds = target->goal_seconds;
    x.calendar = cal->id().empty() ? (cal->always_open() ? "24x7" : "(unnamed)") : cal->id();
    x.calendar_zone = cal->zone().name();
    x.calendar_ref = target->calendar ? target->calendar
                     : plan_.calendar ? plan_.calendar
                                      : BusinessCalendar::AlwaysOpen();
  }
  const size_t n = inst.spans.size();
  for (size_t i = 0; i < n; ++i) {
    const Span& s = inst.spans[i];
    ExplainedSpan es;
    es.from = s.from;
    es.to = s.to;
    es.business_seconds = s.business;
    if (cal != nullptr) es.open_windows = cal->OpenIntervals(s.from, s.to);
    x.spans.push_back(std::move(es));
    if (i + 1 < n) x.pauses.emplace_back(s.to, inst.spans[i + 1].from);
  }
  if (n > 0) {
    const Span& last = inst.spans[n - 1];
    if (!inst.active && !(inst.stopped && inst.stop == last.to)) x.pauses.emplace_back(last.to, std::nullopt);
    x.judged_at = inst.active ? now_ : last.to;
  }
  if (inst.stopped) x.stopped_at = inst.stop;
  x.elapsed_seconds = report.elapsed_seconds.value_or(0);
  if (deadline != nullptr && deadline->due && target != nullptr && cal != nullptr) {
    const Span& s = inst.spans[deadline->span];
    x.due_at = deadline->due;
    x.due_reason = "add(" + std::string(deadline->span == 0 ? "start " : "resume ") + FormatInstant(s.from) +
                   ", " + std::to_string(target->seconds) + " s target - " + std::to_string(deadline->before) +
                   " s elapsed before it = " + std::to_string(target->seconds - deadline->before) +
                   " s) = " + FormatInstant(*deadline->due);
    x.due_windows = cal->OpenIntervals(s.from, *deadline->due);
  }
  x.goal_due_at = report.goal_due_at;
  explain_->instances.push_back(std::move(x));
}

}  // namespace

Result<SlaReport> EvaluateSla(const Policy& policy, const Plan& plan, std::string_view initial_severity,
                              std::span<const TicketEvent> events, Instant now,
                              const EvaluateOptions& options) {
  Evaluator evaluator(policy, plan, initial_severity, events, now, options);
  return evaluator.Run();
}

Result<std::optional<Instant>> NextChange(const Policy& policy, const Plan& plan,
                                          std::string_view initial_severity,
                                          std::span<const TicketEvent> events, Instant now) {
  EvaluateOptions options;
  options.compute_next_change = true;
  auto report = EvaluateSla(policy, plan, initial_severity, events, now, options);
  if (!report.ok()) return report.error();
  return report->next_change;
}

}  // namespace sladesk
