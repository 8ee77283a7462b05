// courses/services.hpp gathers every service's header: each service is usable through it alone.
#include "courses/services.hpp"

#include <gtest/gtest.h>

#include <type_traits>

namespace courses {
namespace {

TEST(ServicesHeader, NamesEveryService) {
  EXPECT_TRUE((std::is_constructible_v<CatalogueService, Repositories>));
  EXPECT_TRUE((std::is_constructible_v<CohortService, Repositories>));
  EXPECT_TRUE((std::is_constructible_v<ParticipantService, Repositories, const Clock&,
                                       const GlyphCoverage&>));
  EXPECT_TRUE((std::is_constructible_v<EnrolmentService, Repositories>));
  EXPECT_TRUE((std::is_constructible_v<AttendanceService, Repositories>));
  EXPECT_TRUE(
      (std::is_constructible_v<CertificateService, Repositories, CertificateMaker&, const Clock&>));
  EXPECT_TRUE((std::is_constructible_v<TotalsService, Repositories>));
  EXPECT_TRUE((std::is_constructible_v<ProfileService, Repositories>));
  EXPECT_TRUE((std::is_default_constructible_v<SystemClock>));
}

}  // namespace
}  // namespace courses
