// Placeholder: TotalsService is being written.
#include <stdexcept>

#include "courses/services.hpp"

namespace courses {

TotalsReport TotalsService::totals(const Actor&, const TotalsQuery&) {
  throw std::logic_error("TotalsService is not built yet");
}
std::vector<Target> TotalsService::targets(const Actor&, Id) {
  throw std::logic_error("TotalsService is not built yet");
}
std::vector<Target> TotalsService::setTargets(const Actor&, Id, std::vector<Target>) {
  throw std::logic_error("TotalsService is not built yet");
}

}  // namespace courses
