#include "wording.hpp"

#include "certificates/content.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace certificates::wording {
namespace {

constexpr std::array<const char*, 12> kKazakhMonths = {"қаңтар",   "ақпан",  "наурыз", "сәуір",
                                                       "мамыр",    "маусым", "шілде",  "тамыз",
                                                       "қыркүйек", "қазан",  "қараша", "желтоқсан"};
// Russian dates put the month in the genitive: "15 марта".
constexpr std::array<const char*, 12> kRussianMonths = {"января",   "февраля", "марта",  "апреля",
                                                        "мая",      "июня",    "июля",   "августа",
                                                        "сентября", "октября", "ноября", "декабря"};
constexpr std::array<const char*, 12> kEnglishMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

bool leapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysIn(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::optional<int> digits(std::string_view text) {
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "24", "7.5" or "7,5": at most two decimals, trailing zeros dropped.
std::string number(double value, char decimal_point) {
  const long hundredths = std::lround(value * 100.0);
  std::string text = std::to_string(hundredths / 100);
  const long fraction = hundredths % 100;
  if (fraction != 0) {
    text += decimal_point;
    text += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) text += static_cast<char>('0' + fraction % 10);
  }
  return text;
}

const char* russianHours(double hours) {
  const long whole = std::lround(hours * 100.0);
  if (whole % 100 != 0) return "часа";  // "7,5 часа"
  const long n = whole / 100;
  if (n % 10 == 1 && n % 100 != 11) return "час";
  if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) return "часа";
  return "часов";
}

constexpr Labels kKazakh{"СЕРТИФИКАТ",
                         "Осы сертификат берілді",
                         "мына курсты аяқтағаны үшін",
                         "Өткізілген мерзімі",
                         "Өткізілген орны",
                         "Тренер",
                         "Тренерлер",
                         "Іске асырушы ұйым",
                         "Іске асырушы ұйымдар",
                         "Берген",
                         "Берілген күні",
                         "Тексеру",
                         "Тексеру коды"};
constexpr Labels kRussian{"СЕРТИФИКАТ",
                          "Настоящий сертификат выдан",
                          "за прохождение курса",
                          "Сроки проведения",
                          "Место проведения",
                          "Тренер",
                          "Тренеры",
                          "Реализующая организация",
                          "Реализующие организации",
                          "Выдал",
                          "Дата выдачи",
                          "Проверка",
                          "Код проверки"};
constexpr Labels kEnglish{"CERTIFICATE",
                          "This certificate is awarded to",
                          "for completing the course",
                          "Dates",
                          "Place",
                          "Trainer",
                          "Trainers",
                          "Implementing organisation",
                          "Implementing organisations",
                          "Issued by",
                          "Date of issue",
                          "Verify",
                          "Check code"};

}  // namespace

std::optional<Date> parseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = digits(text.substr(0, 4));
  const auto month = digits(text.substr(5, 2));
  const auto day = digits(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  if (*year < 1900 || *year > 2199 || *month < 1 || *month > 12) return std::nullopt;
  if (*day < 1 || *day > daysIn(*year, *month)) return std::nullopt;
  return Date{*year, *month, *day};
}

std::string formatDate(const Date& date, Language language) {
  const auto month = static_cast<std::size_t>(date.month - 1);
  const std::string day = std::to_string(date.day);
  const std::string year = std::to_string(date.year);
  switch (language) {
    case Language::kk:
      return year + " жылғы " + day + " " + kKazakhMonths[month];
    case Language::ru:
      return day + " " + kRussianMonths[month] + " " + year + " г.";
    case Language::en:
      break;
  }
  return day + " " + kEnglishMonths[month] + " " + year;
}

std::string formatPeriod(const Date& start, const Date& end, Language language) {
  if (start == end) return formatDate(start, language);
  return formatDate(start, language) + " – " + formatDate(end, language);
}

std::string formatHours(double hours, Language language) {
  switch (language) {
    case Language::kk:
      return "Көлемі: " + number(hours, ',') + " сағат";
    case Language::ru:
      return "Объём: " + number(hours, ',') + " " + russianHours(hours);
    case Language::en:
      break;
  }
  return "Duration: " + number(hours, '.') +
         (std::lround(hours * 100.0) == 100 ? " hour" : " hours");
}

std::string formatAttendance(int attended, int total, Language language) {
  const std::string a = std::to_string(attended);
  const std::string t = std::to_string(total);
  switch (language) {
    case Language::kk:
      return t + " сабақтан " + a + " сабаққа қатысты";
    case Language::ru:
      return "Посещено занятий: " + a + " из " + t;
    case Language::en:
      break;
  }
  return "Attended " + a + " of " + t + (total == 1 ? " session" : " sessions");
}

const Labels& labels(Language language) {
  switch (language) {
    case Language::kk:
      return kKazakh;
    case Language::ru:
      return kRussian;
    case Language::en:
      break;
  }
  return kEnglish;
}

}  // namespace certificates::wording

namespace certificates {

namespace {

wording::Language wordingLanguage(Layout language) {
  switch (language) {
    case Layout::kk:
      return wording::Language::kk;
    case Layout::ru:
      return wording::Language::ru;
    case Layout::en:
    case Layout::trilingual:
      break;
  }
  return wording::Language::en;
}

}  // namespace

std::string formatDate(std::string_view date, Layout language) {
  const auto parsed = wording::parseDate(date);
  return parsed ? wording::formatDate(*parsed, wordingLanguage(language)) : std::string(date);
}

std::string formatPeriod(std::string_view start, std::string_view end, Layout language) {
  const auto from = wording::parseDate(start);
  const auto to = wording::parseDate(end);
  if (!from || !to) return std::string(start) + " – " + std::string(end);
  return wording::formatPeriod(*from, *to, wordingLanguage(language));
}

}  // namespace certificates
