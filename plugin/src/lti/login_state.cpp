#include "plugin/lti/login_state.hpp"

#include <boost/json.hpp>

namespace plugin::lti {

namespace json = boost::json;

namespace {

/// The JSON object sealed in `sealed` when it is one of `kind` and unexpired at `now` (member
/// "e"); what it holds is read by `read`, whose throw means "not one".
template <class Read>
auto openSealed(const courses::Sealer& sealer, std::string_view sealed, std::string_view kind,
                long long now, Read read) -> std::optional<decltype(read(json::object{}))> {
  if (sealed.empty() || sealed.size() > 4096) return std::nullopt;
  const auto plain = sealer.open(sealed);
  if (!plain) return std::nullopt;
  try {
    const json::object object = json::parse(*plain).as_object();
    if (object.at("kind").as_string() != kind) return std::nullopt;
    if (now > object.at("e").to_number<long long>()) return std::nullopt;
    return read(object);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string text(const json::object& object, std::string_view name) {
  return std::string(object.at(name).as_string());
}

}  // namespace

std::string sealState(const courses::Sealer& sealer, const LoginState& state) {
  const json::object object{{"kind", "login"},             {"p", state.platform_id},     {"n", state.nonce},
                            {"k", state.key},             {"b", state.browser_digest},
                            {"t", state.storage_target},  {"o", state.storage_origin},
                            {"l", state.locale},          {"e", state.expires_at}};
  return sealer.seal(json::serialize(object));
}

std::optional<LoginState> openState(const courses::Sealer& sealer, std::string_view sealed,
                                    long long now) {
  return openSealed(sealer, sealed, "login", now, [](const json::object& object) {
    LoginState state;
    state.platform_id = object.at("p").to_number<courses::Id>();
    state.nonce = text(object, "n");
    state.key = text(object, "k");
    state.browser_digest = text(object, "b");
    state.storage_target = text(object, "t");
    state.storage_origin = text(object, "o");
    state.locale = text(object, "l");
    state.expires_at = object.at("e").to_number<long long>();
    return state;
  });
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
  return openSealed(sealer, sealed, "context", now, [](const json::object& object) {
    ContextTicket ticket;
    ticket.platform_id = object.at("p").to_number<courses::Id>();
    ticket.context_id = text(object, "c");
    ticket.label = text(object, "l");
    ticket.title = text(object, "t");
    ticket.account_id = object.at("a").to_number<courses::Id>();
    ticket.expires_at = object.at("e").to_number<long long>();
    return ticket;
  });
}

}  // namespace plugin::lti
