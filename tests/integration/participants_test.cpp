// People: storage, de-duplication keys, search with visibility, patches.

#include <gtest/gtest.h>

#include "courses/error.hpp"
#include "courses/mariadb/store.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "fixtures.hpp"
#include "support/db/test_database.hpp"

namespace {

using namespace integration;

TEST(ParticipantRepository, StoresEveryFieldIncludingKazakhLetters) {
  auto repo = repos();
  const auto trainer = makeAccount();
  const auto locality = makeLocality();
  const std::string name = unique("Әсем Ғалымқызы Қоңырова Өмірбек Ұлан Үміт Һ і ");
  const auto created = makeParticipant(locality.id, trainer.id, name);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.created_at.size(), 20u);
  EXPECT_EQ(created.created_at.back(), 'Z');

  const auto found = repo.participants.find(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->full_name, name);
  EXPECT_EQ(found->demographics.gender, courses::Gender::female);
  EXPECT_EQ(found->demographics.birth_year, 1990);
  EXPECT_EQ(found->demographics.locality_id, locality.id);
  EXPECT_EQ(found->demographics.affiliation, courses::Affiliation::civil_society);
  EXPECT_EQ(found->demographics.vulnerable, created.demographics.vulnerable);
  EXPECT_EQ(found->phone, "+77011234567");
  EXPECT_FALSE(found->email);
  EXPECT_TRUE(found->consent);
  EXPECT_EQ(found->created_by, trainer.id);
  EXPECT_EQ(found->created_at, created.created_at);
  EXPECT_EQ(found->updated_at, created.updated_at);
  EXPECT_FALSE(repo.participants.find(created.id + 1000000));

  // The creator may see the person; another trainer may not.
  EXPECT_TRUE(repo.participants.isVisibleTo(created.id, trainer.id));
  EXPECT_FALSE(repo.participants.isVisibleTo(created.id, makeAccount().id));
}

TEST(ParticipantRepository, FindsByDuplicateKey) {
  auto repo = repos();
  const auto trainer = makeAccount();
  const auto locality = makeLocality();
  const std::string name = unique("Ерлан Серікұлы ");
  const auto first = makeParticipant(locality.id, trainer.id, name);
  courses::Participant probe = first;
  const auto key = courses::duplicateKey(probe);
  const auto matches = repo.participants.findByKey(key);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].id, first.id);

  auto other_year = key;
  other_year.birth_year = 1991;
  EXPECT_TRUE(repo.participants.findByKey(other_year).empty());
  auto other_place = key;
  other_place.locality_id = makeLocality().id;
  EXPECT_TRUE(repo.participants.findByKey(other_place).empty());
}

TEST(ParticipantRepository, FindsTheNameHoweverTypedInTheLocalityItsSiblingsParentAndChildren) {
  auto repo = repos();
  const auto trainer = makeAccount();
  const auto region = makeLocality();
  const auto district = makeLocality(region.id);
  const auto village = makeLocality(district.id);
  const auto next_village = makeLocality(district.id);
  const auto hamlet = makeLocality(village.id);
  const auto other_district = makeLocality(region.id);
  const auto far_village = makeLocality(other_district.id);
  const auto here = makeParticipant(village.id, trainer.id, "Ахметов Талғат");
  const auto next_door = makeParticipant(next_village.id, trainer.id, "Talgat Akhmetov");
  makeParticipant(far_village.id, trainer.id, "Ахметов Талғат");
  const auto above = makeParticipant(district.id, trainer.id, "Ахметов Талғат");
  const auto below = makeParticipant(hamlet.id, trainer.id, "Ахметов Талгат");
  const auto two_up = makeParticipant(region.id, trainer.id, "Ахметов Талғат");
  const auto uncle = makeParticipant(other_district.id, trainer.id, "Ахметов Талғат");
  makeParticipant(village.id, trainer.id, "Ахметов Асқар");

  // Typed in the village: the village, the next village, the rural district above it and the
  // hamlet below it; not the region two levels up, nor the district next to its own.
  courses::Participant probe = here;
  probe.full_name = "Талгат Ахметов Серікұлы";
  const auto ids = [&] {
    std::vector<courses::Id> out;
    for (const auto& person : repo.participants.findByKey(courses::duplicateKey(probe))) {
      out.push_back(person.id);
    }
    return out;
  };
  EXPECT_EQ(ids(), (std::vector<courses::Id>{here.id, next_door.id, above.id, below.id}));

  // Typed in the rural district: its own people, its villages' (not the hamlet two levels down),
  // the region above it and the district beside it.
  probe.demographics.locality_id = district.id;
  EXPECT_EQ(ids(),
            (std::vector<courses::Id>{here.id, next_door.id, above.id, two_up.id, uncle.id}));

  probe.demographics.locality_id = village.id;
  probe.demographics.birth_year = 1991;
  EXPECT_TRUE(repo.participants.findByKey(courses::duplicateKey(probe)).empty());
}

TEST(ParticipantRepository, SearchFindsWordsHoweverTheyAreTyped) {
  auto repo = repos();
  const auto trainer = makeAccount();
  const auto locality = makeLocality();
  const auto person =
      makeParticipant(locality.id, trainer.id, "Жұмабекова Айгерім Серікқызы");
  makeParticipant(locality.id, trainer.id, "Жұмабекова Айгүл");
  for (const char* typed : {"Aygerim Jumabekova", "zhumabekova aige", "Айгерим", "серикк"}) {
    const auto page = repo.participants.search(courses::nameMatchKey(typed), trainer.id, {});
    ASSERT_EQ(page.items.size(), 1u) << typed;
    EXPECT_EQ(page.items[0].id, person.id) << typed;
  }
  EXPECT_EQ(repo.participants.search(courses::nameMatchKey("Jumabekova"), trainer.id, {}).items.size(),
            2u);
  EXPECT_TRUE(repo.participants.search(courses::nameMatchKey("Aygerim"), makeAccount().id, {})
                  .items.empty());
}

TEST(ParticipantRepository, MigrateGivesOlderRowsTheirMatchKeys) {
  support::db::TestDatabase db("qatysu_names");
  courses::mariadb::Store store(db.config());
  // A person as stored before the match key existed: the column holds its empty default.
  db.execute(
      "INSERT INTO localities (id, parent_id, kind, name_kk, name_ru, name_en)"
      " VALUES (70, NULL, 'region', 'Облыс', 'Область', 'Region')");
  db.execute(
      "INSERT INTO participants (id, full_name, name_key, birth_year, locality_id, gender,"
      " affiliation, vulnerable, consent, created_at, updated_at) VALUES"
      " (90, 'Ахметов Талғат', 'ахметов талғат', 1983, 70, 'male', 'other', 0, 1, NOW(), NOW())");
  courses::Participant probe;
  probe.full_name = "Talgat Akhmetov";
  probe.demographics.birth_year = 1983;
  probe.demographics.locality_id = 70;
  EXPECT_TRUE(store.repositories().participants.findByKey(courses::duplicateKey(probe)).empty());

  courses::mariadb::migrate(db.config());
  const auto found = store.repositories().participants.findByKey(courses::duplicateKey(probe));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 90);
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM participants WHERE match_key = ''"), 0);
  EXPECT_EQ(store.repositories()
                .participants.search(courses::nameMatchKey("talgat"), std::nullopt, {})
                .items.size(),
            1u);
}

TEST(ParticipantRepository, SearchMatchesFragmentsLiterallyAndPages) {
  auto repo = repos();
  const auto trainer = makeAccount();
  const auto locality = makeLocality();
  const std::string tag = unique("zq");
  std::vector<Id> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(
        makeParticipant(locality.id, trainer.id, "Айгүл " + tag + "x" + std::to_string(i)).id);
  }
  const auto percent = makeParticipant(locality.id, trainer.id, "Данияр " + tag + "%_\\");

  const std::string fragment = courses::nameMatchKey("Айгүл " + tag);
  auto page = repo.participants.search(fragment, std::nullopt, {.after = 0, .limit = 2});
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, ids[0]);
  EXPECT_EQ(page.items[1].id, ids[1]);
  ASSERT_TRUE(page.next_after);
  page = repo.participants.search(fragment, std::nullopt, {.after = *page.next_after, .limit = 2});
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, ids[2]);
  page = repo.participants.search(fragment, std::nullopt, {.after = *page.next_after, .limit = 2});
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, ids[4]);
  EXPECT_FALSE(page.next_after);

  // % and _ match themselves only.
  const auto literal =
      repo.participants.search(courses::nameMatchKey(tag + "%_"), std::nullopt, {});
  ASSERT_EQ(literal.items.size(), 1u);
  EXPECT_EQ(literal.items[0].id, percent.id);
  EXPECT_TRUE(
      repo.participants.search(courses::nameMatchKey(tag + "_0"), std::nullopt, {}).items.empty());

  // An empty fragment lists everyone.
  EXPECT_GE(repo.participants.search("", std::nullopt, {.after = 0, .limit = 500}).items.size(),
            6u);
}

TEST(ParticipantRepository, SearchShowsATrainerOnlyWhomTheyMaySee) {
  auto repo = repos();
  const auto registrar = makeAccount();
  const auto trainer = makeAccount();
  const auto stranger = makeAccount();
  const auto locality = makeLocality();
  const std::string tag = unique("vis");
  const auto registered = makeParticipant(locality.id, registrar.id, "Нұрлан " + tag + "a");
  const auto enrolled = makeParticipant(locality.id, registrar.id, "Нұрлан " + tag + "b");
  const auto confirmed = makeParticipant(locality.id, registrar.id, "Нұрлан " + tag + "c");
  const auto cohort = makeCohort({trainer.id});
  repo.enrolments.enrol(enrolled.id, cohort.id, trainer.id, std::nullopt);
  repo.participants.grantAccess(confirmed.id, trainer.id, std::nullopt, "2026-01-01T00:00:00Z");
  // Twice is fine; each confirmation is kept in the person's link trail.
  repo.participants.grantAccess(confirmed.id, trainer.id, cohort.id, "2026-01-02T00:00:00Z");
  const auto links = repo.participants.links(confirmed.id);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].account_id, trainer.id);
  EXPECT_FALSE(links[0].cohort_id);
  EXPECT_EQ(links[0].linked_at, "2026-01-01T00:00:00Z");
  EXPECT_EQ(links[1].cohort_id, cohort.id);
  EXPECT_TRUE(repo.participants.links(registered.id).empty());

  const std::string fragment = courses::nameMatchKey(tag);
  const auto seen = repo.participants.search(fragment, trainer.id, {});
  ASSERT_EQ(seen.items.size(), 2u);
  EXPECT_EQ(seen.items[0].id, enrolled.id);
  EXPECT_EQ(seen.items[1].id, confirmed.id);
  EXPECT_EQ(repo.participants.search(fragment, registrar.id, {}).items.size(), 3u);
  EXPECT_TRUE(repo.participants.search(fragment, stranger.id, {}).items.empty());

  EXPECT_FALSE(repo.participants.isVisibleTo(registered.id, trainer.id));
  EXPECT_TRUE(repo.participants.isVisibleTo(enrolled.id, trainer.id));
  EXPECT_TRUE(repo.participants.isVisibleTo(confirmed.id, trainer.id));
  try {
    repo.participants.grantAccess(registered.id + 1000000, trainer.id, std::nullopt, "2026-01-01T00:00:00Z");
    FAIL() << "access granted to a person who does not exist";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
}

TEST(ParticipantRepository, UpdateAppliesOnlyThePatchedFields) {
  auto repo = repos();
  const auto trainer = makeAccount();
  const auto locality = makeLocality();
  const auto person = makeParticipant(locality.id, trainer.id);

  courses::ParticipantPatch patch;
  patch.birth_year = 1985;
  patch.phone = std::optional<std::string>{};  // clear
  patch.email = std::optional<std::string>{"a@example.kz"};
  patch.vulnerable = static_cast<courses::VulnerableSet>(courses::VulnerableGroup::pensioner);
  courses::Participant after = person;
  after.demographics.birth_year = 1985;
  const auto key = courses::duplicateKey(after);
  const auto updated = repo.participants.update(person.id, patch, key);
  EXPECT_EQ(updated.full_name, person.full_name);
  EXPECT_EQ(updated.demographics.birth_year, 1985);
  EXPECT_FALSE(updated.phone);
  EXPECT_EQ(updated.email, "a@example.kz");
  EXPECT_EQ(updated.demographics.vulnerable,
            static_cast<courses::VulnerableSet>(courses::VulnerableGroup::pensioner));
  EXPECT_EQ(updated.demographics.gender, person.demographics.gender);
  EXPECT_GE(updated.updated_at, person.updated_at);

  const auto found = repo.participants.find(person.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->demographics.birth_year, 1985);
  EXPECT_FALSE(found->phone);
  EXPECT_EQ(found->email, "a@example.kz");
  EXPECT_EQ(found->updated_at, updated.updated_at);
  // The key moved with the birth year.
  ASSERT_EQ(repo.participants.findByKey(key).size(), 1u);
  EXPECT_TRUE(repo.participants.findByKey(courses::duplicateKey(person)).empty());

  try {
    repo.participants.update(person.id + 1000000, patch, key);
    FAIL() << "updated a person who does not exist";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
}

TEST(ParticipantRepository, StoresTheLongestPhoneAndNameTheDomainAccepts) {
  const auto trainer = makeAccount();
  const auto locality = makeLocality();
  courses::Participant p;
  p.full_name = unique("ß") + std::string(150, 'x');
  p.demographics.locality_id = locality.id;
  p.demographics.birth_year = 1980;
  p.phone = "+7 (701) 123-45-67 ext. 1234567890123456";
  ASSERT_EQ(p.phone->size(), 40u);
  p.consent = true;
  p.created_by = trainer.id;
  courses::DuplicateKey key = courses::duplicateKey(p);
  key.name_key = std::string(300, 'a') + std::string(100, 's') + unique("");
  const auto stored = repos().participants.create(p, key);
  EXPECT_EQ(repos().participants.find(stored.id)->phone, p.phone);
  ASSERT_EQ(repos().participants.findByKey(key).size(), 1u);
}

TEST(ParticipantRepository, UnknownLocalityIsInvalid) {
  try {
    makeParticipant(makeLocality().id + 1000000, makeAccount().id);
    FAIL() << "stored a person in a locality that does not exist";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::invalid_argument);
  }
}

}  // namespace
