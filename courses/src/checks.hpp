#pragma once
// Private: the field checks several services make, each adding what is wrong to a Problems list
// so that a client learns about every bad field at once.

#include <cstddef>
#include <string>
#include <string_view>

#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "invalid.hpp"

namespace courses::detail {

/// Replaces `value` by its validated form (validateText), or adds why it is not valid.
void checkText(Problems& problems, std::string& value, const std::string& field,
               std::size_t min_code_points, std::size_t max_code_points);

/// checkText() of the kk, ru and en texts, each required, as "<field>.kk" and so on.
void checkLocalized(Problems& problems, LocalizedText& text, const std::string& field,
                    std::size_t max_code_points);

/// Both dates are calendar dates and the period does not end before it starts.
void checkDates(Problems& problems, const Date& starts_on, const Date& ends_on);

/// Whether `text` has a length from `min_length` to `max_length` and only `allowed` characters.
bool matchesPattern(std::string_view text, std::size_t min_length, std::size_t max_length,
                    bool (*allowed)(char));

bool isDigit(char c);

/// The validated text of why a correction is made (a revocation, a waiver, a withdrawal): 3 to
/// 500 characters (validateText), else Error(invalid_argument) on `field`.
std::string checkedReason(std::string_view reason, std::string_view field);

/// Adds a problem on `field` when `locality_id` (if set, i.e. above 0) names no locality.
void checkLocalityExists(Repositories& repos, Problems& problems, Id locality_id,
                         const std::string& field);

/// Whether `value` is one of the enumerators from `first` to `last` (a cast from a number may
/// give any value).
template <typename Enum>
bool inEnumRange(Enum value, Enum first, Enum last) noexcept {
  const auto v = static_cast<int>(value);
  return v >= static_cast<int>(first) && v <= static_cast<int>(last);
}

}  // namespace courses::detail
