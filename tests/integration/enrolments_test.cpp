// Enrolments: the demographic snapshot, uniqueness of the pair, idempotency keys.

#include <gtest/gtest.h>

#include <thread>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "fixtures.hpp"

namespace {

using namespace integration;

struct World {
  courses::Account trainer = makeAccount();
  courses::Cohort cohort = makeCohort({trainer.id});
  courses::Participant person = makeParticipant(cohort.locality_id, trainer.id);
};

TEST(EnrolmentRepository, SnapshotsDemographicsAtEnrolment) {
  auto repo = repos();
  World w;
  const auto created = repo.enrolments.enrol(w.person.id, w.cohort.id, w.trainer.id, std::nullopt);
  ASSERT_TRUE(created.created);
  const auto& e = created.enrolment;
  EXPECT_GT(e.id, 0);
  EXPECT_EQ(e.participant_id, w.person.id);
  EXPECT_EQ(e.cohort_id, w.cohort.id);
  EXPECT_EQ(e.registered_by, w.trainer.id);
  EXPECT_EQ(e.registered_at.size(), 20u);
  EXPECT_EQ(e.participant_name, w.person.full_name);
  EXPECT_EQ(e.snapshot.birth_year, 1990);
  EXPECT_EQ(e.snapshot.gender, courses::Gender::female);
  EXPECT_EQ(e.snapshot.locality_id, w.cohort.locality_id);
  EXPECT_EQ(e.snapshot.affiliation, courses::Affiliation::civil_society);
  EXPECT_EQ(e.snapshot.vulnerable, w.person.demographics.vulnerable);

  // A later profile edit does not rewrite the snapshot.
  courses::ParticipantPatch patch;
  patch.birth_year = 1970;
  patch.affiliation = courses::Affiliation::entrepreneur;
  courses::Participant after = w.person;
  after.demographics.birth_year = 1970;
  repo.participants.update(w.person.id, patch, courses::duplicateKey(after));
  const auto found = repo.enrolments.find(e.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->snapshot.birth_year, 1990);
  EXPECT_EQ(found->snapshot.affiliation, courses::Affiliation::civil_society);
  EXPECT_EQ(found->registered_at, e.registered_at);
  EXPECT_FALSE(repo.enrolments.find(e.id + 1000000));
}

TEST(EnrolmentRepository, EnrollingAgainReturnsTheExistingEnrolment) {
  auto repo = repos();
  World w;
  const auto first = repo.enrolments.enrol(w.person.id, w.cohort.id, w.trainer.id, std::nullopt);
  const auto second = repo.enrolments.enrol(w.person.id, w.cohort.id, makeAccount().id, "k1");
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.enrolment.id, first.enrolment.id);
  EXPECT_EQ(second.enrolment.registered_by, w.trainer.id);
  EXPECT_EQ(repo.enrolments.listForCohort(w.cohort.id).size(), 1u);
}

TEST(EnrolmentRepository, IdempotencyKeyReplaysTheFirstResult) {
  auto repo = repos();
  World w;
  const auto other = makeParticipant(w.cohort.locality_id, w.trainer.id);
  const std::string key = unique("idem-");
  const auto first = repo.enrolments.enrol(w.person.id, w.cohort.id, w.trainer.id, key);
  const auto replay = repo.enrolments.enrol(w.person.id, w.cohort.id, w.trainer.id, key);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(replay.created);
  EXPECT_EQ(replay.enrolment.id, first.enrolment.id);

  // Same key, different payload: conflict, nothing stored.
  try {
    repo.enrolments.enrol(other.id, w.cohort.id, w.trainer.id, key);
    FAIL() << "a reused key with another person was accepted";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::conflict);
  }
  EXPECT_TRUE(repo.enrolments.listForParticipant(other.id).empty());

  // Keys belong to the account that sent them.
  const auto another_account = makeAccount();
  const auto theirs = repo.enrolments.enrol(other.id, w.cohort.id, another_account.id, key);
  EXPECT_TRUE(theirs.created);
}

TEST(EnrolmentRepository, ConcurrentEnrolmentsOfOnePairMakeOne) {
  World w;
  const std::string key = unique("race-");
  std::vector<courses::EnrolmentRepository::Created> results(6);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = repos().enrolments.enrol(w.person.id, w.cohort.id, w.trainer.id,
                                            i % 2 == 0 ? std::optional(key) : std::nullopt);
    });
  }
  for (auto& t : threads) t.join();
  int created = 0;
  for (const auto& r : results) {
    created += r.created ? 1 : 0;
    EXPECT_EQ(r.enrolment.id, results[0].enrolment.id);
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(repos().enrolments.listForCohort(w.cohort.id).size(), 1u);
}

TEST(EnrolmentRepository, ListsForCohortAndParticipant) {
  auto repo = repos();
  World w;
  const auto second_person = makeParticipant(w.cohort.locality_id, w.trainer.id);
  const auto second_cohort = makeCohort({w.trainer.id});
  const auto a = repo.enrolments.enrol(w.person.id, w.cohort.id, w.trainer.id, std::nullopt);
  const auto b = repo.enrolments.enrol(second_person.id, w.cohort.id, w.trainer.id, std::nullopt);
  const auto c = repo.enrolments.enrol(w.person.id, second_cohort.id, w.trainer.id, std::nullopt);

  const auto of_cohort = repo.enrolments.listForCohort(w.cohort.id);
  ASSERT_EQ(of_cohort.size(), 2u);
  EXPECT_EQ(of_cohort[0].id, a.enrolment.id);
  EXPECT_EQ(of_cohort[1].id, b.enrolment.id);
  EXPECT_EQ(of_cohort[1].participant_name, second_person.full_name);
  const auto of_person = repo.enrolments.listForParticipant(w.person.id);
  ASSERT_EQ(of_person.size(), 2u);
  EXPECT_EQ(of_person[0].id, a.enrolment.id);
  EXPECT_EQ(of_person[1].id, c.enrolment.id);
}

TEST(EnrolmentRepository, UnknownPersonOrCohortIsRefused) {
  auto repo = repos();
  World w;
  try {
    repo.enrolments.enrol(w.person.id + 1000000, w.cohort.id, w.trainer.id, std::nullopt);
    FAIL();
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
  try {
    repo.enrolments.enrol(w.person.id, w.cohort.id + 1000000, w.trainer.id, std::nullopt);
    FAIL();
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
}

}  // namespace
