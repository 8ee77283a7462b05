#include "courses/data_rights.hpp"

namespace courses {

int generalisedBirthYear(int birth_year) noexcept {
  return birth_year - birth_year % 10;
}

}  // namespace courses
