// Placeholder: the totals facts on MariaDB are being written.
#include <stdexcept>

#include "repositories.hpp"

namespace courses::mariadb {

TotalsFacts SqlTotalsRepository::facts(const TotalsScope&) {
  throw std::logic_error("SqlTotalsRepository is not built yet");
}
std::vector<Target> SqlTotalsRepository::targets(Id) {
  throw std::logic_error("SqlTotalsRepository is not built yet");
}
std::vector<Target> SqlTotalsRepository::replaceTargets(Id, const std::vector<Target>&) {
  throw std::logic_error("SqlTotalsRepository is not built yet");
}

}  // namespace courses::mariadb
