#include "plugin/http/conditional.hpp"

#include <optional>

namespace plugin::http {

namespace {

bool isSpace(char c) noexcept {
  return c == ' ' || c == '\t';
}

void skipSpaces(std::string_view& text) noexcept {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
}

/// The opaque tag ("abc" with its quotes) of the entity tag at the front of `text`, consuming
/// it; nullopt when `text` does not start with one.
std::optional<std::string_view> takeEntityTag(std::string_view& text) noexcept {
  std::string_view rest = text;
  if (rest.starts_with("W/")) rest.remove_prefix(2);
  if (rest.empty() || rest.front() != '"') return std::nullopt;
  const std::size_t close = rest.find('"', 1);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view opaque = rest.substr(0, close + 1);
  text = rest.substr(close + 1);
  return opaque;
}

}  // namespace

bool noneMatch(std::string_view if_none_match, std::string_view etag) noexcept {
  std::string_view current = etag;
  const auto wanted = takeEntityTag(current);
  std::string_view list = if_none_match;
  skipSpaces(list);
  std::string_view whole = list;
  while (!whole.empty() && isSpace(whole.back())) whole.remove_suffix(1);
  if (whole == "*") return true;
  if (!wanted) return false;
  while (true) {
    // Empty items (",,") are allowed by the list syntax and name nothing.
    while (!list.empty() && (isSpace(list.front()) || list.front() == ',')) list.remove_prefix(1);
    if (list.empty()) return false;
    const auto tag = takeEntityTag(list);
    if (!tag) return false;
    skipSpaces(list);
    if (!list.empty() && list.front() != ',') return false;
    if (*tag == *wanted) return true;
  }
}

std::optional<IfMatch> parseIfMatch(std::string_view if_match) {
  std::string_view list = if_match;
  skipSpaces(list);
  while (!list.empty() && isSpace(list.back())) list.remove_suffix(1);
  if (list == "*") return IfMatch{.any = true, .tags = {}};
  IfMatch result;
  bool any_tag = false;
  while (true) {
    while (!list.empty() && (isSpace(list.front()) || list.front() == ',')) list.remove_prefix(1);
    if (list.empty()) break;
    const bool weak = list.starts_with("W/");
    const auto tag = takeEntityTag(list);
    if (!tag) return std::nullopt;
    any_tag = true;
    if (!weak) result.tags.push_back(*tag);
    skipSpaces(list);
    if (!list.empty() && list.front() != ',') return std::nullopt;
  }
  if (!any_tag) return std::nullopt;
  return result;
}

}  // namespace plugin::http
