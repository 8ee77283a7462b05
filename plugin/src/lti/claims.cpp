#include "plugin/lti/claims.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace plugin::lti {

namespace {

namespace json = boost::json;

const std::string kLti = "https://purl.imsglobal.org/spec/lti/claim/";
const std::string kDeepLinking = "https://purl.imsglobal.org/spec/lti-dl/claim/";

struct Unreadable {
  std::string why;
};

std::string text(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || value->is_null()) return {};
  if (!value->is_string()) throw Unreadable{std::string(name) + " is not a string"};
  return std::string(value->get_string());
}

const json::object* objectAt(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || value->is_null()) return nullptr;
  if (!value->is_object()) throw Unreadable{std::string(name) + " is not an object"};
  return &value->get_object();
}

std::optional<long long> seconds(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64() && value->get_uint64() < (1ULL << 62)) {
    return static_cast<long long>(value->get_uint64());
  }
  if (value->is_double()) return static_cast<long long>(value->get_double());
  throw Unreadable{std::string(name) + " is not a number of seconds"};
}

// Ids stored as they come: printable ASCII of 1-255 characters.
void checkId(const std::string& value, std::string_view name) {
  const bool fine = !value.empty() && value.size() <= 255 &&
                    std::all_of(value.begin(), value.end(), [](char c) { return c > ' ' && c < 0x7f; });
  if (!fine) throw Unreadable{std::string(name) + " is not 1-255 printable characters"};
}

}  // namespace

std::variant<courses::LaunchClaims, std::string> readClaims(std::string_view payload) {
  try {
    json::error_code error;
    json::value parsed = json::parse(payload, error);
    if (error || !parsed.is_object()) return std::string("the payload is not a JSON object");
    const json::object& o = parsed.get_object();
    courses::LaunchClaims c;
    c.issuer = text(o, "iss");
    if (const json::value* aud = o.if_contains("aud")) {
      if (aud->is_string()) {
        c.audience.emplace_back(aud->get_string());
      } else if (aud->is_array()) {
        for (const json::value& one : aud->get_array()) {
          if (!one.is_string()) throw Unreadable{"aud holds something other than strings"};
          c.audience.emplace_back(one.get_string());
        }
      } else {
        throw Unreadable{"aud is neither a string nor an array"};
      }
    }
    if (o.contains("azp")) c.azp = text(o, "azp");
    c.subject = text(o, "sub");
    c.issued_at = seconds(o, "iat");
    c.expires_at = seconds(o, "exp");
    c.nonce = text(o, "nonce");
    c.message_type = text(o, kLti + "message_type");
    c.version = text(o, kLti + "version");
    c.deployment_id = text(o, kLti + "deployment_id");
    c.target_link_uri = text(o, kLti + "target_link_uri");
    if (const json::object* link = objectAt(o, kLti + "resource_link")) {
      c.resource_link_id = text(*link, "id");
    }
    if (const json::value* roles = o.if_contains(kLti + "roles")) {
      if (!roles->is_array()) throw Unreadable{"roles is not an array"};
      c.has_roles = true;
      for (const json::value& role : roles->get_array()) {
        if (role.is_string()) c.roles.emplace_back(role.get_string());
      }
    }
    if (const json::object* context = objectAt(o, kLti + "context")) {
      courses::LtiContext ctx;
      ctx.id = text(*context, "id");
      ctx.label = text(*context, "label");
      ctx.title = text(*context, "title");
      checkId(ctx.id, "context.id");
      c.context = ctx;
    }
    if (const json::object* presentation = objectAt(o, kLti + "launch_presentation")) {
      c.locale = text(*presentation, "locale");
    }
    if (const json::object* settings = objectAt(o, kDeepLinking + "deep_linking_settings")) {
      c.deep_link_return_url = text(*settings, "deep_link_return_url");
    }
    c.name = text(o, "name");
    if (c.name.empty()) {
      const std::string given = text(o, "given_name");
      const std::string family = text(o, "family_name");
      c.name = given.empty() ? family : family.empty() ? given : given + " " + family;
    }
    c.email = text(o, "email");
    if (!c.subject.empty()) checkId(c.subject, "sub");
    if (c.nonce.size() > 255) throw Unreadable{"nonce is longer than 255 characters"};
    return c;
  } catch (const Unreadable& unreadable) {
    return unreadable.why;
  } catch (const std::exception& e) {
    return std::string("the payload cannot be read: ") + e.what();
  }
}

}  // namespace plugin::lti
