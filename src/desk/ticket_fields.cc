#include "desk/ticket_fields.h"

#include <cstdlib>

#include "desk/text_rules.h"

namespace sladesk {
namespace {

constexpr const char* kTicketText[] = {"subject",        "description",  "steps_to_reproduce",
                                       "business_impact", "product_area", "error_details"};

const std::string* TicketText(const Ticket& t, std::string_view id) {
  if (id == "subject") return &t.subject;
  if (id == "description") return &t.description;
  if (id == "steps_to_reproduce") return &t.steps_to_reproduce;
  if (id == "business_impact") return &t.business_impact;
  if (id == "product_area") return &t.product_area;
  if (id == "error_details") return &t.error_details;
  return nullptr;
}

bool IsTicketText(std::string_view id) {
  for (const char* k : kTicketText)
    if (id == k) return true;
  return false;
}

bool IsRequesterField(std::string_view id) { return id == "contact_name" || id == "email" || id == "phone"; }

const TicketField* Declared(const Policy& policy, std::string_view id) {
  for (const auto* list : {&policy.required_fields, &policy.requested_fields})
    for (const auto& f : *list)
      if (f.id == id) return &f;
  return nullptr;
}

Status CheckValue(const std::string& field, FieldType type, const std::string& v) {
  if (v.size() > 20000) return MakeError(field, "'" + field + "' is longer than 20000 bytes");
  if (type == FieldType::kMultiline) return TextRules::CheckMultiLine(field, v);
  if (Status st = TextRules::CheckSingleLine(field, v); !st.ok()) return st;
  if (v.empty()) return Status::Ok();
  switch (type) {
    case FieldType::kText: case FieldType::kMultiline: break;
    case FieldType::kPhone: {
      int digits = 0;
      for (char c : v) {
        if (c >= '0' && c <= '9') ++digits;
        else if (std::string_view(" +-()./").find(c) == std::string_view::npos)
          return MakeError(field, "'" + field + "' must be a telephone number (digits, spaces, + - ( ) . /)");
      }
      if (digits < 5 || digits > 20) return MakeError(field, "'" + field + "' must have 5 to 20 digits");
      break;
    }
    case FieldType::kEmail:
      if (v.find('@') == std::string::npos || v.find(' ') != std::string::npos)
        return MakeError(field, "'" + field + "' must be an e-mail address");
      break;
    case FieldType::kDateTime:
      if (auto t = ParseInstant(v, field); !t.ok())
        return MakeError(field, "'" + field + "' must be a date and time with its offset, e.g. 2026-12-02T09:30:00+01:00");
      break;
    case FieldType::kNumber: {
      char* end = nullptr;
      std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0') return MakeError(field, "'" + field + "' must be a number");
      break;
    }
    case FieldType::kUrl:
      if (v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0)
        return MakeError(field, "'" + field + "' must be an http:// or https:// address");
      break;
  }
  return Status::Ok();
}

}  // namespace

std::optional<TicketFields::Source> TicketFields::SourceOf(const TicketField& field) {
  if (IsTicketText(field.id)) return Source::kTicketText;
  if (field.type) return Source::kCustom;
  if (IsRequesterField(field.id)) return Source::kRequester;
  if (field.id == "company_name") return Source::kOrganisation;
  return std::nullopt;
}

std::vector<Error> TicketFields::Uncollectable(const Policy& policy) {
  std::vector<Error> out;
  for (const auto* list : {&policy.required_fields, &policy.requested_fields}) {
    const bool required = list == &policy.required_fields;
    for (const auto& f : *list)
      if (!SourceOf(f))
        out.push_back(MakeError(std::string(required ? "tickets.required_fields" : "tickets.requested_fields") +
                                    "[" + f.id + "]",
                                "the desk cannot collect '" + f.id + "' (" + f.name +
                                    "): declare its type (text, multiline, phone, email, datetime, number, url)"));
  }
  return out;
}

std::optional<FieldType> TicketFields::CustomType(const Policy& policy, std::string_view id) {
  if (const TicketField* f = Declared(policy, id); f && f->type) return f->type;
  if (id == "phone") return FieldType::kPhone;
  return std::nullopt;
}

Status TicketFields::CheckValues(const Policy& policy, const std::map<std::string, std::string>& values) {
  for (const auto& [id, v] : values) {
    const std::string field = "fields." + id;
    auto type = CustomType(policy, id);
    if (!type) {
      std::string known;
      for (const auto* list : {&policy.required_fields, &policy.requested_fields})
        for (const auto& f : *list)
          if (f.type) known += (known.empty() ? "" : ", ") + f.id;
      return MakeError(field, "the " + policy.name + " policy has no ticket field '" + id + "'" +
                                  (known.empty() ? std::string() : "; its fields: " + known + ", phone"));
    }
    if (Status st = CheckValue(field, *type, v); !st.ok()) return st;
  }
  return Status::Ok();
}

std::string TicketFields::Value(const TicketField& field, const Ticket& ticket, const Organisation& organisation,
                                const User& requester) {
  if (const std::string* text = TicketText(ticket, field.id)) return *text;
  if (auto it = ticket.fields.find(field.id); it != ticket.fields.end() && !it->second.empty()) return it->second;
  if (field.id == "contact_name") return requester.name;
  if (field.id == "email") return requester.email;
  if (field.id == "phone") return requester.phone;
  if (field.id == "company_name") return organisation.name;
  return "";
}

Status TicketFields::CheckRequired(const Policy& policy, const Ticket& ticket, const Organisation& organisation,
                                   const User& requester) {
  for (const auto& f : policy.required_fields) {
    if (!TextRules::IsBlank(Value(f, ticket, organisation, requester))) continue;
    std::string where = IsTicketText(f.id) ? "'" + f.id + "'"
                        : f.id == "phone"  ? "'fields.phone' (or a telephone number on the contact)"
                        : IsRequesterField(f.id) ? "the contact's " + f.id
                                                 : "'fields." + f.id + "'";
    return MakeError(IsTicketText(f.id) ? f.id : "fields." + f.id,
                     where + " is required by the " + policy.name + " policy (" + f.name + ")");
  }
  return Status::Ok();
}

}  // namespace sladesk
