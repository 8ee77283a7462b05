// Sessions corrected over HTTP: moved, re-timed, cancelled with a reason and restored, each
// with If-Match and in the session's history. A cancelled session is not held: the cohort's
// eligibility stops counting it, its sheet refuses new marks but keeps the old ones, and the
// totals' aggregates stay equal to the raw rows (`qatysu totals check`).

#include <string>

#include "fixture.hpp"

namespace functional {
namespace {

class CorrectionsSessions : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_corr_sessions", [] {
      trainer_ = newAccount("trainer", "trainer.sessions");
      other_ = newAccount("trainer", "trainer.other.sessions");
      third_ = newAccount("trainer", "trainer.third.sessions");
      catalogue_ = createCatalogue(as(admin_), "FT-SESS");
      auto trainer = as(trainer_);
      cohort_ = createCohort(trainer, catalogue_.course_id, catalogue_.village_id, "Клуб");
      first_ = createSession(trainer, cohort_, "2018-03-05T04:00:00Z", "Карта ауыла");
      second_ = createSession(trainer, cohort_, "2018-03-06T04:00:00Z", "Бюджет");
      aigerim_ =
          registerParticipant(trainer, "Әйгерім Нұрланқызы Сейітова", 1990, catalogue_.village_id);
      bolat_ = registerParticipant(trainer, "Болат Серікұлы Жақыпов", 1985, catalogue_.village_id);
      aigerim_enrolment_ = enrol(trainer, cohort_, aigerim_);
      bolat_enrolment_ = enrol(trainer, cohort_, bolat_);
      mark(trainer, first_, "present", "present");
      mark(trainer, second_, "present", "absent");
      learner_ = service().createAccount("learner", "learner.sessions",
                                         {"--participant", std::to_string(bolat_)});
    });
  }
  static void TearDownTestSuite() { stopService(); }

  static void mark(const Client& trainer, long long session, std::string_view aigerim,
                   std::string_view bolat) {
    const std::string body = R"({"marks":[{"enrolment_id":)" + std::to_string(aigerim_enrolment_) +
                             R"(,"status":")" + std::string(aigerim) + R"("},{"enrolment_id":)" +
                             std::to_string(bolat_enrolment_) + R"(,"status":")" +
                             std::string(bolat) + R"("}]})";
    expectJson(trainer.put("/api/v1/sessions/" + std::to_string(session) + "/attendance", body),
               200);
  }
  static std::string sessionPath(long long id, std::string_view tail = {}) {
    return "/api/v1/sessions/" + std::to_string(id) + std::string(tail);
  }
  // Bolat's row of the cohort's eligibility.
  static json::object bolatEligibility(const Client& client) {
    const auto answer =
        expectJson(client.get("/api/v1/cohorts/" + std::to_string(cohort_) + "/eligibility"), 200);
    for (const auto& row : items(answer)) {
      if (row.at("participant_id").to_number<long long>() == bolat_) return row.as_object();
    }
    throw std::runtime_error("no eligibility row for Bolat: " + text(answer));
  }
  static void expectTotalsExact() {
    const auto check = support::http::runCli({"totals", "check"}, service().database().url());
    EXPECT_EQ(check.exit_code, 0) << check.describe();
  }

  static inline Account trainer_, other_, third_, learner_;
  static inline Catalogue catalogue_;
  static inline long long cohort_ = 0, first_ = 0, second_ = 0;
  static inline long long aigerim_ = 0, bolat_ = 0, aigerim_enrolment_ = 0, bolat_enrolment_ = 0;
};

TEST_F(CorrectionsSessions, ACancelledSessionIsNotHeldAndARestoredOneCountsAgain) {
  auto trainer = as(trainer_);
  auto before = bolatEligibility(trainer);
  EXPECT_EQ(before.at("sessions_total").to_number<int>(), 2);
  EXPECT_EQ(before.at("attended").to_number<int>(), 1);
  EXPECT_FALSE(before.at("completed").as_bool());

  // A reason is required; a bad one changes nothing.
  const Reply read = trainer.get(sessionPath(second_));
  ASSERT_EQ(read.status, 200u) << read.describe();
  EXPECT_TRUE(read.json().at("cancelled").is_null());
  const std::string tag = read.header("ETag");
  EXPECT_TRUE(isProblem(
      trainer.patch(sessionPath(second_), R"({"cancelled":{"reason":""}})", {{"If-Match", tag}}),
      {400, 422}));
  EXPECT_TRUE(isProblem(
      trainer.patch(sessionPath(second_), R"({"cancelled":{}})", {{"If-Match", tag}}), {400, 422}));
  EXPECT_TRUE(
      isProblem(trainer.patch(sessionPath(second_), R"({"cancelled":true})", {{"If-Match", tag}}),
                {400, 422}));
  EXPECT_TRUE(
      isProblem(trainer.patch(sessionPath(second_), R"({"cancelled":{"reason":"снег"}})"), {428}));
  EXPECT_EQ(trainer.get(sessionPath(second_)).body, read.body);

  const Reply cancelled =
      trainer.patch(sessionPath(second_), R"({"cancelled":{"reason":"Қар жауды, жол жабық"}})",
                    {{"If-Match", tag}});
  ASSERT_EQ(cancelled.status, 200u) << cancelled.describe();
  const json::value cancelled_body = cancelled.json();
  const auto& cancellation = cancelled_body.at("cancelled");
  ASSERT_TRUE(cancellation.is_object()) << cancelled.body;
  EXPECT_EQ(cancellation.at("reason").as_string(), "Қар жауды, жол жабық");
  EXPECT_EQ(cancellation.at("by").to_number<long long>(), trainer_.id);
  EXPECT_NE(cancelled.header("ETag"), tag);

  // The cohort now has one held session, which Bolat attended: he completes.
  auto after = bolatEligibility(trainer);
  EXPECT_EQ(after.at("sessions_total").to_number<int>(), 1);
  EXPECT_EQ(after.at("attended").to_number<int>(), 1);
  EXPECT_TRUE(after.at("completed").as_bool());
  expectTotalsExact();

  // Its sheet says so and keeps its marks, but takes no new ones.
  const auto sheet = expectJson(trainer.get(sessionPath(second_, "/attendance")), 200);
  EXPECT_EQ(sheet.at("cancelled").at("reason").as_string(), "Қар жауды, жол жабық");
  std::size_t marked = 0;
  for (const auto& row : sheet.at("rows").as_array()) marked += !row.at("status").is_null();
  EXPECT_EQ(marked, 2u);
  const Reply refused =
      trainer.put(sessionPath(second_, "/attendance"), R"({"marks":[{"enrolment_id":)" +
                                                           std::to_string(bolat_enrolment_) +
                                                           R"(,"status":"present"}]})");
  ASSERT_TRUE(isProblem(refused, {409}));
  EXPECT_NE(refused.body.find("cancelled"), std::string::npos) << refused.body;
  EXPECT_EQ(bolatEligibility(trainer).at("attended").to_number<int>(), 1);

  // The history says who cancelled it and why.
  const auto history = expectJson(as(admin_).get(sessionPath(second_, "/history")), 200);
  const auto& last = items(history).back().as_object();
  EXPECT_EQ(last.at("action").as_string(), "cancelled");
  EXPECT_EQ(last.at("reason").as_string(), "Қар жауды, жол жабық");
  EXPECT_EQ(last.at("account_id").to_number<long long>(), trainer_.id);
  const auto& field = last.at("fields").as_array().at(0).as_object();
  EXPECT_EQ(field.at("field").as_string(), "cancelled");
  EXPECT_TRUE(field.at("old").is_null());
  EXPECT_EQ(field.at("new").as_string(), "Қар жауды, жол жабық");

  // Restored, it counts again, with the marks it kept.
  expectJson(trainer.edit(sessionPath(second_), R"({"cancelled":null})"), 200);
  auto restored = bolatEligibility(trainer);
  EXPECT_EQ(restored.at("sessions_total").to_number<int>(), 2);
  EXPECT_FALSE(restored.at("completed").as_bool());
  const auto again = expectJson(as(admin_).get(sessionPath(second_, "/history")), 200);
  EXPECT_EQ(items(again).back().at("action").as_string(), "restored");
  expectTotalsExact();
}

TEST_F(CorrectionsSessions, AMoveOrANewDurationIsAnEditAndAStaleOneIsRefused) {
  auto trainer = as(trainer_);
  const Reply read = trainer.get(sessionPath(first_));
  ASSERT_EQ(read.status, 200u) << read.describe();
  const std::string tag = read.header("ETag");
  const Reply moved = trainer.patch(
      sessionPath(first_), R"({"starts_at":"2018-03-07T05:00:00Z","duration_minutes":150})",
      {{"If-Match", tag}});
  ASSERT_EQ(moved.status, 200u) << moved.describe();
  EXPECT_EQ(moved.json().at("starts_at").as_string(), "2018-03-07T05:00:00Z");
  EXPECT_EQ(moved.json().at("duration_minutes").to_number<int>(), 150);
  expectTotalsExact();

  // The other phone still holds the first version.
  const Reply stale =
      trainer.patch(sessionPath(first_), R"({"topic":"Жоспар"})", {{"If-Match", tag}});
  ASSERT_TRUE(isProblem(stale, {412}));
  const json::value problem = stale.json();
  const auto& missed = problem.at("changes").as_array();
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0].at("action").as_string(), "edited");
  EXPECT_EQ(trainer.get(sessionPath(first_)).json().at("topic").as_string(), "Карта ауыла");

  // Bad values are refused and change nothing.
  const std::string now = trainer.get(sessionPath(first_)).header("ETag");
  for (const char* body : {R"({"duration_minutes":0})", R"({"starts_at":"tomorrow"})",
                           R"({"starts_at":null})", R"({"colour":"red"})", R"([1])"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(
        isProblem(trainer.patch(sessionPath(first_), body, {{"If-Match", now}}), {400, 422}));
  }
  EXPECT_EQ(trainer.get(sessionPath(first_)).header("ETag"), now);
  EXPECT_EQ(trainer.get(sessionPath(first_)).json().at("duration_minutes").to_number<int>(), 150);
}

TEST_F(CorrectionsSessions, OtherTrainersAndLearnersCannotCorrectASession) {
  for (const auto* who : {&other_, &learner_}) {
    SCOPED_TRACE(who->login);
    auto client = as(*who);
    EXPECT_TRUE(isProblem(
        client.patch(sessionPath(first_), R"({"topic":"x"})", {{"If-Match", "*"}}), {404}));
    EXPECT_TRUE(isProblem(
        client.patch(sessionPath(first_), R"({"cancelled":{"reason":"x"}})", {{"If-Match", "*"}}),
        {404}));
    EXPECT_TRUE(isProblem(client.get(sessionPath(first_, "/history")), {403}));
  }
  // Another trainer learns nothing of it; the learner enrolled in the cohort reads it.
  EXPECT_TRUE(isProblem(as(other_).get(sessionPath(first_)), {404}));
  expectJson(as(learner_).get(sessionPath(first_)), 200);
  EXPECT_TRUE(isProblem(as(trainer_).get(sessionPath(999999)), {404}));
  EXPECT_EQ(as(trainer_).get(sessionPath(first_)).json().at("topic").as_string(), "Карта ауыла");
}

TEST_F(CorrectionsSessions, ACohortsTrainersEditItsPlaceAndDatesAndOnlyAnAdminItsTrainers) {
  auto trainer = as(trainer_);
  const std::string path = "/api/v1/cohorts/" + std::to_string(cohort_);
  const Reply read = trainer.get(path);
  ASSERT_EQ(read.status, 200u) << read.describe();
  const std::string tag = read.header("ETag");
  ASSERT_FALSE(tag.empty());

  const Reply moved = trainer.patch(path, R"({"place":"Мектеп залы","starts_on":"2018-03-04"})",
                                    {{"If-Match", tag}});
  ASSERT_EQ(moved.status, 200u) << moved.describe();
  EXPECT_EQ(moved.json().at("place").as_string(), "Мектеп залы");
  EXPECT_NE(moved.header("ETag"), tag);

  // The other phone's edit on the old version is refused with what it missed.
  const Reply stale = trainer.patch(path, R"({"language":"ru"})", {{"If-Match", tag}});
  ASSERT_TRUE(isProblem(stale, {412}));
  EXPECT_EQ(trainer.get(path).json().at("language").as_string(), "kk");

  // Bad input changes nothing.
  const std::string now = trainer.get(path).header("ETag");
  for (const char* body :
       {R"({"ends_on":"2010-01-01"})", R"({"place":""})", R"({"language":"de"})",
        R"({"course_id":1})", R"({"locality_id":999999})", R"({"place":null})"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(isProblem(trainer.patch(path, body, {{"If-Match", now}}), {400, 422}));
  }
  EXPECT_EQ(trainer.get(path).header("ETag"), now);

  // Only an administrator changes who runs it.
  const std::string both =
      R"({"trainer_ids":[)" + std::to_string(trainer_.id) + "," + std::to_string(third_.id) + "]}";
  EXPECT_TRUE(isProblem(trainer.patch(path, both, {{"If-Match", now}}), {403}));
  EXPECT_TRUE(isProblem(as(third_).get(path), {404}));
  expectJson(as(admin_).edit(path, both), 200);
  expectJson(as(third_).get(path), 200);

  const auto history = expectJson(as(admin_).get(path + "/history"), 200);
  ASSERT_EQ(items(history).size(), 2u) << text(history);
  const auto& first = items(history)[0].as_object();
  EXPECT_EQ(first.at("account_id").to_number<long long>(), trainer_.id);
  EXPECT_EQ(first.at("fields").as_array().size(), 2u);
  EXPECT_EQ(items(history)[1].at("fields").as_array().at(0).at("field").as_string(), "trainer_ids");
  expectTotalsExact();

  // Another trainer and a learner cannot edit it.
  EXPECT_TRUE(isProblem(as(other_).patch(path, R"({"place":"x"})", {{"If-Match", "*"}}), {404}));
  EXPECT_TRUE(
      isProblem(as(learner_).patch(path, R"({"place":"x"})", {{"If-Match", "*"}}), {403, 404}));
  EXPECT_EQ(trainer.get(path).json().at("place").as_string(), "Мектеп залы");
}

TEST_F(CorrectionsSessions, ANewCompletionRuleSaysWhomItChangesAndIssuedCertificatesStay) {
  auto admin = as(admin_);
  const std::string cohort_path = "/api/v1/cohorts/" + std::to_string(cohort_);
  const std::string path = "/api/v1/courses/" + std::to_string(catalogue_.course_id);
  // Aigerim attended both sessions and gets her certificate under the 80 % rule; Bolat one of two.
  const auto issued = expectJson(as(trainer_).post(cohort_path + "/certificates", "{}"), 200);
  ASSERT_EQ(issued.at("issued").as_array().size(), 1u) << text(issued);
  const auto certificate = issued.at("issued").as_array()[0].as_object();
  const std::string certificate_path =
      "/api/v1/certificates/" + std::to_string(certificate.at("id").to_number<long long>());

  // The preview saves nothing and says, per cohort, whom the rule would change.
  const Reply read = admin.get(path);
  ASSERT_EQ(read.status, 200u) << read.describe();
  const std::string tag = read.header("ETag");
  const auto lower = expectJson(
      admin.patch(path + "?dry_run=true", R"({"rule":{"min_attendance_percent":50}})"), 200);
  const auto& changes = lower.at("rule_changes").as_array();
  ASSERT_EQ(changes.size(), 1u) << text(lower);
  EXPECT_EQ(changes[0].at("cohort_id").to_number<long long>(), cohort_);
  EXPECT_EQ(changes[0].at("becomes_eligible").to_number<int>(), 1);
  EXPECT_EQ(changes[0].at("stops_being_eligible").to_number<int>(), 0);
  EXPECT_EQ(lower.at("course").at("rule").at("min_attendance_percent").to_number<int>(), 50);
  const auto stricter =
      expectJson(admin.patch(path + "?dry_run=true",
                             R"({"rule":{"min_attendance_percent":100,"require_all":true}})"),
                 200);
  EXPECT_EQ(stricter.at("rule_changes").at(0).at("stops_being_eligible").to_number<int>(), 0);
  EXPECT_TRUE(isProblem(
      admin.patch(path + "?dry_run=true", R"({"rule":{"min_attendance_percent":101}})"), {422}));
  EXPECT_EQ(admin.get(path).body, read.body);
  EXPECT_EQ(admin.get(path).header("ETag"), tag);

  // Saved: the hours and the rule change, the issued certificate does not.
  const Reply saved = admin.patch(path, R"({"hours":30,"rule":{"min_attendance_percent":50}})",
                                  {{"If-Match", tag}});
  ASSERT_EQ(saved.status, 200u) << saved.describe();
  EXPECT_EQ(saved.json().at("hours").to_number<double>(), 30.0);
  const auto after = expectJson(admin.get(certificate_path), 200);
  EXPECT_EQ(after.at("hours"), certificate.at("hours"));
  EXPECT_EQ(after.at("status").as_string(), "valid");
  EXPECT_TRUE(bolatEligibility(as(trainer_)).at("completed").as_bool());
  const auto history = expectJson(admin.get(path + "/history"), 200);
  ASSERT_EQ(items(history).size(), 1u);
  EXPECT_EQ(items(history)[0].at("fields").as_array().size(), 2u);

  // Stale, bad, and not an administrator's: refused, nothing changed.
  EXPECT_TRUE(isProblem(admin.patch(path, R"({"hours":12})", {{"If-Match", tag}}), {412}));
  const std::string now = admin.get(path).header("ETag");
  for (const char* body : {R"({"hours":0})", R"({"programme_id":1})", R"({"title":{"kk":""}})",
                           R"({"track":"Not A Track"})", R"({"certificate_language":"de"})"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(isProblem(admin.patch(path, body, {{"If-Match", now}}), {400, 422}));
  }
  for (const auto* who : {&trainer_, &other_, &learner_}) {
    SCOPED_TRACE(who->login);
    EXPECT_TRUE(isProblem(as(*who).patch(path, R"({"hours":12})", {{"If-Match", now}}), {403}));
    EXPECT_TRUE(isProblem(
        as(*who).patch(path + "?dry_run=true", R"({"rule":{"min_attendance_percent":10}})"),
        {403}));
  }
  EXPECT_EQ(admin.get(path).header("ETag"), now);
  expectTotalsExact();
}

TEST_F(CorrectionsSessions, AnAdministratorRenamesAProgrammeAndMovesALocalityNeverInsideItself) {
  auto admin = as(admin_);
  const std::string programme = "/api/v1/programmes/" + std::to_string(catalogue_.programme_id);
  const Reply read = admin.get(programme);
  ASSERT_EQ(read.status, 200u) << read.describe();
  const Reply renamed = admin.patch(programme, R"({"donor":"Еуропалық Одақ","youth":{"to":29}})",
                                    {{"If-Match", read.header("ETag")}});
  ASSERT_EQ(renamed.status, 200u) << renamed.describe();
  EXPECT_EQ(renamed.json().at("youth").at("to").to_number<int>(), 29);
  EXPECT_EQ(renamed.json().at("youth").at("from").to_number<int>(),
            read.json().at("youth").at("from").to_number<int>());
  EXPECT_TRUE(isProblem(
      admin.patch(programme, R"({"donor":"x"})", {{"If-Match", read.header("ETag")}}), {412}));
  const std::string now = admin.get(programme).header("ETag");
  for (const char* body : {R"({"code":"OTHER"})", R"({"ends_on":"2000-01-01"})",
                           R"({"youth":{"from":40,"to":20}})", R"({"title":{"ru":""}})"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(isProblem(admin.patch(programme, body, {{"If-Match", now}}), {400, 422}));
  }
  EXPECT_EQ(admin.get(programme).header("ETag"), now);
  const auto programme_history = expectJson(admin.get(programme + "/history"), 200);
  EXPECT_EQ(items(programme_history).back().at("fields").as_array().size(), 2u);

  // A village moves to another district's village list; a district cannot move into its own
  // village.
  const std::string village = "/api/v1/localities/" + std::to_string(catalogue_.other_village_id);
  const std::string district = "/api/v1/localities/" + std::to_string(catalogue_.district_id);
  const auto before = expectJson(admin.get(village), 200);
  expectJson(admin.edit(village, R"({"kato":"631234567","name":{"en":"Kozhokhovo"}})"), 200);
  EXPECT_EQ(expectJson(admin.get(village), 200).at("kato").as_string(), "631234567");
  EXPECT_EQ(expectJson(admin.get(village), 200).at("parent_id"), before.at("parent_id"));
  const std::string tag = admin.get(district).header("ETag");
  EXPECT_TRUE(isProblem(
      admin.patch(district, R"({"parent_id":)" + std::to_string(catalogue_.other_village_id) + "}",
                  {{"If-Match", tag}}),
      {422}));
  EXPECT_TRUE(isProblem(
      admin.patch(district, R"({"parent_id":)" + std::to_string(catalogue_.district_id) + "}",
                  {{"If-Match", tag}}),
      {422}));
  EXPECT_TRUE(
      isProblem(admin.patch(district, R"({"kind":"region"})", {{"If-Match", tag}}), {400, 422}));
  // A KATO code is unique.
  EXPECT_TRUE(
      isProblem(admin.patch(district, R"({"kato":"631234567"})", {{"If-Match", tag}}), {409}));
  EXPECT_EQ(admin.get(district).header("ETag"), tag);
  const auto locality_history = expectJson(admin.get(village + "/history"), 200);
  ASSERT_EQ(items(locality_history).size(), 1u);
  EXPECT_EQ(items(locality_history)[0].at("fields").as_array().size(), 2u);
  expectTotalsExact();

  for (const auto* who : {&trainer_, &other_, &learner_}) {
    SCOPED_TRACE(who->login);
    EXPECT_TRUE(
        isProblem(as(*who).patch(programme, R"({"donor":"x"})", {{"If-Match", "*"}}), {403}));
    EXPECT_TRUE(isProblem(as(*who).patch(village, R"({"kato":null})", {{"If-Match", "*"}}), {403}));
  }
  EXPECT_EQ(expectJson(admin.get(village), 200).at("kato").as_string(), "631234567");
  EXPECT_TRUE(isProblem(admin.get("/api/v1/localities/999999"), {404}));
}

}  // namespace
}  // namespace functional
