#pragma once
// {"items":[...]} and one page of them, for every resource with a toJson mapping.
//
// The templates name toJson unqualified, and the resources' types live in `courses`, so only the
// overloads declared before this point are found: this header includes every mapping that lists
// a collection.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "courses/model.hpp"
#include "plugin/api/json_accounts.hpp"
#include "plugin/api/json_catalogue.hpp"
#include "plugin/api/json_changes.hpp"
#include "plugin/api/json_cohorts.hpp"
#include "plugin/api/json_participants.hpp"

namespace plugin::api {

/// {"items":[...]} for a whole collection.
template <typename T>
boost::json::object itemsToJson(const std::vector<T>& items) {
  boost::json::array array;
  array.reserve(items.size());
  for (const auto& item : items) array.push_back(toJson(item));
  return boost::json::object{{"items", std::move(array)}};
}

/// {"items":[...],"next_after":ID|null} for one page.
template <typename T>
boost::json::object pageToJson(const courses::Page<T>& page) {
  boost::json::object object = itemsToJson(page.items);
  if (page.next_after) {
    object["next_after"] = *page.next_after;
  } else {
    object["next_after"] = nullptr;
  }
  return object;
}

}  // namespace plugin::api
