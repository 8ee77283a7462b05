#include "plugin/api/json_changes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

namespace plugin::api {

namespace json = boost::json;

namespace {

/// A stored value's JSON text as a value. Storage holds only what courses::jsonText wrote; a
/// text that does not parse (never expected) is shown as null rather than failing the history.
json::value storedValue(const std::string& text) {
  boost::system::error_code ignored;
  json::value value = json::parse(text, ignored);
  return ignored ? json::value(nullptr) : value;
}

}  // namespace

json::object toJson(const courses::ChangeEntry& entry) {
  json::array fields;
  fields.reserve(entry.fields.size());
  for (const auto& field : entry.fields) {
    fields.push_back(json::object{{"field", field.field},
                                  {"old", storedValue(field.before)},
                                  {"new", storedValue(field.after)}});
  }
  json::object object{{"id", entry.id},
                      {"entity", courses::toString(entry.entity)},
                      {"entity_id", entry.entity_id},
                      {"version", entry.version},
                      {"action", entry.action},
                      {"at", entry.at},
                      {"fields", std::move(fields)},
                      {"undoable", !entry.undo.empty()}};
  object["participant_id"] =
      entry.participant_id ? json::value(*entry.participant_id) : json::value(nullptr);
  object["account_id"] =
      entry.account_id == 0 ? json::value(nullptr) : json::value(entry.account_id);
  object["reason"] = entry.reason ? json::value(*entry.reason) : json::value(nullptr);
  return object;
}

}  // namespace plugin::api
