// TicketFields: the information a policy asks for when a ticket is opened,
// and where the desk finds each piece.
//
// Purpose: seeds ask for things in their own words ("Telephone number",
// "The start time of the incident"). Some ids the desk knows: the ticket's
// own text fields (subject, description, steps_to_reproduce,
// business_impact, product_area, error_details), the requester's details
// (contact_name, email, phone: the contact's, or one given on the ticket)
// and the organisation's (company_name). Any other id must declare a
// `type` in the policy; its value is kept in Ticket::fields. A required
// field the desk cannot find anywhere refuses the ticket, naming it; a
// policy whose required field the desk can never collect is reported by
// `policy check` (Uncollectable).
// Thread-safety: stateless. Ownership: none.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "desk/desk_types.h"
#include "policy/policy.h"

namespace sladesk {

class TicketFields {
 public:
  // Where a field's value comes from.
  enum class Source { kTicketText, kCustom, kRequester, kOrganisation };

  // nullopt when the desk cannot collect the field (an unknown id without a type).
  static std::optional<Source> SourceOf(const TicketField& field);
  // One error per required or requested field the desk cannot collect, naming it.
  static std::vector<Error> Uncollectable(const Policy& policy);
  // The type a value given in Ticket::fields for `id` must have, or nullopt
  // when the policy declares no such field ("phone" is always a phone).
  static std::optional<FieldType> CustomType(const Policy& policy, std::string_view id);
  // Each key must be a field the ticket holds; each value must fit its type
  // (a datetime is RFC 3339, a phone number has digits, ...). kInvalid
  // naming "fields.<id>".
  static Status CheckValues(const Policy& policy, const std::map<std::string, std::string>& values);
  // The first required field without a value, as kInvalid naming its id.
  static Status CheckRequired(const Policy& policy, const Ticket& ticket, const Organisation& organisation,
                              const User& requester);
  // The value of a field on a ticket ("" when it has none).
  static std::string Value(const TicketField& field, const Ticket& ticket, const Organisation& organisation,
                           const User& requester);
};

}  // namespace sladesk
