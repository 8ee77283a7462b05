#include "plugin/api/json_totals.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <optional>
#include <string>

#include "json_fixture.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using namespace json_fixture;

TEST(JsonTargets, ReadsEveryTargetAndNamesBadFields) {
  const auto targets = targetsFromJson(parseJson(
      R"({"targets":[{"measure":"trained","track":"inclusive_planning","value":60},)"
      R"({"measure":"reached","track":null,"value":200},{"measure":"certified","value":5}]})"));
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[0].measure, courses::Measure::trained);
  EXPECT_EQ(targets[0].track, std::optional<std::string>("inclusive_planning"));
  EXPECT_EQ(targets[0].value, 60);
  EXPECT_FALSE(targets[1].track.has_value());
  EXPECT_EQ(targets[2].measure, courses::Measure::certified);
  EXPECT_TRUE(targetsFromJson(parseJson(R"({"targets":[]})")).empty());

  EXPECT_TRUE(
      hasField(fieldProblems(R"({"targets":[{"measure":"smiles","value":1}]})", targetsFromJson),
               "targets[0].measure"));
  EXPECT_TRUE(
      hasField(fieldProblems(R"({"targets":[{"measure":"trained","value":0}]})", targetsFromJson),
               "targets[0].value"));
  EXPECT_TRUE(hasField(fieldProblems(R"({"targets":[{"measure":"trained"}]})", targetsFromJson),
                       "targets[0].value"));
  EXPECT_TRUE(hasField(fieldProblems(R"({})", targetsFromJson), "targets"));
  EXPECT_THROW(targetsFromJson(parseJson(R"({"targets":[{"measure":"trained","value":1,"x":1}]})")),
               RequestError);
  EXPECT_THROW(targetsFromJson(parseJson(R"({"targets":{}})")), RequestError);
}

TEST(JsonTotals, MeasuresHiddenOrNotApplicableAreNull) {
  courses::TotalsReport report;
  report.query.by = {courses::Dimension::gender};
  report.query.suppress_below = 5;
  report.total.enrolled = 12;
  report.total.trained = 7;
  report.total.sessions = 4;
  report.total.participant_hours = 10.5;
  report.total.attended_marks = 3;
  report.total.marks = 4;
  courses::TotalsCell women;
  women.keys = {"female"};
  women.values.enrolled = 3;
  women.values.hidden = 0xFFFF;
  report.values = {{{"female", {"Әйел", "Женщины", "Women"}, false}}};
  report.margins = {{women}};
  const json::object wire = totalsToJson(report, std::nullopt, {"a note"});
  EXPECT_TRUE(wire.at("programme").is_null());
  EXPECT_EQ(wire.at("suppressed_below").as_int64(), 5);
  EXPECT_EQ(wire.at("total").at("trained").as_int64(), 7);
  EXPECT_EQ(wire.at("total").at("sessions").as_int64(), 4);
  EXPECT_DOUBLE_EQ(wire.at("total").at("participant_hours").as_double(), 10.5);
  EXPECT_DOUBLE_EQ(wire.at("total").at("attendance_rate").as_double(), 0.75);
  EXPECT_TRUE(wire.at("total").at("hidden").as_array().empty());
  const json::value& cell = wire.at("margins").at(0).at(0);
  EXPECT_EQ(cell.at("keys"), json::value(json::array{"female"}));
  EXPECT_TRUE(cell.at("measures").at("enrolled").is_null());
  EXPECT_TRUE(cell.at("measures").at("sessions").is_null());
  EXPECT_EQ(cell.at("measures").at("hidden").as_array().size(), std::size(courses::kAllMeasures));
  EXPECT_EQ(wire.at("dimensions").at(0).at("values").at(0).at("label").at("en").as_string(),
            "Women");
  EXPECT_EQ(wire.at("notes"), json::value(json::array{"a note"}));
}

TEST(JsonTotals, ThePeriodInWordsIsTheExportsOwn) {
  courses::TotalsReport report;
  courses::Programme programme;
  programme.id = 1;
  programme.code = "LSG-EKZ";
  programme.starts_on = "2017-02-01";
  programme.ends_on = "2020-01-31";
  const json::object whole = totalsToJson(report, programme, {});
  EXPECT_EQ(whole.at("period_label"),
            json::value(json::object{
                {"kk", "бағдарламаның бүкіл мерзімі, 2017 ж. 01 ақп. – 2020 ж. 31 қаң."},
                {"ru", "весь срок программы, 1 февр. 2017 г. – 31 янв. 2020 г."},
                {"en", "the whole programme, 1 Feb 2017 – 31 Jan 2020"}}));
  report.query.period = {"2018-01-01", std::nullopt};
  const json::object part = totalsToJson(report, programme, {});
  EXPECT_EQ(part.at("period_label").at("en").as_string(), "1 Jan 2018 – 31 Jan 2020");
  EXPECT_EQ(totalsToJson(report, std::nullopt, {}).at("period_label").at("ru").as_string(),
            "1 янв. 2018 г. – до конца");
}

}  // namespace
}  // namespace plugin::api
