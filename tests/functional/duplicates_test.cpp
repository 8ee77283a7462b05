// Participant de-duplication over HTTP: the same normalised name + birth year + locality makes
// the trainer choose between the existing person (same_person) and a new one (not_duplicate).

#include <array>
#include <set>
#include <string>
#include <string_view>

#include "fixture.hpp"

namespace functional {
namespace {

class Duplicates : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_dup", [] {
      trainer_ = newAccount("trainer", "trainer.dup");
      other_trainer_ = newAccount("trainer", "trainer.dup2");
      catalogue_ = createCatalogue(as(admin_), "FT-DUP");
    });
  }
  static void TearDownTestSuite() { stopService(); }

  /// POST /participants with `full_name`, 1990, the village, and `extra` members.
  static Reply registerAs(const Account& who, std::string_view full_name, int birth_year,
                          long long locality_id, json::object extra = {}) {
    auto body = participantBody(full_name, birth_year, locality_id);
    for (auto& [key, value] : extra) body[key] = value;
    return as(who).post("/api/v1/participants", text(body));
  }

  static inline Account trainer_;
  static inline Account other_trainer_;
  static inline Catalogue catalogue_;
};

/// Ids of the "candidates" of a 409 duplicate problem.
std::set<long long> candidateIds(const Reply& reply) {
  std::set<long long> ids;
  auto body = reply.json();
  for (const auto& c : body.at("candidates").as_array()) {
    ids.insert(c.at("id").to_number<long long>());
  }
  return ids;
}

TEST_F(Duplicates, SameNameInAnotherCaseIsADuplicate) {
  long long village = catalogue_.village_id;
  long long existing =
      createdId(registerAs(trainer_, "Айгерім Сәбитқызы Жұмабаева", 1990, village));
  std::size_t count = countParticipants(as(admin_));

  auto reply = registerAs(trainer_, "  АЙГЕРІМ   сәбитқызы ЖҰМАБАЕВА ", 1990, village);
  ASSERT_TRUE(isProblem(reply, {409}));
  auto problem = reply.json();
  EXPECT_TRUE(problem.at("type").as_string().ends_with("/duplicate-participant")) << reply.body;
  ASSERT_TRUE(problem.as_object().contains("candidates")) << reply.body;
  ASSERT_EQ(problem.at("candidates").as_array().size(), 1u) << reply.body;
  const auto& candidate = problem.at("candidates").as_array()[0];
  EXPECT_EQ(candidate.at("id").to_number<long long>(), existing);
  EXPECT_EQ(candidate.at("full_name").as_string(), "Айгерім Сәбитқызы Жұмабаева");
  EXPECT_EQ(candidate.at("birth_year").to_number<int>(), 1990);
  EXPECT_EQ(candidate.at("locality_id").to_number<long long>(), village);
  EXPECT_EQ(countParticipants(as(admin_)), count) << "a 409 stored someone";
}

TEST_F(Duplicates, YoAndYeAreTheSameLetter) {
  long long village = catalogue_.village_id;
  long long existing = createdId(registerAs(trainer_, "Пётр Семёнович Алёшин", 1975, village));
  auto reply = registerAs(trainer_, "Петр Семенович Алешин", 1975, village);
  ASSERT_TRUE(isProblem(reply, {409}));
  EXPECT_EQ(candidateIds(reply), std::set<long long>{existing});
}

// The same person typed another way: г for ғ, the given name first, a Latin spelling. Each is
// asked about, the candidates best first; a namesake in the next village alone is not.
TEST_F(Duplicates, TheSamePersonTypedAnotherWayIsADuplicate) {
  const long long village = catalogue_.village_id;
  const long long existing = createdId(registerAs(trainer_, "Ахметов Талғат", 1983, village));
  for (const std::string_view typed :
       {"Ахметов Талгат", "Талғат Ахметов", "Akhmetov Talgat", "Ахметов Талғат Серікұлы"}) {
    auto reply = registerAs(trainer_, typed, 1983, village);
    ASSERT_TRUE(isProblem(reply, {409})) << typed;
    EXPECT_EQ(candidateIds(reply), std::set<long long>{existing}) << typed;
  }
  const long long next_door =
      createdId(registerAs(trainer_, "Ахметов Талғат", 1983, catalogue_.other_village_id));
  auto reply = registerAs(trainer_, "Талгат Ахметов", 1983, village);
  ASSERT_TRUE(isProblem(reply, {409}));
  const auto problem = reply.json();
  const auto& ranked = problem.at("candidates").as_array();
  ASSERT_EQ(ranked.size(), 2u) << reply.body;
  EXPECT_EQ(ranked[0].at("id").to_number<long long>(), existing) << "the same village first";
  EXPECT_EQ(ranked[1].at("id").to_number<long long>(), next_door);
  // Different people with similar names are not asked about.
  EXPECT_EQ(registerAs(trainer_, "Ахметов Асқар", 1983, village).status, 201u);
  EXPECT_EQ(registerAs(trainer_, "Ахметова Талғат", 1983, village).status, 201u);
}

TEST_F(Duplicates, SearchFindsAPersonHoweverTheNameIsTyped) {
  const long long village = catalogue_.village_id;
  const long long person =
      createdId(registerAs(trainer_, "Жұмабекова Айгерім Серікқызы", 1992, village));
  // Latin, a Russian keyboard's letters ("Айгерим Жумабекова"), a beginning of each word.
  for (const std::string_view query :
       {"Zhumabekova%20Aigerim", "Aygerim%20Jumabekova",
        "%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D0%B8%D0%BC%20%D0%96%D1%83%D0%BC%D0%B0%D0%B1%D0%B5%D0%BA%D0%BE%D0%B2%D0%B0",
        "aig%20zhum"}) {
    auto found = expectJson(as(trainer_).get("/api/v1/participants?q=" + std::string(query)), 200);
    std::set<long long> ids;
    for (const auto& item : items(found)) ids.insert(item.at("id").to_number<long long>());
    EXPECT_TRUE(ids.contains(person)) << query << ": " << text(found);
    auto everyone = expectJson(as(admin_).get("/api/v1/participants?q=" + std::string(query)), 200);
    EXPECT_FALSE(items(everyone).empty()) << query;
    auto other = expectJson(as(other_trainer_).get("/api/v1/participants?q=" + std::string(query)),
                            200);
    for (const auto& item : items(other)) {
      EXPECT_NE(item.at("id").to_number<long long>(), person) << "seen by another trainer";
    }
  }
}

TEST_F(Duplicates, AnotherBirthYearOrLocalityIsNotADuplicate) {
  long long village = catalogue_.village_id;
  long long first = createdId(registerAs(trainer_, "Мәди Ержанұлы Қонаев", 1980, village));
  long long other_year = createdId(registerAs(trainer_, "Мәди Ержанұлы Қонаев", 1981, village));
  long long other_place =
      createdId(registerAs(trainer_, "Мәди Ержанұлы Қонаев", 1980, catalogue_.other_village_id));
  EXPECT_NE(first, other_year);
  EXPECT_NE(first, other_place);
  EXPECT_NE(other_year, other_place);
}

TEST_F(Duplicates, SamePersonConfirmedReturnsTheExistingOne) {
  long long village = catalogue_.village_id;
  long long existing = createdId(registerAs(trainer_, "Гүлжан Өмірқызы Ыбырайқызы", 1966, village));
  std::size_t count = countParticipants(as(admin_));
  auto reply = registerAs(trainer_, "гүлжан өмірқызы ыбырайқызы", 1966, village,
                          {{"same_person", existing}});
  auto body = expectJson(reply, 200);
  EXPECT_EQ(body.at("id").to_number<long long>(), existing);
  EXPECT_EQ(body.at("full_name").as_string(), "Гүлжан Өмірқызы Ыбырайқызы")
      << "confirming the same person must not rewrite the stored name";
  EXPECT_EQ(countParticipants(as(admin_)), count);
}

TEST_F(Duplicates, NotDuplicateCreatesASecondPerson) {
  long long village = catalogue_.village_id;
  long long existing = createdId(registerAs(trainer_, "Серік Болатұлы Ахметов", 1979, village));
  std::size_t count = countParticipants(as(admin_));
  auto reply =
      registerAs(trainer_, "Серік Болатұлы Ахметов", 1979, village, {{"not_duplicate", true}});
  long long second = createdId(reply, 201);
  EXPECT_NE(second, existing);
  EXPECT_EQ(countParticipants(as(admin_)), count + 1);
  // Both are candidates from now on.
  auto third = registerAs(trainer_, "СЕРІК БОЛАТҰЛЫ АХМЕТОВ", 1979, village);
  ASSERT_TRUE(isProblem(third, {409}));
  EXPECT_EQ(candidateIds(third), (std::set<long long>{existing, second}));
}

TEST_F(Duplicates, AnotherTrainerConfirmingTheSamePersonMaySeeThem) {
  long long village = catalogue_.village_id;
  long long existing =
      createdId(registerAs(trainer_, "Жанар Төлеуқызы Иманғалиева", 1995, village));
  auto path = "/api/v1/participants/" + std::to_string(existing);
  EXPECT_TRUE(isProblem(as(other_trainer_).get(path), {404}));
  auto conflict = registerAs(other_trainer_, "Жанар Төлеуқызы Иманғалиева", 1995, village);
  ASSERT_TRUE(isProblem(conflict, {409}));
  // The other trainer may not see the person: no id, a confirmation that stands for it.
  const json::object candidate = conflict.json().at("candidates").at(0).as_object();
  EXPECT_FALSE(candidate.contains("id")) << conflict.describe();
  EXPECT_TRUE(isProblem(registerAs(other_trainer_, "Жанар Төлеуқызы Иманғалиева", 1995, village,
                                   {{"same_person", existing}}),
                        {400, 422}))
      << "a bare id of someone they may not see confirms nobody";
  auto confirmed = registerAs(other_trainer_, "Жанар Төлеуқызы Иманғалиева", 1995, village,
                              {{"same_person", candidate.at("confirmation")}});
  EXPECT_EQ(createdId(confirmed, 200), existing);
  EXPECT_EQ(expectJson(as(other_trainer_).get(path), 200).at("id").to_number<long long>(),
            existing);
}

// A CSV import through the real server and MariaDB: the batch asks the same duplicate question
// as POST /participants, enrols the rest, writes nothing for a refused row or a dry run, and
// takes 500 rows in one body larger than the server's usual 64 KiB.
TEST_F(Duplicates, EnrolmentBatchAsksTheSameQuestionAndEnrolsTheRest) {
  const long long village = catalogue_.village_id;
  const long long cohort =
      createCohort(as(trainer_), catalogue_.course_id, village, "Ауылдық клуб");
  const std::string path = "/api/v1/cohorts/" + std::to_string(cohort) + "/enrolments/batch";
  const long long existing =
      createdId(registerAs(trainer_, "Бақытгүл Жомартқызы Сейітова", 1971, village));
  const auto row = [&](std::string_view name, int year, json::object extra = {}) {
    json::object body = participantBody(name, year, village);
    for (auto& [key, value] : extra) body[key] = value;
    return body;
  };
  const std::size_t before = countParticipants(as(admin_));

  // A dry run answers as the batch would and stores nobody.
  json::array rows{row("Ерлан Маратұлы Дәулетов", 1988), row("бақытгүл жомартқызы сейітова", 1971),
                   row("Әсел Нұрланқызы", 1850)};
  auto dry = expectJson(
      as(trainer_).post(path, text(json::object{{"rows", rows}, {"dry_run", true}})), 200);
  EXPECT_EQ(dry.at("results").at(0).at("status").as_string(), "enrolled") << text(dry);
  EXPECT_EQ(dry.at("results").at(1).at("status").as_string(), "duplicate") << text(dry);
  EXPECT_EQ(dry.at("results").at(2).at("status").as_string(), "invalid") << text(dry);
  EXPECT_EQ(countParticipants(as(admin_)), before) << "a dry run stored someone";

  auto done = expectJson(as(trainer_).post(path, text(json::object{{"rows", rows}})), 200);
  const auto& results = done.at("results").as_array();
  ASSERT_EQ(results.size(), 3u) << text(done);
  EXPECT_EQ(results[0].at("status").as_string(), "enrolled");
  EXPECT_EQ(results[1].at("status").as_string(), "duplicate");
  EXPECT_EQ(results[1].at("candidates").at(0).at("id").to_number<long long>(), existing);
  EXPECT_EQ(results[2].at("status").as_string(), "invalid");
  EXPECT_EQ(results[2].at("errors").at(0).at("field").as_string(), "birth_year");
  EXPECT_EQ(done.at("enrolled").to_number<int>(), 1);
  EXPECT_EQ(done.at("failed").to_number<int>(), 2);
  EXPECT_EQ(countParticipants(as(admin_)), before + 1) << "a refused row stored someone";

  // Sent again with the trainer's answer: the first row is in already, the second joins.
  rows[1].as_object()["same_person"] = existing;
  auto again = expectJson(as(trainer_).post(path, text(json::object{{"rows", rows}})), 200);
  EXPECT_EQ(again.at("results").at(0).at("status").as_string(), "already_enrolled") << text(again);
  EXPECT_EQ(again.at("results").at(0).at("enrolment_id"), results[0].at("enrolment_id"));
  EXPECT_EQ(again.at("results").at(1).at("status").as_string(), "enrolled") << text(again);
  EXPECT_EQ(again.at("results").at(1).at("participant_id").to_number<long long>(), existing);
  const auto listed = expectJson(
      as(trainer_).get("/api/v1/cohorts/" + std::to_string(cohort) + "/enrolments"), 200);
  EXPECT_EQ(items(listed).size(), 2u);

  // Someone else's cohort is not found; a learner may never import.
  EXPECT_TRUE(isProblem(as(other_trainer_).post(path, text(json::object{{"rows", rows}})), {404}));

  // 500 rows of long names: over 64 KiB, read whole and enrolled.
  json::array many;
  for (int i = 0; i < 500; ++i) {
    // Names differ in three consonants between vowels (no digits in a name): 500 people, no
    // two alike even as the duplicate rule reads them (ә/а, қ/к and doubled letters are one).
    static constexpr std::array<std::string_view, 8> kLetters{"б", "в", "г", "з",
                                                              "к", "л", "м", "н"};
    const auto letter = [&](int n) { return std::string(kLetters[static_cast<std::size_t>(n % 8)]); };
    const std::string tag = letter(i / 64) + "а" + letter(i / 8) + "е" + letter(i);
    many.push_back(row("Қаныш Сәтбайұлы Имантайұлы-Жақыпбеков " + tag + "ов", 1990,
                       {{"phone", "+77001234567"}, {"email", "person@example.kz"}}));
  }
  const std::string big = text(json::object{{"rows", many}});
  ASSERT_GT(big.size(), 64u * 1024u);
  auto bulk = expectJson(as(trainer_).post(path, big), 200);
  EXPECT_EQ(bulk.at("enrolled").to_number<int>(), 500) << bulk.at("results").at(0);
  EXPECT_EQ(bulk.at("failed").to_number<int>(), 0);
  many.push_back(row("Бір артық", 1990));
  EXPECT_TRUE(isProblem(as(trainer_).post(path, text(json::object{{"rows", many}})), {422}));
}

}  // namespace
}  // namespace functional
