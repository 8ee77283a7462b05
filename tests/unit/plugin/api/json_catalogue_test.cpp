#include "plugin/api/json_catalogue.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <optional>
#include <string>

#include "courses/labels.hpp"
#include "json_fixture.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using namespace json_fixture;

TEST(JsonProgramme, RoundTrip) {
  courses::Programme programme;
  programme.id = 3;
  programme.code = "LSG-EKZ";
  programme.title = {"Белсенді қатысу", "Активное участие", "Active participation"};
  programme.donor = "EU";
  programme.starts_on = "2017-02-01";
  programme.ends_on = "2020-01-31";
  const json::object wire = toJson(programme);
  EXPECT_EQ(wire.at("id").as_int64(), 3);
  const courses::Programme back = programmeFromJson(withoutMembers(wire, {"id"}));
  EXPECT_EQ(back.code, programme.code);
  EXPECT_EQ(back.title.kk, programme.title.kk);
  EXPECT_EQ(back.title.ru, programme.title.ru);
  EXPECT_EQ(back.title.en, programme.title.en);
  EXPECT_EQ(back.donor, programme.donor);
  EXPECT_EQ(back.starts_on, programme.starts_on);
  EXPECT_EQ(back.ends_on, programme.ends_on);
  EXPECT_TRUE(back.organisations.empty());
  EXPECT_TRUE(wire.at("organisations").as_array().empty());

  programme.organisations = {{"АРГО", "АРГО", "ARGO"}, {"ЖӨДО", "ЦРМС", "LSGDC"}};
  const courses::Programme with = programmeFromJson(withoutMembers(toJson(programme), {"id"}));
  ASSERT_EQ(with.organisations.size(), 2u);
  EXPECT_EQ(with.organisations[1].kk, "ЖӨДО");
  EXPECT_EQ(with.organisations[1].en, "LSGDC");
  EXPECT_TRUE(hasField(fieldProblems(R"({"code":"X","title":{"kk":"","ru":"","en":""},)"
                                     R"("donor":"EU","starts_on":"2017-02-01",)"
                                     R"("ends_on":"2020-01-31","organisations":[{"kk":"a"}]})",
                                     programmeFromJson),
                       "organisations[0].ru"));
}

TEST(JsonProgramme, YouthBandRoundTripsAndDefaults) {
  courses::Programme programme;
  programme.code = "LSG-EKZ";
  programme.starts_on = "2017-02-01";
  programme.ends_on = "2020-01-31";
  EXPECT_EQ(toJson(programme).at("youth"), json::value(json::object{{"from", 14}, {"to", 35}}));
  programme.youth = {16, 29};
  const courses::Programme back = programmeFromJson(withoutMembers(toJson(programme), {"id"}));
  EXPECT_EQ(back.youth, (courses::YouthBand{16, 29}));
  const courses::Programme without =
      programmeFromJson(withoutMembers(toJson(programme), {"id", "youth"}));
  EXPECT_EQ(without.youth, courses::YouthBand{});
  EXPECT_TRUE(hasField(fieldProblems(R"({"code":"X","title":{"kk":"","ru":"","en":""},)"
                                     R"("donor":"EU","starts_on":"2017-02-01",)"
                                     R"("ends_on":"2020-01-31","youth":{"from":14}})",
                                     programmeFromJson),
                       "youth.to"));
  EXPECT_THROW(programmeFromJson(parseJson(
                   R"({"code":"X","title":{"kk":"","ru":"","en":""},"donor":"EU",)"
                   R"("starts_on":"2017-02-01","ends_on":"2020-01-31","youth":[14,35]})")),
               RequestError);
}

TEST(JsonLocality, RoundTripWithNulls) {
  courses::Locality locality;
  locality.id = 9;
  locality.kind = courses::LocalityKind::rural_district;
  locality.name = {"Ізенді", "Изенды", "Izendi"};
  const json::object wire = toJson(locality);
  EXPECT_TRUE(wire.at("parent_id").is_null());
  EXPECT_TRUE(wire.at("kato").is_null());
  EXPECT_EQ(wire.at("kind").as_string(), "rural_district");
  const courses::Locality back = localityFromJson(withoutMembers(wire, {"id"}));
  EXPECT_FALSE(back.parent_id);
  EXPECT_FALSE(back.kato);
  EXPECT_EQ(back.kind, locality.kind);
  EXPECT_EQ(back.name.kk, locality.name.kk);

  locality.parent_id = 2;
  locality.kato = "354000000";
  const courses::Locality again = localityFromJson(withoutMembers(toJson(locality), {"id"}));
  EXPECT_EQ(again.parent_id, std::optional<courses::Id>(2));
  EXPECT_EQ(again.kato, std::optional<std::string>("354000000"));
}

TEST(JsonCourse, TheTrackIsNamedByTheService) {
  courses::Course course;
  course.track = "entrepreneurship";
  EXPECT_EQ(toJson(course).at("track_label").at("ru").as_string(), "Предпринимательство");
  EXPECT_EQ(toJson(course).at("track_label").at("kk").as_string(), "Кәсіпкерлік");
  // A track the service has no name for reads as the totals and exports write it.
  course.track = "womens_leadership";
  const courses::LocalizedText label = courses::trackLabel(course.track);
  EXPECT_EQ(toJson(course).at("track_label").at("en").as_string(), label.en);
  EXPECT_EQ(toJson(course).at("track_label").at("ru").as_string(), "womens leadership");
}

TEST(JsonCourse, RoundTripAndDefaults) {
  courses::Course course;
  course.id = 4;
  course.programme_id = 3;
  course.track = "study_visit";
  course.title = {"a", "b", "c"};
  course.hours = 40.5;
  course.rule = {100, true, true};
  course.gives_certificate = false;
  const courses::Course back =
      courseFromJson(withoutMembers(toJson(course), {"id", "track_label"}));
  EXPECT_EQ(back.programme_id, 3);
  EXPECT_EQ(back.track, "study_visit");
  EXPECT_DOUBLE_EQ(back.hours, 40.5);
  EXPECT_EQ(back.rule.min_attendance_percent, 100);
  EXPECT_TRUE(back.rule.excused_counts);
  EXPECT_TRUE(back.rule.require_all);
  EXPECT_FALSE(back.gives_certificate);

  const courses::Course minimal = courseFromJson(
      parseJson(R"({"programme_id":1,"track":"entrepreneurship","title":{"kk":"","ru":"","en":""},)"
                R"("hours":16,"rule":{"min_attendance_percent":80}})"));
  EXPECT_DOUBLE_EQ(minimal.hours, 16);
  EXPECT_FALSE(minimal.rule.excused_counts);
  EXPECT_FALSE(minimal.rule.require_all);
  EXPECT_TRUE(minimal.gives_certificate);

  course.hours = 24;
  EXPECT_EQ(json::serialize(toJson(course).at("hours")), "24");

  EXPECT_EQ(minimal.certificate_language, courses::CertificateLanguage::all);
  course.certificate_language = courses::CertificateLanguage::ru;
  EXPECT_EQ(toJson(course).at("certificate_language").as_string(), "ru");
  EXPECT_EQ(
      courseFromJson(withoutMembers(toJson(course), {"id", "track_label"})).certificate_language,
      courses::CertificateLanguage::ru);
  json::object wrong = toJson(course);
  wrong.erase("id");
  wrong.erase("track_label");
  wrong["certificate_language"] = "de";
  EXPECT_TRUE(
      hasField(fieldProblems(json::serialize(wrong), courseFromJson), "certificate_language"));
}

}  // namespace
}  // namespace plugin::api
