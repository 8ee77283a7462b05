#include "plugin/api/json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <iterator>
#include <limits>
#include <optional>
#include <string>

#include "courses/error.hpp"
#include "plugin/api/errors.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;

/// The 400 detail a reader throws for `text`, or "" when it throws something else or nothing.
template <typename Read>
std::string badRequestDetail(std::string_view text, Read read) {
  try {
    read(parseJson(text));
  } catch (const RequestError& error) {
    EXPECT_EQ(error.status(), http::beast_http::status::bad_request);
    EXPECT_EQ(error.slug(), "invalid-request");
    return error.what();
  } catch (...) {
  }
  return {};
}

/// The field problems (422) a reader throws for `text`.
template <typename Read>
std::vector<courses::FieldProblem> fieldProblems(std::string_view text, Read read) {
  try {
    read(parseJson(text));
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
    return error.fields();
  } catch (...) {
  }
  return {};
}

bool hasField(const std::vector<courses::FieldProblem>& problems, std::string_view field) {
  for (const auto& problem : problems) {
    if (problem.field == field) return true;
  }
  return false;
}

json::value withoutMembers(json::object object, std::initializer_list<std::string_view> keys) {
  for (const auto key : keys) object.erase(key);
  return object;
}

const auto kReadSession = [](const json::value& v) { return sessionFromJson(v, 7); };

TEST(JsonParse, RejectsMalformedDocuments) {
  EXPECT_THROW(parseJson(""), RequestError);
  EXPECT_THROW(parseJson("{"), RequestError);
  EXPECT_THROW(parseJson("{\"a\":1,}"), RequestError);   // trailing comma
  EXPECT_THROW(parseJson("{\"a\":1} x"), RequestError);  // trailing content
  EXPECT_THROW(parseJson("/* c */ {}"), RequestError);
  EXPECT_THROW(parseJson("  "), RequestError);
  EXPECT_THROW(parseJson("{} {}"), RequestError);
  EXPECT_NO_THROW(parseJson(" {\"a\": [1, 2.5, null, true]} "));
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonParse, RejectsDuplicateKeys) {
  try {
    parseJson(R"({"consent":false,"consent":true})");
    FAIL() << "duplicate accepted";
  } catch (const RequestError& error) {
    EXPECT_NE(std::string(error.what()).find("\"consent\""), std::string::npos) << error.what();
  }
  EXPECT_THROW(parseJson(R"({"a":{"b":1,"b":2}})"), RequestError);
  EXPECT_THROW(parseJson(R"([{"b":1},{"c":{"d":1,"d":1}}])"), RequestError);
  // The same key in sibling or nested objects is fine.
  const json::value ok = parseJson(R"({"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"\u0061"})");
  EXPECT_EQ(ok.at("b").at(1).at("a").as_int64(), 2);
  EXPECT_EQ(ok.at("c").as_string(), "a");
  // Escapes spell the same key differently: still a duplicate.
  EXPECT_THROW(parseJson(R"({"a":1,"\u0061":2})"), RequestError);
}

TEST(JsonParse, DepthLimitIs32) {
  EXPECT_NO_THROW(parseJson(nested(32)));
  try {
    parseJson(nested(33));
    FAIL() << "depth 33 accepted";
  } catch (const RequestError& error) {
    EXPECT_EQ(error.status(), http::beast_http::status::bad_request);
    EXPECT_NE(std::string(error.what()).find("32"), std::string::npos);
  }
}

TEST(JsonParse, RejectsInvalidUtf8) {
  EXPECT_THROW(parseJson("{\"full_name\":\"\xC0\xAF\"}"), RequestError);      // overlong
  EXPECT_THROW(parseJson("{\"full_name\":\"\xED\xA0\x80\"}"), RequestError);  // surrogate
  EXPECT_THROW(parseJson("{\"full_name\":\"\x80\"}"), RequestError);          // stray byte
  EXPECT_THROW(parseJson("{\"\xFF\":1}"), RequestError);                      // in a key
  EXPECT_NO_THROW(parseJson("{\"full_name\":\"Әлия Құнанбайқызы\"}"));
}

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

TEST(JsonCourse, RoundTripAndDefaults) {
  courses::Course course;
  course.id = 4;
  course.programme_id = 3;
  course.track = "study_visit";
  course.title = {"a", "b", "c"};
  course.hours = 40.5;
  course.rule = {100, true, true};
  course.gives_certificate = false;
  const courses::Course back = courseFromJson(withoutMembers(toJson(course), {"id"}));
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
  EXPECT_EQ(courseFromJson(withoutMembers(toJson(course), {"id"})).certificate_language,
            courses::CertificateLanguage::ru);
  json::object wrong = toJson(course);
  wrong.erase("id");
  wrong["certificate_language"] = "de";
  EXPECT_TRUE(
      hasField(fieldProblems(json::serialize(wrong), courseFromJson), "certificate_language"));
}

courses::Certificate sampleCertificate() {
  courses::Certificate c;
  c.id = 5;
  c.serial = "LSG-EKZ-IP-2019-000123";
  c.verification_token = "AbCdEfGhIjKlMnOpQrStUv";
  c.enrolment_id = 8;
  c.participant_id = 21;
  c.cohort_id = 3;
  c.course_id = 2;
  c.programme_id = 1;
  c.language = courses::CertificateLanguage::all;
  c.full_name = "Әлия Қасымова";
  c.track = "inclusive_planning";
  c.course_title = {"Жоспарлау", "Планирование", "Planning"};
  c.hours = 24;
  c.starts_on = "2019-04-02";
  c.ends_on = "2019-04-06";
  c.place = "Нұра";
  c.locality = {"Нұра", "Нура", "Nura"};
  c.sessions_attended = 7;
  c.sessions_total = 8;
  c.trainers = {"Дәурен Сейітов"};
  c.organisations = {{"АРГО", "АРГО", "ARGO"}};
  c.issuer = {"АРГО", "АРГО", "ARGO"};
  c.issued_by = 2;
  c.issued_at = "2019-04-07T10:00:00Z";
  c.signature = "c2lnbmF0dXJl";
  c.etag = "\"00112233445566778899aabbccddeeff\"";
  c.pdf_size = 24000;
  return c;
}

TEST(JsonCertificate, CarriesVerifyUrlAndQrPayloadButNoSecretsOnTheirOwn) {
  const json::object wire = certificateToJson(sampleCertificate(), "https://qatysu.example.kz");
  EXPECT_EQ(wire.at("verify_url").as_string(),
            "https://qatysu.example.kz/verify/LSG-EKZ-IP-2019-000123?t=AbCdEfGhIjKlMnOpQrStUv");
  const std::string qr(wire.at("qr_payload").as_string());
  EXPECT_EQ(qr.rfind(std::string(wire.at("verify_url").as_string()) + "#p=", 0), 0u);
  EXPECT_NE(qr.find("&s=c2lnbmF0dXJl"), std::string::npos);
  EXPECT_EQ(wire.at("pdf_url").as_string(), "/api/v1/certificates/5/pdf");
  EXPECT_EQ(wire.at("status").as_string(), "valid");
  EXPECT_EQ(wire.at("language").as_string(), "all");
  EXPECT_EQ(json::serialize(wire.at("hours")), "24");
  EXPECT_TRUE(wire.at("waiver_reason").is_null());
  EXPECT_TRUE(wire.at("revoked_at").is_null());
  EXPECT_EQ(wire.at("trainers").at(0).as_string(), "Дәурен Сейітов");
  EXPECT_EQ(wire.at("organisations").at(0).at("en").as_string(), "ARGO");
  EXPECT_FALSE(wire.contains("verification_token"));
  EXPECT_FALSE(wire.contains("signature"));
  EXPECT_FALSE(wire.contains("etag"));
  EXPECT_EQ(wire.size(), 31u);
}

TEST(JsonCertificate, VerificationSaysOnlyWhatThePublicMaySee) {
  courses::Certificate revoked = sampleCertificate();
  revoked.status = courses::CertificateStatus::revoked;
  revoked.revoked_at = "2020-01-01T00:00:00Z";
  revoked.revoked_reason = "issued by mistake";
  const json::object wire = verificationToJson(revoked);
  EXPECT_EQ(wire.size(), 8u);
  EXPECT_EQ(wire.at("status").as_string(), "revoked");
  EXPECT_EQ(wire.at("revoked_at").as_string(), "2020-01-01T00:00:00Z");
  EXPECT_FALSE(wire.contains("revoked_reason"));
  EXPECT_FALSE(wire.contains("participant_id"));
}

TEST(JsonCertificate, EligibilityIssueAndAudit) {
  courses::Eligibility row;
  row.enrolment.id = 8;
  row.enrolment.participant_id = 21;
  row.enrolment.participant_name = "Борис Ёлкин";
  row.result = {8, 5, 7, false};
  row.reason = "attended 5 of 8 sessions, needs 7";
  const json::object items = eligibilityToJson({row});
  const json::object& item = items.at("items").at(0).as_object();
  EXPECT_EQ(item.at("attended").as_int64(), 5);
  EXPECT_EQ(item.at("required").as_int64(), 7);
  EXPECT_FALSE(item.at("completed").as_bool());
  EXPECT_TRUE(item.at("certificate_id").is_null());

  courses::CertificateService::CohortIssue issue;
  issue.issued.push_back(sampleCertificate());
  issue.not_eligible.push_back(row);
  const json::object wire = cohortIssueToJson(issue, "http://127.0.0.1:8080");
  EXPECT_EQ(wire.at("issued").as_array().size(), 1u);
  EXPECT_TRUE(wire.at("already").as_array().empty());
  const json::object& refused = wire.at("not_eligible").at(0).as_object();
  EXPECT_EQ(refused.at("reason").as_string(), "attended 5 of 8 sessions, needs 7");
  EXPECT_EQ(refused.size(), 7u);

  const json::object audit = auditToJson(
      {{"issued_with_waiver", 1, "2019-04-07T10:00:00Z", std::string("was ill, did the work")}});
  EXPECT_EQ(audit.at("items").at(0).at("reason").as_string(), "was ill, did the work");
}

TEST(JsonCertificate, IssueRevokeCodeAndPasswordBodies) {
  EXPECT_FALSE(issueRequestFromJson(parseJson("{}"), false).language);
  EXPECT_EQ(issueRequestFromJson(parseJson(R"({"language":"en"})"), false).language,
            courses::CertificateLanguage::en);
  EXPECT_NE(badRequestDetail(R"({"waiver_reason":"x"})",
                             [](const json::value& v) { return issueRequestFromJson(v, false); }),
            "");
  const IssueRequest waived =
      issueRequestFromJson(parseJson(R"({"waiver_reason":"was ill"})"), true);
  EXPECT_EQ(waived.waiver_reason, std::optional<std::string>("was ill"));
  EXPECT_EQ(revokeReasonFromJson(parseJson(R"({"reason":"mistake"})")), "mistake");
  EXPECT_TRUE(hasField(fieldProblems("{}", revokeReasonFromJson), "reason"));
  EXPECT_EQ(accessCodeFromJson(parseJson(R"({"code":"ABCDE-FGHJK"})")).code, "ABCDE-FGHJK");
  const PasswordChange change =
      passwordChangeFromJson(parseJson(R"({"password":"p","current_password":null})"));
  EXPECT_FALSE(change.current_password);
}

TEST(JsonCohort, RoundTrip) {
  courses::Cohort cohort;
  cohort.id = 5;
  cohort.course_id = 4;
  cohort.locality_id = 9;
  cohort.place = "Нұра ауылы, мәдениет үйі";
  cohort.starts_on = "2018-04-02";
  cohort.ends_on = "2018-04-06";
  cohort.language = courses::Language::ru;
  cohort.trainer_ids = {11, 12};
  const courses::Cohort back = cohortFromJson(withoutMembers(toJson(cohort), {"id"}));
  EXPECT_EQ(back.course_id, 4);
  EXPECT_EQ(back.locality_id, 9);
  EXPECT_EQ(back.place, cohort.place);
  EXPECT_EQ(back.language, courses::Language::ru);
  EXPECT_EQ(back.trainer_ids, cohort.trainer_ids);
}

TEST(JsonSession, RoundTripTakesCohortFromPath) {
  courses::Session session{1, 5, "2018-04-02T09:00:00Z", 90, "Кіріспе"};
  const courses::Session back =
      sessionFromJson(withoutMembers(toJson(session), {"id", "cohort_id"}), 7);
  EXPECT_EQ(back.cohort_id, 7);
  EXPECT_EQ(back.starts_at, session.starts_at);
  EXPECT_EQ(back.duration_minutes, 90);
  EXPECT_EQ(back.topic, session.topic);
  EXPECT_NE(badRequestDetail(R"({"cohort_id":5,"starts_at":"x","duration_minutes":1,"topic":"t"})",
                             kReadSession)
                .find("cohort_id"),
            std::string::npos);
}

courses::Participant sampleParticipant() {
  courses::Participant person;
  person.id = 21;
  person.full_name = "Айгүл Серікқызы Өмірбекова";
  person.demographics.gender = courses::Gender::female;
  person.demographics.birth_year = 1984;
  person.demographics.locality_id = 9;
  person.demographics.affiliation = courses::Affiliation::civil_society;
  person.demographics.vulnerable =
      static_cast<courses::VulnerableSet>(courses::VulnerableGroup::disability) |
      static_cast<courses::VulnerableSet>(courses::VulnerableGroup::single_parent);
  person.email = "aigul@example.kz";
  person.consent = true;
  person.created_at = "2026-01-01T00:00:00Z";
  person.updated_at = "2026-01-02T00:00:00Z";
  return person;
}

TEST(JsonParticipant, RoundTrip) {
  const courses::Participant person = sampleParticipant();
  const json::object wire = toJson(person);
  EXPECT_EQ(json::serialize(wire.at("vulnerable")), R"(["disability","single_parent"])");
  EXPECT_TRUE(wire.at("phone").is_null());
  EXPECT_FALSE(wire.contains("created_by"));

  const auto registration =
      registrationFromJson(withoutMembers(wire, {"id", "created_at", "updated_at"}));
  const courses::Participant& back = registration.person;
  EXPECT_EQ(back.full_name, person.full_name);
  EXPECT_EQ(back.demographics.gender, courses::Gender::female);
  EXPECT_EQ(back.demographics.birth_year, 1984);
  EXPECT_EQ(back.demographics.locality_id, 9);
  EXPECT_EQ(back.demographics.affiliation, courses::Affiliation::civil_society);
  EXPECT_EQ(back.demographics.vulnerable, person.demographics.vulnerable);
  EXPECT_FALSE(back.phone);
  EXPECT_EQ(back.email, person.email);
  EXPECT_TRUE(back.consent);
  EXPECT_FALSE(registration.same_person);
  EXPECT_FALSE(registration.not_duplicate);
}

constexpr std::string_view kRegistration =
    R"({"full_name":"Ерлан","gender":"male","birth_year":1990,"locality_id":3,)"
    R"("affiliation":"entrepreneur","consent":true)";

std::string registration(std::string_view extra) {
  return std::string(kRegistration) + std::string(extra) + "}";
}

TEST(JsonParticipant, DuplicateAnswers) {
  const auto same = registrationFromJson(parseJson(registration(R"(,"same_person":12)")));
  EXPECT_EQ(same.same_person, std::optional<courses::Id>(12));
  const auto fresh = registrationFromJson(parseJson(registration(R"(,"not_duplicate":true)")));
  EXPECT_TRUE(fresh.not_duplicate);
  EXPECT_TRUE(hasField(fieldProblems(registration(R"(,"same_person":12,"not_duplicate":true)"),
                                     registrationFromJson),
                       "not_duplicate"));
}

TEST(JsonStrict, UnknownFieldIs400NamingIt) {
  EXPECT_NE(badRequestDetail(registration(R"(,"nickname":"x")"), registrationFromJson)
                .find("\"nickname\""),
            std::string::npos);
  EXPECT_NE(badRequestDetail(registration(R"(,"id":5)"), registrationFromJson).find("\"id\""),
            std::string::npos);
  const std::string nested_detail = badRequestDetail(
      R"({"code":"c","title":{"kk":"","ru":"","en":"","de":""},"donor":"d","starts_on":"s","ends_on":"e"})",
      programmeFromJson);
  EXPECT_NE(nested_detail.find("\"title.de\""), std::string::npos) << nested_detail;
}

TEST(JsonStrict, UnknownLongFieldNameIsCutInTheMessage) {
  const std::string detail =
      badRequestDetail("{\"" + std::string(3000, 'k') + "\":1}", enrolmentRequestFromJson);
  EXPECT_FALSE(detail.empty());
  EXPECT_LT(detail.size(), 200u);
}

TEST(JsonStrict, WrongTypeIs400NamingFieldAndType) {
  const std::string detail = badRequestDetail(
      R"({"full_name":"Ерлан","gender":"male","birth_year":"1990","locality_id":3,)"
      R"("affiliation":"entrepreneur","consent":true})",
      registrationFromJson);
  EXPECT_NE(detail.find("\"birth_year\""), std::string::npos) << detail;
  EXPECT_NE(detail.find("an integer"), std::string::npos) << detail;
  EXPECT_NE(badRequestDetail(registration(R"(,"vulnerable":"youth")"), registrationFromJson)
                .find("an array"),
            std::string::npos);
  EXPECT_NE(badRequestDetail(R"([1,2])", registrationFromJson).find("object"), std::string::npos);
  EXPECT_NE(badRequestDetail(R"({"participant_id":true})", enrolmentRequestFromJson)
                .find("participant_id"),
            std::string::npos);
}

TEST(JsonStrict, IntegersMustBeIntegers) {
  EXPECT_FALSE(badRequestDetail(R"({"participant_id":1.5})", enrolmentRequestFromJson).empty());
  EXPECT_FALSE(badRequestDetail(R"({"participant_id":1e10})", enrolmentRequestFromJson).empty());
  EXPECT_FALSE(badRequestDetail(R"({"participant_id":2.0})", enrolmentRequestFromJson).empty());
  EXPECT_EQ(enrolmentRequestFromJson(parseJson(R"({"participant_id":9007199254740992})")),
            9007199254740992);
}

TEST(JsonStrict, OutOfRangeIntegersAre422) {
  EXPECT_TRUE(hasField(fieldProblems(R"({"participant_id":0})", enrolmentRequestFromJson),
                       "participant_id"));
  EXPECT_TRUE(hasField(fieldProblems(R"({"participant_id":-4})", enrolmentRequestFromJson),
                       "participant_id"));
  EXPECT_TRUE(
      hasField(fieldProblems(R"({"participant_id":9007199254740993})", enrolmentRequestFromJson),
               "participant_id"));
  EXPECT_TRUE(hasField(
      fieldProblems(R"({"participant_id":18446744073709551615})", enrolmentRequestFromJson),
      "participant_id"));
  EXPECT_TRUE(
      hasField(fieldProblems(R"({"starts_at":"x","duration_minutes":10000000000,"topic":"t"})",
                             kReadSession),
               "duration_minutes"));
}

TEST(JsonStrict, MissingRequiredFieldsAre422ListingEach) {
  const auto problems = fieldProblems(R"({"full_name":"Ерлан"})", registrationFromJson);
  for (const char* field : {"gender", "birth_year", "locality_id", "affiliation", "consent"}) {
    EXPECT_TRUE(hasField(problems, field)) << field;
  }
  EXPECT_FALSE(hasField(problems, "full_name"));
  EXPECT_FALSE(hasField(problems, "phone"));  // optional
  EXPECT_TRUE(hasField(fieldProblems(R"({"code":"c","title":{"kk":""},"donor":"d",)"
                                     R"("starts_on":"s","ends_on":"e"})",
                                     programmeFromJson),
                       "title.ru"));
}

TEST(JsonStrict, UnknownEnumNamesAre422) {
  const auto problems =
      fieldProblems(registration(R"(,"vulnerable":["youth","giant"])"), registrationFromJson);
  ASSERT_TRUE(hasField(problems, "vulnerable[1]"));
  EXPECT_NE(problems[0].message.find("pensioner"), std::string::npos);
  EXPECT_TRUE(hasField(
      fieldProblems(R"({"full_name":"Ерлан","gender":"other","birth_year":1990,"locality_id":3,)"
                    R"("affiliation":"entrepreneur","consent":true})",
                    registrationFromJson),
      "gender"));
}

TEST(JsonStrict, StringsOver4096BytesAre422) {
  const std::string long_name(4097, 'a');
  EXPECT_TRUE(hasField(fieldProblems(R"({"full_name":")" + long_name +
                                         R"(","gender":"male","birth_year":1990,"locality_id":3,)"
                                         R"("affiliation":"entrepreneur","consent":true})",
                                     registrationFromJson),
                       "full_name"));
  const std::string fits(4096, 'a');
  EXPECT_NO_THROW(loginFromJson(parseJson(R"({"login":"a","password":")" + fits + "\"}")));
}

TEST(JsonPatch, NullClearsAndAbsentKeeps) {
  const auto patch = participantPatchFromJson(parseJson(R"({"phone":null,"birth_year":1991})"));
  ASSERT_TRUE(patch.phone.has_value());
  EXPECT_FALSE(patch.phone->has_value());
  EXPECT_FALSE(patch.email.has_value());
  EXPECT_EQ(patch.birth_year, std::optional<int>(1991));
  EXPECT_FALSE(patch.full_name.has_value());

  const auto set = participantPatchFromJson(
      parseJson(R"({"email":"a@b.kz","vulnerable":["youth"],"gender":"undisclosed"})"));
  EXPECT_EQ(set.email, std::optional<std::optional<std::string>>(std::string("a@b.kz")));
  EXPECT_EQ(set.vulnerable, static_cast<courses::VulnerableSet>(courses::VulnerableGroup::youth));
  EXPECT_EQ(set.gender, courses::Gender::undisclosed);

  EXPECT_TRUE(
      hasField(fieldProblems(R"({"full_name":null})", participantPatchFromJson), "full_name"));
  EXPECT_FALSE(badRequestDetail(R"({"same_person":3})", participantPatchFromJson).empty());
  EXPECT_NO_THROW(participantPatchFromJson(parseJson("{}")));
}

TEST(JsonAttendance, MarksAndFieldPaths) {
  const auto marks = marksFromJson(parseJson(
      R"({"marks":[{"enrolment_id":1,"status":"present"},{"enrolment_id":2,"status":"excused"}]})"));
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[1].enrolment_id, 2);
  EXPECT_EQ(marks[1].status, courses::AttendanceStatus::excused);

  EXPECT_TRUE(hasField(
      fieldProblems(
          R"({"marks":[{"enrolment_id":1,"status":"present"},{"enrolment_id":2,"status":"gone"}]})",
          marksFromJson),
      "marks[1].status"));
  EXPECT_NE(
      badRequestDetail(R"({"marks":[{"enrolment_id":1,"status":"late","note":""}]})", marksFromJson)
          .find("marks[0].note"),
      std::string::npos);
  EXPECT_TRUE(hasField(fieldProblems("{}", marksFromJson), "marks"));
  EXPECT_TRUE(marksFromJson(parseJson(R"({"marks":[]})")).empty());
}

TEST(JsonWrite, SheetRowsWithoutMarksHaveNulls) {
  courses::SheetRow marked{
      1, 21, "Айгүл",
      courses::AttendanceMark{1, courses::AttendanceStatus::late, 5, "2026-01-01T10:00:00Z"}};
  courses::SheetRow unmarked{2, 22, "Бауыржан", std::nullopt};
  const json::object sheet = sheetToJson(8, {marked, unmarked});
  EXPECT_EQ(sheet.at("session_id").as_int64(), 8);
  const json::array& rows = sheet.at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("status").as_string(), "late");
  EXPECT_EQ(rows[0].at("marked_by").as_int64(), 5);
  EXPECT_TRUE(rows[1].at("status").is_null());
  EXPECT_TRUE(rows[1].at("marked_by").is_null());
  EXPECT_TRUE(rows[1].at("marked_at").is_null());
}

TEST(JsonRead, SignInsChooseBearerOrCookieSessions) {
  EXPECT_FALSE(loginFromJson(parseJson(R"({"login":"a","password":"b"})")).cookie_session);
  EXPECT_TRUE(loginFromJson(parseJson(R"({"login":"a","password":"b","session":"cookie"})"))
                  .cookie_session);
  EXPECT_FALSE(loginFromJson(parseJson(R"({"login":"a","password":"b","session":"bearer"})"))
                   .cookie_session);
  EXPECT_TRUE(
      hasField(fieldProblems(R"({"login":"a","password":"b","session":"Cookie"})", loginFromJson),
               "session"));
  EXPECT_TRUE(hasField(
      fieldProblems(R"({"login":"a","password":"b","session":true})", loginFromJson), "session"));
  const CodeLoginRequest code =
      accessCodeFromJson(parseJson(R"({"code":"ABCDE-FGHJK","session":"cookie"})"));
  EXPECT_TRUE(code.cookie_session);
  EXPECT_EQ(code.code, "ABCDE-FGHJK");
}

TEST(JsonRead, LanguagesAreKkRuOrEn) {
  EXPECT_EQ(languageFromJson(parseJson(R"({"language":"kk"})")), courses::Language::kk);
  EXPECT_EQ(languageFromJson(parseJson(R"({"language":"ru"})")), courses::Language::ru);
  EXPECT_EQ(languageFromJson(parseJson(R"({"language":"en"})")), courses::Language::en);
  for (const char* bad : {R"({"language":"de"})", R"({"language":"KK"})", R"({"language":""})",
                          R"({"language":null})", R"({"language":7})", "{}"}) {
    EXPECT_TRUE(hasField(fieldProblems(bad, languageFromJson), "language")) << bad;
  }
  EXPECT_NE(badRequestDetail(R"({"language":"kk","theme":"dark"})", languageFromJson), "");
}

TEST(JsonRead, StaffAccountsAndTheirEdits) {
  const StaffAccount account = staffAccountFromJson(parseJson(
      R"({"login":"aliya","display_name":"Әлия","role":"admin","password":"0123456789"})"));
  EXPECT_EQ(account.login, "aliya");
  EXPECT_EQ(account.role, courses::Role::admin);
  EXPECT_TRUE(
      hasField(fieldProblems(R"({"login":"x","display_name":"X","role":"learner","password":"p"})",
                             staffAccountFromJson),
               "role"));
  const auto missing = fieldProblems("{}", staffAccountFromJson);
  for (const char* field : {"login", "display_name", "role", "password"}) {
    EXPECT_TRUE(hasField(missing, field)) << field;
  }
  const AccountEdit edit =
      accountEditFromJson(parseJson(R"({"disabled":true,"display_name":null})"));
  EXPECT_EQ(edit.disabled, std::optional<bool>(true));
  EXPECT_FALSE(edit.display_name);
  EXPECT_FALSE(edit.password);
  EXPECT_NE(badRequestDetail(R"({"role":"admin"})", accountEditFromJson), "");
}

TEST(JsonWrite, PagesAccountsAndProfiles) {
  courses::Page<courses::Participant> page;
  page.items.push_back(sampleParticipant());
  EXPECT_TRUE(pageToJson(page).at("next_after").is_null());
  page.next_after = 21;
  EXPECT_EQ(pageToJson(page).at("next_after").as_int64(), 21);
  EXPECT_EQ(pageToJson(page).at("items").as_array().size(), 1u);

  courses::Account account;
  account.id = 2;
  account.login = "learner";
  account.role = courses::Role::learner;
  account.display_name = "Дәурен Сейітов";
  const json::object wire = toJson(account);
  EXPECT_EQ(wire.size(), 6u);
  EXPECT_EQ(wire.at("role").as_string(), "learner");
  EXPECT_FALSE(wire.at("disabled").as_bool());
  EXPECT_TRUE(wire.at("language").is_null());
  EXPECT_FALSE(wire.contains("participant_id"));
  account.participant_id = 21;
  account.language = courses::Language::kk;
  EXPECT_EQ(toJson(account).at("participant_id").as_int64(), 21);
  EXPECT_EQ(toJson(account).at("language").as_string(), "kk");
  account.participant_id.reset();
  account.language.reset();
  EXPECT_EQ(wire.at("display_name").as_string(), "Дәурен Сейітов");

  courses::Profile profile{account, std::nullopt, {}};
  EXPECT_TRUE(toJson(profile).at("participant").is_null());
  courses::Enrolment enrolment;
  enrolment.id = 1;
  enrolment.snapshot = sampleParticipant().demographics;
  profile.participant = sampleParticipant();
  profile.enrolments.push_back(enrolment);
  const json::object full = toJson(profile);
  EXPECT_EQ(full.at("participant").at("id").as_int64(), 21);
  EXPECT_EQ(full.at("enrolments").at(0).at("snapshot").at("birth_year").as_int64(), 1984);
}

TEST(JsonText, WritesDecimalsAsPeopleDoAndEverythingElseAsBoostDoes) {
  const json::value value = json::object{{"rate", 0.823},
                                         {"hours", 24.0},
                                         {"half", 3290.5},
                                         {"tiny", 0.0001},
                                         {"huge", 1e22},
                                         {"count", 106},
                                         {"negative", -2.5},
                                         {"none", nullptr},
                                         {"yes", true},
                                         {"name", "Әлия \"Q\"\n"},
                                         {"list", json::array{1.5, json::object{{"x", 0.1}}}}};
  EXPECT_EQ(toJsonText(value),
            R"({"rate":0.823,"hours":24,"half":3290.5,"tiny":0.0001,"huge":1e+22,"count":106,)"
            R"("negative":-2.5,"none":null,"yes":true,"name":"Әлия \"Q\"\n",)"
            R"("list":[1.5,{"x":0.1}]})");
}

TEST(JsonText, ReadsBackAsTheSameNumbers) {
  const json::value value = json::array{0.1 + 0.2, 1.0 / 3.0, 123456789.125, -0.0, 5e-324};
  const json::value back = parseJson(toJsonText(value));
  ASSERT_EQ(back.as_array().size(), 5U);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(back.as_array()[i].to_number<double>(), value.as_array()[i].as_double()) << i;
  }
}

TEST(JsonText, WritesNullForANumberJsonCannotHold) {
  EXPECT_EQ(toJsonText(json::array{std::numeric_limits<double>::quiet_NaN(),
                                   std::numeric_limits<double>::infinity()}),
            "[null,null]");
}

}  // namespace
}  // namespace plugin::api
