// The totals routes over in-memory repositories: the JSON's shape and numbers on a small
// hand-made programme, strict query parsing, who may see what, targets, and the exports.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "courses/totals.hpp"
#include "routes_fixture.hpp"

namespace plugin::api {
namespace {

using http::beast_http::field;

/// LSG-EKZ with two courses and two trainers, each running one cohort; sessions last 90 minutes.
///   cohort A (trainer1, inclusive_planning, 2019-04-02 and 2019-04-03, 80% rule):
///     Aigerim (female, 1991) present at both -> trained; Boris (male, 1980) absent at both;
///     Dana (female, 2000) present at the first only -> reached, not trained.
///   cohort B (trainer2, entrepreneurship, 2019-05-10, 80% rule):
///     Aigerim present -> trained again (one person in two tracks); Erlan (male, 1970) present.
struct World {
  std::string admin, trainer1, trainer2;
  std::string programme;
  std::string cohort_a, cohort_b;
  std::string aigerim;
};

class TotalsRoutesTest : public RoutesTest {
 protected:
  World world() {
    World w;
    w.admin = adminToken();
    w.trainer1 = tokenFor("trainer1", courses::Role::trainer);
    w.trainer2 = tokenFor("trainer2", courses::Role::trainer);
    w.programme =
        create("/api/v1/programmes",
               R"({"code":"LSG-EKZ","title":{"kk":"Қатысу","ru":"Участие","en":"Participation"},)"
               R"("donor":"EU","starts_on":"2017-02-01","ends_on":"2020-01-31",)"
               R"("youth":{"from":16,"to":29}})",
               w.admin);
    const std::string locality =
        create("/api/v1/localities",
               R"({"kind":"region","name":{"kk":"Нұра","ru":"Нура","en":"Nura"}})", w.admin);
    const auto course = [&](const std::string& track) {
      return create("/api/v1/courses",
                    R"({"programme_id":)" + w.programme + R"(,"track":")" + track +
                        R"(","title":{"kk":"Курс","ru":"Курс","en":"Course"},"hours":24,)"
                        R"("rule":{"min_attendance_percent":80}})",
                    w.admin);
    };
    const std::string planning = course("inclusive_planning");
    const std::string business = course("entrepreneurship");
    const auto cohort = [&](const std::string& course_id, const std::string& day,
                            const std::string& token) {
      return create("/api/v1/cohorts",
                    R"({"course_id":)" + course_id + R"(,"locality_id":)" + locality +
                        R"(,"place":"Нұра","starts_on":")" + day + R"(","ends_on":")" + day +
                        R"(","language":"kk"})",
                    token);
    };
    w.cohort_a = cohort(planning, "2019-04-02", w.trainer1);
    w.cohort_b = cohort(business, "2019-05-10", w.trainer2);
    const auto session = [&](const std::string& cohort_id, const std::string& day,
                             const std::string& token) {
      return create("/api/v1/cohorts/" + cohort_id + "/sessions",
                    R"({"starts_at":")" + day + R"(T09:00:00Z","duration_minutes":90,"topic":"t"})",
                    token);
    };
    const std::string a1 = session(w.cohort_a, "2019-04-02", w.trainer1);
    const std::string a2 = session(w.cohort_a, "2019-04-03", w.trainer1);
    const std::string b1 = session(w.cohort_b, "2019-05-10", w.trainer2);
    const auto person = [&](const std::string& name, const std::string& gender, int year) {
      return create("/api/v1/participants",
                    R"({"full_name":")" + name + R"(","gender":")" + gender + R"(","birth_year":)" +
                        std::to_string(year) + R"(,"locality_id":)" + locality +
                        R"(,"affiliation":"community_member","consent":true})",
                    w.admin);
    };
    w.aigerim = person("Әйгерім Қасымова", "female", 1991);
    const std::string boris = person("Борис Ёлкин", "male", 1980);
    const std::string dana = person("Дана Серікқызы", "female", 2000);
    const std::string erlan = person("Ерлан Бекұлы", "male", 1970);
    // An admin enrols: each trainer sees only the people they registered or teach.
    const auto enrol = [&](const std::string& cohort_id, const std::string& participant) {
      return create("/api/v1/cohorts/" + cohort_id + "/enrolments",
                    R"({"participant_id":)" + participant + "}", w.admin);
    };
    const std::string aigerim_a = enrol(w.cohort_a, w.aigerim);
    const std::string boris_a = enrol(w.cohort_a, boris);
    const std::string dana_a = enrol(w.cohort_a, dana);
    const std::string aigerim_b = enrol(w.cohort_b, w.aigerim);
    const std::string erlan_b = enrol(w.cohort_b, erlan);
    const auto mark = [&](const std::string& session_id, const std::string& token,
                          const std::vector<std::pair<std::string, std::string>>& marks) {
      std::string body = R"({"marks":[)";
      for (std::size_t i = 0; i < marks.size(); ++i) {
        body += (i > 0 ? "," : "") + std::string(R"({"enrolment_id":)") + marks[i].first +
                R"(,"status":")" + marks[i].second + "\"}";
      }
      const auto response = call(verb::put, "/api/v1/sessions/" + session_id + "/attendance",
                                 body + "]}", "application/json", token);
      EXPECT_EQ(response.result(), Status::ok) << response.body();
    };
    mark(a1, w.trainer1, {{aigerim_a, "present"}, {boris_a, "absent"}, {dana_a, "late"}});
    mark(a2, w.trainer1, {{aigerim_a, "present"}, {boris_a, "absent"}, {dana_a, "absent"}});
    mark(b1, w.trainer2, {{aigerim_b, "present"}, {erlan_b, "present"}});
    return w;
  }

  /// A learner's token for the person, through an access code issued by an admin.
  std::string learnerToken(const std::string& participant, const std::string& admin) {
    const auto issued = call(verb::post, "/api/v1/participants/" + participant + "/access-code", {},
                             "application/json", admin);
    EXPECT_EQ(issued.result(), Status::created) << issued.body();
    const std::string code(json::parse(issued.body()).at("code").as_string());
    const auto login = call(verb::post, "/api/v1/auth/code", R"({"code":")" + code + "\"}");
    EXPECT_EQ(login.result(), Status::ok) << login.body();
    return std::string(json::parse(login.body()).at("token").as_string());
  }

  http::Response get(const std::string& target, const std::string& token,
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    return call(verb::get, target, {}, {}, token, std::move(headers));
  }

  json::value getJson(const std::string& target, const std::string& token) {
    const auto response = get(target, token);
    EXPECT_EQ(response.result(), Status::ok) << target << ": " << response.body();
    if (response.result() != Status::ok) return json::object{};
    return json::parse(response.body());
  }

  /// The margin cell of `key` in the first dimension.
  static const json::object* margin(const json::value& report, const std::string& key) {
    for (const auto& cell : report.at("margins").at(0).as_array()) {
      if (cell.at("keys").at(0).as_string() == key) return &cell.at("measures").as_object();
    }
    return nullptr;
  }
};

long long count(const json::object& measures, const char* name) {
  return measures.at(name).as_int64();
}

TEST_F(TotalsRoutesTest, ReportHasThePlannedShapeAndNumbers) {
  const World w = world();
  const json::value report = getJson("/api/v1/totals?programme=LSG-EKZ&by=track", w.admin);
  ASSERT_TRUE(report.is_object());
  for (const char* member :
       {"programme", "period", "period_label", "track", "by", "age_bands", "suppressed_below",
        "overlapping", "notes", "total", "dimensions", "margins", "cells", "targets"}) {
    EXPECT_TRUE(report.as_object().contains(member)) << member;
  }
  EXPECT_EQ(report.as_object().size(), 14u);
  EXPECT_EQ(report.at("programme").at("code").as_string(), "LSG-EKZ");
  EXPECT_EQ(std::to_string(report.at("programme").at("id").as_int64()), w.programme);
  EXPECT_EQ(report.at("programme").at("title").at("kk").as_string(), "Қатысу");
  EXPECT_TRUE(report.at("period").at("from").is_null());
  EXPECT_TRUE(report.at("period").at("to").is_null());
  EXPECT_TRUE(report.at("track").is_null());
  EXPECT_EQ(report.at("by").as_array(), json::array({"track"}));
  EXPECT_EQ(report.at("suppressed_below").as_int64(), 0);
  // Aigerim was trained in both tracks: the tracks overlap.
  EXPECT_TRUE(report.at("overlapping").as_bool());
  EXPECT_FALSE(report.at("notes").as_array().empty());

  // The programme's youth band (16-29) is one of the default bands.
  bool youth_band = false;
  for (const auto& band : report.at("age_bands").as_array()) {
    if (band.at("youth").as_bool()) {
      youth_band = true;
      EXPECT_EQ(band.at("key").as_string(), "16-29");
      EXPECT_EQ(band.at("from").as_int64(), 16);
      EXPECT_EQ(band.at("to").as_int64(), 29);
    }
  }
  EXPECT_TRUE(youth_band);

  const json::object& total = report.at("total").as_object();
  EXPECT_EQ(count(total, "enrolled"), 4);  // Aigerim, Boris, Dana, Erlan
  EXPECT_EQ(count(total, "reached"), 3);   // all but Boris
  EXPECT_EQ(count(total, "trained"), 2);   // Aigerim once, Erlan
  EXPECT_EQ(count(total, "trained_with_waiver"), 0);
  EXPECT_EQ(count(total, "certified"), 0);
  EXPECT_EQ(count(total, "sessions"), 3);
  EXPECT_DOUBLE_EQ(total.at("participant_hours").to_number<double>(), 7.5);
  EXPECT_DOUBLE_EQ(total.at("attendance_rate").to_number<double>(), 5.0 / 8.0);
  EXPECT_TRUE(total.at("hidden").as_array().empty());

  const json::array& dimensions = report.at("dimensions").as_array();
  ASSERT_EQ(dimensions.size(), 1u);
  EXPECT_EQ(dimensions.at(0).at("name").as_string(), "track");
  EXPECT_EQ(dimensions.at(0).at("label").at("en").as_string(),
            courses::label(courses::Dimension::track).en);
  ASSERT_EQ(dimensions.at(0).at("values").as_array().size(), 2u);
  for (const auto& value : dimensions.at(0).at("values").as_array()) {
    EXPECT_FALSE(value.as_object().contains("youth"));  // only age bands say so
    EXPECT_FALSE(value.at("label").at("kk").as_string().empty());
  }

  ASSERT_EQ(report.at("margins").as_array().size(), 1u);
  const json::object* planning = margin(report, "inclusive_planning");
  const json::object* business = margin(report, "entrepreneurship");
  ASSERT_TRUE(planning != nullptr && business != nullptr) << json::serialize(report);
  EXPECT_EQ(count(*planning, "enrolled"), 3);
  EXPECT_EQ(count(*planning, "reached"), 2);
  EXPECT_EQ(count(*planning, "trained"), 1);
  EXPECT_EQ(count(*planning, "sessions"), 2);
  EXPECT_EQ(count(*business, "enrolled"), 2);
  EXPECT_EQ(count(*business, "trained"), 2);
  EXPECT_EQ(count(*business, "sessions"), 1);
  EXPECT_TRUE(report.at("cells").as_array().empty());
  EXPECT_TRUE(report.at("targets").as_array().empty());
}

TEST_F(TotalsRoutesTest, ProgrammeByIdPeriodTrackAndTwoDimensions) {
  const World w = world();
  const json::value by_id = getJson("/api/v1/totals?programme=" + w.programme, w.admin);
  EXPECT_EQ(by_id.at("total").at("trained").as_int64(), 2);
  EXPECT_TRUE(by_id.at("by").as_array().empty());
  EXPECT_TRUE(by_id.at("dimensions").as_array().empty());

  // May: only cohort B has sessions.
  const json::value may =
      getJson("/api/v1/totals?programme=LSG-EKZ&from=2019-05-01&to=2019-05-31", w.admin);
  EXPECT_EQ(may.at("period").at("from").as_string(), "2019-05-01");
  EXPECT_EQ(may.at("period").at("to").as_string(), "2019-05-31");
  EXPECT_EQ(may.at("total").at("enrolled").as_int64(), 2);
  EXPECT_EQ(may.at("total").at("trained").as_int64(), 2);
  EXPECT_EQ(may.at("total").at("sessions").as_int64(), 1);

  const json::value planning =
      getJson("/api/v1/totals?programme=LSG-EKZ&track=inclusive_planning", w.admin);
  EXPECT_EQ(planning.at("track").as_string(), "inclusive_planning");
  EXPECT_EQ(planning.at("total").at("enrolled").as_int64(), 3);
  EXPECT_EQ(planning.at("total").at("trained").as_int64(), 1);

  // Gender x track: Aigerim and Dana (female) and Boris (male) in A; Aigerim and Erlan in B.
  const json::value crossed = getJson("/api/v1/totals?programme=LSG-EKZ&by=gender,track", w.admin);
  ASSERT_EQ(crossed.at("dimensions").as_array().size(), 2u);
  ASSERT_EQ(crossed.at("margins").as_array().size(), 2u);
  const json::object* female = margin(crossed, "female");
  ASSERT_NE(female, nullptr);
  EXPECT_EQ(count(*female, "enrolled"), 2);
  EXPECT_EQ(count(*female, "trained"), 1);
  EXPECT_TRUE(female->at("sessions").is_null());  // a person's attribute: not whole cohorts
  bool found = false;
  for (const auto& cell : crossed.at("cells").as_array()) {
    ASSERT_EQ(cell.at("keys").as_array().size(), 2u);
    if (cell.at("keys").at(0).as_string() == "male" &&
        cell.at("keys").at(1).as_string() == "entrepreneurship") {
      found = true;
      EXPECT_EQ(cell.at("measures").at("trained").as_int64(), 1);  // Erlan
    }
  }
  EXPECT_TRUE(found) << json::serialize(crossed);

  const json::value bands =
      getJson("/api/v1/totals?programme=LSG-EKZ&by=age_band&age_bands=14,36,60", w.admin);
  std::vector<std::string> keys;
  for (const auto& band : bands.at("age_bands").as_array()) {
    keys.emplace_back(band.at("key").as_string());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"0-13", "14-35", "36-59", "60+"}));
  for (const auto& value : bands.at("dimensions").at(0).at("values").as_array()) {
    EXPECT_TRUE(value.as_object().contains("youth"));
  }
}

TEST_F(TotalsRoutesTest, SuppressionHidesSmallCounts) {
  const World w = world();
  const json::value report =
      getJson("/api/v1/totals?programme=LSG-EKZ&by=track&suppress=true", w.admin);
  EXPECT_EQ(report.at("suppressed_below").as_int64(), 5);
  // The total is never hidden.
  EXPECT_EQ(report.at("total").at("trained").as_int64(), 2);
  const json::object* planning = margin(report, "inclusive_planning");
  ASSERT_NE(planning, nullptr);
  EXPECT_TRUE(planning->at("trained").is_null());
  EXPECT_FALSE(planning->at("hidden").as_array().empty());
  const json::value k3 = getJson("/api/v1/totals?programme=LSG-EKZ&by=track&suppress=3", w.admin);
  EXPECT_EQ(k3.at("suppressed_below").as_int64(), 3);
  // Entrepreneurship's 2 enrolled are hidden; planning's 3 would give them away from the total
  // of 4 (secondary suppression), so they are hidden too. The total still shows.
  EXPECT_TRUE(margin(k3, "entrepreneurship")->at("enrolled").is_null());
  EXPECT_TRUE(margin(k3, "inclusive_planning")->at("enrolled").is_null());
  EXPECT_EQ(k3.at("total").at("enrolled").as_int64(), 4);
  const json::value none = getJson("/api/v1/totals?programme=LSG-EKZ&suppress=false", w.admin);
  EXPECT_EQ(none.at("suppressed_below").as_int64(), 0);
}

TEST_F(TotalsRoutesTest, BadQueriesAre400NamingTheParameter) {
  const World w = world();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"programme=LSG-EKZ&colour=red", "colour"},
      {"programme=LSG-EKZ&programme=LSG-EKZ", "programme"},
      {"by=track&by=gender", "by"},
      {"from=2019-02-30", "from"},
      {"from=yesterday", "from"},
      {"to=2019-13-01", "to"},
      {"from=2019-05-01&to=2019-04-30", "to"},
      {"by=colour", "by"},
      {"by=gender,district,track", "by"},
      {"by=gender,gender", "by"},
      {"by=", "by"},
      {"age_bands=36,14", "age_bands"},
      {"age_bands=14,,60", "age_bands"},
      {"age_bands=0", "age_bands"},
      {"age_bands=121", "age_bands"},
      {"suppress=1", "suppress"},
      {"suppress=1001", "suppress"},
      {"suppress=maybe", "suppress"},
      {"suppress=-5", "suppress"},
      {"track=Inclusive%20planning", "track"},
      {"track=", "track"},
      {"programme=0", "programme"},
  };
  for (const auto& [query, parameter] : cases) {
    const auto response = get("/api/v1/totals?" + query, w.admin);
    EXPECT_EQ(response.result(), Status::bad_request) << query << ": " << response.body();
    EXPECT_EQ(response[field::content_type], "application/problem+json") << query;
    if (response.result() != Status::bad_request) continue;
    const json::value problem = json::parse(response.body());
    EXPECT_EQ(problem.at("type").as_string(), "https://qatysu.kz/problems/invalid-request");
    EXPECT_NE(std::string(problem.at("detail").as_string()).find("\"" + parameter + "\""),
              std::string::npos)
        << query << ": " << response.body();
    ASSERT_TRUE(problem.as_object().contains("errors")) << query;
    EXPECT_EQ(problem.at("errors").at(0).at("field").as_string(), parameter) << query;
  }
  // lang belongs to the exports only, and there it must name a language.
  EXPECT_EQ(get("/api/v1/totals?lang=kk", w.admin).result(), Status::bad_request);
  for (const char* route : {"/api/v1/totals.csv", "/api/v1/totals.xlsx", "/api/v1/totals.pdf"}) {
    const auto response = get(std::string(route) + "?programme=LSG-EKZ&lang=de", w.admin);
    EXPECT_EQ(response.result(), Status::bad_request) << route;
    EXPECT_NE(response.body().find("\"lang\""), std::string::npos) << response.body();
    EXPECT_EQ(get(std::string(route) + "?by=nothing", w.admin).result(), Status::bad_request)
        << route;
  }
  // An unknown programme is not found, by code or by id.
  EXPECT_EQ(get("/api/v1/totals?programme=NOPE", w.admin).result(), Status::not_found);
  EXPECT_EQ(get("/api/v1/totals?programme=424242", w.admin).result(), Status::not_found);
  // The rejected queries changed nothing.
  EXPECT_EQ(
      getJson("/api/v1/totals?programme=LSG-EKZ", w.admin).at("total").at("trained").as_int64(), 2);
}

TEST_F(TotalsRoutesTest, WhoSeesWhat) {
  const World w = world();
  EXPECT_EQ(get("/api/v1/totals", {}).result(), Status::unauthorized);
  const std::string learner = learnerToken(w.aigerim, w.admin);
  for (const char* route :
       {"/api/v1/totals", "/api/v1/totals.csv", "/api/v1/totals.xlsx", "/api/v1/totals.pdf"}) {
    EXPECT_EQ(get(std::string(route) + "?programme=LSG-EKZ", learner).result(), Status::forbidden)
        << route;
    // Refused before the query is even read.
    EXPECT_EQ(get(std::string(route) + "?colour=red", learner).result(), Status::forbidden)
        << route;
  }
  const std::string targets = "/api/v1/programmes/" + w.programme + "/targets";
  EXPECT_EQ(get(targets, learner).result(), Status::forbidden);

  // An admin's targets appear in the admin's report, never in a trainer's.
  const auto put =
      call(verb::put, targets,
           R"({"targets":[{"measure":"trained","track":"inclusive_planning","value":60}]})",
           "application/json", w.admin);
  ASSERT_EQ(put.result(), Status::ok) << put.body();
  const json::value admin_view = getJson("/api/v1/totals?programme=LSG-EKZ&by=track", w.admin);
  ASSERT_EQ(admin_view.at("targets").as_array().size(), 1u);

  // trainer1 sees cohort A only: Aigerim, Boris and Dana.
  const json::value own = getJson("/api/v1/totals?programme=LSG-EKZ&by=track", w.trainer1);
  EXPECT_EQ(own.at("total").at("enrolled").as_int64(), 3);
  EXPECT_EQ(own.at("total").at("trained").as_int64(), 1);
  EXPECT_EQ(own.at("total").at("sessions").as_int64(), 2);
  EXPECT_EQ(margin(own, "entrepreneurship"), nullptr);
  EXPECT_TRUE(own.at("targets").as_array().empty());
  const json::value other = getJson("/api/v1/totals?programme=LSG-EKZ", w.trainer2);
  EXPECT_EQ(other.at("total").at("enrolled").as_int64(), 2);
  EXPECT_TRUE(other.at("targets").as_array().empty());

  // A trainer may read targets but not set them.
  EXPECT_EQ(get(targets, w.trainer1).result(), Status::ok);
  EXPECT_EQ(call(verb::put, targets, R"({"targets":[]})", "application/json", w.trainer1).result(),
            Status::forbidden);
  EXPECT_EQ(call(verb::put, targets, R"({"targets":[]})", "application/json", learner).result(),
            Status::forbidden);
  EXPECT_EQ(getJson(targets, w.admin).at("targets").as_array().size(), 1u);
  EXPECT_EQ(get("/api/v1/programmes/424242/targets", w.admin).result(), Status::not_found);
  EXPECT_EQ(call(verb::put, "/api/v1/programmes/424242/targets", R"({"targets":[]})",
                 "application/json", w.admin)
                .result(),
            Status::not_found);
}

TEST_F(TotalsRoutesTest, TargetsRoundTripAndShowProgress) {
  const World w = world();
  const std::string targets = "/api/v1/programmes/" + w.programme + "/targets";
  EXPECT_TRUE(getJson(targets, w.admin).at("targets").as_array().empty());
  const auto put =
      call(verb::put, targets,
           R"({"targets":[{"measure":"trained","track":"inclusive_planning","value":2},)"
           R"({"measure":"reached","value":10}]})",
           "application/json", w.admin);
  ASSERT_EQ(put.result(), Status::ok) << put.body();
  const json::value stored = getJson(targets, w.admin);
  EXPECT_EQ(std::to_string(stored.at("programme_id").as_int64()), w.programme);
  const json::array& items = stored.at("targets").as_array();
  ASSERT_EQ(items.size(), 2u);
  bool whole_programme = false;
  for (const auto& item : items) {
    if (item.at("track").is_null()) {
      whole_programme = true;
      EXPECT_EQ(item.at("measure").as_string(), "reached");
      EXPECT_EQ(item.at("value").as_int64(), 10);
    } else {
      EXPECT_EQ(item.at("track").as_string(), "inclusive_planning");
      EXPECT_EQ(item.at("value").as_int64(), 2);
    }
  }
  EXPECT_TRUE(whole_programme);

  const json::value report = getJson("/api/v1/totals?programme=LSG-EKZ", w.admin);
  const json::array& progress = report.at("targets").as_array();
  ASSERT_EQ(progress.size(), 2u);
  for (const auto& item : progress) {
    if (item.at("measure").as_string() == "trained") {
      EXPECT_EQ(item.at("track").as_string(), "inclusive_planning");
      EXPECT_EQ(item.at("target").as_int64(), 2);
      EXPECT_EQ(item.at("actual").as_int64(), 1);
      EXPECT_DOUBLE_EQ(item.at("progress").to_number<double>(), 0.5);
    } else {
      EXPECT_EQ(item.at("actual").as_int64(), 3);
      EXPECT_DOUBLE_EQ(item.at("progress").to_number<double>(), 0.3);
    }
  }
  // Every programme together has no targets.
  EXPECT_TRUE(getJson("/api/v1/totals", w.admin).at("targets").as_array().empty());

  // Bad bodies change nothing.
  for (const char* body :
       {R"({"targets":[{"measure":"attendance_rate","value":1}]})",
        R"({"targets":[{"measure":"trained","value":0}]})",
        R"({"targets":[{"measure":"smiles","value":3}]})",
        R"({"targets":[{"measure":"trained","value":5},{"measure":"trained","value":6}]})",
        R"({"targets":[{"measure":"trained","track":"Not A Track","value":5}]})",
        R"({"targets":[{"measure":"trained","value":5,"colour":"red"}]})", R"({"targets":{}})",
        R"({})", R"([])"}) {
    const auto refused = call(verb::put, targets, body, "application/json", w.admin);
    EXPECT_TRUE(refused.result() == Status::bad_request ||
                refused.result() == Status::unprocessable_entity)
        << body << ": " << refused.result_int() << " " << refused.body();
  }
  EXPECT_EQ(getJson(targets, w.admin), stored);

  // An empty list clears them.
  EXPECT_EQ(call(verb::put, targets, R"({"targets":[]})", "application/json", w.admin).result(),
            Status::ok);
  EXPECT_TRUE(getJson(targets, w.admin).at("targets").as_array().empty());
}

TEST_F(TotalsRoutesTest, ProgrammeYouthBandIsReadAndShown) {
  const World w = world();
  const json::value programme = getJson("/api/v1/programmes/" + w.programme, w.admin);
  EXPECT_EQ(programme.at("youth"), json::value(json::object{{"from", 16}, {"to", 29}}));
  const std::string plain =
      create("/api/v1/programmes",
             R"({"code":"LSG-TWO","title":{"kk":"a","ru":"b","en":"c"},"donor":"EU",)"
             R"("starts_on":"2021-01-01","ends_on":"2021-12-31"})",
             w.admin);
  EXPECT_EQ(getJson("/api/v1/programmes/" + plain, w.admin).at("youth"),
            json::value(json::object{{"from", 14}, {"to", 35}}));
  EXPECT_EQ(call(verb::post, "/api/v1/programmes",
                 R"({"code":"LSG-BAD","title":{"kk":"a","ru":"b","en":"c"},"donor":"EU",)"
                 R"("starts_on":"2021-01-01","ends_on":"2021-12-31","youth":{"from":14}})",
                 "application/json", w.admin)
                .result(),
            Status::unprocessable_entity);
  EXPECT_EQ(call(verb::post, "/api/v1/programmes",
                 R"({"code":"LSG-BAD","title":{"kk":"a","ru":"b","en":"c"},"donor":"EU",)"
                 R"("starts_on":"2021-01-01","ends_on":"2021-12-31",)"
                 R"("youth":{"from":14,"to":35,"colour":1}})",
                 "application/json", w.admin)
                .result(),
            Status::bad_request);
}

TEST_F(TotalsRoutesTest, CsvHasABomAndTheLanguagesHeaders) {
  const World w = world();
  const auto kk = get("/api/v1/totals.csv?programme=LSG-EKZ&by=track&lang=kk", w.admin);
  ASSERT_EQ(kk.result(), Status::ok) << kk.body();
  EXPECT_EQ(kk[field::content_type], "text/csv; charset=utf-8");
  EXPECT_EQ(kk[field::content_language], "kk");
  EXPECT_EQ(kk[field::content_disposition],
            "attachment; filename=\"totals_LSG-EKZ_2017-02-01_2020-01-31.csv\"");
  const std::string& body = kk.body();
  ASSERT_EQ(body.substr(0, 3), "\xEF\xBB\xBF");
  const std::string header = body.substr(3, body.find("\r\n") - 3);
  EXPECT_NE(header.find(courses::label(courses::Measure::trained).kk), std::string::npos) << header;
  EXPECT_NE(header.find(courses::label(courses::Dimension::track).kk), std::string::npos) << header;
  EXPECT_NE(body.find(courses::trackLabel("inclusive_planning").kk), std::string::npos) << body;

  // Without lang: the first of kk, ru, en in Accept-Language, else English.
  const auto ru = get("/api/v1/totals.csv?programme=LSG-EKZ&by=track", w.admin,
                      {{"Accept-Language", "de-DE, ru;q=0.8, en;q=0.5"}});
  ASSERT_EQ(ru.result(), Status::ok);
  EXPECT_EQ(ru[field::content_language], "ru");
  EXPECT_NE(ru.body().find(courses::label(courses::Measure::trained).ru), std::string::npos);
  const auto en =
      get("/api/v1/totals.csv?programme=LSG-EKZ&by=track", w.admin, {{"Accept-Language", "de-DE"}});
  EXPECT_EQ(en[field::content_language], "en");
  EXPECT_NE(en.body().find(courses::label(courses::Measure::trained).en), std::string::npos);

  const auto period =
      get("/api/v1/totals.csv?programme=LSG-EKZ&track=entrepreneurship&from=2019-05-01", w.admin);
  EXPECT_EQ(period[field::content_disposition],
            "attachment; filename=\"totals_LSG-EKZ_entrepreneurship_2019-05-01_2020-01-31.csv\"");
  const auto all = get("/api/v1/totals.csv", w.admin);
  EXPECT_EQ(all[field::content_disposition], "attachment; filename=\"totals_all_start_end.csv\"");
}

TEST_F(TotalsRoutesTest, XlsxAndPdfDownloads) {
  const World w = world();
  const auto xlsx = get("/api/v1/totals.xlsx?programme=LSG-EKZ&by=gender,track&lang=en", w.admin);
  ASSERT_EQ(xlsx.result(), Status::ok) << xlsx.body();
  EXPECT_EQ(xlsx[field::content_type],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.body().substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_EQ(xlsx[field::content_disposition],
            "attachment; filename=\"totals_LSG-EKZ_2017-02-01_2020-01-31.xlsx\"");

  const auto pdf = get("/api/v1/totals.pdf?programme=LSG-EKZ&lang=kk", w.admin);
  ASSERT_EQ(pdf.result(), Status::ok) << pdf.body();
  EXPECT_EQ(pdf[field::content_type], "application/pdf");
  EXPECT_EQ(pdf.body().substr(0, 5), "%PDF-");
  EXPECT_EQ(pdf[field::content_disposition],
            "attachment; filename=\"totals_LSG-EKZ_2017-02-01_2020-01-31.pdf\"");
  EXPECT_EQ(pdf[field::cache_control], "private, no-store");

  // A trainer may download their own cohorts' figures.
  const auto own = get("/api/v1/totals.pdf?programme=LSG-EKZ", w.trainer1);
  EXPECT_EQ(own.result(), Status::ok);
}

}  // namespace
}  // namespace plugin::api
