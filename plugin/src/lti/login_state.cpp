#include "plugin/lti/login_state.hpp"

#include <boost/json.hpp>

namespace plugin::lti {

namespace json = boost::json;

std::string sealState(const courses::Sealer& sealer, const LoginState& state) {
  const json::object object{{"kind", "login"},             {"p", state.platform_id},     {"n", state.nonce},
                            {"k", state.key},             {"b", state.browser_digest},
                            {"t", state.storage_target},  {"o", state.storage_origin},
                            {"l", state.locale},          {"e", state.expires_at}};
  return sealer.seal(json::serialize(object));
}

std::optional<LoginState> openState(const courses::Sealer& sealer, std::string_view sealed,
                                    long long now) {
  if (sealed.empty() || sealed.size() > 4096) return std::nullopt;
  const auto plain = sealer.open(sealed);
  if (!plain) return std::nullopt;
  try {
    const json::object object = json::parse(*plain).as_object();
    if (object.at("kind").as_string() != "login") return std::nullopt;
    LoginState state;
    state.platform_id = object.at("p").to_number<courses::Id>();
    state.nonce = std::string(object.at("n").as_string());
    state.key = std::string(object.at("k").as_string());
    state.browser_digest = std::string(object.at("b").as_string());
    state.storage_target = std::string(object.at("t").as_string());
    state.storage_origin = std::string(object.at("o").as_string());
    state.locale = std::string(object.at("l").as_string());
    state.expires_at = object.at("e").to_number<long long>();
    if (now > state.expires_at) return std::nullopt;
    return state;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string sealTicket(const courses::Sealer& sealer, const ContextTicket& ticket) {
  const json::object object{{"kind", "context"},        {"p", ticket.platform_id},
                            {"c", ticket.context_id},   {"l", ticket.label},
                            {"t", ticket.title},        {"a", ticket.account_id},
                            {"e", ticket.expires_at}};
  return sealer.seal(json::serialize(object));
}

std::optional<ContextTicket> openTicket(const courses::Sealer& sealer, std::string_view sealed,
                                        long long now) {
  if (sealed.empty() || sealed.size() > 4096) return std::nullopt;
  const auto plain = sealer.open(sealed);
  if (!plain) return std::nullopt;
  try {
    const json::object object = json::parse(*plain).as_object();
    if (object.at("kind").as_string() != "context") return std::nullopt;
    ContextTicket ticket;
    ticket.platform_id = object.at("p").to_number<courses::Id>();
    ticket.context_id = std::string(object.at("c").as_string());
    ticket.label = std::string(object.at("l").as_string());
    ticket.title = std::string(object.at("t").as_string());
    ticket.account_id = object.at("a").to_number<courses::Id>();
    ticket.expires_at = object.at("e").to_number<long long>();
    if (now > ticket.expires_at) return std::nullopt;
    return ticket;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace plugin::lti
