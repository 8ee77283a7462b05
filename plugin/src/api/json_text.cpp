#include "plugin/api/json_text.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "json_reader.hpp"
#include "plugin/api/errors.hpp"

namespace plugin::api {

namespace json = boost::json;
using json_reader::quotedName;

namespace {

/// Builds the value like boost::json::parser does, and also refuses an object with the same key
/// twice: JSON leaves that case open, and different readers keeping different copies is how
/// checks get bypassed.
struct StrictHandler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack stack;
  std::vector<std::unordered_set<std::string>> keys;  ///< per open object
  std::string key;                                    ///< key being read
  bool duplicate = false;
  std::string duplicate_key;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) {
    keys.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, boost::system::error_code&) {
    keys.pop_back();
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(boost::system::error_code&) { return true; }
  bool on_array_end(std::size_t n, boost::system::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, boost::system::error_code&) {
    key.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, boost::system::error_code& ec) {
    key.append(s.data(), s.size());
    if (!keys.back().insert(key).second) {
      duplicate = true;
      duplicate_key = std::move(key);
      ec = json::error::syntax;
      return false;
    }
    key.clear();
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, boost::system::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, boost::system::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, boost::system::error_code&) {
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, boost::system::error_code&) {
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, boost::system::error_code&) {
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, boost::system::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(boost::system::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(json::string_view, boost::system::error_code&) { return true; }
};

}  // namespace

json::value parseJson(std::string_view text) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  json::basic_parser<StrictHandler> parser(options);
  parser.handler().stack.reset();
  boost::system::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  StrictHandler& handler = parser.handler();
  if (handler.duplicate) {
    throw invalidRequest("field " + quotedName(handler.duplicate_key) + " appears more than once");
  }
  if (!ec && used < text.size()) ec = json::error::extra_data;
  if (ec) {
    if (ec == json::error::too_deep) {
      throw invalidRequest("the JSON document is nested deeper than 32 levels");
    }
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      throw invalidRequest("the request body is empty; a JSON document is expected");
    }
    throw invalidRequest("the request body is not valid JSON (" + ec.message() + ")");
  }
  return handler.stack.release();
}

namespace {

void appendJsonText(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(member.key()));
        out += ':';
        appendJsonText(out, member.value());
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        appendJsonText(out, item);
      }
      out += ']';
      return;
    }
    case json::kind::double_: {
      const double number = value.get_double();
      if (!std::isfinite(number)) {
        out += "null";
        return;
      }
      // Shortest round-trip form: fixed notation for everyday magnitudes (0.0001, 3290.5, 24),
      // scientific only for the very small and the very large.
      const double magnitude = std::fabs(number);
      const bool everyday = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
      char buffer[64];
      const auto [end, error] =
          everyday ? std::to_chars(buffer, buffer + sizeof buffer, number, std::chars_format::fixed)
                   : std::to_chars(buffer, buffer + sizeof buffer, number);
      if (error != std::errc{}) {
        out += json::serialize(value);
        return;
      }
      out.append(buffer, end);
      return;
    }
    default:
      out += json::serialize(value);
      return;
  }
}

}  // namespace

std::string toJsonText(const json::value& value) {
  std::string out;
  appendJsonText(out, value);
  return out;
}

}  // namespace plugin::api
