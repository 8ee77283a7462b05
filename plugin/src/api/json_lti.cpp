#include "plugin/api/json_lti.hpp"

#include <boost/json/array.hpp>

#include "json_reader.hpp"

namespace plugin::api {

namespace json = boost::json;
using json_reader::ObjectReader;
using json_reader::Problems;

courses::LtiPlatform ltiPlatformFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(
      body, "", problems,
      {"name", "issuer", "client_id", "auth_url", "token_url", "jwks_url", "deployment_ids"});
  courses::LtiPlatform platform;
  platform.name = reader.string("name");
  platform.issuer = reader.string("issuer");
  platform.client_id = reader.string("client_id");
  platform.auth_url = reader.string("auth_url");
  platform.token_url = reader.string("token_url");
  platform.jwks_url = reader.string("jwks_url");
  if (const json::value* ids = reader.nonNull("deployment_ids", true)) {
    const json::array& array = json_reader::readArray(*ids, "deployment_ids");
    for (std::size_t i = 0; i < array.size(); ++i) {
      platform.deployment_ids.push_back(
          json_reader::readString(array[i], "deployment_ids[" + std::to_string(i) + "]", problems));
    }
  }
  problems.throwIfAny();
  return platform;
}

bool ltiDisabledFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"disabled"});
  const bool disabled = reader.boolean("disabled", std::nullopt);
  problems.throwIfAny();
  return disabled;
}

json::object toJson(const courses::LtiPlatform& platform) {
  json::array deployments;
  for (const std::string& id : platform.deployment_ids) deployments.emplace_back(id);
  return json::object{{"id", platform.id},
                      {"name", platform.name},
                      {"issuer", platform.issuer},
                      {"client_id", platform.client_id},
                      {"auth_url", platform.auth_url},
                      {"token_url", platform.token_url},
                      {"jwks_url", platform.jwks_url},
                      {"deployment_ids", std::move(deployments)},
                      {"disabled", platform.disabled},
                      {"created_at", platform.created_at}};
}

json::object toJson(const std::vector<courses::LtiPlatform>& platforms) {
  json::array items;
  for (const auto& p : platforms) items.push_back(toJson(p));
  return json::object{{"items", std::move(items)}};
}

}  // namespace plugin::api
