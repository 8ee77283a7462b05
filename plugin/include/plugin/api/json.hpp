#pragma once
// Mapping between the domain's structs and the JSON wire format (snake_case, ids as numbers).
//
// Reading is strict: malformed JSON, nesting deeper than 32, invalid UTF-8, a key repeated in one
// object, an unknown field or a value of the wrong JSON type throw RequestError (400
// "invalid-request", naming the field); missing required fields, out-of-range integers, unknown
// enum names and strings over 4096 bytes throw courses::Error(invalid_argument) listing every such
// field (422 "invalid-field"). Lengths and shapes of the values themselves are the domain's to
// check.
//
// One header per resource (json_accounts.hpp, json_catalogue.hpp, json_cohorts.hpp,
// json_participants.hpp, json_attendance.hpp, json_certificates.hpp, json_totals.hpp), the text
// reader/writer (json_text.hpp) and the collection wrappers (json_items.hpp); this one includes
// them all.

#include "plugin/api/json_accounts.hpp"
#include "plugin/api/json_attendance.hpp"
#include "plugin/api/json_catalogue.hpp"
#include "plugin/api/json_certificates.hpp"
#include "plugin/api/json_cohorts.hpp"
#include "plugin/api/json_common.hpp"
#include "plugin/api/json_items.hpp"
#include "plugin/api/json_participants.hpp"
#include "plugin/api/json_text.hpp"
#include "plugin/api/json_totals.hpp"
