// Corrections over HTTP: every edit names the version it was read at (ETag / If-Match), a stale
// edit is a 412 that shows what changed, and every change is in the entity's history, which only
// administrators read.

#include <string>

#include "fixture.hpp"

namespace functional {
namespace {

class Corrections : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_corrections", [] {
      trainer_ = newAccount("trainer", "trainer.edits");
      other_ = newAccount("trainer", "trainer.elsewhere");
      catalogue_ = createCatalogue(as(admin_), "FT-EDIT");
      person_ =
          registerParticipant(as(trainer_), "Сәуле Қанатқызы Бекова", 1991, catalogue_.village_id);
    });
  }
  static void TearDownTestSuite() { stopService(); }

  static std::string personPath(std::string_view tail = {}) {
    return "/api/v1/participants/" + std::to_string(person_) + std::string(tail);
  }

  static inline Account trainer_, other_;
  static inline Catalogue catalogue_;
  static inline long long person_ = 0;
};

TEST_F(Corrections, AnEditNamesTheVersionItWasReadAtAndAStaleOneShowsWhatChanged) {
  auto trainer = as(trainer_);
  const Reply read = trainer.get(personPath());
  ASSERT_EQ(read.status, 200u) << read.describe();
  const std::string first_tag = read.header("ETag");
  ASSERT_FALSE(first_tag.empty());

  // Without If-Match an edit is refused and changes nothing.
  EXPECT_TRUE(isProblem(trainer.patch(personPath(), R"({"birth_year":1992})"), {428}));
  EXPECT_TRUE(isProblem(
      trainer.patch(personPath(), R"({"birth_year":1992})", {{"If-Match", "not a tag"}}), {400}));
  EXPECT_EQ(trainer.get(personPath()).body, read.body);

  // The first phone edits on the version it read: a new version.
  const Reply first =
      trainer.patch(personPath(), R"({"birth_year":1992})", {{"If-Match", first_tag}});
  ASSERT_EQ(first.status, 200u) << first.describe();
  const std::string second_tag = first.header("ETag");
  EXPECT_NE(second_tag, first_tag);
  EXPECT_EQ(trainer.get(personPath()).header("ETag"), second_tag);

  // The second phone still holds the first version: 412, with the person as they are now and
  // the change it missed, and nothing overwritten.
  const Reply stale =
      trainer.patch(personPath(), R"({"phone":"+7 701 555 0101"})", {{"If-Match", first_tag}});
  ASSERT_TRUE(isProblem(stale, {412}));
  const auto problem = stale.json().as_object();
  EXPECT_EQ(problem.at("current").at("birth_year").to_number<int>(), 1992);
  EXPECT_TRUE(problem.at("current").at("phone").is_null());
  EXPECT_EQ(problem.at("current_etag").as_string(), second_tag);
  EXPECT_EQ(stale.header("ETag"), second_tag);
  const auto& missed = problem.at("changes").as_array();
  ASSERT_EQ(missed.size(), 1u);
  const auto& field = missed[0].at("fields").as_array().at(0).as_object();
  EXPECT_EQ(field.at("field").as_string(), "birth_year");
  EXPECT_EQ(field.at("old").to_number<int>(), 1991);
  EXPECT_EQ(field.at("new").to_number<int>(), 1992);
  EXPECT_TRUE(trainer.get(personPath()).json().at("phone").is_null());

  // Tried again on the version it was shown, the edit applies; "*" edits whatever is there.
  expectJson(trainer.patch(personPath(), R"({"phone":"+7 701 555 0101"})",
                           {{"If-Match", std::string(problem.at("current_etag").as_string())}}),
             200);
  expectJson(trainer.patch(personPath(), R"({"email":"saule@example.kz"})", {{"If-Match", "*"}}),
             200);
  // An edit that changes nothing is no new version.
  const std::string tag_now = trainer.get(personPath()).header("ETag");
  EXPECT_EQ(trainer.patch(personPath(), R"({"email":"saule@example.kz"})", {{"If-Match", tag_now}})
                .header("ETag"),
            tag_now);
}

TEST_F(Corrections, EveryChangeIsInTheHistoryWhichOnlyAdministratorsRead) {
  auto trainer = as(trainer_);
  expectJson(trainer.edit(personPath(), R"({"full_name":"Сәуле Қанатқызы Бекова-Омар"})"), 200);
  const auto history = expectJson(as(admin_).get(personPath("/history")), 200);
  const auto& items = history.at("items").as_array();
  ASSERT_FALSE(items.empty());
  const auto& last = items.back().as_object();
  EXPECT_EQ(last.at("entity").as_string(), "participant");
  EXPECT_EQ(last.at("entity_id").to_number<long long>(), person_);
  EXPECT_EQ(last.at("action").as_string(), "edited");
  EXPECT_EQ(last.at("account_id").to_number<long long>(), trainer_.id);
  EXPECT_FALSE(last.at("at").as_string().empty());
  const auto& field = last.at("fields").as_array().at(0).as_object();
  EXPECT_EQ(field.at("field").as_string(), "full_name");
  EXPECT_EQ(field.at("new").as_string(), "Сәуле Қанатқызы Бекова-Омар");
  // Versions rise by one per change, in order.
  for (std::size_t i = 1; i < items.size(); ++i) {
    EXPECT_EQ(items[i].at("version").to_number<int>(),
              items[i - 1].at("version").to_number<int>() + 1);
  }

  // Neither the trainer who made the change, another trainer, nor a learner reads it.
  EXPECT_TRUE(isProblem(trainer.get(personPath("/history")), {403}));
  EXPECT_TRUE(isProblem(as(other_).get(personPath("/history")), {403}));
  for (const char* path : {"/api/v1/cohorts/1/history", "/api/v1/sessions/1/history",
                           "/api/v1/courses/1/history", "/api/v1/programmes/1/history",
                           "/api/v1/localities/1/history", "/api/v1/enrolments/1/history"}) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(isProblem(trainer.get(path), {403}));
    expectJson(as(admin_).get(path), 200);
  }
  // Another trainer cannot edit the person at all, whatever version they name.
  EXPECT_TRUE(isProblem(as(other_).edit(personPath(), R"({"birth_year":1970})"), {404}));
}

}  // namespace
}  // namespace functional
