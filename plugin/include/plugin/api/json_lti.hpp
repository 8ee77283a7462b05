#pragma once
// JSON mapping of LTI platforms (courses/lti.hpp).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <vector>

#include "courses/lti.hpp"

namespace plugin::api {

/// POST /lti/platforms: {name, issuer, client_id, auth_url, token_url, jwks_url, deployment_ids}.
courses::LtiPlatform ltiPlatformFromJson(const boost::json::value& body);
/// PATCH /lti/platforms/{id}: {"disabled": true|false} (required).
bool ltiDisabledFromJson(const boost::json::value& body);

boost::json::object toJson(const courses::LtiPlatform& platform);
boost::json::object toJson(const std::vector<courses::LtiPlatform>& platforms);

}  // namespace plugin::api
