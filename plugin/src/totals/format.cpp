// How totals are written for people: counts and percentages in each language (exports.hpp), and
// the documents' own words (words.hpp), kept together so every export says the same.
#include <array>
#include <cmath>
#include <cstdlib>

#include "plugin/totals/exports.hpp"
#include "words.hpp"

namespace plugin::totals {
namespace {

// U+202F NARROW NO-BREAK SPACE groups thousands in Kazakh and Russian (CLDR); U+00A0 NO-BREAK
// SPACE keeps a number and its percent sign on one line.
constexpr std::string_view kNarrowNoBreakSpace = "\u202F";
constexpr std::string_view kNoBreakSpace = "\u00A0";

std::string grouped(unsigned long long value, std::string_view separator) {
  std::string digits = std::to_string(value);
  std::string out;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) {
    out += separator;
    out.append(digits, i, 3);
  }
  return out;
}

std::string_view separatorOf(courses::Language language) {
  return language == courses::Language::en ? std::string_view(",") : kNarrowNoBreakSpace;
}

}  // namespace

std::string formatCount(long long value, courses::Language language) {
  // The magnitude as unsigned so the most negative value has one too.
  const unsigned long long magnitude = value < 0 ? 0ULL - static_cast<unsigned long long>(value)
                                                 : static_cast<unsigned long long>(value);
  return (value < 0 ? "-" : "") + grouped(magnitude, separatorOf(language));
}

std::string formatPercent(double share, courses::Language language) {
  if (!std::isfinite(share)) return "–";
  // Tenths of a percent, with a trailing ",0" dropped: "87,5 %", "100 %".
  const long long tenths = std::llround(share * 1000.0);
  const unsigned long long magnitude = tenths < 0 ? 0ULL - static_cast<unsigned long long>(tenths)
                                                  : static_cast<unsigned long long>(tenths);
  std::string text = (tenths < 0 ? "-" : "") + grouped(magnitude / 10, separatorOf(language));
  if (magnitude % 10 != 0) {
    text += language == courses::Language::en ? '.' : ',';
    text += static_cast<char>('0' + magnitude % 10);
  }
  if (language == courses::Language::en) return text + "%";
  return text + std::string(kNoBreakSpace) + "%";
}

std::string formatDate(std::string_view date, courses::Language language) {
  // CLDR's medium date patterns and abbreviated month names (Russian in the genitive), the ones
  // the web app's Intl writes (and writes by hand for Kazakh): the dashboard and the documents
  // name a date alike.
  static constexpr std::array<std::string_view, 12> kKazakh = {"қаң.", "ақп.", "нау.", "сәу.",
                                                               "мам.", "мау.", "шіл.", "там.",
                                                               "қыр.", "қаз.", "қар.", "жел."};
  static constexpr std::array<std::string_view, 12> kRussian = {"янв.",  "февр.", "мар.",  "апр.",
                                                                "мая",   "июн.",  "июл.",  "авг.",
                                                                "сент.", "окт.",  "нояб.", "дек."};
  static constexpr std::array<std::string_view, 12> kEnglish = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"};
  const auto digits = [&](std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (date[i] < '0' || date[i] > '9') return -1;
      value = value * 10 + (date[i] - '0');
    }
    return value;
  };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::string(date);
  const int month = digits(5, 2);
  const int day = digits(8, 2);
  if (digits(0, 4) < 0 || month < 1 || month > 12 || day < 1 || day > 31) return std::string(date);
  const std::string year(date.substr(0, 4));
  const auto m = static_cast<std::size_t>(month - 1);
  switch (language) {
    case courses::Language::kk:
      return year + " ж. " + std::string(date.substr(8, 2)) + " " + std::string(kKazakh[m]);
    case courses::Language::ru:
      return std::to_string(day) + " " + std::string(kRussian[m]) + " " + year + " г.";
    case courses::Language::en:
      break;
  }
  return std::to_string(day) + " " + std::string(kEnglish[m]) + " " + year;
}

std::string periodText(const courses::Period& period, const courses::Period& programme_dates,
                       courses::Language language) {
  const words::Words& w = words::of(language);
  const auto end = [&](const std::optional<courses::Date>& asked,
                       const std::optional<courses::Date>& programme, const char* open) {
    if (asked) return formatDate(*asked, language);
    if (programme) return formatDate(*programme, language);
    return std::string(open);
  };
  // An en dash between the ends: no grammar to agree with.
  const std::string dates = end(period.from, programme_dates.from, w.open_start) + " – " +
                            end(period.to, programme_dates.to, w.open_end);
  if (period.from || period.to) return dates;
  if (!programme_dates.from && !programme_dates.to) return w.all_time;
  return words::fill(w.whole_period, dates);
}

std::string_view pick(const courses::LocalizedText& text, courses::Language language) {
  using courses::Language;
  const std::array<std::string_view, 3> order =
      language == Language::ru   ? std::array<std::string_view, 3>{text.ru, text.kk, text.en}
      : language == Language::en ? std::array<std::string_view, 3>{text.en, text.ru, text.kk}
                                 : std::array<std::string_view, 3>{text.kk, text.ru, text.en};
  for (const auto candidate : order) {
    if (!candidate.empty()) return candidate;
  }
  return {};
}

}  // namespace plugin::totals

namespace plugin::totals::words {

namespace {

// A session is "сабақ" in Kazakh and "занятие" in Russian, as on the certificates; measures and
// dimensions are named by courses::label, and these words agree with it.
constexpr Words kKazakh = {
    .total = "Жиыны",
    .all = "Барлығы",
    .all_programmes = "Барлық бағдарламалар",
    .totals = "Жиынтық көрсеткіштер",
    .totals_by = "%s бойынша жиынтық көрсеткіштер",
    .targets = "Нысаналы көрсеткіштер",
    .measure = "Көрсеткіш",
    .whole_programme = "Бүкіл бағдарлама",
    .target = "Нысаналы мән",
    .actual = "Нақты мән",
    .progress = "Орындалуы",
    .period = "Кезең",
    .all_time = "барлық уақыт",
    .whole_period = "бағдарламаның бүкіл мерзімі, %s",
    .open_start = "басынан",
    .open_end = "соңына дейін",
    .distinct_people = "Әр адам қанша сабаққа қатысса да, бір рет есептеледі.",
    .vulnerable_overlap =
        "Осал топтар бір-бірімен қиылысады: адам өзі кіретін әр топта "
        "есептеледі, ал топтар өзара қосылмайды.",
    .rows_overlap =
        "Бір адам бірнеше жолда есептелуі мүмкін, сондықтан жолдардың қосындысы "
        "жиынына тең болмауы мүмкін.",
    .bars_overlap =
        "Бір адам диаграмманың бірнеше бағанында есептелуі мүмкін, сондықтан "
        "бағандардың қосындысы жиынына тең болмауы мүмкін.",
    .sessions_not_given = "Адамдардың белгілері бойынша жолдарда сабақтар саны көрсетілмейді.",
    .hidden_under = "Мәні %s адамнан аз ұяшықтар жасырылған (<%s деп көрсетілген).",
    .generated = "Жасалған уақыты: %s",
    .other = "Басқалары",
    .trained_by_track = "Оқытылғандар: бағыттар бойынша",
    .trained_by_gender = "Оқытылғандар: жынысы бойынша",
    .trained_by_district = "Оқытылғандар: аудандар бойынша",
};

constexpr Words kRussian = {
    .total = "Итого",
    .all = "Все",
    .all_programmes = "Все программы",
    .totals = "Итоги",
    .totals_by = "Итоги в разрезе: %s",
    .targets = "Целевые показатели",
    .measure = "Показатель",
    .whole_programme = "Вся программа",
    .target = "Целевое значение",
    .actual = "Фактическое значение",
    .progress = "Выполнение",
    .period = "Период",
    .all_time = "всё время",
    .whole_period = "весь срок программы, %s",
    .open_start = "с начала",
    .open_end = "до конца",
    .distinct_people = "Каждый человек учитывается один раз, сколько бы занятий он ни посетил.",
    .vulnerable_overlap =
        "Уязвимые группы пересекаются: человек учитывается в каждой своей "
        "группе, и группы не суммируются.",
    .rows_overlap =
        "Один человек может учитываться в нескольких строках, поэтому сумма строк "
        "может не совпадать с итогом.",
    .bars_overlap =
        "Один человек может учитываться в нескольких столбцах диаграммы, поэтому "
        "сумма столбцов может не совпадать с итогом.",
    .sessions_not_given = "В строках по характеристикам людей число занятий не указывается.",
    .hidden_under = "Значения меньше %s человек скрыты (показаны как <%s).",
    .generated = "Сформировано: %s",
    .other = "Прочие",
    .trained_by_track = "Обучено: по направлениям",
    .trained_by_gender = "Обучено: по полу",
    .trained_by_district = "Обучено: по районам",
};

constexpr Words kEnglish = {
    .total = "Total",
    .all = "All",
    .all_programmes = "All programmes",
    .totals = "Totals",
    .totals_by = "Totals by %s",
    .targets = "Targets",
    .measure = "Measure",
    .whole_programme = "Whole programme",
    .target = "Target",
    .actual = "Actual",
    .progress = "Progress",
    .period = "Period",
    .all_time = "all time",
    .whole_period = "the whole programme, %s",
    .open_start = "the start",
    .open_end = "the end",
    .distinct_people = "Each person is counted once, however many sessions they attended.",
    .vulnerable_overlap =
        "Vulnerable groups overlap: a person is counted in each of their groups, "
        "and the groups are not added up.",
    .rows_overlap =
        "A person may be counted in several rows, so the rows need not add up to the total.",
    .bars_overlap =
        "A person may be counted in several bars, so the bars need not add up to the total.",
    .sessions_not_given = "Sessions are not given in rows that describe people.",
    .hidden_under = "Values under %s people are hidden (shown as <%s).",
    .generated = "Generated: %s",
    .other = "Other",
    .trained_by_track = "Trained by track",
    .trained_by_gender = "Trained by gender",
    .trained_by_district = "Trained by district",
};

}  // namespace

const Words& of(courses::Language language) {
  switch (language) {
    case courses::Language::kk:
      return kKazakh;
    case courses::Language::ru:
      return kRussian;
    case courses::Language::en:
      break;
  }
  return kEnglish;
}

std::string fill(std::string_view pattern, std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == 's') {
      out += text;
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

std::string hidden(int below) {
  return "<" + std::to_string(below);
}

std::vector<std::string> notes(const courses::TotalsReport& report,
                               const std::vector<courses::Dimension>& dimensions,
                               courses::Language language) {
  const Words& w = of(language);
  std::vector<std::string> out{w.distinct_people};
  if (dimensions.empty()) return out;
  bool vulnerable = false;
  bool person = false;
  for (const courses::Dimension dimension : dimensions) {
    vulnerable = vulnerable || dimension == courses::Dimension::vulnerable_group;
    person = person || courses::describesPerson(dimension);
  }
  if (vulnerable) out.emplace_back(w.vulnerable_overlap);
  if (report.overlapping) out.emplace_back(w.rows_overlap);
  if (person) out.emplace_back(w.sessions_not_given);
  if (report.query.suppress_below > 0) {
    out.push_back(fill(w.hidden_under, std::to_string(report.query.suppress_below)));
  }
  return out;
}

}  // namespace plugin::totals::words
