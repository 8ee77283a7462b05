// A trainer's whole job over HTTP against the real server and database: the admin sets up the
// catalogue, the trainer opens a cohort, plans sessions, registers people with Kazakh names,
// enrols them (idempotently) and marks attendance.

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "fixture.hpp"

namespace functional {
namespace {

class TrainerFlow : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_flow", [] {
      trainer_ = newAccount("trainer", "trainer.aliya");
      catalogue_ = createCatalogue(as(admin_), "FT-FLOW");
    });
  }
  static void TearDownTestSuite() { stopService(); }

  static inline Account trainer_;
  static inline Catalogue catalogue_;
};

std::string cohortPath(long long cohort_id, std::string_view tail = {}) {
  return "/api/v1/cohorts/" + std::to_string(cohort_id) + std::string(tail);
}

std::string sessionPath(long long session_id) {
  return "/api/v1/sessions/" + std::to_string(session_id) + "/attendance";
}

/// status per enrolment id from a sheet.
std::map<long long, std::string> statuses(const json::value& sheet) {
  std::map<long long, std::string> result;
  for (const auto& row : sheet.at("rows").as_array()) {
    const auto& status = row.at("status");
    result[row.at("enrolment_id").to_number<long long>()] =
        status.is_null() ? "<none>" : std::string(status.as_string());
  }
  return result;
}

TEST_F(TrainerFlow, CatalogueIsReadableBack) {
  auto admin = as(admin_);
  auto programme =
      expectJson(admin.get("/api/v1/programmes/" + std::to_string(catalogue_.programme_id)), 200);
  EXPECT_EQ(programme.at("code").as_string(), "FT-FLOW");
  EXPECT_EQ(programme.at("title").at("kk").as_string(),
            "Жергілікті мүдделі тараптардың белсенді қатысуы");
  EXPECT_EQ(programme.at("starts_on").as_string(), "2017-02-01");

  auto children = expectJson(
      admin.get("/api/v1/localities?parent=" + std::to_string(catalogue_.district_id)), 200);
  std::set<long long> ids;
  for (const auto& item : items(children)) ids.insert(item.at("id").to_number<long long>());
  EXPECT_EQ(ids, (std::set<long long>{catalogue_.village_id, catalogue_.other_village_id}));

  auto courses = expectJson(
      admin.get("/api/v1/courses?programme=" + std::to_string(catalogue_.programme_id)), 200);
  ASSERT_EQ(items(courses).size(), 1u);
  const auto& course = items(courses)[0];
  EXPECT_EQ(course.at("track").as_string(), "inclusive_planning");
  EXPECT_EQ(course.at("rule").at("min_attendance_percent").to_number<int>(), 80);
  // A trainer reads the catalogue too.
  auto as_trainer =
      expectJson(as(trainer_).get("/api/v1/courses/" + std::to_string(catalogue_.course_id)), 200);
  EXPECT_EQ(as_trainer.at("title").at("en").as_string(), "Inclusive planning");
}

TEST_F(TrainerFlow, WholeFlow) {
  auto trainer = as(trainer_);

  // The trainer opens a cohort and is its trainer.
  json::object cohort_body{{"course_id", catalogue_.course_id},
                           {"locality_id", catalogue_.village_id},
                           {"place", "Белоусовка, мәдениет үйі"},
                           {"starts_on", "2026-03-02"},
                           {"ends_on", "2026-03-06"},
                           {"language", "kk"}};
  auto cohort = expectJson(trainer.post("/api/v1/cohorts", text(cohort_body)), 201);
  long long cohort_id = cohort.at("id").to_number<long long>();
  EXPECT_EQ(cohort.at("place").as_string(), "Белоусовка, мәдениет үйі");
  ASSERT_TRUE(cohort.at("trainer_ids").is_array());
  bool assigned = false;
  for (const auto& id : cohort.at("trainer_ids").as_array()) {
    assigned = assigned || id.to_number<long long>() == trainer_.id;
  }
  EXPECT_TRUE(assigned) << text(cohort);
  auto listed = expectJson(trainer.get("/api/v1/cohorts"), 200);
  ASSERT_EQ(items(listed).size(), 1u) << text(listed);
  EXPECT_EQ(items(listed)[0].at("id").to_number<long long>(), cohort_id);

  // Sessions, listed by start whatever the order of creation.
  long long day2 = createSession(trainer, cohort_id, "2026-03-03T04:00:00Z", "Қауымдастық картасы");
  long long day1 =
      createSession(trainer, cohort_id, "2026-03-02T04:00:00Z", "Кіріспе, ауыл жоспары");
  long long day3 =
      createSession(trainer, cohort_id, "2026-03-04T04:00:00Z", "Бюджет және басымдықтар");
  auto sessions = expectJson(trainer.get(cohortPath(cohort_id, "/sessions")), 200);
  ASSERT_EQ(items(sessions).size(), 3u) << text(sessions);
  EXPECT_EQ(items(sessions)[0].at("id").to_number<long long>(), day1);
  EXPECT_EQ(items(sessions)[1].at("id").to_number<long long>(), day2);
  EXPECT_EQ(items(sessions)[2].at("id").to_number<long long>(), day3);
  EXPECT_EQ(items(sessions)[0].at("topic").as_string(), "Кіріспе, ауыл жоспары");
  EXPECT_EQ(items(sessions)[0].at("duration_minutes").to_number<int>(), 120);

  // Registration of people whose names use every Kazakh letter: ә ғ қ ң ө ұ ү һ і.
  const std::string aliya = "Әлия Ғалымқызы Қасымова";
  const std::string nurlan = "Нұрлан Үмбетұлы Һәкімов-Іңкәров";
  auto body = participantBody(aliya, 1988, catalogue_.village_id);
  body["phone"] = "+7 701 000 0001";
  body["vulnerable"] = json::array{"mother_of_many_children", "unemployed"};
  auto created = trainer.post("/api/v1/participants", text(body));
  auto aliya_json = expectJson(created, 201);
  long long aliya_id = aliya_json.at("id").to_number<long long>();
  EXPECT_EQ(aliya_json.at("full_name").as_string(), aliya);
  EXPECT_EQ(aliya_json.at("birth_year").to_number<int>(), 1988);
  EXPECT_EQ(aliya_json.at("phone").as_string(), "+7 701 000 0001");
  EXPECT_TRUE(aliya_json.at("email").is_null());
  EXPECT_EQ(aliya_json.at("vulnerable").as_array().size(), 2u);
  std::string location = created.header("Location");
  EXPECT_TRUE(location.ends_with("/participants/" + std::to_string(aliya_id)))
      << "Location: '" << location << "'";
  auto nurlan_body = participantBody(nurlan, 1969, catalogue_.village_id);
  nurlan_body["gender"] = "male";
  nurlan_body["affiliation"] = "local_government";
  nurlan_body["vulnerable"] = json::array{};
  long long nurlan_id = createdId(trainer.post("/api/v1/participants", text(nurlan_body)));

  auto fetched = expectJson(trainer.get("/api/v1/participants/" + std::to_string(aliya_id)), 200);
  EXPECT_EQ(fetched.at("full_name").as_string(), aliya);
  EXPECT_EQ(fetched.at("locality_id").to_number<long long>(), catalogue_.village_id);
  EXPECT_TRUE(fetched.at("consent").as_bool());

  // Search by part of the name, in another case.
  auto found = expectJson(trainer.get("/api/v1/participants?q=%D2%9B%D0%B0%D1%81%D1%8B%D0%BC"),
                          200);  // "қасым"
  ASSERT_EQ(found.at("items").as_array().size(), 1u) << text(found);
  EXPECT_EQ(found.at("items").as_array()[0].at("id").to_number<long long>(), aliya_id);

  // Enrolment with an Idempotency-Key: the replay returns the same enrolment with 200.
  json::object enrol_body{{"participant_id", aliya_id}};
  support::http::Headers key{{"Idempotency-Key", "flow-3f1c2a9e-0001"}};
  auto first = trainer.post(cohortPath(cohort_id, "/enrolments"), text(enrol_body), key);
  auto first_json = expectJson(first, 201);
  long long aliya_enrolment = first_json.at("id").to_number<long long>();
  EXPECT_EQ(first_json.at("participant_id").to_number<long long>(), aliya_id);
  EXPECT_EQ(first_json.at("cohort_id").to_number<long long>(), cohort_id);
  EXPECT_EQ(first_json.at("registered_by").to_number<long long>(), trainer_.id);
  EXPECT_EQ(first_json.at("snapshot").at("birth_year").to_number<int>(), 1988);
  auto replay = trainer.post(cohortPath(cohort_id, "/enrolments"), text(enrol_body), key);
  auto replay_json = expectJson(replay, 200);
  EXPECT_EQ(replay_json.at("id").to_number<long long>(), aliya_enrolment);
  // Enrolling the same person again without a key also finds the existing enrolment.
  auto again = trainer.post(cohortPath(cohort_id, "/enrolments"), text(enrol_body));
  EXPECT_EQ(createdId(again, 200), aliya_enrolment);
  long long nurlan_enrolment = enrol(trainer, cohort_id, nurlan_id);
  EXPECT_NE(nurlan_enrolment, aliya_enrolment);

  auto enrolments = expectJson(trainer.get(cohortPath(cohort_id, "/enrolments")), 200);
  ASSERT_EQ(items(enrolments).size(), 2u) << text(enrolments);
  std::map<long long, std::string> names_by_enrolment;
  for (const auto& e : items(enrolments)) {
    names_by_enrolment[e.at("id").to_number<long long>()] =
        std::string(e.at("participant_name").as_string());
  }
  EXPECT_EQ(names_by_enrolment[aliya_enrolment], aliya);
  EXPECT_EQ(names_by_enrolment[nurlan_enrolment], nurlan);

  // Attendance: the whole sheet in one PUT, read back with GET.
  json::object sheet{
      {"marks", json::array{{{"enrolment_id", aliya_enrolment}, {"status", "present"}},
                            {{"enrolment_id", nurlan_enrolment}, {"status", "late"}}}}};
  auto saved = expectJson(trainer.put(sessionPath(day1), text(sheet)), 200);
  EXPECT_EQ(saved.at("session_id").to_number<long long>(), day1);
  auto expected =
      std::map<long long, std::string>{{aliya_enrolment, "present"}, {nurlan_enrolment, "late"}};
  EXPECT_EQ(statuses(saved), expected);
  auto read = expectJson(trainer.get(sessionPath(day1)), 200);
  EXPECT_EQ(statuses(read), expected);
  for (const auto& row : read.at("rows").as_array()) {
    EXPECT_EQ(row.at("marked_by").to_number<long long>(), trainer_.id) << text(row);
    EXPECT_TRUE(row.at("marked_at").is_string()) << text(row);
    auto enrolment_id = row.at("enrolment_id").to_number<long long>();
    EXPECT_EQ(row.at("participant_name").as_string(), names_by_enrolment[enrolment_id]);
    EXPECT_EQ(row.at("participant_id").to_number<long long>(),
              enrolment_id == aliya_enrolment ? aliya_id : nurlan_id);
  }
  // An unmarked session lists every enrolment without a status.
  auto blank = expectJson(trainer.get(sessionPath(day2)), 200);
  EXPECT_EQ(statuses(blank), (std::map<long long, std::string>{{aliya_enrolment, "<none>"},
                                                               {nurlan_enrolment, "<none>"}}));

  // A profile edit changes the person, not the enrolment's snapshot.
  auto patched = expectJson(trainer.edit("/api/v1/participants/" + std::to_string(aliya_id),
                                         R"({"birth_year":1987,"phone":null})"),
                            200);
  EXPECT_EQ(patched.at("birth_year").to_number<int>(), 1987);
  EXPECT_TRUE(patched.at("phone").is_null());
  EXPECT_EQ(patched.at("full_name").as_string(), aliya);
  auto after_patch = expectJson(trainer.get(cohortPath(cohort_id, "/enrolments")), 200);
  for (const auto& e : items(after_patch)) {
    if (e.at("id").to_number<long long>() == aliya_enrolment) {
      EXPECT_EQ(e.at("snapshot").at("birth_year").to_number<int>(), 1988) << text(e);
    }
  }

  // The admin sees the same sheet.
  EXPECT_EQ(statuses(expectJson(as(admin_).get(sessionPath(day1)), 200)), expected);
}

TEST_F(TrainerFlow, AttendanceSheetPutTwiceGivesTheSameState) {
  auto trainer = as(trainer_);
  long long cohort_id =
      createCohort(trainer, catalogue_.course_id, catalogue_.village_id, "Глубокое, әкімдік залы");
  long long session_id =
      createSession(trainer, cohort_id, "2026-04-01T05:00:00Z", "Қоғамдық тыңдау");
  std::vector<long long> enrolments;
  const char* people[] = {"Гүлнар Серікқызы Әбенова", "Бауыржан Ерланұлы Сүлейменов",
                          "Дәмеш Жомартқызы Оңғарова", "Ілияс Қанатұлы Бөкейханов"};
  int year = 1970;
  for (const char* name : people) {
    long long id = registerParticipant(trainer, name, year++, catalogue_.village_id);
    enrolments.push_back(enrol(trainer, cohort_id, id));
  }
  json::object sheet{
      {"marks", json::array{{{"enrolment_id", enrolments[0]}, {"status", "present"}},
                            {{"enrolment_id", enrolments[1]}, {"status", "late"}},
                            {{"enrolment_id", enrolments[2]}, {"status", "excused"}},
                            {{"enrolment_id", enrolments[3]}, {"status", "absent"}}}}};
  // The audit trail is not part of the API; it is looked at in the database directly.
  auto audit_rows = [&] {
    return service().database().scalar("SELECT COUNT(*) FROM attendance_audit WHERE session_id = " +
                                       std::to_string(session_id));
  };
  auto first_put = expectJson(trainer.put(sessionPath(session_id), text(sheet)), 200);
  auto first_get = trainer.get(sessionPath(session_id));
  ASSERT_EQ(first_get.status, 200u) << first_get.describe();
  EXPECT_EQ(audit_rows(), "4");
  // Past the one-second resolution of timestamps, so a re-stamped mark would show.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto second_put = expectJson(trainer.put(sessionPath(session_id), text(sheet)), 200);
  auto second_get = trainer.get(sessionPath(session_id));
  ASSERT_EQ(second_get.status, 200u) << second_get.describe();
  EXPECT_EQ(statuses(first_put), statuses(second_put));
  EXPECT_EQ(first_get.json(), second_get.json())
      << "the same sheet PUT twice changed the stored state:\nfirst:  " << first_get.body
      << "\nsecond: " << second_get.body;
  EXPECT_EQ(first_put, first_get.json());
  EXPECT_EQ(audit_rows(), "4") << "an unchanged mark was audited again";

  // A sheet naming only some enrolments changes those and keeps the others.
  json::object partial{
      {"marks", json::array{{{"enrolment_id", enrolments[3]}, {"status", "present"}}}}};
  auto after_partial = expectJson(trainer.put(sessionPath(session_id), text(partial)), 200);
  EXPECT_EQ(statuses(after_partial),
            (std::map<long long, std::string>{{enrolments[0], "present"},
                                              {enrolments[1], "late"},
                                              {enrolments[2], "excused"},
                                              {enrolments[3], "present"}}));
  EXPECT_EQ(audit_rows(), "5");
}

TEST_F(TrainerFlow, SheetWithAnInvalidMarkSavesNothing) {
  auto trainer = as(trainer_);
  long long cohort_id =
      createCohort(trainer, catalogue_.course_id, catalogue_.village_id, "Көжохов мектебі");
  long long other_cohort_id =
      createCohort(trainer, catalogue_.course_id, catalogue_.village_id, "Көжохов кітапханасы");
  long long session_id = createSession(trainer, cohort_id, "2026-05-04T05:00:00Z", "Ауыл бюджеті");
  long long own = enrol(
      trainer, cohort_id,
      registerParticipant(trainer, "Сәуле Ахметқызы Төлегенова", 1991, catalogue_.village_id));
  long long foreign =
      enrol(trainer, other_cohort_id,
            registerParticipant(trainer, "Ерғали Нұрбекұлы Шәріпов", 1984, catalogue_.village_id));
  auto before = trainer.get(sessionPath(session_id));
  ASSERT_EQ(before.status, 200u) << before.describe();

  struct Case {
    const char* what;
    std::string body;
  };
  const Case cases[] = {
      {"an enrolment of another cohort",
       text(json::object{
           {"marks", json::array{{{"enrolment_id", own}, {"status", "present"}},
                                 {{"enrolment_id", foreign}, {"status", "present"}}}}})},
      {"an enrolment twice",
       text(json::object{{"marks", json::array{{{"enrolment_id", own}, {"status", "present"}},
                                               {{"enrolment_id", own}, {"status", "absent"}}}}})},
      {"an unknown status",
       text(json::object{{"marks", json::array{{{"enrolment_id", own}, {"status", "present"}},
                                               {{"enrolment_id", own}, {"status", "sick"}}}}})},
      {"an enrolment that does not exist",
       text(json::object{
           {"marks", json::array{{{"enrolment_id", own}, {"status", "present"}},
                                 {{"enrolment_id", 987654321}, {"status", "late"}}}}})},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto reply = trainer.put(sessionPath(session_id), c.body);
    EXPECT_TRUE(isProblem(reply, {400, 404, 409, 422}));
    auto after = trainer.get(sessionPath(session_id));
    EXPECT_EQ(after.body, before.body) << "a rejected sheet changed the stored one";
  }
  EXPECT_EQ(
      service().database().scalar("SELECT COUNT(*) FROM attendance_audit WHERE session_id = " +
                                  std::to_string(session_id)),
      "0")
      << "a rejected sheet left audit rows";
}

TEST_F(TrainerFlow, ConcurrentEnrolmentsMakeOneEnrolment) {
  auto trainer = as(trainer_);
  long long cohort_id =
      createCohort(trainer, catalogue_.course_id, catalogue_.village_id, "Нұра, жастар орталығы");
  long long keyed =
      registerParticipant(trainer, "Томирис Асқарқызы Жақыпова", 1999, catalogue_.village_id);
  long long unkeyed =
      registerParticipant(trainer, "Арман Ғаниұлы Сейітқали", 1997, catalogue_.village_id);
  constexpr int kClients = 8;
  for (long long person : {keyed, unkeyed}) {
    SCOPED_TRACE(person == keyed ? "with one Idempotency-Key" : "without a key");
    std::vector<Reply> replies(kClients);
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back([&, i] {
        support::http::Headers headers;
        if (person == keyed) headers.emplace_back("Idempotency-Key", "concurrent-7d2e");
        try {
          replies[static_cast<std::size_t>(i)] =
              trainer.post(cohortPath(cohort_id, "/enrolments"),
                           text(json::object{{"participant_id", person}}), headers);
        } catch (const std::exception& e) {
          replies[static_cast<std::size_t>(i)].body = e.what();
        }
      });
    }
    for (auto& client : clients) client.join();
    int created = 0;
    std::set<long long> ids;
    for (const auto& reply : replies) {
      ASSERT_TRUE(reply.status == 200 || reply.status == 201) << reply.describe();
      created += reply.status == 201 ? 1 : 0;
      ids.insert(reply.json().at("id").to_number<long long>());
    }
    EXPECT_EQ(created, 1) << "concurrent enrolments of one person: " << created << " were 201";
    EXPECT_EQ(ids.size(), 1u);
  }
  auto enrolments = expectJson(trainer.get(cohortPath(cohort_id, "/enrolments")), 200);
  EXPECT_EQ(items(enrolments).size(), 2u) << text(enrolments);
}

TEST_F(TrainerFlow, ConcurrentSheetsEachApplyWhole) {
  auto trainer = as(trainer_);
  long long cohort_id =
      createCohort(trainer, catalogue_.course_id, catalogue_.village_id, "Изенді, ауыл клубы");
  long long session_id = createSession(trainer, cohort_id, "2026-09-01T05:00:00Z", "Бір уақытта");
  std::vector<long long> enrolments;
  const char* people[] = {"Асель Маратқызы Ибраева",       "Ғалым Есенұлы Бекмұхамбетов",
                          "Меруерт Нұрланқызы Өмірзақова", "Санжар Бауыржанұлы Үмбетов",
                          "Индира Болатқызы Һашимова",     "Қуаныш Ерболұлы Ілиясов"};
  int year = 1975;
  for (const char* name : people) {
    enrolments.push_back(enrol(trainer, cohort_id,
                               registerParticipant(trainer, name, year++, catalogue_.village_id)));
  }
  const char* statuses_by_client[] = {"present", "late", "excused", "absent"};
  constexpr int kRounds = 3;
  std::vector<std::thread> clients;
  std::vector<unsigned> codes(std::size(statuses_by_client) * kRounds, 0);
  for (std::size_t c = 0; c < std::size(statuses_by_client); ++c) {
    clients.emplace_back([&, c] {
      json::array marks;
      // Each client lists the rows in its own order, the classic recipe for lock-order deadlocks.
      for (std::size_t i = 0; i < enrolments.size(); ++i) {
        std::size_t k = (c % 2 == 0) ? i : enrolments.size() - 1 - i;
        marks.push_back(
            json::object{{"enrolment_id", enrolments[k]}, {"status", statuses_by_client[c]}});
      }
      std::string body = text(json::object{{"marks", marks}});
      for (int round = 0; round < kRounds; ++round) {
        try {
          codes[c * kRounds + static_cast<std::size_t>(round)] =
              trainer.put(sessionPath(session_id), body).status;
        } catch (const std::exception&) {
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  for (unsigned code : codes) EXPECT_EQ(code, 200u);
  // Every PUT is one transaction: the result is one client's whole sheet, never a mix.
  auto sheet = expectJson(trainer.get(sessionPath(session_id)), 200);
  std::set<std::string> seen;
  for (const auto& [enrolment, status] : statuses(sheet)) seen.insert(status);
  EXPECT_EQ(seen.size(), 1u) << "sheets interleaved: " << text(sheet);
  EXPECT_EQ(statuses(sheet).size(), enrolments.size());
}

TEST_F(TrainerFlow, ParticipantPagesCoverEveryoneOnce) {
  auto admin = as(admin_);
  for (int i = 0; i < 5; ++i) {
    registerParticipant(as(trainer_),
                        std::string("Бетке Бөлінген ") + "Әліпқызы" + (i % 2 ? "" : "-Нұр"),
                        1960 + i, catalogue_.village_id);
  }
  std::vector<long long> paged;
  long long after = 0;
  for (int page = 0; page < 100; ++page) {
    auto body =
        expectJson(admin.get("/api/v1/participants?limit=2&after=" + std::to_string(after)), 200);
    ASSERT_LE(items(body).size(), 2u);
    for (const auto& item : items(body)) paged.push_back(item.at("id").to_number<long long>());
    if (body.at("next_after").is_null()) break;
    after = body.at("next_after").to_number<long long>();
  }
  EXPECT_TRUE(std::is_sorted(paged.begin(), paged.end()));
  EXPECT_EQ(std::set<long long>(paged.begin(), paged.end()).size(), paged.size());
  auto whole = expectJson(admin.get("/api/v1/participants?limit=100"), 200);
  std::vector<long long> all;
  for (const auto& item : items(whole)) all.push_back(item.at("id").to_number<long long>());
  EXPECT_EQ(paged, all);
  EXPECT_GE(paged.size(), 5u);
}

TEST_F(TrainerFlow, MeShowsTheSignedInAccount) {
  auto me = expectJson(as(trainer_).get("/api/v1/me"), 200);
  EXPECT_EQ(me.at("account").at("id").to_number<long long>(), trainer_.id);
  EXPECT_EQ(me.at("account").at("login").as_string(), "trainer.aliya");
  EXPECT_EQ(me.at("account").at("role").as_string(), "trainer");
  EXPECT_TRUE(me.at("participant").is_null());
}

}  // namespace
}  // namespace functional
