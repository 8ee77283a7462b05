#pragma once
// Use cases of the domain, one service per header. Each takes the acting account and enforces who
// may do what: admin everything; trainer only cohorts they are assigned to; learner only their own
// records. Something an actor may not know exists is Error(not_found); something their role may
// never do is Error(forbidden). No transport or storage types here.
//
// This header only gathers the services' headers for callers that use several.

#include "courses/attendance_service.hpp"
#include "courses/catalogue_service.hpp"
#include "courses/certificate_maker.hpp"
#include "courses/certificate_service.hpp"
#include "courses/clock.hpp"
#include "courses/cohort_service.hpp"
#include "courses/enrolment_service.hpp"
#include "courses/glyph_coverage.hpp"
#include "courses/history_service.hpp"
#include "courses/merge.hpp"
#include "courses/participant_service.hpp"
#include "courses/profile_service.hpp"
#include "courses/totals_service.hpp"
