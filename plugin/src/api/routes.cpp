#include "plugin/api/routes.hpp"

#include <memory>

#include "handlers.hpp"
#include "plugin/api/errors.hpp"

namespace plugin::api {

namespace {

using HandlerFunction = http::Response (*)(const Dependencies&, http::Context&);

/// Runs `handler` and turns any exception into its problem+json answer (the one error table).
http::Handler guarded(std::function<http::Response(http::Context&)> handler) {
  return [handler = std::move(handler)](http::Context& context) {
    try {
      return handler(context);
    } catch (...) {
      return currentErrorResponse(context.request);
    }
  };
}

}  // namespace

void registerRoutes(http::Router& router, Dependencies deps) {
  using http::Execution;
  using verb = http::beast_http::verb;
  namespace h = handlers;
  const auto with = [deps](HandlerFunction handler) {
    return guarded([deps, handler](http::Context& context) { return handler(deps, context); });
  };
  const auto probe = std::make_shared<h::ReadinessProbe>(deps.health);

  // Accounts
  router.add(verb::post, "/api/v1/auth/login", with(h::login));
  router.add(verb::post, "/api/v1/auth/logout", with(h::logout));
  router.add(verb::get, "/api/v1/me", with(h::me));

  // Catalogue: programmes, localities, courses
  router.add(verb::get, "/api/v1/programmes", with(h::listProgrammes));
  router.add(verb::post, "/api/v1/programmes", with(h::createProgramme));
  router.add(verb::get, "/api/v1/programmes/{id}", with(h::getProgramme));
  router.add(verb::get, "/api/v1/localities", with(h::listLocalities));
  router.add(verb::post, "/api/v1/localities", with(h::createLocality));
  router.add(verb::get, "/api/v1/courses", with(h::listCourses));
  router.add(verb::post, "/api/v1/courses", with(h::createCourse));
  router.add(verb::get, "/api/v1/courses/{id}", with(h::getCourse));

  // Cohorts and their sessions
  router.add(verb::get, "/api/v1/cohorts", with(h::listCohorts));
  router.add(verb::post, "/api/v1/cohorts", with(h::createCohort));
  router.add(verb::get, "/api/v1/cohorts/{id}", with(h::getCohort));
  router.add(verb::get, "/api/v1/cohorts/{id}/sessions", with(h::listSessions));
  router.add(verb::post, "/api/v1/cohorts/{id}/sessions", with(h::createSession));

  // Participants and enrolments
  router.add(verb::get, "/api/v1/participants", with(h::searchParticipants));
  router.add(verb::post, "/api/v1/participants", with(h::registerParticipant));
  router.add(verb::get, "/api/v1/participants/{id}", with(h::getParticipant));
  router.add(verb::patch, "/api/v1/participants/{id}", with(h::patchParticipant));
  router.add(verb::get, "/api/v1/cohorts/{id}/enrolments", with(h::listEnrolments));
  router.add(verb::post, "/api/v1/cohorts/{id}/enrolments", with(h::enrol));

  // Attendance
  router.add(verb::get, "/api/v1/sessions/{id}/attendance", with(h::getSheet));
  router.add(verb::put, "/api/v1/sessions/{id}/attendance", with(h::putSheet));

  // Operations: probes, metrics, the API description
  router.add(verb::get, "/livez", guarded(h::livez), Execution::inline_io);
  router.add(verb::get, "/readyz",
             guarded([probe](http::Context& context) { return h::readyz(*probe, context); }));
  router.add(verb::get, "/metrics", with(h::metrics), Execution::inline_io);
  router.add(verb::get, "/api/v1/openapi.json", guarded(h::openApi), Execution::inline_io);
}

}  // namespace plugin::api
