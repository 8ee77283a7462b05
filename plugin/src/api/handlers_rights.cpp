// A person's data rights and a programme's retention (courses/data_rights_service.hpp), for
// administrators.
#include <optional>

#include "courses/error.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "person_record.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json_rights.hpp"
#include "plugin/http/router.hpp"

namespace plugin::api::handlers {

using http::beast_http::field;
using http::beast_http::status;

namespace {

/// The person's state as it is now, for a 412.
Versioned currentState(const Dependencies& deps, const courses::Actor& actor, courses::Id id) {
  const courses::DataRightsState state = deps.data_rights.state(actor, id);
  return Versioned{toJson(state), state.version};
}

std::optional<courses::Language> exportLanguage(const http::Context& context) {
  const std::string lang = queryText(context, "lang");
  if (lang.empty()) return std::nullopt;
  if (const auto language = courses::languageFromString(lang)) return language;
  throw courses::Error(courses::ErrorCode::invalid_argument,
                       "query parameter \"lang\" must be kk, ru or en",
                       {{"lang", "must be kk, ru or en"}});
}

}  // namespace

http::Response getDataRights(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::DataRightsState state = deps.data_rights.state(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(state), state.version);
}

http::Response exportParticipant(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const std::string format = queryText(context, "format");
  if (!format.empty() && format != "json" && format != "pdf") {
    throw courses::Error(courses::ErrorCode::invalid_argument,
                         "query parameter \"format\" must be json or pdf",
                         {{"format", "must be json or pdf"}});
  }
  const std::optional<courses::Language> language = exportLanguage(context);
  const courses::PersonExport data = deps.data_rights.exportPerson(actor, id, language);
  const std::string name =
      "person-" + std::to_string(id) + "-" + std::string(courses::toString(data.language));
  http::Response response =
      format == "pdf"
          ? textResponse(context, status::ok, "application/pdf", personRecordPdf(data, deps.fonts))
          : jsonResponse(context, status::ok, exportToJson(data, deps.public_base_url));
  response.set(field::content_disposition,
               "attachment; filename=\"" + name + (format == "pdf" ? ".pdf" : ".json") + "\"");
  response.set(field::cache_control, "private, no-store");
  return response;
}

http::Response eraseParticipant(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  // Who may erase is checked before the body or the version are looked at.
  deps.data_rights.state(actor, id);
  const std::string reason = erasureReasonFromJson(readBody(context));
  return editResponse(
      deps, context, courses::Entity::participant, id,
      [&](std::optional<int> version) {
        const courses::ErasureOutcome outcome = deps.data_rights.erase(actor, id, reason, version);
        return Versioned{toJson(outcome), outcome.state.version};
      },
      [&] { return currentState(deps, actor, id); });
}

http::Response withdrawConsent(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  deps.data_rights.state(actor, id);
  const std::optional<std::string> reason = consentReasonFromJson(readOptionalBody(context));
  return editResponse(
      deps, context, courses::Entity::participant, id,
      [&](std::optional<int> version) {
        const courses::DataRightsState state =
            deps.data_rights.withdrawConsent(actor, id, reason, version);
        return Versioned{toJson(state), state.version};
      },
      [&] { return currentState(deps, actor, id); });
}

http::Response getRetention(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::RetentionSetting setting = deps.data_rights.retention(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(setting), setting.version);
}

http::Response putRetention(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  deps.data_rights.retention(actor, id);
  const std::optional<int> years = retentionFromJson(readBody(context));
  return editResponse(
      deps, context, courses::Entity::programme, id,
      [&](std::optional<int> version) {
        const courses::RetentionSetting setting =
            deps.data_rights.setRetention(actor, id, years, version);
        return Versioned{toJson(setting), setting.version};
      },
      [&] {
        const courses::RetentionSetting setting = deps.data_rights.retention(actor, id);
        return Versioned{toJson(setting), setting.version};
      });
}

}  // namespace plugin::api::handlers
