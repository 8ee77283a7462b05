#pragma once
// The strict reading rules every request mapping shares (plugin/src/api/json_*.cpp): typed access
// to one value naming its field, the 422 problem list, the object reader that refuses unknown
// keys, and the small writers of optional values. Private to plugin/src/api.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "courses/error.hpp"
#include "courses/model.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json_common.hpp"
#include "plugin/api/json_text.hpp"

namespace plugin::api::json_reader {

namespace json = boost::json;

/// `name` in quotes, cut short: an unknown key may be kilobytes long.
std::string quotedName(std::string_view name);
/// "a string", "an integer", … for messages.
std::string_view kindName(const json::value& value);
/// Throws RequestError(400): `field` must be `expected`, not what `got` is.
[[noreturn]] void wrongType(const std::string& field, std::string_view expected,
                            const json::value& got);

/// Collects value problems (422) so a client learns about all of them at once.
class Problems {
 public:
  void add(std::string field, std::string message) {
    list_.push_back({std::move(field), std::move(message)});
  }
  void throwIfAny() const {
    if (list_.empty()) return;
    std::string detail = "invalid value";
    detail += list_.size() == 1 ? " in field " : "s in fields ";
    for (std::size_t i = 0; i < list_.size(); ++i) {
      if (i > 0) detail += ", ";
      detail += quotedName(list_[i].field);
    }
    throw courses::Error(courses::ErrorCode::invalid_argument, detail, list_);
  }

 private:
  std::vector<courses::FieldProblem> list_;
};

/// "path.key", or "key" at the top.
std::string join(const std::string& path, std::string_view key);

// ---- typed access to one value; `field` names it in messages -----------------------------------

std::string readString(const json::value& value, const std::string& field, Problems& problems);
bool readBool(const json::value& value, const std::string& field);
long long readInteger(const json::value& value, const std::string& field, long long min,
                      long long max, Problems& problems);
int readInt(const json::value& value, const std::string& field, Problems& problems);
courses::Id readId(const json::value& value, const std::string& field, Problems& problems);
double readNumber(const json::value& value, const std::string& field, Problems& problems);
const json::array& readArray(const json::value& value, const std::string& field);

/// The enum named by a string value, or nullopt (recorded as a problem listing the names).
template <typename Enum, typename FromString>
std::optional<Enum> readEnumIn(const json::value& value, const std::string& field,
                               Problems& problems, FromString from_string,
                               std::span<const Enum> all) {
  const std::string name = readString(value, field, problems);
  if (const auto parsed = from_string(name)) return *parsed;
  std::string message = "must be one of";
  bool first = true;
  for (const Enum candidate : all) {
    message += first ? " " : ", ";
    message += courses::toString(candidate);
    first = false;
  }
  problems.add(field, message);
  return std::nullopt;
}

template <typename Enum, typename FromString>
Enum readEnum(const json::value& value, const std::string& field, Problems& problems,
              FromString from_string, std::initializer_list<Enum> all) {
  return readEnumIn(value, field, problems, from_string,
                    std::span<const Enum>(all.begin(), all.size()))
      .value_or(*all.begin());
}

/// One JSON object read field by field: unknown keys are refused up front, missing required keys
/// are collected as problems.
class ObjectReader {
 public:
  ObjectReader(const json::value& value, std::string path, Problems& problems,
               std::initializer_list<std::string_view> allowed)
      : path_(std::move(path)), problems_(problems) {
    if (!value.is_object()) {
      if (path_.empty()) {
        throw invalidRequest("the request body must be a JSON object, not " +
                             std::string(kindName(value)));
      }
      wrongType(path_, "an object", value);
    }
    object_ = &value.get_object();
    for (const auto& member : *object_) {
      bool known = false;
      for (const std::string_view name : allowed) known = known || member.key() == name;
      if (!known) throw invalidRequest("unknown field " + quotedName(field(member.key())));
    }
  }

  std::string field(std::string_view key) const { return join(path_, key); }
  Problems& problems() const { return problems_; }

  /// The member, or nullptr when absent (recorded as a problem when required).
  const json::value* get(std::string_view key, bool required) const {
    if (const auto* value = object_->if_contains(key)) return value;
    if (required) problems_.add(field(key), "is required");
    return nullptr;
  }

  /// The member if present and not null, for fields whose null means "absent".
  const json::value* nonNull(std::string_view key, bool required) const {
    const json::value* value = get(key, required);
    if (value != nullptr && value->is_null()) {
      problems_.add(field(key), "must not be null");
      return nullptr;
    }
    return value;
  }

  std::string string(std::string_view key) const {
    const auto* value = get(key, true);
    return value != nullptr ? readString(*value, field(key), problems_) : std::string();
  }
  courses::Id id(std::string_view key) const {
    const auto* value = get(key, true);
    return value != nullptr ? readId(*value, field(key), problems_) : 0;
  }
  int integer(std::string_view key) const {
    const auto* value = get(key, true);
    return value != nullptr ? readInt(*value, field(key), problems_) : 0;
  }
  bool boolean(std::string_view key, std::optional<bool> fallback) const {
    const auto* value = get(key, !fallback.has_value());
    return value != nullptr ? readBool(*value, field(key)) : fallback.value_or(false);
  }
  /// A member that may be absent or null (both mean "none").
  std::optional<std::string> nullableString(std::string_view key) const {
    const auto* value = get(key, false);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return readString(*value, field(key), problems_);
  }
  std::optional<courses::Id> nullableId(std::string_view key) const {
    const auto* value = get(key, false);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return readId(*value, field(key), problems_);
  }
  courses::LocalizedText localized(std::string_view key) const {
    courses::LocalizedText text;
    const auto* value = get(key, true);
    if (value == nullptr) return text;
    const ObjectReader reader(*value, field(key), problems_, {"kk", "ru", "en"});
    text.kk = reader.string("kk");
    text.ru = reader.string("ru");
    text.en = reader.string("en");
    return text;
  }

 private:
  std::string path_;
  Problems& problems_;
  const json::object* object_ = nullptr;
};

courses::LocalizedText readLocalized(const json::value& value, const std::string& field,
                                     Problems& problems);
std::optional<courses::CertificateLanguage> readCertificateLanguage(const json::value& value,
                                                                    const std::string& field,
                                                                    Problems& problems);

// ---- writing ------------------------------------------------------------------------------------

json::value optionalValue(const std::optional<courses::Id>& id);
json::value optionalValue(const std::optional<std::string>& text);
/// Boost.JSON writes every double with an exponent ("2.4E1"); whole hours read better as integers.
json::value hoursValue(double hours);
json::array localizedArray(const std::vector<courses::LocalizedText>& texts);
json::value optionalTimestamp(const std::optional<courses::Timestamp>& at);

}  // namespace plugin::api::json_reader
