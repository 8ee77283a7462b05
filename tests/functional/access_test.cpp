// Every route that takes an id, tried by another trainer and by a learner: 404 for what they may
// not know exists (403 where their role may never write), never a byte of the owner's data, and
// nothing changed for the owner.

#include <string>
#include <vector>

#include "fixture.hpp"

namespace functional {
namespace {

class Access : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_access", [] {
      owner_ = newAccount("trainer", "trainer.owner");
      intruder_ = newAccount("trainer", "trainer.other");
      catalogue_ = createCatalogue(as(admin_), "FT-ACL");
      auto owner = as(owner_);
      cohort_ = createCohort(owner, catalogue_.course_id, catalogue_.village_id, kSecretPlace);
      session_ = createSession(owner, cohort_, "2026-06-01T05:00:00Z", kSecretTopic);
      participant_ = registerParticipant(owner, kSecretName, 1983, catalogue_.village_id);
      enrolment_ = enrol(owner, cohort_, participant_);
      json::object sheet{
          {"marks", json::array{{{"enrolment_id", enrolment_}, {"status", "present"}}}}};
      expectJson(owner.put(attendancePath(session_), text(sheet)), 200);

      auto intruder = as(intruder_);
      own_cohort_ =
          createCohort(intruder, catalogue_.course_id, catalogue_.village_id, "Жарасбай мектебі");
      own_session_ = createSession(intruder, own_cohort_, "2026-06-02T05:00:00Z", "Кіріспе");
      own_participant_ =
          registerParticipant(intruder, "Бекзат Маратұлы Әлібеков", 1990, catalogue_.village_id);
      own_enrolment_ = enrol(intruder, own_cohort_, own_participant_);

      // The learner is a person enrolled in the other trainer's cohort, not in the owner's.
      learner_person_ =
          registerParticipant(intruder, "Аружан Еркінқызы Сапарова", 2001, catalogue_.village_id);
      learner_enrolment_ = enrol(intruder, own_cohort_, learner_person_);
      learner_ = service().createAccount("learner", "learner.one",
                                         {"--participant", std::to_string(learner_person_)});
    });
  }
  static void TearDownTestSuite() { stopService(); }

  static std::string attendancePath(long long session_id) {
    return "/api/v1/sessions/" + std::to_string(session_id) + "/attendance";
  }
  static std::string cohortPath(long long cohort_id, std::string_view tail = {}) {
    return "/api/v1/cohorts/" + std::to_string(cohort_id) + std::string(tail);
  }
  static std::string sessionPath(long long session_id, std::string_view tail = {}) {
    return "/api/v1/sessions/" + std::to_string(session_id) + std::string(tail);
  }
  static std::string enrolmentPath(long long enrolment_id, std::string_view tail = {}) {
    return "/api/v1/enrolments/" + std::to_string(enrolment_id) + std::string(tail);
  }
  static std::string participantPath(long long participant_id) {
    return "/api/v1/participants/" + std::to_string(participant_id);
  }

  /// What the owner sees of their own data; must be the same after every intrusion.
  static std::vector<std::string> ownerView() {
    auto owner = as(owner_);
    return {owner.get(cohortPath(cohort_)).body, owner.get(cohortPath(cohort_, "/sessions")).body,
            owner.get(cohortPath(cohort_, "/enrolments")).body,
            owner.get(participantPath(participant_)).body,
            owner.get(attendancePath(session_)).body,
            owner.get(enrolmentPath(enrolment_)).body,
            as(admin_).get(participantPath(participant_) + "/data-rights").body,
            as(admin_).get("/api/v1/courses/" + std::to_string(catalogue_.course_id)).body,
            as(admin_).get("/api/v1/programmes/" + std::to_string(catalogue_.programme_id)).body,
            as(admin_).get("/api/v1/localities/" + std::to_string(catalogue_.village_id)).body};
  }

  /// The owner's data nobody else may see.
  static std::vector<std::string> secrets() {
    return {kSecretPlace, kSecretTopic, kSecretName, "Тайқазан"};
  }

  static constexpr const char* kSecretPlace = "Нұра кенті, Тайқазан залы";
  static constexpr const char* kSecretTopic = "Жасырын тақырып: ауыл бюджеті";
  static constexpr const char* kSecretName = "Нұрлан Ғабитұлы Өтегенов";

  static inline Account owner_, intruder_, learner_;
  static inline Catalogue catalogue_;
  static inline long long cohort_ = 0, session_ = 0, participant_ = 0, enrolment_ = 0;
  static inline long long own_cohort_ = 0, own_session_ = 0, own_participant_ = 0,
                          own_enrolment_ = 0;
  static inline long long learner_person_ = 0, learner_enrolment_ = 0;
};

struct Attempt {
  std::string method;
  std::string target;
  std::string body;
  std::vector<unsigned> trainer_statuses;  ///< what another trainer must get
  std::vector<unsigned> learner_statuses;  ///< what a learner must get
  bool edit = false;  ///< an edit (If-Match: an intruder cannot read the version, so "*")
};

::testing::AssertionResult statusIn(const Reply& reply, const std::vector<unsigned>& statuses) {
  for (unsigned s : statuses) {
    if (reply.status == s) return ::testing::AssertionSuccess();
  }
  std::string wanted;
  for (unsigned s : statuses) wanted += " " + std::to_string(s);
  return ::testing::AssertionFailure()
         << "expected one of" << wanted << ", got " << reply.describe();
}

TEST_F(Access, EveryIdRouteIsClosedToOtherTrainersAndLearners) {
  const std::vector<unsigned> k404{404};
  const std::vector<unsigned> k403or404{403, 404};
  json::object sheet{{"marks", json::array{{{"enrolment_id", enrolment_}, {"status", "absent"}}}}};
  json::object session{
      {"starts_at", "2026-06-09T05:00:00Z"}, {"duration_minutes", 60}, {"topic", "Бөтен сессия"}};
  const std::vector<Attempt> attempts = {
      {"GET", cohortPath(cohort_), "", k404, k404},
      {"GET", cohortPath(cohort_, "/sessions"), "", k404, k404},
      {"POST", cohortPath(cohort_, "/sessions"), text(session), k404, k403or404},
      {"GET", cohortPath(cohort_, "/enrolments"), "", k404, k404},
      {"POST", cohortPath(cohort_, "/enrolments"),
       text(json::object{{"participant_id", own_participant_}}), k404, k403or404},
      {"POST", cohortPath(cohort_, "/enrolments"),
       text(json::object{{"participant_id", participant_}}), k404, k403or404},
      // Someone else's person into the intruder's own cohort.
      {"POST", cohortPath(own_cohort_, "/enrolments"),
       text(json::object{{"participant_id", participant_}}), k404, k403or404},
      {"GET", participantPath(participant_), "", k404, k404},
      {"PATCH", participantPath(participant_), R"({"full_name":"Өзгертілген Есім"})", k404,
       k403or404, true},
      {"GET", attendancePath(session_), "", k404, k404},
      {"PUT", attendancePath(session_), text(sheet), k404, k403or404},
      // The owner's enrolment on the intruder's own session.
      {"PUT", attendancePath(own_session_), text(sheet), {400, 404, 409, 422}, k403or404},
      // Corrections: edits of the owner's cohort, session and enrolment.
      {"PATCH", cohortPath(cohort_), R"({"place":"Бөтен зал"})", k404, k403or404, true},
      {"GET", sessionPath(session_), "", k404, k404},
      {"PATCH", sessionPath(session_), R"({"topic":"Бөтен тақырып"})", k404, k403or404, true},
      {"PATCH", sessionPath(session_), R"({"cancelled":{"reason":"Бөтен себеп"}})", k404,
       k403or404, true},
      {"GET", enrolmentPath(enrolment_), "", k404, k403or404},
      {"PATCH", enrolmentPath(enrolment_), R"({"withdrawn":{"reason":"Бөтен себеп"}})", k404,
       k403or404, true},
      // What only an administrator does: histories, merges, undoing, a person's data rights, the
      // catalogue.
      {"GET", cohortPath(cohort_, "/history"), "", k403or404, k403or404},
      {"GET", sessionPath(session_, "/history"), "", k403or404, k403or404},
      {"GET", enrolmentPath(enrolment_, "/history"), "", k403or404, k403or404},
      {"GET", participantPath(participant_) + "/history", "", k403or404, k403or404},
      {"GET", participantPath(participant_) + "/record", "", k403or404, k403or404},
      {"GET", participantPath(participant_) + "/merge?other=" + std::to_string(own_participant_),
       "", k403or404, k403or404},
      {"POST", participantPath(own_participant_) + "/merge",
       text(json::object{{"other", participant_}, {"marks", json::array{}}}), k403or404,
       k403or404, true},
      {"POST", "/api/v1/changes/1/undo", "{}", k403or404, k403or404},
      {"GET", participantPath(participant_) + "/export", "", k403or404, k403or404},
      {"GET", participantPath(participant_) + "/data-rights", "", k403or404, k403or404},
      {"POST", participantPath(participant_) + "/erase", R"({"reason":"бөтен өтініш"})",
       k403or404, k403or404, true},
      {"POST", participantPath(participant_) + "/consent-withdrawal", "{}", k403or404, k403or404,
       true},
      {"PATCH", "/api/v1/courses/" + std::to_string(catalogue_.course_id), R"({"hours":1})",
       {403}, {403}, true},
      {"PATCH", "/api/v1/programmes/" + std::to_string(catalogue_.programme_id),
       R"({"title":{"kk":"Бөтен","ru":"Чужая","en":"Other"}})", {403}, {403}, true},
      {"PATCH", "/api/v1/localities/" + std::to_string(catalogue_.village_id),
       R"({"name":{"kk":"Бөтен ауыл","ru":"Чужое село","en":"Other village"}})", {403}, {403},
       true},
  };
  auto before = ownerView();
  for (const auto* who : {&intruder_, &learner_}) {
    auto client = as(*who);
    for (const auto& attempt : attempts) {
      SCOPED_TRACE(who->login + " " + attempt.method + " " + attempt.target + " " + attempt.body);
      support::http::Request request;
      request.method = attempt.method;
      request.target = attempt.target;
      request.body = attempt.body;
      // An intruder cannot read the version an edit needs: they edit whatever is there.
      if (attempt.edit) request.headers = {{"If-Match", "*"}};
      auto reply = client.send(request);
      const auto& allowed = who == &intruder_ ? attempt.trainer_statuses : attempt.learner_statuses;
      EXPECT_TRUE(statusIn(reply, allowed));
      EXPECT_TRUE(isProblem(reply, {reply.status}));
      EXPECT_TRUE(leaksNothing(reply, secrets()));
    }
  }
  EXPECT_EQ(ownerView(), before) << "an intruder's request changed the owner's data";
}

TEST_F(Access, SomeoneElsesIdLooksLikeAMissingOne) {
  auto intruder = as(intruder_);
  auto theirs = intruder.get(cohortPath(cohort_));
  auto missing = intruder.get(cohortPath(987654321));
  ASSERT_EQ(theirs.status, 404u) << theirs.describe();
  ASSERT_EQ(missing.status, 404u) << missing.describe();
  EXPECT_EQ(theirs.json().at("type"), missing.json().at("type"));
  EXPECT_EQ(theirs.json().at("title"), missing.json().at("title"));
  auto their_person = intruder.get(participantPath(participant_));
  auto no_person = intruder.get(participantPath(987654321));
  ASSERT_EQ(their_person.status, 404u) << their_person.describe();
  ASSERT_EQ(no_person.status, 404u) << no_person.describe();
  EXPECT_EQ(their_person.json().at("type"), no_person.json().at("type"));
}

TEST_F(Access, ListingsShowOnlyOwnRecords) {
  auto intruder = as(intruder_);
  auto cohorts = intruder.get("/api/v1/cohorts");
  ASSERT_EQ(cohorts.status, 200u) << cohorts.describe();
  EXPECT_TRUE(leaksNothing(cohorts, secrets()));
  auto cohort_list = cohorts.json();
  for (const auto& cohort : items(cohort_list)) {
    EXPECT_NE(cohort.at("id").to_number<long long>(), cohort_);
  }
  auto search = intruder.get("/api/v1/participants?q=%D0%9D%D2%B1%D1%80%D0%BB%D0%B0%D0%BD");
  ASSERT_EQ(search.status, 200u) << search.describe();  // q=Нұрлан
  EXPECT_TRUE(leaksNothing(search, secrets()));
  auto all = intruder.get("/api/v1/participants?limit=100");
  ASSERT_EQ(all.status, 200u) << all.describe();
  EXPECT_TRUE(leaksNothing(all, secrets()));

  auto learner = as(learner_);
  auto learner_cohorts = learner.get("/api/v1/cohorts");
  ASSERT_EQ(learner_cohorts.status, 200u) << learner_cohorts.describe();
  EXPECT_TRUE(leaksNothing(learner_cohorts, secrets()));
  auto learner_list = learner_cohorts.json();
  ASSERT_EQ(items(learner_list).size(), 1u) << learner_cohorts.body;
  EXPECT_EQ(items(learner_list)[0].at("id").to_number<long long>(), own_cohort_);
  auto learner_search = learner.get("/api/v1/participants?limit=100");
  EXPECT_TRUE(learner_search.status == 403 || learner_search.status == 404 ||
              learner_search.status == 200)
      << learner_search.describe();
  EXPECT_TRUE(leaksNothing(learner_search, secrets()));
  if (learner_search.status == 200) {
    auto people = learner_search.json();
    for (const auto& person : items(people)) {
      EXPECT_EQ(person.at("id").to_number<long long>(), learner_person_) << learner_search.body;
    }
  }
}

TEST_F(Access, LearnerSeesOwnRecordsOnly) {
  auto learner = as(learner_);
  auto me = expectJson(learner.get("/api/v1/me"), 200);
  EXPECT_EQ(me.at("account").at("role").as_string(), "learner");
  ASSERT_TRUE(me.at("participant").is_object()) << text(me);
  EXPECT_EQ(me.at("participant").at("id").to_number<long long>(), learner_person_);
  ASSERT_EQ(me.at("enrolments").as_array().size(), 1u) << text(me);
  EXPECT_EQ(me.at("enrolments").as_array()[0].at("id").to_number<long long>(), learner_enrolment_);
  auto own = expectJson(learner.get(participantPath(learner_person_)), 200);
  EXPECT_EQ(own.at("full_name").as_string(), "Аружан Еркінқызы Сапарова");
  // A fellow participant of the same cohort is still someone else.
  EXPECT_TRUE(isProblem(learner.get(participantPath(own_participant_)), {404}));
  // Their own cohort's roster and sheets are the trainer's, not theirs to write.
  json::object sheet{
      {"marks", json::array{{{"enrolment_id", learner_enrolment_}, {"status", "present"}}}}};
  EXPECT_TRUE(isProblem(learner.put(attendancePath(own_session_), text(sheet)), {403, 404}));
  EXPECT_TRUE(isProblem(learner.edit(participantPath(learner_person_), R"({"birth_year":1950})"),
                        {403, 404}));
  EXPECT_EQ(expectJson(learner.get(participantPath(learner_person_)), 200), own);
}

TEST_F(Access, CatalogueIsReadableByEveryoneSignedIn) {
  for (const auto* who : {&intruder_, &learner_}) {
    SCOPED_TRACE(who->login);
    auto client = as(*who);
    auto programme = client.get("/api/v1/programmes/" + std::to_string(catalogue_.programme_id));
    EXPECT_EQ(programme.status, 200u) << programme.describe();
    auto course = client.get("/api/v1/courses/" + std::to_string(catalogue_.course_id));
    EXPECT_EQ(course.status, 200u) << course.describe();
    EXPECT_TRUE(leaksNothing(course, secrets()));
  }
}

TEST_F(Access, RolesThatMayNeverWriteGet403) {
  json::object programme{{"code", "FT-NOPE"},
                         {"title", {{"kk", "Жоқ"}, {"ru", "Нет"}, {"en", "No"}}},
                         {"donor", "Nobody"},
                         {"starts_on", "2026-01-01"},
                         {"ends_on", "2026-12-31"}};
  json::object locality{{"parent_id", nullptr},
                        {"kind", "region"},
                        {"name", {{"kk", "Жоқ"}, {"ru", "Нет"}, {"en", "No"}}},
                        {"kato", nullptr}};
  json::object course{
      {"programme_id", catalogue_.programme_id},
      {"track", "entrepreneurship"},
      {"title", {{"kk", "Жоқ"}, {"ru", "Нет"}, {"en", "No"}}},
      {"hours", 8},
      {"rule", {{"min_attendance_percent", 80}, {"excused_counts", false}, {"require_all", false}}},
      {"gives_certificate", false}};
  auto programmes_before = as(admin_).get("/api/v1/programmes").body;
  auto localities_before = as(admin_).get("/api/v1/localities").body;
  auto courses_before = as(admin_).get("/api/v1/courses").body;
  for (const auto* who : {&intruder_, &learner_}) {
    SCOPED_TRACE(who->login);
    auto client = as(*who);
    EXPECT_TRUE(isProblem(client.post("/api/v1/programmes", text(programme)), {403}));
    EXPECT_TRUE(isProblem(client.post("/api/v1/localities", text(locality)), {403}));
    EXPECT_TRUE(isProblem(client.post("/api/v1/courses", text(course)), {403}));
  }
  auto learner = as(learner_);
  auto person = participantBody("Learner Registering Someone", 1999, catalogue_.village_id);
  person["not_duplicate"] = true;
  EXPECT_TRUE(isProblem(learner.post("/api/v1/participants", text(person)), {403}));
  json::object cohort{{"course_id", catalogue_.course_id},
                      {"locality_id", catalogue_.village_id},
                      {"place", "Нұра"},
                      {"starts_on", "2026-03-02"},
                      {"ends_on", "2026-03-06"},
                      {"language", "kk"}};
  EXPECT_TRUE(isProblem(learner.post("/api/v1/cohorts", text(cohort)), {403}));
  EXPECT_EQ(as(admin_).get("/api/v1/programmes").body, programmes_before);
  EXPECT_EQ(as(admin_).get("/api/v1/localities").body, localities_before);
  EXPECT_EQ(as(admin_).get("/api/v1/courses").body, courses_before);
}

TEST_F(Access, WithoutATokenEverythingIs401) {
  auto nobody = anonymous();
  for (const std::string& target :
       {cohortPath(cohort_), participantPath(participant_), attendancePath(session_),
        std::string("/api/v1/me"), std::string("/api/v1/cohorts")}) {
    SCOPED_TRACE(target);
    auto reply = nobody.get(target);
    EXPECT_TRUE(isProblem(reply, {401}));
    EXPECT_TRUE(leaksNothing(reply, secrets()));
  }
  auto forged = nobody.withToken(std::string(64, 'a'));
  EXPECT_TRUE(isProblem(forged.get(cohortPath(cohort_)), {401}));
}

}  // namespace
}  // namespace functional
