// PolicyReader: reads one parsed TOML policy document into a Policy,
// recording every problem it finds (see docs/POLICY.md for the language).
//
// Purpose: the validating half of the policy loader. It checks types, keys
// (typos), ids and references (severities, plans, metrics, calendars), turns
// target words into seconds on the right calendar, and enforces the
// cross-field rules (a day unit needs hours_per_business_day, a goal may not
// exceed its limit, every severity states what its plan promises).
// Thread-safety: single-threaded; one instance per document.
// Ownership: returns a Policy it no longer touches; errors are in
// TomlFieldReader::errors().
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include <toml++/toml.h>

#include "policy/calendar_toml_reader.h"
#include "policy/policy.h"
#include "policy/toml_field_reader.h"

namespace sladesk {

class PolicyReader {
 public:
  explicit PolicyReader(std::string file) : fields_(std::move(file)), calendars_(fields_) {}

  // Always returns a (possibly partial) policy; it is valid only when
  // errors() is empty afterwards.
  std::shared_ptr<Policy> Read(const toml::table& root);
  std::vector<Error>& errors() { return fields_.errors(); }

 private:
  void ReadMeta(const toml::table& root);
  void ReadCalendars(const toml::table& root);
  void ReadSeverities(const toml::table& root);
  void ReadTickets(const toml::table& root);
  void ReadPlans(const toml::table& root);
  void ReadPlan(const toml::table& t, const std::string& path, Plan& plan);
  void ReadChannels(const toml::array& a, const std::string& path, Plan& plan);
  void ReadQuota(const toml::table& t, const std::string& path, Quota& quota);
  void ReadTargets(const toml::table& t, const std::string& path, Plan& plan);
  void ReadTarget(const toml::node& n, const std::string& path, const std::string& severity,
                  Metric metric, Plan& plan);
  void CheckPromises(const toml::table& plan_table, const toml::table* targets,
                     const std::string& path, Plan& plan, const std::vector<Metric>& explicit_promises,
                     bool promises_given);
  void ReadLifecycle(const toml::table& root);
  void ReadContract(const toml::table& root);
  void ReadScope(const toml::table& root);
  void ReadOnboarding(const toml::table& root);
  std::vector<TicketField> ReadFields(const toml::table& t, std::string_view key,
                                      const std::string& path);

  // A calendar by id (built-in "24x7" included); nullptr after recording an
  // error at `at` when it is unknown. Silent for calendars that failed to
  // build (their own error is already recorded).
  std::shared_ptr<const BusinessCalendar> CalendarRef(const toml::node& at, const std::string& id,
                                                      const std::string& field);
  bool SeverityRef(const toml::source_region& at, const std::string& id, const std::string& field);
  std::optional<Metric> MetricRef(const toml::source_region& at, const std::string& name,
                                  const std::string& field);
  std::vector<std::string> SeverityIds() const;
  std::vector<std::string> CalendarIds() const;
  bool ValidId(const toml::node& at, const std::string& id, const std::string& field);

  TomlFieldReader fields_;
  CalendarTomlReader calendars_;
  std::shared_ptr<Policy> policy_;
  std::set<std::string> broken_calendars_;
  // State of the plan being read: whether a calendar was named (so a broken
  // reference is not reported twice) and its default warning thresholds.
  bool plan_calendar_named_ = false;
  std::set<std::string> severity_calendars_named_;
  std::vector<int> plan_warn_;
  bool targets_skipped_ = false;  // a target was dropped for an error reported elsewhere
};

}  // namespace sladesk
