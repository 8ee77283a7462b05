#pragma once
// Conditional requests (RFC 9110 §13.1): whether a stored representation is still the client's.

#include <optional>
#include <string_view>
#include <vector>

namespace plugin::http {

/// Whether an If-None-Match field value names `etag`, the current representation's entity tag
/// in its quoted form ("abc" or W/"abc"), so that a GET may answer 304 (RFC 9110 §13.1.2).
/// "*" names any current representation. Otherwise the value is a comma-separated list of
/// entity tags, with optional spaces or tabs around each, compared weakly: W/"abc" and "abc"
/// are the same tag. A tag is read in its quoted form, so a comma inside the quotes belongs to
/// it; the list is read up to the first item that is not an entity tag. An empty value names
/// nothing.
bool noneMatch(std::string_view if_none_match, std::string_view etag) noexcept;

/// An If-Match field value (RFC 9110 §13.1.1): "*" (any current representation) or the entity
/// tags it lists, each in its quoted form. If-Match compares strongly, so weak tags (W/"abc"),
/// which can never match, are left out of `tags`.
struct IfMatch {
  bool any = false;
  std::vector<std::string_view> tags;
};

/// The If-Match field value read as above; nullopt when it is neither "*" nor a comma-separated
/// list of at least one entity tag.
std::optional<IfMatch> parseIfMatch(std::string_view if_match);

}  // namespace plugin::http
