#include "plugin/http/problem.hpp"

#include <boost/json/serialize.hpp>
#include <string>

namespace plugin::http {

Response problem(beast_http::status status, std::string_view slug, std::string_view title,
                 std::string_view detail, boost::json::object extra, unsigned version,
                 bool keep_alive) {
  boost::json::object body;
  body["type"] = "https://qatysu.kz/problems/" + std::string{slug};
  body["title"] = title;
  body["status"] = static_cast<unsigned>(status);
  body["detail"] = detail;
  // The standard members stay authoritative: `extra` only adds members such as "errors".
  for (auto& member : extra) {
    if (!body.contains(member.key())) body.emplace(member.key(), std::move(member.value()));
  }

  Response response{status, version};
  response.set(beast_http::field::content_type, "application/problem+json");
  response.keep_alive(keep_alive);
  response.body() = boost::json::serialize(body);
  response.prepare_payload();
  return response;
}

}  // namespace plugin::http
