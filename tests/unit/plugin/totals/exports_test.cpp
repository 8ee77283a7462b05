#include "plugin/totals/exports.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugin/cli/csv.hpp"
#include "support/tools.hpp"

// Exports of hand-made reports, read back the way a person's tools read them: the CSV with the
// project's own parser, the XLSX with unzip, the PDF with pdftotext and qpdf (subprocesses on
// files in a temporary directory). A PNG of the summary in each language is left in
// TOTALS_TEST_OUTPUT_DIR for a person to look at.

namespace plugin::totals {
namespace {

using support::Output;
using support::run;

namespace fs = std::filesystem;
using courses::Dimension;
using courses::Language;
using courses::Measure;

// U+202F NARROW NO-BREAK SPACE and U+00A0 NO-BREAK SPACE, written out.
#define NNBSP "\u202F"
#define NBSP "\u00A0"

constexpr std::uint16_t bit(Measure measure) {
  return static_cast<std::uint16_t>(1u << static_cast<unsigned>(measure));
}

/// What computeTotals hides in a cell of fewer than k people enrolled when the cell describes
/// people (no sessions there to hide).
constexpr std::uint16_t kWholePersonCell =
    bit(Measure::enrolled) | bit(Measure::reached) | bit(Measure::trained) |
    bit(Measure::trained_with_waiver) | bit(Measure::certified) | bit(Measure::participant_hours) |
    bit(Measure::attendance_rate);

courses::MeasureValues measures(long long enrolled, long long reached, long long trained,
                                long long waived, long long certified,
                                std::optional<long long> sessions, double hours,
                                long long attended_marks, long long marks,
                                std::uint16_t hidden = 0) {
  courses::MeasureValues v;
  v.enrolled = enrolled;
  v.reached = reached;
  v.trained = trained;
  v.trained_with_waiver = waived;
  v.certified = certified;
  v.sessions = sessions;
  v.participant_hours = hours;
  v.attended_marks = attended_marks;
  v.marks = marks;
  v.hidden = hidden;
  return v;
}

courses::TotalsCell cell(std::vector<std::string> keys, courses::MeasureValues values) {
  return {std::move(keys), values};
}

std::vector<courses::DimensionValue> genders() {
  return {{"female", {"Әйелдер", "Женщины", "Women"}, false},
          {"male", {"Ерлер", "Мужчины", "Men"}, false}};
}

std::vector<courses::DimensionValue> districts() {
  return {{"12", {"Нұра ауданы", "Нуринский район", "Nura district"}, false},
          {"21", {"Глубокое ауданы", "Глубоковский район", "Glubokoe district"}, false}};
}

courses::TotalsReport baseReport() {
  courses::TotalsReport r;
  r.query.programme_id = 1;
  r.query.period = {"2017-02-01", "2020-01-31"};
  r.query.suppress_below = 5;
  r.total = measures(1297, 1259, 1136, 12, 1031, 96, 10345.25, 1350, 1600);
  r.targets = {
      {{Measure::trained, "inclusive_planning", 60}, 60, 1.0},
      {{Measure::trained, std::nullopt, 150}, 118, 118.0 / 150.0},
  };
  return r;
}

/// Gender × district, k = 5: women in Glubokoe are fewer than 5 (the whole cell hidden), men in
/// Nura have 4 trained and 4 certified (those two hidden). Hidden values are zeroed, as
/// computeTotals leaves them.
courses::TotalsReport genderByDistrict() {
  courses::TotalsReport r = baseReport();
  r.query.by = {Dimension::gender, Dimension::district};
  r.values = {genders(), districts()};
  r.cells = {
      cell({"female", "12"}, measures(40, 38, 30, 2, 25, std::nullopt, 312.5, 280, 320)),
      cell({"female", "21"}, measures(0, 0, 0, 0, 0, std::nullopt, 0, 0, 0, kWholePersonCell)),
      cell({"male", "12"}, measures(20, 18, 0, 0, 0, std::nullopt, 150.25, 150, 200,
                                    bit(Measure::trained) | bit(Measure::certified))),
      cell({"male", "21"}, measures(1234, 1200, 1100, 10, 1000, std::nullopt, 9862.5, 902, 1056)),
  };
  r.margins = {
      {cell({"female"}, measures(43, 41, 32, 2, 27, std::nullopt, 332.5, 298, 344)),
       cell({"male"}, measures(1254, 1218, 1104, 10, 1004, std::nullopt, 10012.75, 1052, 1256))},
      {cell({"12"}, measures(60, 56, 34, 2, 29, std::nullopt, 462.75, 430, 520)),
       cell({"21"}, measures(1237, 1203, 1102, 10, 1002, std::nullopt, 9882.5, 920, 1080))},
  };
  return r;
}

/// By track alone, nobody hidden.
courses::TotalsReport byTrack() {
  courses::TotalsReport r = baseReport();
  r.query.by = {Dimension::track};
  r.values = {
      {{"inclusive_planning",
        {"Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning"},
        false},
       {"entrepreneurship", {"Кәсіпкерлік", "Предпринимательство", "Entrepreneurship"}, false},
       {"study_visit", {"Тағылымдама", "Учебный визит", "Study visit"}, false}}};
  r.margins = {{cell({"inclusive_planning"}, measures(70, 68, 60, 3, 58, 40, 1400, 500, 560)),
                cell({"entrepreneurship"}, measures(55, 54, 50, 0, 50, 30, 900, 300, 330)),
                cell({"study_visit"}, measures(8, 8, 8, 0, 8, 5, 320, 40, 40))}};
  r.overlapping = true;
  return r;
}

courses::TotalsReport byGender() {
  courses::TotalsReport r = baseReport();
  r.query.by = {Dimension::gender};
  r.values = {genders()};
  r.margins = {{cell({"female"}, measures(70, 66, 64, 2, 60, std::nullopt, 1600, 500, 560)),
                cell({"male"}, measures(60, 58, 54, 1, 50, std::nullopt, 1000, 380, 410))}};
  return r;
}

courses::TotalsReport byDistrict() {
  courses::TotalsReport r = baseReport();
  r.query.by = {Dimension::district};
  r.values = {districts()};
  r.margins = {{cell({"12"}, measures(100, 95, 90, 2, 85, std::nullopt, 2000, 700, 760)),
                cell({"21"}, measures(0, 0, 0, 0, 0, std::nullopt, 0, 0, 0, kWholePersonCell))}};
  return r;
}

ExportContext context(Language language) {
  ExportContext c;
  c.language = language;
  c.programme_title = language == Language::kk ? "Жергілікті мүдделі тараптардың белсенді қатысуы"
                      : language == Language::ru
                          ? "Активное участие местных заинтересованных сторон"
                          : "Active participation of local stakeholders";
  c.generated_at = "2026-11-27T21:00:05Z";
  return c;
}

const std::vector<std::string> kKazakhMeasures = {
    "Тіркелгендер",        "Қамтылғандар",
    "Оқытылғандар",        "Оның ішінде ерекше шешіммен",
    "Сертификат алғандар", "Өткізілген сабақтар",
    "Қатысушы-сағаттар",   "Қатысу деңгейі"};
const std::vector<std::string> kRussianMeasures = {
    "Зачислено",           "Охвачено",          "Обучено",       "В том числе по особому решению",
    "Получили сертификат", "Проведено занятий", "Человеко-часы", "Посещаемость"};
const std::vector<std::string> kEnglishMeasures = {"Enrolled",          "Reached",
                                                   "Trained",           "Of them with a waiver",
                                                   "Certified",         "Sessions delivered",
                                                   "Participant-hours", "Attendance rate"};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<Value> row(std::vector<Value> keys, std::vector<Value> measures) {
  keys.insert(keys.end(), measures.begin(), measures.end());
  return keys;
}

const Value kNone = std::monostate{};

// ---------------------------------------------------------------------------------------------
// formatCount and formatPercent

TEST(FormatCount, GroupsThousandsWithANarrowNoBreakSpaceInKazakhAndRussian) {
  EXPECT_EQ(formatCount(0, Language::kk), "0");
  EXPECT_EQ(formatCount(999, Language::kk), "999");
  EXPECT_EQ(formatCount(1234, Language::kk), "1" NNBSP "234");
  EXPECT_EQ(formatCount(1234567, Language::ru), "1" NNBSP "234" NNBSP "567");
  EXPECT_EQ(formatCount(100000, Language::ru), "100" NNBSP "000");
  EXPECT_EQ(formatCount(-1234, Language::kk), "-1" NNBSP "234");
}

TEST(FormatCount, GroupsThousandsWithACommaInEnglish) {
  EXPECT_EQ(formatCount(7, Language::en), "7");
  EXPECT_EQ(formatCount(1234, Language::en), "1,234");
  EXPECT_EQ(formatCount(1234567, Language::en), "1,234,567");
  EXPECT_EQ(formatCount(-999999, Language::en), "-999,999");
  EXPECT_EQ(formatCount(LLONG_MIN, Language::en), "-9,223,372,036,854,775,808");
}

TEST(FormatPercent, DecimalCommaAndANoBreakSpaceBeforeThePercentSignInKazakhAndRussian) {
  EXPECT_EQ(formatPercent(0.875, Language::kk), "87,5" NBSP "%");
  EXPECT_EQ(formatPercent(0.875, Language::ru), "87,5" NBSP "%");
  EXPECT_EQ(formatPercent(1.0, Language::ru), "100" NBSP "%");
  EXPECT_EQ(formatPercent(0.0, Language::kk), "0" NBSP "%");
  EXPECT_EQ(formatPercent(12.3125, Language::ru), "1" NNBSP "231,3" NBSP "%");
}

TEST(FormatPercent, DecimalPointAndNoSpaceInEnglish) {
  EXPECT_EQ(formatPercent(0.875, Language::en), "87.5%");
  EXPECT_EQ(formatPercent(118.0 / 150.0, Language::en), "78.7%");
  EXPECT_EQ(formatPercent(0.9996, Language::en), "100%");
  EXPECT_EQ(formatPercent(0.0004, Language::en), "0%");
  EXPECT_EQ(formatPercent(12.3125, Language::en), "1,231.3%");
}

// ---------------------------------------------------------------------------------------------
// tables

TEST(Tables, KazakhHeadersAndWords) {
  const std::vector<Table> t = tables(genderByDistrict(), context(Language::kk));
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].header, concat({"Жынысы", "Аудан"}, kKazakhMeasures));
  EXPECT_EQ(t[0].name, "Жынысы × Аудан");
  EXPECT_EQ(t[0].title,
            "Жергілікті мүдделі тараптардың белсенді қатысуы · Жынысы × Аудан бойынша жиынтық "
            "көрсеткіштер · Кезең: 2017 ж. 01 ақп. – 2020 ж. 31 қаң.");
  EXPECT_EQ(t[0].rows[0][0], Value(std::string("Әйелдер")));
  EXPECT_EQ(t[0].rows[0][1], Value(std::string("Нұра ауданы")));
  // Subtotals say "all" for the other dimension; the last row is the total.
  EXPECT_EQ(t[0].rows[4][1], Value(std::string("Барлығы")));
  EXPECT_EQ(t[0].rows.back()[0], Value(std::string("Жиыны")));
  EXPECT_EQ(t[0].notes, (std::vector<std::string>{
                            "Әр адам қанша сабаққа қатысса да, бір рет есептеледі.",
                            "Адамдардың белгілері бойынша жолдарда сабақтар саны көрсетілмейді.",
                            "Мәні 5 адамнан аз ұяшықтар жасырылған (<5 деп көрсетілген).",
                            "Жасалған уақыты: 2026-11-27T21:00:05Z"}));
  EXPECT_EQ(t[3].name, "Нысаналы көрсеткіштер");
  EXPECT_EQ(t[3].header, (std::vector<std::string>{"Көрсеткіш", "Бағыт", "Нысаналы мән",
                                                   "Нақты мән", "Орындалуы"}));
  EXPECT_EQ(t[3].rows[0][1], Value(std::string("Инклюзивті жоспарлау")));
  EXPECT_EQ(t[3].rows[1][1], Value(std::string("Бүкіл бағдарлама")));
}

TEST(Tables, RussianHeadersAndWords) {
  const std::vector<Table> t = tables(genderByDistrict(), context(Language::ru));
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].header, concat({"Пол", "Район"}, kRussianMeasures));
  EXPECT_EQ(t[0].title,
            "Активное участие местных заинтересованных сторон · Итоги в разрезе: Пол × Район · "
            "Период: 1 февр. 2017 г. – 31 янв. 2020 г.");
  EXPECT_EQ(t[0].rows[2][0], Value(std::string("Мужчины")));
  EXPECT_EQ(t[0].rows[6][0], Value(std::string("Все")));
  EXPECT_EQ(t[0].rows[6][1], Value(std::string("Нуринский район")));
  EXPECT_EQ(t[0].rows.back()[0], Value(std::string("Итого")));
  EXPECT_EQ(t[0].notes[2], "Значения меньше 5 человек скрыты (показаны как <5).");
  EXPECT_EQ(t[1].name, "Пол");
  EXPECT_EQ(t[2].name, "Район");
  EXPECT_EQ(t[3].header, (std::vector<std::string>{"Показатель", "Направление", "Целевое значение",
                                                   "Фактическое значение", "Выполнение"}));
  EXPECT_EQ(t[3].rows[1][1], Value(std::string("Вся программа")));
}

TEST(Tables, CrossedBreakdownIsPairsThenSubtotalsThenTheTotal) {
  const std::vector<Table> t = tables(genderByDistrict(), context(Language::en));
  ASSERT_EQ(t.size(), 4u);
  const Table& breakdown = t[0];
  EXPECT_EQ(breakdown.name, "Gender × District");
  EXPECT_EQ(breakdown.header, concat({"Gender", "District"}, kEnglishMeasures));
  EXPECT_EQ(breakdown.percent_columns, (std::vector<bool>{false, false, false, false, false, false,
                                                          false, false, false, true}));
  ASSERT_EQ(breakdown.rows.size(), 4u + 2u + 2u + 1u);
  EXPECT_EQ(breakdown.rows[0], row({std::string("Women"), std::string("Nura district")},
                                   {40LL, 38LL, 30LL, 2LL, 25LL, kNone, 312.5, 0.875}));
  // Fewer than k enrolled: every measure hidden (sessions do not apply to people).
  EXPECT_EQ(breakdown.rows[1], row({std::string("Women"), std::string("Glubokoe district")},
                                   {Hidden{5}, Hidden{5}, Hidden{5}, Hidden{5}, Hidden{5}, kNone,
                                    Hidden{5}, Hidden{5}}));
  // Only the small counts hidden.
  EXPECT_EQ(breakdown.rows[2], row({std::string("Men"), std::string("Nura district")},
                                   {20LL, 18LL, Hidden{5}, 0LL, Hidden{5}, kNone, 150.25, 0.75}));
  EXPECT_EQ(breakdown.rows[4], row({std::string("Women"), std::string("All")},
                                   {43LL, 41LL, 32LL, 2LL, 27LL, kNone, 332.5, 298.0 / 344.0}));
  EXPECT_EQ(breakdown.rows[7],
            row({std::string("All"), std::string("Glubokoe district")},
                {1237LL, 1203LL, 1102LL, 10LL, 1002LL, kNone, 9882.5, 920.0 / 1080.0}));
  EXPECT_EQ(breakdown.rows[8],
            row({std::string("Total"), kNone},
                {1297LL, 1259LL, 1136LL, 12LL, 1031LL, 96LL, 10345.25, 0.84375}));
  EXPECT_EQ(
      breakdown.notes,
      (std::vector<std::string>{"Each person is counted once, however many sessions they attended.",
                                "Sessions are not given in rows that describe people.",
                                "Values under 5 people are hidden (shown as <5).",
                                "Generated: 2026-11-27T21:00:05Z"}));

  // Each dimension on its own: its values, then the total.
  EXPECT_EQ(t[1].name, "Gender");
  EXPECT_EQ(t[1].title,
            "Active participation of local stakeholders · Totals by Gender · Period: 1 Feb 2017 – "
            "31 Jan 2020");
  EXPECT_EQ(t[1].header, concat({"Gender"}, kEnglishMeasures));
  ASSERT_EQ(t[1].rows.size(), 3u);
  EXPECT_EQ(t[1].rows[1][0], Value(std::string("Men")));
  EXPECT_EQ(t[1].rows[2][0], Value(std::string("Total")));
  EXPECT_EQ(t[2].name, "District");
  EXPECT_EQ(t[2].rows[0][0], Value(std::string("Nura district")));

  EXPECT_EQ(t[3].name, "Targets");
  EXPECT_EQ(t[3].header,
            (std::vector<std::string>{"Measure", "Track", "Target", "Actual", "Progress"}));
  EXPECT_EQ(t[3].percent_columns, (std::vector<bool>{false, false, false, false, true}));
  ASSERT_EQ(t[3].rows.size(), 2u);
  EXPECT_EQ(t[3].rows[0], (std::vector<Value>{std::string("Trained"),
                                              std::string("Inclusive planning"), 60LL, 60LL, 1.0}));
  EXPECT_EQ(t[3].rows[1],
            (std::vector<Value>{std::string("Trained"), std::string("Whole programme"), 150LL,
                                118LL, 118.0 / 150.0}));
}

TEST(Tables, OneDimensionIsOneTableOfItsValuesAndTheTotal) {
  courses::TotalsReport r = byTrack();
  r.query.track = "inclusive_planning";
  r.targets.clear();
  const std::vector<Table> t = tables(r, context(Language::en));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].name, "Track");
  EXPECT_EQ(t[0].title,
            "Active participation of local stakeholders · Totals by Track · Period: 1 Feb 2017 – "
            "31 Jan 2020 · Track: Inclusive planning");
  ASSERT_EQ(t[0].rows.size(), 4u);
  EXPECT_EQ(t[0].rows[0], row({std::string("Inclusive planning")},
                              {70LL, 68LL, 60LL, 3LL, 58LL, 40LL, 1400.0, 500.0 / 560.0}));
  EXPECT_EQ(t[0].rows[3][0], Value(std::string("Total")));
  // Someone trained in two tracks is in two rows: the note says rows need not add up.
  EXPECT_EQ(
      t[0].notes,
      (std::vector<std::string>{
          "Each person is counted once, however many sessions they attended.",
          "A person may be counted in several rows, so the rows need not add up to the "
          "total.",
          "Values under 5 people are hidden (shown as <5).", "Generated: 2026-11-27T21:00:05Z"}));
}

TEST(Tables, AHiddenCellOfWholeCohortsHidesItsSessionsToo) {
  courses::TotalsReport r = byTrack();
  r.targets.clear();
  r.values[0].push_back({"information_event",
                         {"Ақпараттық іс-шара", "Информационное мероприятие", "Information event"},
                         false});
  r.margins[0].push_back(
      cell({"information_event"},
           measures(0, 0, 0, 0, 0, 0, 0, 0, 0, kWholePersonCell | bit(Measure::sessions))));
  const std::vector<Table> t = tables(r, context(Language::ru));
  ASSERT_EQ(t.size(), 1u);
  ASSERT_EQ(t[0].rows.size(), 5u);
  EXPECT_EQ(t[0].rows[3], row({std::string("Информационное мероприятие")},
                              {Hidden{5}, Hidden{5}, Hidden{5}, Hidden{5}, Hidden{5}, Hidden{5},
                               Hidden{5}, Hidden{5}}));
  EXPECT_NE(
      toCsv(t[0], Language::ru).find("Информационное мероприятие;<5;<5;<5;<5;<5;<5;<5;<5\r\n"),
      std::string::npos);
}

TEST(Tables, NoDimensionIsTheTotalRowAloneAndNotesOnlyWhatApplies) {
  courses::TotalsReport r = baseReport();
  r.query.period = {std::nullopt, std::nullopt};
  r.total.marks = 0;
  r.total.attended_marks = 0;
  ExportContext c = context(Language::en);
  c.programme_title.clear();
  c.generated_at.clear();
  const std::vector<Table> t = tables(r, c);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].name, "Totals");
  EXPECT_EQ(t[0].title, "All programmes · Totals · Period: all time");
  EXPECT_EQ(t[0].header, kEnglishMeasures);
  ASSERT_EQ(t[0].rows.size(), 1u);
  // No marks: no attendance rate.
  EXPECT_EQ(t[0].rows[0],
            (std::vector<Value>{1297LL, 1259LL, 1136LL, 12LL, 1031LL, 96LL, 10345.25, kNone}));
  EXPECT_EQ(t[0].notes, (std::vector<std::string>{
                            "Each person is counted once, however many sessions they attended."}));
  EXPECT_EQ(t[1].name, "Targets");
}

TEST(Tables, VulnerableGroupsCarryTheOverlapNoteInEveryLanguage) {
  courses::TotalsReport r = baseReport();
  r.query.by = {Dimension::vulnerable_group};
  r.query.suppress_below = 0;
  r.targets.clear();
  r.values = {{{"disability", {"Мүгедектігі бар адамдар", "Люди с инвалидностью", "Disability"}},
               {"pensioner", {"Зейнеткерлер", "Пенсионеры", "Pensioner"}}}};
  r.margins = {{cell({"disability"}, measures(12, 12, 10, 0, 9, std::nullopt, 100, 90, 96)),
                cell({"pensioner"}, measures(30, 29, 25, 1, 22, std::nullopt, 250, 200, 240))}};
  r.overlapping = true;
  const auto notes = [&](Language language) {
    ExportContext c = context(language);
    c.generated_at.clear();
    return tables(r, c).at(0).notes;
  };
  EXPECT_EQ(notes(Language::en),
            (std::vector<std::string>{
                "Each person is counted once, however many sessions they attended.",
                "Vulnerable groups overlap: a person is counted in each of their groups, and the "
                "groups are not added up.",
                "A person may be counted in several rows, so the rows need not add up to the "
                "total.",
                "Sessions are not given in rows that describe people."}));
  EXPECT_EQ(notes(Language::ru),
            (std::vector<std::string>{
                "Каждый человек учитывается один раз, сколько бы занятий он ни посетил.",
                "Уязвимые группы пересекаются: человек учитывается в каждой своей группе, и "
                "группы не суммируются.",
                "Один человек может учитываться в нескольких строках, поэтому сумма строк может "
                "не совпадать с итогом.",
                "В строках по характеристикам людей число занятий не указывается."}));
  EXPECT_EQ(notes(Language::kk),
            (std::vector<std::string>{
                "Әр адам қанша сабаққа қатысса да, бір рет есептеледі.",
                "Осал топтар бір-бірімен қиылысады: адам өзі кіретін әр топта есептеледі, ал "
                "топтар өзара қосылмайды.",
                "Бір адам бірнеше жолда есептелуі мүмкін, сондықтан жолдардың қосындысы жиынына "
                "тең болмауы мүмкін.",
                "Адамдардың белгілері бойынша жолдарда сабақтар саны көрсетілмейді."}));
}

TEST(Tables, SheetNamesAreCutTo31CharactersAndUnique) {
  courses::TotalsReport r = baseReport();
  r.query.by = {Dimension::age_band, Dimension::settlement};
  r.values = {{}, {}};
  r.margins = {{}, {}};
  const std::vector<Table> t = tables(r, context(Language::ru));
  ASSERT_EQ(t.size(), 4u);
  // "Возрастная группа × Населённый пункт" is 36 characters.
  EXPECT_EQ(t[0].name, "Возрастная группа × Населённый");
  EXPECT_EQ(t[1].name, "Возрастная группа");
  EXPECT_EQ(t[2].name, "Населённый пункт");
  EXPECT_EQ(t[3].name, "Целевые показатели");
}

// ---------------------------------------------------------------------------------------------
// The period in words

TEST(Period, DatesAsTheWebAppWritesThem) {
  struct Case {
    const char* date;
    Language language;
    const char* text;
  };
  for (const Case& c : std::vector<Case>{{"2017-02-01", Language::kk, "2017 ж. 01 ақп."},
                                         {"2017-02-01", Language::ru, "1 февр. 2017 г."},
                                         {"2017-02-01", Language::en, "1 Feb 2017"},
                                         {"2020-05-31", Language::kk, "2020 ж. 31 мам."},
                                         {"2020-05-31", Language::ru, "31 мая 2020 г."},
                                         {"2019-09-10", Language::en, "10 Sept 2019"},
                                         {"2019-12-05", Language::ru, "5 дек. 2019 г."},
                                         {"not a date", Language::en, "not a date"},
                                         {"2019-13-01", Language::ru, "2019-13-01"}}) {
    EXPECT_EQ(formatDate(c.date, c.language), c.text) << c.date;
  }
}

TEST(Period, OpenEndsAreTheProgrammesOwnDatesAsOnTheDashboard) {
  const courses::Period programme{"2017-02-01", "2020-01-31"};
  const courses::Period none;
  struct Case {
    courses::Period period;
    courses::Period programme_dates;
    Language language;
    const char* text;
  };
  for (const Case& c : std::vector<Case>{
           {{"2018-01-01", "2018-12-31"}, programme, Language::en, "1 Jan 2018 – 31 Dec 2018"},
           {{"2018-01-01", std::nullopt}, programme, Language::en, "1 Jan 2018 – 31 Jan 2020"},
           {{std::nullopt, "2018-12-31"},
            programme,
            Language::ru,
            "1 февр. 2017 г. – 31 дек. 2018 г."},
           {{},
            programme,
            Language::kk,
            "бағдарламаның бүкіл мерзімі, 2017 ж. 01 ақп. – 2020 ж. 31 қаң."},
           {{}, programme, Language::ru, "весь срок программы, 1 февр. 2017 г. – 31 янв. 2020 г."},
           {{}, programme, Language::en, "the whole programme, 1 Feb 2017 – 31 Jan 2020"},
           {{"2018-01-01", std::nullopt}, none, Language::kk, "2018 ж. 01 қаң. – соңына дейін"},
           {{std::nullopt, "2018-12-31"}, none, Language::ru, "с начала – 31 дек. 2018 г."},
           {{}, none, Language::en, "all time"},
           {{}, none, Language::ru, "всё время"},
       }) {
    EXPECT_EQ(periodText(c.period, c.programme_dates, c.language), c.text) << c.text;
  }
}

TEST(Period, TablesAndThePdfNameTheWholeProgrammeWithItsDates) {
  courses::TotalsReport r = genderByDistrict();
  r.query.period = {};
  ExportContext c = context(Language::ru);
  c.programme_dates = {"2017-02-01", "2020-01-31"};
  EXPECT_EQ(tables(r, c).at(0).title,
            "Активное участие местных заинтересованных сторон · Итоги в разрезе: Пол × Район · "
            "Период: весь срок программы, 1 февр. 2017 г. – 31 янв. 2020 г.");
}

// ---------------------------------------------------------------------------------------------
// CSV

TEST(Csv, ByteOrderMarkCrlfAndKazakhHeader) {
  const std::string csv =
      toCsv(tables(genderByDistrict(), context(Language::kk)).at(0), Language::kk);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const std::string first_line = csv.substr(3, csv.find("\r\n") - 3);
  EXPECT_EQ(first_line,
            "Жынысы;Аудан;Тіркелгендер;Қамтылғандар;Оқытылғандар;Оның ішінде ерекше шешіммен;"
            "Сертификат алғандар;Өткізілген сабақтар;Қатысушы-сағаттар;Қатысу деңгейі");
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  // Every line break is CRLF.
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '\n') {
      EXPECT_EQ(csv[i - 1], '\r') << "at byte " << i;
    }
  }
}

TEST(Csv, TheWholeBreakdownExactly) {
  const std::string csv =
      toCsv(tables(genderByDistrict(), context(Language::en)).at(0), Language::en);
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF"
            "Gender,District,Enrolled,Reached,Trained,Of them with a waiver,Certified,Sessions "
            "delivered,Participant-hours,Attendance rate\r\n"
            "Women,Nura district,40,38,30,2,25,,312.5,87.5\r\n"
            "Women,Glubokoe district,<5,<5,<5,<5,<5,,<5,<5\r\n"
            "Men,Nura district,20,18,<5,0,<5,,150.25,75.0\r\n"
            "Men,Glubokoe district,1234,1200,1100,10,1000,,9862.5,85.4\r\n"
            "Women,All,43,41,32,2,27,,332.5,86.6\r\n"
            "Men,All,1254,1218,1104,10,1004,,10012.75,83.8\r\n"
            "All,Nura district,60,56,34,2,29,,462.75,82.7\r\n"
            "All,Glubokoe district,1237,1203,1102,10,1002,,9882.5,85.2\r\n"
            "Total,,1297,1259,1136,12,1031,96,10345.25,84.4\r\n");
}

TEST(Csv, TextThatLooksLikeAFormulaGetsAnApostropheButNegativeNumbersDoNot) {
  Table table;
  table.header = {"Name", "Value"};
  table.percent_columns = {false, false};
  table.rows = {{std::string("=SUM(A1)"), -5LL}, {std::string("+7 701 234 56 78"), -2.5},
                {std::string("@x"), 0LL},        {std::string("-x"), 1LL},
                {std::string("\tx"), 2LL},       {std::string("\rx"), 3LL},
                {std::string("a=b"), 4LL}};
  EXPECT_EQ(toCsv(table, Language::en),
            "\xEF\xBB\xBF"
            "Name,Value\r\n"
            "'=SUM(A1),-5\r\n"
            "'+7 701 234 56 78,-2.5\r\n"
            "'@x,0\r\n"
            "'-x,1\r\n"
            "'\tx,2\r\n"
            "\"'\rx\",3\r\n"
            "a=b,4\r\n");
}

TEST(Csv, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  Table table;
  table.header = {"Place, district", "Note"};
  table.rows = {{std::string("Nura, Karaganda"), std::string("say \"hi\"")},
                {std::string("line\nbreak"), std::string("plain")},
                {std::string("\"quoted\""), kNone}};
  EXPECT_EQ(toCsv(table, Language::en),
            "\xEF\xBB\xBF"
            "\"Place, district\",Note\r\n"
            "\"Nura, Karaganda\",\"say \"\"hi\"\"\"\r\n"
            "\"line\nbreak\",plain\r\n"
            "\"\"\"quoted\"\"\",\r\n");
}

TEST(Csv, NumbersHaveADecimalPointNoGroupingAndRatesArePercentages) {
  Table table;
  table.header = {"Count", "Hours", "Rate", "Hidden"};
  table.percent_columns = {false, false, true, false};
  table.rows = {{1234567LL, 1.0 / 3.0, 0.875, Hidden{5}},
                {0LL, 1234.5, 1.0, Hidden{10}},
                {kNone, 0.0, 0.0004, kNone}};
  EXPECT_EQ(toCsv(table, Language::en),
            "\xEF\xBB\xBF"
            "Count,Hours,Rate,Hidden\r\n"
            "1234567,0.33,87.5,<5\r\n"
            "0,1234.5,100.0,<10\r\n"
            ",0,0.0,\r\n");
}

TEST(Csv, KazakhAndRussianHaveSemicolonsAndDecimalCommas) {
  Table table;
  table.header = {"Аудан", "Сағат", "Деңгей"};
  table.percent_columns = {false, false, true};
  table.rows = {{std::string("Нұра; Қарағанды"), 312.5, 0.875},
                {std::string("Глубокое, ВКО"), -2.25, 1.0},
                {std::string("Барлығы"), 1234LL, Hidden{5}}};
  for (const Language language : {Language::kk, Language::ru}) {
    EXPECT_EQ(toCsv(table, language),
              "\xEF\xBB\xBF"
              "Аудан;Сағат;Деңгей\r\n"
              "\"Нұра; Қарағанды\";312,5;87,5\r\n"
              "\"Глубокое, ВКО\";-2,25;100,0\r\n"
              "Барлығы;1234;<5\r\n")
        << courses::toString(language);
  }
  // In English the same table has commas and decimal points; a ';' in text is still quoted, so
  // the file reads the same in a spreadsheet set to Russian.
  EXPECT_EQ(toCsv(table, Language::en),
            "\xEF\xBB\xBF"
            "Аудан,Сағат,Деңгей\r\n"
            "\"Нұра; Қарағанды\",312.5,87.5\r\n"
            "\"Глубокое, ВКО\",-2.25,100.0\r\n"
            "Барлығы,1234,<5\r\n");
}

TEST(Csv, ReadsBackWithTheSameNumbers) {
  const std::string csv =
      toCsv(tables(genderByDistrict(), context(Language::ru)).at(0), Language::ru);
  const std::vector<cli::CsvRecord> records = cli::parseCsv(csv, ';');
  ASSERT_EQ(records.size(), 10u);
  EXPECT_EQ(records[0].fields, concat({"Пол", "Район"}, kRussianMeasures));
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"Женщины", "Нуринский район", "40", "38",
                                                         "30", "2", "25", "", "312,5", "87,5"}));
  EXPECT_EQ(records[2].fields[2], "<5");
  EXPECT_EQ(records[3].fields[4], "<5");
  EXPECT_EQ(records[4].fields[2], "1234");
  EXPECT_EQ(std::stoll(records[4].fields[2]) + std::stoll(records[1].fields[2]), 1274);
  EXPECT_EQ(records[9].fields, (std::vector<std::string>{"Итого", "", "1297", "1259", "1136", "12",
                                                         "1031", "96", "10345,25", "84,4"}));
  std::string hours = records[9].fields[8];
  std::replace(hours.begin(), hours.end(), ',', '.');
  EXPECT_DOUBLE_EQ(std::stod(hours), 10345.25);
}

// ---------------------------------------------------------------------------------------------
// Files read by other tools

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("qatysu-totals-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& bytes, const std::string& name) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  fs::path dir_;
};

/// Sets TMPDIR for one scope.
class TmpdirOverride {
 public:
  explicit TmpdirOverride(const fs::path& dir) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    ::setenv("TMPDIR", dir.c_str(), 1);
  }
  ~TmpdirOverride() {
    if (old_) {
      ::setenv("TMPDIR", old_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
  }
  TmpdirOverride(const TmpdirOverride&) = delete;
  TmpdirOverride& operator=(const TmpdirOverride&) = delete;

 private:
  std::optional<std::string> old_;
};

std::size_t countEntries(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

using Xlsx = FileTest;

TEST_F(Xlsx, OneSheetPerTableWithKazakhTextAndNumbersAsNumbers) {
  const std::string bytes = toXlsx(tables(genderByDistrict(), context(Language::kk)));
  ASSERT_GE(bytes.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");
  const fs::path file = write(bytes, "totals.xlsx");

  const Output list = run("unzip -Z1 " + file.string());
  ASSERT_EQ(list.status, 0) << list.text;
  for (const char* sheet : {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                            "xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml"}) {
    EXPECT_NE(list.text.find(sheet), std::string::npos) << sheet;
  }
  EXPECT_EQ(list.text.find("xl/worksheets/sheet5.xml"), std::string::npos);

  const Output workbook = run("unzip -p " + file.string() + " xl/workbook.xml");
  EXPECT_NE(workbook.text.find("name=\"Жынысы × Аудан\""), std::string::npos) << workbook.text;
  EXPECT_NE(workbook.text.find("name=\"Нысаналы көрсеткіштер\""), std::string::npos);

  const Output strings = run("unzip -p " + file.string() + " xl/sharedStrings.xml");
  ASSERT_EQ(strings.status, 0);
  for (const char* text :
       {"Тіркелгендер", "Оның ішінде ерекше шешіммен", "Қатысу деңгейі", "Нұра ауданы", "Әйелдер",
        "Жиыны", "<5", "Мәні 5 адамнан аз ұяшықтар жасырылған (<5 деп көрсетілген).",
        "Жергілікті мүдделі тараптардың белсенді қатысуы · Жынысы × Аудан "
        "бойынша жиынтық көрсеткіштер · Кезең: 2017 ж. 01 ақп. – 2020 ж. 31 қаң."}) {
    std::string escaped;  // as XML writes it
    for (const char* c = text; *c != '\0'; ++c)
      escaped += *c == '<' ? std::string("&lt;") : std::string(1, *c);
    EXPECT_NE(strings.text.find(escaped), std::string::npos) << text;
  }

  const Output sheet1 = run("unzip -p " + file.string() + " xl/worksheets/sheet1.xml");
  ASSERT_EQ(sheet1.status, 0);
  for (const char* number : {"<v>40</v>", "<v>1234</v>", "<v>1297</v>", "<v>312.5</v>",
                             "<v>10345.25</v>", "<v>0.875</v>", "<v>0.84375</v>"}) {
    EXPECT_NE(sheet1.text.find(number), std::string::npos) << number;
  }
  // The header row (row 3) is frozen.
  EXPECT_NE(sheet1.text.find("ySplit=\"3\""), std::string::npos);
  EXPECT_NE(sheet1.text.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(sheet1.text.find("<cols>"), std::string::npos);

  const Output styles = run("unzip -p " + file.string() + " xl/styles.xml");
  EXPECT_NE(styles.text.find("formatCode=\"0.0%\""), std::string::npos);
  EXPECT_NE(styles.text.find("<b/>"), std::string::npos);
}

TEST_F(Xlsx, LeavesNoTemporaryFileBehindAndThrowsOnAnInvalidSheetName) {
  const fs::path tmp = dir_ / "tmp";
  fs::create_directories(tmp);
  const TmpdirOverride override_tmpdir(tmp);
  const std::string bytes = toXlsx(tables(byTrack(), context(Language::en)));
  EXPECT_EQ(bytes.substr(0, 2), "PK");
  EXPECT_EQ(countEntries(tmp), 0u);

  Table bad;
  bad.name = "bad[name]";
  bad.header = {"A"};
  EXPECT_THROW(toXlsx({bad}), std::runtime_error);
  EXPECT_EQ(countEntries(tmp), 0u);

  Table first;
  first.name = "Same";
  EXPECT_THROW(toXlsx({first, first}), std::runtime_error);
  EXPECT_EQ(countEntries(tmp), 0u);
}

using Pdf = FileTest;

std::string collapseSpaces(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const certificates::FontSet& fonts() {
  static const certificates::FontSet shared = certificates::FontSet::dejavu();
  return shared;
}

std::string summaryPdf(Language language) {
  return toPdf(genderByDistrict(), byTrack(), byGender(), byDistrict(), context(language), fonts());
}

TEST_F(Pdf, EnglishSummaryHoldsTheFiguresTargetsAndBars) {
  const std::string pdf = summaryPdf(Language::en);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  const fs::path file = write(pdf, "summary-en.pdf");
  const Output text = run("pdftotext -enc UTF-8 " + file.string() + " - 2>/dev/null");
  ASSERT_EQ(text.status, 0);
  const std::string words = collapseSpaces(text.text);
  for (const char* expected : {"Active participation of local stakeholders",
                               "Totals · Period: 1 Feb 2017 – 31 Jan 2020",
                               "Enrolled",
                               "1,297",
                               "Reached",
                               "1,259",
                               "Trained",
                               "1,136",
                               "Certified",
                               "1,031",
                               "Sessions delivered",
                               "96",
                               "Participant-hours",
                               "10,345",
                               "Attendance rate",
                               "84.4%",
                               "Trained: Inclusive planning",
                               "60 / 60 (100%)",
                               "Trained: Whole programme",
                               "118 / 150 (78.7%)",
                               "Trained by track",
                               "Inclusive planning",
                               "Entrepreneurship",
                               "Study visit",
                               "Trained by gender",
                               "Women",
                               "Men",
                               "Trained by district",
                               "Nura district",
                               "Glubokoe district",
                               "<5",
                               "Values under 5 people are hidden (shown as <5).",
                               "2026-11-27 21:00 UTC"}) {
    EXPECT_NE(words.find(expected), std::string::npos) << expected << "\n" << words;
  }
  const Output check = run("qpdf --check " + file.string() + " 2>&1");
  EXPECT_EQ(check.status, 0) << check.text;
}

TEST_F(Pdf, KazakhAndRussianSummariesSpeakTheirLanguage) {
  const fs::path kk = write(summaryPdf(Language::kk), "summary-kk.pdf");
  const std::string kk_text =
      collapseSpaces(run("pdftotext -enc UTF-8 " + kk.string() + " - 2>/dev/null").text);
  for (const char* expected :
       {"Жергілікті мүдделі тараптардың белсенді қатысуы", "Тіркелгендер", "Оқытылғандар",
        "Қатысу деңгейі", "Оқытылғандар: бағыттар бойынша", "Инклюзивті жоспарлау", "Тағылымдама",
        "Оқытылғандар: жынысы бойынша", "Әйелдер", "Оқытылғандар: аудандар бойынша", "Нұра ауданы",
        "Бүкіл бағдарлама", "Жасалған уақыты: 2026-11-27 21:00 UTC"}) {
    EXPECT_NE(kk_text.find(expected), std::string::npos) << expected << "\n" << kk_text;
  }
  EXPECT_EQ(run("qpdf --check " + kk.string() + " >/dev/null 2>&1").status, 0);

  const fs::path ru = write(summaryPdf(Language::ru), "summary-ru.pdf");
  const std::string ru_text =
      collapseSpaces(run("pdftotext -enc UTF-8 " + ru.string() + " - 2>/dev/null").text);
  for (const char* expected :
       {"Активное участие местных заинтересованных сторон", "Зачислено", "Обучено", "Посещаемость",
        "Обучено: по направлениям", "Предпринимательство", "Обучено: по полу", "Женщины",
        "Обучено: по районам", "Глубоковский район", "Вся программа",
        "Сформировано: 2026-11-27 21:00 UTC"}) {
    EXPECT_NE(ru_text.find(expected), std::string::npos) << expected << "\n" << ru_text;
  }
  EXPECT_EQ(run("qpdf --check " + ru.string() + " >/dev/null 2>&1").status, 0);
}

TEST_F(Pdf, ThePeriodIsNamedAsOnTheDashboard) {
  courses::TotalsReport report = genderByDistrict();
  report.query.period = {};
  ExportContext c = context(Language::ru);
  c.programme_dates = {"2017-02-01", "2020-01-31"};
  const fs::path file =
      write(toPdf(report, byTrack(), byGender(), byDistrict(), c, fonts()), "period-ru.pdf");
  const std::string text =
      collapseSpaces(run("pdftotext -enc UTF-8 " + file.string() + " - 2>/dev/null").text);
  EXPECT_NE(text.find("Период: " + periodText({}, c.programme_dates, Language::ru)),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Период: весь срок программы, 1 февр. 2017 г. – 31 янв. 2020 г."),
            std::string::npos)
      << text;
}

TEST_F(Pdf, MoreThanTwelveDistrictsFoldIntoOther) {
  courses::TotalsReport districts14 = byDistrict();
  districts14.values = {{}};
  districts14.margins = {{}};
  for (int i = 1; i <= 14; ++i) {
    const std::string key = std::to_string(100 + i);
    const std::string name = "District " + std::to_string(i);
    districts14.values[0].push_back({key, {name, name, name}, false});
    // District i trained 10 * i people, so districts 1..3 are the smallest.
    districts14.margins[0].push_back(
        cell({key}, measures(20 * i, 20 * i, 10 * i, 0, 10 * i, std::nullopt, 10, 10, 10)));
  }
  const fs::path file = write(
      toPdf(genderByDistrict(), byTrack(), byGender(), districts14, context(Language::en), fonts()),
      "summary-folded.pdf");
  const std::string words =
      collapseSpaces(run("pdftotext -enc UTF-8 " + file.string() + " - 2>/dev/null").text);
  EXPECT_NE(words.find("Other (3)"), std::string::npos) << words;
  EXPECT_NE(words.find("District 14"), std::string::npos) << words;
  EXPECT_NE(words.find("District 4"), std::string::npos) << words;
  EXPECT_EQ(words.find("District 3 "), std::string::npos) << words;
  EXPECT_EQ(words.find("District 1 "), std::string::npos) << words;
}

TEST_F(Pdf, WritesAPngOfEachLanguageForAPersonToLookAt) {
  const fs::path out = TOTALS_TEST_OUTPUT_DIR;
  for (const Language language : {Language::kk, Language::ru, Language::en}) {
    const std::string name =
        std::string("totals-summary-") + std::string(courses::toString(language));
    const fs::path pdf = write(summaryPdf(language), name + ".pdf");
    const fs::path png = out / name;
    const Output made = run("pdftoppm -png -r 60 -singlefile " + pdf.string() + " " + png.string());
    EXPECT_EQ(made.status, 0);
    EXPECT_TRUE(fs::is_regular_file(png.string() + ".png")) << png;
  }
}

}  // namespace
}  // namespace plugin::totals
