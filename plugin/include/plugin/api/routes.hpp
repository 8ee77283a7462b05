#pragma once
// The routing table: every route of the service, registered in one function read top to bottom.

#include "courses/repositories.hpp"
#include "courses/services.hpp"
#include "plugin/api/auth.hpp"
#include "plugin/http/metrics.hpp"
#include "plugin/http/router.hpp"

namespace plugin::api {

/// What the handlers need; built by the composition root (plugin/src/app).
struct Dependencies {
  courses::CatalogueService& catalogue;
  courses::CohortService& cohorts;
  courses::ParticipantService& participants;
  courses::EnrolmentService& enrolments;
  courses::AttendanceService& attendance;
  courses::ProfileService& profiles;
  Auth& auth;
  courses::StorageHealth& health;
  http::Metrics& metrics;
};

/// Adds every route of the service to `router`.
void registerRoutes(http::Router& router, Dependencies deps);

}  // namespace plugin::api
