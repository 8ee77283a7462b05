#pragma once
// JSON mapping shared by every resource.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "courses/model.hpp"

namespace plugin::api {

boost::json::object toJson(const courses::LocalizedText& text);

}  // namespace plugin::api
