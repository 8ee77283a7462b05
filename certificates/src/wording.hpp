#pragma once
// What a certificate says in Kazakh, Russian and English: labels, dates, hours, attendance
// (private to the library).

#include <optional>
#include <string>
#include <string_view>

namespace certificates::wording {

enum class Language { kk, ru, en };

/// A calendar date read from "YYYY-MM-DD".
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};

/// Parses a real calendar date "YYYY-MM-DD" (years 1900..2199); nullopt otherwise.
std::optional<Date> parseDate(std::string_view text);

/// kk "2019 жылғы 15 наурыз", ru "15 марта 2019 г.", en "15 March 2019".
std::string formatDate(const Date& date, Language language);
/// One date, or "<start> – <end>".
std::string formatPeriod(const Date& start, const Date& end, Language language);
/// kk "Көлемі: 24 сағат", ru "Объём: 24 часа", en "Duration: 24 hours".
std::string formatHours(double hours, Language language);
/// kk "8 сабақтан 7 сабаққа қатысты", ru "Посещено занятий: 7 из 8", en "Attended 7 of 8 sessions".
std::string formatAttendance(int attended, int total, Language language);

/// Fixed labels of the page.
struct Labels {
  const char* title;
  const char* intro;   ///< above the name
  const char* course;  ///< between the name and the course title
  const char* dates;
  const char* place;
  const char* trainer;
  const char* trainers;
  const char* organisation;
  const char* organisations;
  const char* issuer;
  const char* issued_on;
  const char* verify;
  const char* check_code;  ///< before the short code typed on the public check page
};
const Labels& labels(Language language);

}  // namespace certificates::wording
