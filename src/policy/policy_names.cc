// Names of the policy model's enums, as they are written in policy files.
#include "policy/policy.h"

namespace sladesk {

std::string_view ChannelKindName(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kPortal: return "portal";
    case ChannelKind::kEmail: return "email";
    case ChannelKind::kChat: return "chat";
    case ChannelKind::kPhone: return "phone";
    case ChannelKind::kRemoteAssistance: return "remote_assistance";
    case ChannelKind::kSelfService: return "self_service";
  }
  return "unknown";
}

std::optional<ChannelKind> ChannelKindFromName(std::string_view name) {
  for (ChannelKind k : kAllChannelKinds)
    if (ChannelKindName(k) == name) return k;
  return std::nullopt;
}

namespace {
constexpr std::pair<FieldType, std::string_view> kFieldTypes[] = {
    {FieldType::kText, "text"},       {FieldType::kMultiline, "multiline"}, {FieldType::kPhone, "phone"},
    {FieldType::kEmail, "email"},     {FieldType::kDateTime, "datetime"},   {FieldType::kNumber, "number"},
    {FieldType::kUrl, "url"}};
}  // namespace

std::string_view FieldTypeName(FieldType type) {
  for (const auto& [t, n] : kFieldTypes)
    if (t == type) return n;
  return "text";
}

std::optional<FieldType> FieldTypeFromName(std::string_view name) {
  for (const auto& [t, n] : kFieldTypes)
    if (n == name) return t;
  return std::nullopt;
}

std::string_view ProvisionName(Provision p) {
  switch (p) {
    case Provision::kNo: return "no";
    case Provision::kOptional: return "optional";
    case Provision::kYes: return "yes";
  }
  return "unknown";
}

std::string_view QuotaActionName(QuotaAction a) {
  switch (a) {
    case QuotaAction::kFlag: return "flag";
    case QuotaAction::kRefuse: return "refuse";
  }
  return "unknown";
}

}  // namespace sladesk
