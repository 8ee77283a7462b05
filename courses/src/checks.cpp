#include "checks.hpp"

#include <algorithm>

#include "courses/error.hpp"
#include "courses/text.hpp"

namespace courses::detail {

void checkText(Problems& problems, std::string& value, const std::string& field,
               std::size_t min_code_points, std::size_t max_code_points) {
  try {
    value = validateText(value, field, min_code_points, max_code_points);
  } catch (const Error& e) {
    problems.add(e);
  }
}

void checkLocalized(Problems& problems, LocalizedText& text, const std::string& field,
                    std::size_t max_code_points) {
  checkText(problems, text.kk, field + ".kk", 1, max_code_points);
  checkText(problems, text.ru, field + ".ru", 1, max_code_points);
  checkText(problems, text.en, field + ".en", 1, max_code_points);
}

void checkDates(Problems& problems, const Date& starts_on, const Date& ends_on) {
  const bool starts_ok = isValidDate(starts_on);
  const bool ends_ok = isValidDate(ends_on);
  if (!starts_ok) problems.add("starts_on", "must be a calendar date written YYYY-MM-DD");
  if (!ends_ok) problems.add("ends_on", "must be a calendar date written YYYY-MM-DD");
  // ISO dates compare correctly as text.
  if (starts_ok && ends_ok && ends_on < starts_on) {
    problems.add("ends_on", "must not be before starts_on");
  }
}

bool matchesPattern(std::string_view text, std::size_t min_length, std::size_t max_length,
                    bool (*allowed)(char)) {
  return text.size() >= min_length && text.size() <= max_length &&
         std::all_of(text.begin(), text.end(), allowed);
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

void checkLocalityExists(Repositories& repos, Problems& problems, Id locality_id,
                         const std::string& field) {
  if (locality_id > 0 && !repos.localities.find(locality_id)) {
    problems.add(field, "does not name a known locality");
  }
}

std::string checkedReason(std::string_view reason, std::string_view field) {
  constexpr std::size_t kMinReason = 3;
  constexpr std::size_t kMaxReason = 500;
  return validateText(reason, field, kMinReason, kMaxReason);
}

}  // namespace courses::detail
