#include "json_reader.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "plugin/api/errors.hpp"

namespace plugin::api {

namespace json = boost::json;

namespace json_reader {

// Field names echoed in messages are cut short: an unknown key may be kilobytes long.
std::string quotedName(std::string_view name) {
  constexpr std::size_t kMaxEcho = 64;
  if (name.size() <= kMaxEcho) return "\"" + std::string(name) + "\"";
  // Cut at a UTF-8 boundary so the message stays valid UTF-8.
  std::size_t cut = kMaxEcho;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0U) == 0x80U) --cut;
  return "\"" + std::string(name.substr(0, cut)) + "…\"";
}

std::string_view kindName(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

[[noreturn]] void wrongType(const std::string& field, std::string_view expected,
                            const json::value& got) {
  throw invalidRequest("field " + quotedName(field) + " must be " + std::string(expected) +
                       ", not " + std::string(kindName(got)));
}

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// ---- typed access to one value; `field` names it in messages -----------------------------------

std::string readString(const json::value& value, const std::string& field, Problems& problems) {
  if (!value.is_string()) wrongType(field, "a string", value);
  const json::string& text = value.get_string();
  if (text.size() > kMaxJsonStringBytes) {
    problems.add(field, "must be at most 4096 bytes");
    return {};
  }
  return std::string(text);
}

bool readBool(const json::value& value, const std::string& field) {
  if (!value.is_bool()) wrongType(field, "a boolean", value);
  return value.get_bool();
}

long long readInteger(const json::value& value, const std::string& field, long long min,
                      long long max, Problems& problems) {
  long long number = 0;
  if (value.is_int64()) {
    number = value.get_int64();
  } else if (value.is_uint64()) {
    number = std::numeric_limits<long long>::max();  // above any accepted maximum
  } else {
    wrongType(field, "an integer", value);
  }
  if (number < min || number > max) {
    problems.add(field,
                 "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return min;
  }
  return number;
}

int readInt(const json::value& value, const std::string& field, Problems& problems) {
  return static_cast<int>(readInteger(value, field, std::numeric_limits<int>::min(),
                                      std::numeric_limits<int>::max(), problems));
}

courses::Id readId(const json::value& value, const std::string& field, Problems& problems) {
  return readInteger(value, field, 1, kMaxWireId, problems);
}

double readNumber(const json::value& value, const std::string& field, Problems& problems) {
  if (!value.is_number()) wrongType(field, "a number", value);
  const double number = value.to_number<double>();
  if (!std::isfinite(number)) {
    problems.add(field, "must be a finite number");
    return 0;
  }
  return number;
}

const json::array& readArray(const json::value& value, const std::string& field) {
  if (!value.is_array()) wrongType(field, "an array", value);
  return value.get_array();
}

courses::LocalizedText readLocalized(const json::value& value, const std::string& field,
                                     Problems& problems) {
  const ObjectReader reader(value, field, problems, {"kk", "ru", "en"});
  courses::LocalizedText text;
  text.kk = reader.string("kk");
  text.ru = reader.string("ru");
  text.en = reader.string("en");
  return text;
}

std::optional<courses::CertificateLanguage> readCertificateLanguage(const json::value& value,
                                                                    const std::string& field,
                                                                    Problems& problems) {
  using courses::CertificateLanguage;
  static constexpr CertificateLanguage kAll[] = {CertificateLanguage::kk, CertificateLanguage::ru,
                                                 CertificateLanguage::en, CertificateLanguage::all};
  return readEnumIn(value, field, problems, courses::certificateLanguageFromString,
                    std::span<const CertificateLanguage>(kAll));
}

json::value optionalValue(const std::optional<courses::Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}

json::value optionalValue(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

// Boost.JSON writes every double with an exponent ("2.4E1"); whole hours read better as integers.
json::value hoursValue(double hours) {
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  if (std::trunc(hours) == hours && std::fabs(hours) < kExactIntegerLimit) {
    return json::value(static_cast<std::int64_t>(hours));
  }
  return json::value(hours);
}

json::array localizedArray(const std::vector<courses::LocalizedText>& texts) {
  json::array array;
  for (const auto& text : texts) array.push_back(plugin::api::toJson(text));
  return array;
}

json::value optionalTimestamp(const std::optional<courses::Timestamp>& at) {
  return at ? json::value(*at) : json::value(nullptr);
}

}  // namespace json_reader

json::object toJson(const courses::LocalizedText& text) {
  return json::object{{"kk", text.kk}, {"ru", text.ru}, {"en", text.en}};
}

}  // namespace plugin::api
