// Corrections of people over HTTP: withdrawing an enrolment (and undoing it), the likely
// duplicates, merging two records of one person (and undoing it). Each with the totals as the
// server answers them and `qatysu totals check`, every new id route tried by another trainer and
// by a learner, bad input changing nothing and a stale If-Match refused.

#include <map>
#include <string>

#include "fixture.hpp"

namespace functional {
namespace {

std::string path(std::string_view kind, long long id, std::string_view tail = {}) {
  return "/api/v1/" + std::string(kind) + "/" + std::to_string(id) + std::string(tail);
}

class CorrectionsPeople : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_corrections_people", [] {
      trainer_ = newAccount("trainer", "trainer.people");
      other_ = newAccount("trainer", "trainer.other.people");
      catalogue_ = createCatalogue(as(admin_), "FT-PEOPLE");
      auto trainer = as(trainer_);
      cohort_ = createCohort(trainer, catalogue_.course_id, catalogue_.village_id, "Мектеп");
      second_cohort_ =
          createCohort(trainer, catalogue_.course_id, catalogue_.village_id, "Әкімдік");
      for (int i = 0; i < 2; ++i) {
        sessions_.push_back(createSession(trainer, cohort_,
                                          "2026-03-0" + std::to_string(2 + i) + "T05:00:00Z",
                                          "Тақырып " + std::to_string(i + 1)));
      }
      second_session_ = createSession(trainer, second_cohort_, "2026-03-04T05:00:00Z", "Жоспар");
      learner_person_ =
          registerParticipant(trainer, "Гүлнар Серікқызы Әбенова", 1990, catalogue_.village_id);
      learner_enrolment_ = enrol(trainer, cohort_, learner_person_);
      learner_ = service().createAccount("learner", "learner.people",
                                         {"--participant", std::to_string(learner_person_)});
    });
  }
  static void TearDownTestSuite() { stopService(); }

  static void mark(long long session_id, long long enrolment_id, std::string_view status) {
    expectJson(
        as(trainer_).put(
            path("sessions", session_id, "/attendance"),
            text(json::object{{"marks", json::array{json::object{{"enrolment_id", enrolment_id},
                                                                 {"status", status}}}}})),
        200);
  }

  static json::object total() {
    const auto report = expectJson(
        as(admin_).get("/api/v1/totals?programme=" + std::to_string(catalogue_.programme_id)), 200);
    return report.at("total").as_object();
  }

  static long long measure(std::string_view name) {
    return total().at(name).to_number<long long>();
  }

  /// `qatysu totals check` against the server's database: 0 differences.
  static void expectTotalsExact() {
    const auto check = support::http::runCli({"totals", "check"}, service().database().url());
    EXPECT_EQ(check.exit_code, 0) << check.describe();
  }

  static bool onSheet(long long session_id, long long enrolment_id) {
    const auto sheet =
        expectJson(as(trainer_).get(path("sessions", session_id, "/attendance")), 200);
    for (const auto& row : sheet.at("rows").as_array()) {
      if (row.at("enrolment_id").to_number<long long>() == enrolment_id) return true;
    }
    return false;
  }

  static bool eligible(long long cohort_id, long long enrolment_id) {
    const auto list = expectJson(as(trainer_).get(path("cohorts", cohort_id, "/eligibility")), 200);
    for (const auto& row : items(list)) {
      if (row.at("enrolment_id").to_number<long long>() == enrolment_id) return true;
    }
    return false;
  }

  static inline Account trainer_, other_, learner_;
  static inline Catalogue catalogue_;
  static inline long long cohort_ = 0, second_cohort_ = 0, second_session_ = 0;
  static inline std::vector<long long> sessions_;
  static inline long long learner_person_ = 0, learner_enrolment_ = 0;
};

TEST_F(CorrectionsPeople, AWithdrawnPersonCountsNowhereUntilTheWithdrawalIsUndone) {
  auto trainer = as(trainer_);
  const long long person =
      registerParticipant(trainer, "Дәурен Асқарұлы Жұмабеков", 1988, catalogue_.village_id);
  const long long enrolment = enrol(trainer, cohort_, person);
  mark(sessions_[0], enrolment, "present");
  const long long enrolled = measure("enrolled");
  const long long reached = measure("reached");
  const std::string target = path("enrolments", enrolment);

  const Reply read = trainer.get(target);
  ASSERT_EQ(read.status, 200u) << read.describe();
  const std::string tag = read.header("ETag");
  EXPECT_TRUE(read.json().at("withdrawn").is_null());

  // Bad input and a missing or stale If-Match change nothing.
  const std::string body = R"({"withdrawn":{"reason":"Басқа ауданға көшті"}})";
  EXPECT_TRUE(isProblem(trainer.patch(target, body), {428}));
  EXPECT_TRUE(isProblem(
      trainer.patch(target, R"({"withdrawn":{"reason":"x"}})", {{"If-Match", tag}}), {422}));
  EXPECT_TRUE(isProblem(trainer.patch(target, R"({"withdrawn":{}})", {{"If-Match", tag}}), {422}));
  EXPECT_TRUE(isProblem(
      trainer.patch(target, R"({"reason":"Басқа ауданға көшті"})", {{"If-Match", tag}}), {400}));
  EXPECT_TRUE(isProblem(trainer.patch(target, body, {{"If-Match", "\"v99\""}}), {412}));
  // Another trainer and a learner learn nothing and change nothing.
  EXPECT_TRUE(isProblem(as(other_).get(target), {404}));
  EXPECT_TRUE(isProblem(as(other_).patch(target, body, {{"If-Match", tag}}), {404}));
  EXPECT_TRUE(isProblem(as(learner_).get(target), {403, 404}));
  EXPECT_TRUE(isProblem(as(learner_).patch(target, body, {{"If-Match", tag}}), {403, 404}));
  EXPECT_EQ(trainer.get(target).body, read.body);
  EXPECT_EQ(measure("enrolled"), enrolled);

  const Reply withdrawn = trainer.patch(target, body, {{"If-Match", tag}});
  ASSERT_EQ(withdrawn.status, 200u) << withdrawn.describe();
  EXPECT_NE(withdrawn.header("ETag"), tag);
  EXPECT_EQ(withdrawn.json().at("withdrawn").at("reason").as_string(), "Басқа ауданға көшті");
  // A second phone that still holds the first version is told what changed.
  const Reply stale = trainer.patch(target, R"({"withdrawn":null})", {{"If-Match", tag}});
  ASSERT_TRUE(isProblem(stale, {412}));
  EXPECT_EQ(stale.json().at("changes").as_array().size(), 1u);

  EXPECT_EQ(measure("enrolled"), enrolled - 1);
  EXPECT_EQ(measure("reached"), reached - 1);
  EXPECT_FALSE(onSheet(sessions_[0], enrolment));
  EXPECT_FALSE(eligible(cohort_, enrolment));
  // Marking a withdrawn person is refused; no certificate for them.
  EXPECT_TRUE(isProblem(
      trainer.put(path("sessions", sessions_[1], "/attendance"),
                  text(json::object{{"marks", json::array{json::object{{"enrolment_id", enrolment},
                                                                       {"status", "present"}}}}})),
      {422}));
  EXPECT_TRUE(isProblem(trainer.post(target + "/certificate", "{}"), {409}));
  expectTotalsExact();

  // In the person's history, with who, why and the old and new value.
  const auto history = expectJson(as(admin_).get(path("participants", person, "/history")), 200);
  const auto& last = items(history).back();
  EXPECT_EQ(last.at("entity").as_string(), "enrolment");
  EXPECT_EQ(last.at("action").as_string(), "withdrawn");
  EXPECT_EQ(last.at("participant_id").to_number<long long>(), person);
  EXPECT_EQ(last.at("reason").as_string(), "Басқа ауданға көшті");
  EXPECT_TRUE(last.at("fields").at(0).at("old").is_null());

  // Undone: counted again, with the marks they had.
  const Reply restored = trainer.edit(target, R"({"withdrawn":null})");
  ASSERT_EQ(restored.status, 200u) << restored.describe();
  EXPECT_TRUE(restored.json().at("withdrawn").is_null());
  EXPECT_TRUE(isProblem(trainer.edit(target, R"({"withdrawn":null})"), {409}));
  EXPECT_EQ(measure("enrolled"), enrolled);
  EXPECT_EQ(measure("reached"), reached);
  EXPECT_TRUE(onSheet(sessions_[0], enrolment));
  expectTotalsExact();
}

TEST_F(CorrectionsPeople, SomeoneHoldingAValidCertificateIsNotWithdrawnUntilItIsRevoked) {
  auto trainer = as(trainer_);
  const long long person =
      registerParticipant(trainer, "Айгерім Болатқызы Нұрланова", 1993, catalogue_.village_id);
  const long long enrolment = enrol(trainer, second_cohort_, person);
  mark(second_session_, enrolment, "present");
  const auto certificate =
      expectJson(trainer.post(path("enrolments", enrolment, "/certificate"), "{}"), 201);
  const std::string body = R"({"withdrawn":{"reason":"Қате тіркелді"}})";
  const Reply refused = trainer.edit(path("enrolments", enrolment), body);
  ASSERT_TRUE(isProblem(refused, {409}));
  EXPECT_TRUE(trainer.get(path("enrolments", enrolment)).json().at("withdrawn").is_null());
  expectJson(
      trainer.post(path("certificates", certificate.at("id").to_number<long long>(), "/revoke"),
                   R"({"reason":"Қате тіркелді"})"),
      200);
  expectJson(trainer.edit(path("enrolments", enrolment), body), 200);
  expectTotalsExact();
}

TEST_F(CorrectionsPeople, MergingTwoRecordsCountsThePersonOnceAndCanBeUndone) {
  auto trainer = as(trainer_);
  auto other_trainer = as(other_);
  // The same woman registered twice (the second time confirmed as new).
  const long long kept =
      registerParticipant(trainer, "Мәдина Ерланқызы Сапарова", 1985, catalogue_.village_id);
  const long long twin =
      registerParticipant(trainer, "Мадина Ерланкызы Сапарова", 1985, catalogue_.village_id);
  const long long kept_enrolment = enrol(trainer, cohort_, kept);
  const long long twin_enrolment = enrol(trainer, cohort_, twin);
  const long long twin_second = enrol(trainer, second_cohort_, twin);
  mark(sessions_[0], kept_enrolment, "absent");
  mark(sessions_[0], twin_enrolment, "present");
  mark(sessions_[1], twin_enrolment, "late");
  mark(second_session_, twin_second, "present");
  const long long enrolled = measure("enrolled");
  const long long reached = measure("reached");

  // The likely duplicates list has the pair, for administrators only.
  const auto duplicates = expectJson(as(admin_).get("/api/v1/participants/duplicates"), 200);
  bool listed = false;
  for (const auto& pair : items(duplicates)) {
    listed = listed || (pair.at("first").at("id").to_number<long long>() == kept &&
                        pair.at("second").at("id").to_number<long long>() == twin);
  }
  EXPECT_TRUE(listed) << text(duplicates);
  EXPECT_TRUE(isProblem(trainer.get("/api/v1/participants/duplicates"), {403}));
  EXPECT_TRUE(isProblem(as(learner_).get("/api/v1/participants/duplicates"), {403}));

  // A person's record with their enrolments and marks: administrators only.
  const auto record = expectJson(as(admin_).get(path("participants", twin, "/record")), 200);
  EXPECT_EQ(record.at("enrolments").as_array().size(), 2u);
  EXPECT_EQ(record.at("marks").as_array().size(), 3u);
  for (const auto* who : {&trainer_, &other_, &learner_}) {
    EXPECT_TRUE(isProblem(as(*who).get(path("participants", twin, "/record")), {403}));
  }

  // The preview: both records and the conflicting mark of session 1.
  const std::string merge = path("participants", kept, "/merge");
  const Reply preview = as(admin_).get(merge + "?other=" + std::to_string(twin));
  ASSERT_EQ(preview.status, 200u) << preview.describe();
  const auto preview_json = preview.json();
  const auto& conflicts = preview_json.at("conflicts").as_array();
  ASSERT_EQ(conflicts.size(), 1u) << preview.body;
  EXPECT_EQ(conflicts[0].at("kind").as_string(), "marks");
  EXPECT_EQ(conflicts[0].at("session_id").to_number<long long>(), sessions_[0]);
  EXPECT_EQ(conflicts[0].at("kept_status").as_string(), "absent");
  EXPECT_EQ(conflicts[0].at("other_status").as_string(), "present");
  const std::string tag = preview.header("ETag");
  for (const auto* who : {&trainer_, &other_, &learner_}) {
    EXPECT_TRUE(isProblem(as(*who).get(merge + "?other=" + std::to_string(twin)), {403}));
    EXPECT_TRUE(isProblem(
        as(*who).post(merge, text(json::object{{"other", twin}}), {{"If-Match", tag}}), {403}));
  }

  // Unresolved, resolved with a status neither has, or stale: refused, nothing changes.
  const Reply unresolved =
      as(admin_).post(merge, text(json::object{{"other", twin}}), {{"If-Match", tag}});
  ASSERT_TRUE(isProblem(unresolved, {409}));
  EXPECT_EQ(unresolved.json().at("conflicts").as_array().size(), 1u);
  const auto choose = [&](std::string_view status) {
    return text(json::object{
        {"other", twin},
        {"marks", json::array{json::object{{"session_id", sessions_[0]}, {"status", status}}}}});
  };
  EXPECT_TRUE(isProblem(as(admin_).post(merge, choose("excused"), {{"If-Match", tag}}), {422}));
  EXPECT_TRUE(isProblem(as(admin_).post(merge, choose("present")), {428}));
  EXPECT_TRUE(
      isProblem(as(admin_).post(merge, choose("present"), {{"If-Match", "\"v99\""}}), {412}));
  EXPECT_TRUE(isProblem(as(admin_).post(path("participants", kept, "/merge"),
                                        text(json::object{{"other", kept}}), {{"If-Match", tag}}),
                        {422}));
  EXPECT_EQ(measure("enrolled"), enrolled);

  const Reply merged = as(admin_).post(merge, choose("present"), {{"If-Match", tag}});
  ASSERT_EQ(merged.status, 200u) << merged.describe();
  const auto change = merged.json().at("change").as_object();
  EXPECT_EQ(change.at("action").as_string(), "merged");
  EXPECT_TRUE(change.at("undoable").as_bool());
  const long long change_id = change.at("id").to_number<long long>();

  // Counted once: the twin's enrolment in the shared cohort is withdrawn into the kept one. Only
  // the twin had been reached, so one person is reached, as before.
  EXPECT_EQ(measure("enrolled"), enrolled - 1);
  EXPECT_EQ(measure("reached"), reached);
  expectTotalsExact();
  const auto sheet = expectJson(trainer.get(path("sessions", sessions_[0], "/attendance")), 200);
  std::map<long long, std::string> statuses;
  for (const auto& row : sheet.at("rows").as_array()) {
    if (row.at("status").is_string()) {
      statuses[row.at("enrolment_id").to_number<long long>()] =
          std::string(row.at("status").as_string());
    }
  }
  EXPECT_EQ(statuses[kept_enrolment], "present");
  EXPECT_FALSE(statuses.contains(twin_enrolment));
  // The moved enrolment is the kept person's; the twin is shown nowhere but to administrators.
  EXPECT_EQ(trainer.get(path("enrolments", twin_second))
                .json()
                .at("participant_id")
                .to_number<long long>(),
            kept);
  EXPECT_TRUE(isProblem(trainer.get(path("participants", twin)), {404}));
  EXPECT_TRUE(isProblem(as(admin_).get(path("participants", twin, "/record")), {404}));
  EXPECT_EQ(
      as(admin_).get(path("participants", twin)).json().at("merged_into").to_number<long long>(),
      kept);
  const auto search = expectJson(as(admin_).get("/api/v1/participants?q=Сапарова"), 200);
  for (const auto& person : items(search)) {
    EXPECT_NE(person.at("id").to_number<long long>(), twin);
  }
  for (const auto& pair :
       items(expectJson(as(admin_).get("/api/v1/participants/duplicates"), 200))) {
    EXPECT_NE(pair.at("second").at("id").to_number<long long>(), twin);
  }
  // In the kept person's history, undoable.
  const auto history = expectJson(as(admin_).get(path("participants", kept, "/history")), 200);
  EXPECT_EQ(items(history).back().at("id").to_number<long long>(), change_id);

  // Undone from the history (administrators only): everything as it was, once.
  const std::string undo = path("changes", change_id, "/undo");
  EXPECT_TRUE(isProblem(trainer.post(undo, "{}"), {403}));
  EXPECT_TRUE(isProblem(as(learner_).post(undo, "{}"), {403}));
  EXPECT_TRUE(isProblem(other_trainer.post(undo, "{}"), {403}));
  EXPECT_TRUE(isProblem(as(admin_).post(path("changes", 999999, "/undo"), "{}"), {404}));
  const Reply undone = as(admin_).post(undo, "{}");
  ASSERT_EQ(undone.status, 200u) << undone.describe();
  EXPECT_EQ(undone.json().at("change").at("action").as_string(), "unmerged");
  EXPECT_TRUE(isProblem(as(admin_).post(undo, "{}"), {409}));
  EXPECT_EQ(measure("enrolled"), enrolled);
  EXPECT_EQ(measure("reached"), reached);
  expectTotalsExact();
  EXPECT_TRUE(as(admin_).get(path("participants", twin)).json().at("merged_into").is_null());
  EXPECT_EQ(trainer.get(path("enrolments", twin_second))
                .json()
                .at("participant_id")
                .to_number<long long>(),
            twin);
  const auto after = expectJson(trainer.get(path("sessions", sessions_[0], "/attendance")), 200);
  for (const auto& row : after.at("rows").as_array()) {
    const long long id = row.at("enrolment_id").to_number<long long>();
    if (id == kept_enrolment) {
      EXPECT_EQ(row.at("status").as_string(), "absent");
    } else if (id == twin_enrolment) {
      EXPECT_EQ(row.at("status").as_string(), "present");
    }
  }
}

}  // namespace
}  // namespace functional
