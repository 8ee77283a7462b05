// Participant de-duplication over HTTP: the same normalised name + birth year + locality makes
// the trainer choose between the existing person (same_person) and a new one (not_duplicate).

#include <set>

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
  EXPECT_EQ(candidateIds(conflict), std::set<long long>{existing});
  auto confirmed = registerAs(other_trainer_, "Жанар Төлеуқызы Иманғалиева", 1995, village,
                              {{"same_person", existing}});
  EXPECT_EQ(createdId(confirmed, 200), existing);
  EXPECT_EQ(expectJson(as(other_trainer_).get(path), 200).at("id").to_number<long long>(),
            existing);
}

}  // namespace
}  // namespace functional
