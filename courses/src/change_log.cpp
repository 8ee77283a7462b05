#include "courses/change_log.hpp"

#include <charconv>
#include <cstdio>

#include "name_table.hpp"

namespace courses {
namespace {

using detail::nameOf;
using detail::NameTable;
using detail::valueOf;

constexpr NameTable<Entity, 7> kEntityNames{{
    {Entity::programme, "programme"},
    {Entity::course, "course"},
    {Entity::locality, "locality"},
    {Entity::cohort, "cohort"},
    {Entity::session, "session"},
    {Entity::participant, "participant"},
    {Entity::enrolment, "enrolment"},
}};

}  // namespace

std::string_view toString(Entity v) noexcept {
  return nameOf(kEntityNames, v);
}

std::optional<Entity> entityFromString(std::string_view s) noexcept {
  return valueOf(kEntityNames, s);
}

std::string jsonText(std::string_view text) {
  // RFC 8259 section 7: the quotation mark, the reverse solidus and the control characters are
  // escaped; everything else (valid UTF-8, as every stored text is) is written as it is.
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string jsonText(const std::optional<std::string>& text) {
  return text ? jsonText(std::string_view(*text)) : std::string("null");
}

std::string jsonText(const std::string& text) {
  return jsonText(std::string_view(text));
}

std::string jsonText(int number) {
  return std::to_string(number);
}

std::string jsonText(long long number) {
  return std::to_string(number);
}

std::string jsonText(const std::optional<long long>& number) {
  return number ? std::to_string(*number) : std::string("null");
}

std::string jsonText(double number) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("null");
}

std::string jsonText(bool value) {
  return value ? "true" : "false";
}

std::string jsonText(const std::vector<std::string_view>& words) {
  std::string out = "[";
  for (const std::string_view word : words) {
    if (out.size() > 1) out.push_back(',');
    out += jsonText(word);
  }
  out.push_back(']');
  return out;
}

FieldChanges& FieldChanges::add(std::string_view field, std::string before, std::string after) {
  if (before != after) fields_.push_back({std::string(field), std::move(before), std::move(after)});
  return *this;
}

std::string versionTag(int version) {
  return "\"v" + std::to_string(version) + "\"";
}

std::optional<int> versionFromTag(std::string_view quoted_tag) noexcept {
  if (quoted_tag.size() < 4 || quoted_tag.front() != '"' || quoted_tag.back() != '"' ||
      quoted_tag[1] != 'v') {
    return std::nullopt;
  }
  const std::string_view digits = quoted_tag.substr(2, quoted_tag.size() - 3);
  if (digits.empty() || digits.size() > 9 || (digits.size() > 1 && digits.front() == '0')) {
    return std::nullopt;
  }
  int version = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (ec != std::errc{} || end != digits.data() + digits.size() || version < 1) return std::nullopt;
  return version;
}

}  // namespace courses
