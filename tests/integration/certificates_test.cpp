// Certificates: issuing with gap-free serials, the stored snapshot and PDF, one valid certificate
// per enrolment, revocation and the audit trail.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <stdexcept>
#include <thread>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "fixtures.hpp"

namespace {

using namespace integration;
using courses::Certificate;
using courses::CertificateArtifacts;
using courses::CertificateStatus;
using courses::ErrorCode;

// A cohort with `size` enrolled people and a serial series of its own.
struct Cohort {
  courses::Account trainer = makeAccount();
  courses::Cohort cohort = makeCohort({trainer.id});
  std::string series = unique("IT-S") + "-2026";
  std::vector<courses::Enrolment> enrolments;

  explicit Cohort(int size) {
    for (int i = 0; i < size; ++i) {
      const auto person = makeParticipant(cohort.locality_id, trainer.id);
      enrolments.push_back(
          repos().enrolments.enrol(person.id, cohort.id, trainer.id, std::nullopt).enrolment);
    }
  }

  Certificate draft(std::size_t index) const {
    const courses::Enrolment& e = enrolments.at(index);
    Certificate c;
    c.enrolment_id = e.id;
    c.participant_id = e.participant_id;
    c.cohort_id = cohort.id;
    c.course_id = cohort.course_id;
    c.programme_id = repos().courses.find(cohort.course_id)->programme_id;
    c.language = courses::CertificateLanguage::all;
    c.full_name = e.participant_name;
    c.track = "inclusive_planning";
    c.course_title = {"Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning"};
    c.hours = 24.5;
    c.starts_on = cohort.starts_on;
    c.ends_on = cohort.ends_on;
    c.place = cohort.place;
    c.locality = {"Нұра", "Нура", "Nura"};
    c.sessions_attended = 7;
    c.sessions_total = 8;
    c.trainers = {"Ерлан Сейтқали", "O'Neil Brown"};
    c.organisations = {{"«Арго» қауымдастығы", "Ассоциация «Арго»", "ARGO association"},
                       {"Экоорталық", "Экоцентр", "Ecocentre"}};
    c.issuer = c.organisations.front();
    c.issued_by = trainer.id;
    c.issued_at = "2026-03-06T10:00:00Z";
    return c;
  }

  std::vector<std::string> seriesFor(std::size_t drafts) const {
    return std::vector<std::string>(drafts, series);
  }

  long long lastNumber() const {
    return database().queryInt("SELECT last_number FROM certificate_series WHERE series = '" +
                               series + "'");
  }
};

// Artefacts derived from the serial, and a PDF of every byte value (NUL, invalid UTF-8 included).
CertificateArtifacts artifactsFor(const Certificate& c) {
  CertificateArtifacts a;
  a.verification_token = "tok-" + c.serial;
  a.signature = "sig-" + c.serial;
  a.etag = "\"etag-" + c.serial + "\"";
  for (int i = 0; i < 256; ++i) a.pdf.push_back(static_cast<char>(i));
  a.pdf += c.serial;
  return a;
}

long long serialNumber(const std::string& serial) {
  return std::stoll(serial.substr(serial.rfind('-') + 1));
}

void expectSameSnapshot(const Certificate& found, const Certificate& stored) {
  EXPECT_EQ(found.id, stored.id);
  EXPECT_EQ(found.serial, stored.serial);
  EXPECT_EQ(found.verification_token, stored.verification_token);
  EXPECT_EQ(found.enrolment_id, stored.enrolment_id);
  EXPECT_EQ(found.participant_id, stored.participant_id);
  EXPECT_EQ(found.cohort_id, stored.cohort_id);
  EXPECT_EQ(found.course_id, stored.course_id);
  EXPECT_EQ(found.programme_id, stored.programme_id);
  EXPECT_EQ(found.language, stored.language);
  EXPECT_EQ(found.full_name, stored.full_name);
  EXPECT_EQ(found.track, stored.track);
  EXPECT_EQ(found.course_title.kk, stored.course_title.kk);
  EXPECT_EQ(found.course_title.ru, stored.course_title.ru);
  EXPECT_EQ(found.course_title.en, stored.course_title.en);
  EXPECT_DOUBLE_EQ(found.hours, stored.hours);
  EXPECT_EQ(found.starts_on, stored.starts_on);
  EXPECT_EQ(found.ends_on, stored.ends_on);
  EXPECT_EQ(found.place, stored.place);
  EXPECT_EQ(found.locality.kk, stored.locality.kk);
  EXPECT_EQ(found.locality.ru, stored.locality.ru);
  EXPECT_EQ(found.locality.en, stored.locality.en);
  EXPECT_EQ(found.sessions_attended, stored.sessions_attended);
  EXPECT_EQ(found.sessions_total, stored.sessions_total);
  EXPECT_EQ(found.trainers, stored.trainers);
  ASSERT_EQ(found.organisations.size(), stored.organisations.size());
  for (std::size_t i = 0; i < found.organisations.size(); ++i) {
    EXPECT_EQ(found.organisations[i].kk, stored.organisations[i].kk);
    EXPECT_EQ(found.organisations[i].ru, stored.organisations[i].ru);
    EXPECT_EQ(found.organisations[i].en, stored.organisations[i].en);
  }
  EXPECT_EQ(found.issuer.kk, stored.issuer.kk);
  EXPECT_EQ(found.issuer.ru, stored.issuer.ru);
  EXPECT_EQ(found.issuer.en, stored.issuer.en);
  EXPECT_EQ(found.waiver_reason, stored.waiver_reason);
  EXPECT_EQ(found.status, stored.status);
  EXPECT_EQ(found.revoked_reason, stored.revoked_reason);
  EXPECT_EQ(found.revoked_at, stored.revoked_at);
  EXPECT_EQ(found.revoked_by, stored.revoked_by);
  EXPECT_EQ(found.issued_by, stored.issued_by);
  EXPECT_EQ(found.issued_at, stored.issued_at);
  EXPECT_EQ(found.signature, stored.signature);
  EXPECT_EQ(found.etag, stored.etag);
  EXPECT_EQ(found.pdf_size, stored.pdf_size);
}

TEST(CertificateRepository, IssuesAndFindsTheSnapshotAndItsPdf) {
  auto repo = repos();
  Cohort c(1);
  Certificate draft = c.draft(0);
  draft.language = courses::CertificateLanguage::kk;
  const auto issued = repo.certificates.issue({draft}, c.seriesFor(1), artifactsFor);
  ASSERT_EQ(issued.size(), 1u);
  const Certificate& stored = issued.front();
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.serial, c.series + "-000001");
  EXPECT_EQ(stored.verification_token, "tok-" + stored.serial);
  EXPECT_EQ(stored.signature, "sig-" + stored.serial);
  EXPECT_EQ(stored.etag, "\"etag-" + stored.serial + "\"");
  EXPECT_EQ(stored.status, CertificateStatus::valid);
  const std::string pdf = artifactsFor(stored).pdf;
  EXPECT_EQ(stored.pdf_size, static_cast<long long>(pdf.size()));
  EXPECT_EQ(stored.full_name, draft.full_name);
  EXPECT_EQ(c.lastNumber(), 1);

  const auto found = repo.certificates.find(stored.id);
  ASSERT_TRUE(found);
  expectSameSnapshot(*found, stored);
  EXPECT_EQ(found->language, courses::CertificateLanguage::kk);
  EXPECT_EQ(found->trainers, draft.trainers);
  EXPECT_EQ(found->issued_at, "2026-03-06T10:00:00Z");
  EXPECT_FALSE(found->waiver_reason);
  EXPECT_FALSE(found->revoked_at);

  const auto by_serial = repo.certificates.findBySerial(stored.serial);
  ASSERT_TRUE(by_serial);
  EXPECT_EQ(by_serial->id, stored.id);
  EXPECT_FALSE(repo.certificates.findBySerial(c.series + "-000002"));
  EXPECT_FALSE(repo.certificates.find(stored.id + 1000000));

  const auto bytes = repo.certificates.pdf(stored.id);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, pdf) << "the PDF must come back byte for byte";
  EXPECT_FALSE(repo.certificates.pdf(stored.id + 1000000));

  const auto audit = repo.certificates.audit(stored.id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "issued");
  EXPECT_EQ(audit[0].account_id, c.trainer.id);
  EXPECT_EQ(audit[0].at, "2026-03-06T10:00:00Z");
  EXPECT_FALSE(audit[0].reason);
}

TEST(CertificateRepository, LargePdfsComeBackExactly) {
  auto repo = repos();
  Cohort c(2);
  std::mt19937 random(42);
  std::vector<std::string> pdfs;
  for (const std::size_t size : {200u * 1024u, 1024u * 1024u}) {
    std::string bytes(size, '\0');
    for (char& b : bytes) b = static_cast<char>(random() & 0xFF);
    pdfs.push_back(std::move(bytes));
  }
  std::size_t made = 0;
  const auto issued = repo.certificates.issue({c.draft(0), c.draft(1)}, c.seriesFor(2),
                                              [&](const Certificate& cert) {
                                                CertificateArtifacts a = artifactsFor(cert);
                                                a.pdf = pdfs.at(made++);
                                                return a;
                                              });
  ASSERT_EQ(issued.size(), 2u);
  for (std::size_t i = 0; i < issued.size(); ++i) {
    EXPECT_EQ(issued[i].pdf_size, static_cast<long long>(pdfs[i].size()));
    const auto bytes = repo.certificates.pdf(issued[i].id);
    ASSERT_TRUE(bytes);
    EXPECT_TRUE(*bytes == pdfs[i]) << "PDF of " << pdfs[i].size() << " bytes changed in storage";
  }
}

TEST(CertificateRepository, ListsOfTextsKeepEmptyItemsAndRefuseSeparators) {
  auto repo = repos();
  Cohort c(3);
  Certificate none = c.draft(0);
  none.trainers.clear();
  none.organisations.clear();
  none.issued_at.clear();  // the database's clock stands in
  Certificate blanks = c.draft(1);
  blanks.trainers = {""};
  blanks.organisations = {{"", "", ""}, {"Тек қазақша", "", ""}};
  const auto issued = repo.certificates.issue({none, blanks}, c.seriesFor(2), artifactsFor);
  ASSERT_EQ(issued.size(), 2u);
  auto found = repo.certificates.find(issued[0].id);
  EXPECT_EQ(found->issued_at.size(), 20u);
  EXPECT_EQ(found->issued_at, issued[0].issued_at);
  EXPECT_EQ(repo.certificates.audit(issued[0].id).at(0).at, issued[0].issued_at);
  EXPECT_TRUE(found->trainers.empty());
  EXPECT_TRUE(found->organisations.empty());
  found = repo.certificates.find(issued[1].id);
  EXPECT_EQ(found->trainers, std::vector<std::string>{""});
  ASSERT_EQ(found->organisations.size(), 2u);
  EXPECT_EQ(found->organisations[0].kk, "");
  EXPECT_EQ(found->organisations[1].kk, "Тек қазақша");
  EXPECT_EQ(found->organisations[1].en, "");

  Certificate bad = c.draft(2);
  bad.trainers = {std::string("Ерлан\x1E Сейтқали")};
  try {
    repo.certificates.issue({bad}, c.seriesFor(1), artifactsFor);
    FAIL() << "a control character inside a list item was stored";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
  }
  bad = c.draft(2);
  bad.organisations[1].ru = std::string(
      "Эко\x1F"
      "центр");
  EXPECT_THROW(repo.certificates.issue({bad}, c.seriesFor(1), artifactsFor), courses::Error);
  EXPECT_EQ(c.lastNumber(), 2);
  EXPECT_EQ(repo.certificates.listForCohort(c.cohort.id).size(), 2u);
}

TEST(CertificateRepository, ConcurrentIssuersGetGapFreeUniqueSerials) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  Cohort c(kThreads * kPerThread);
  std::vector<std::vector<Certificate>> issued(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        auto repo = repos();
        for (int i = 0; i < kPerThread; ++i) {
          const std::size_t index = static_cast<std::size_t>(t * kPerThread + i);
          for (auto& cert :
               repo.certificates.issue({c.draft(index)}, c.seriesFor(1), artifactsFor)) {
            issued[static_cast<std::size_t>(t)].push_back(std::move(cert));
          }
        }
      } catch (const std::exception& error) {
        failures[static_cast<std::size_t>(t)] = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");

  std::vector<long long> numbers;
  for (const auto& of_thread : issued) {
    EXPECT_EQ(of_thread.size(), static_cast<std::size_t>(kPerThread));
    long long previous = 0;
    for (const auto& cert : of_thread) {
      // One thread's certificates are numbered in the order it issued them.
      EXPECT_GT(serialNumber(cert.serial), previous);
      previous = serialNumber(cert.serial);
      numbers.push_back(previous);
    }
  }
  std::sort(numbers.begin(), numbers.end());
  std::vector<long long> expected(kThreads * kPerThread);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<long long>(i + 1);
  EXPECT_EQ(numbers, expected);
  EXPECT_EQ(c.lastNumber(), kThreads * kPerThread);

  const auto listed = repos().certificates.listForCohort(c.cohort.id);
  ASSERT_EQ(listed.size(), expected.size());
  for (std::size_t i = 0; i < listed.size(); ++i) {
    EXPECT_EQ(listed[i].serial, courses::formatSerial(c.series, expected[i]));
  }
}

TEST(CertificateRepository, BatchesOverTwoSeriesInEitherOrderDoNotDeadlock) {
  // Each batch locks its series in one order whatever the order of its drafts, so batches that
  // name the same two series the other way round wait for each other instead of deadlocking.
  constexpr int kRounds = 10;
  Cohort x(2 * kRounds);
  Cohort y(2 * kRounds);
  const auto retries_before = store().transactionRetries();
  std::vector<std::string> failures(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      try {
        auto repo = repos();
        for (int i = 0; i < kRounds; ++i) {
          const std::size_t index = static_cast<std::size_t>(t * kRounds + i);
          if (t == 0) {
            repo.certificates.issue({x.draft(index), y.draft(index)}, {x.series, y.series},
                                    artifactsFor);
          } else {
            repo.certificates.issue({y.draft(index), x.draft(index)}, {y.series, x.series},
                                    artifactsFor);
          }
        }
      } catch (const std::exception& error) {
        failures[static_cast<std::size_t>(t)] = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_EQ(store().transactionRetries(), retries_before);
  for (const Cohort* c : {&x, &y}) {
    EXPECT_EQ(c->lastNumber(), 2 * kRounds);
    const auto listed = repos().certificates.listForCohort(c->cohort.id);
    ASSERT_EQ(listed.size(), static_cast<std::size_t>(2 * kRounds));
    for (std::size_t i = 0; i < listed.size(); ++i) {
      EXPECT_EQ(listed[i].serial, courses::formatSerial(c->series, static_cast<long long>(i + 1)));
    }
  }
}

TEST(CertificateRepository, AFailingMakerRollsBackTheWholeBatchWithoutAGap) {
  auto repo = repos();
  Cohort c(6);
  repo.certificates.issue({c.draft(0)}, c.seriesFor(1), artifactsFor);

  int calls = 0;
  const auto failing = [&](const Certificate& cert) {
    if (++calls == 3) throw std::runtime_error("renderer failed");
    return artifactsFor(cert);
  };
  EXPECT_THROW(repo.certificates.issue({c.draft(1), c.draft(2), c.draft(3), c.draft(4)},
                                       c.seriesFor(4), failing),
               std::runtime_error);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(c.lastNumber(), 1);
  EXPECT_EQ(repo.certificates.listForCohort(c.cohort.id).size(), 1u);
  EXPECT_EQ(database().queryInt("SELECT COUNT(*) FROM certificate_files f JOIN certificates c"
                                " ON c.id = f.certificate_id WHERE c.cohort_id = " +
                                std::to_string(c.cohort.id)),
            1);

  const auto next = repo.certificates.issue({c.draft(1), c.draft(5)}, c.seriesFor(2), artifactsFor);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].serial, c.series + "-000002");
  EXPECT_EQ(next[1].serial, c.series + "-000003");
  EXPECT_EQ(c.lastNumber(), 3);
}

TEST(CertificateRepository, OneValidCertificatePerEnrolment) {
  auto repo = repos();
  Cohort c(2);
  const auto first = repo.certificates.issue({c.draft(0)}, c.seriesFor(1), artifactsFor);
  ASSERT_EQ(first.size(), 1u);

  // Issuing again skips the enrolment and uses no number; the same enrolment twice in one
  // batch is issued once.
  int calls = 0;
  const auto counting = [&](const Certificate& cert) {
    ++calls;
    return artifactsFor(cert);
  };
  EXPECT_TRUE(repo.certificates.issue({c.draft(0)}, c.seriesFor(1), counting).empty());
  const auto batch =
      repo.certificates.issue({c.draft(0), c.draft(1), c.draft(1)}, c.seriesFor(3), counting);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].enrolment_id, c.enrolments[1].id);
  EXPECT_EQ(batch[0].serial, c.series + "-000002");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(c.lastNumber(), 2);

  // After revocation a new certificate takes the next number.
  repo.certificates.revoke(first[0].id, "name misspelt", c.trainer.id, "2026-03-07T08:00:00Z");
  const auto again = repo.certificates.issue({c.draft(0)}, c.seriesFor(1), artifactsFor);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].serial, c.series + "-000003");
  EXPECT_NE(again[0].id, first[0].id);
  EXPECT_EQ(repo.certificates.find(first[0].id)->status, CertificateStatus::revoked);

  // The schema itself refuses a second valid certificate for the enrolment.
  EXPECT_THROW(database().execute("UPDATE certificates SET status = 'valid' WHERE id = " +
                                  std::to_string(first[0].id)),
               std::runtime_error);
}

TEST(CertificateRepository, RevokesOnceWithAnAuditTrail) {
  auto repo = repos();
  Cohort c(1);
  Certificate draft = c.draft(0);
  draft.waiver_reason = "ауырып қалды, медициналық анықтама бар";
  const auto admin = makeAccount(courses::Role::admin);
  draft.issued_by = admin.id;
  const auto issued = repo.certificates.issue({draft}, c.seriesFor(1), artifactsFor);
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(issued[0].waiver_reason, draft.waiver_reason);

  const auto revoked = repo.certificates.revoke(issued[0].id, "issued to the wrong person",
                                                c.trainer.id, "2026-03-08T12:30:00Z");
  EXPECT_EQ(revoked.id, issued[0].id);
  EXPECT_EQ(revoked.status, CertificateStatus::revoked);
  EXPECT_EQ(revoked.revoked_reason, "issued to the wrong person");
  EXPECT_EQ(revoked.revoked_at, "2026-03-08T12:30:00Z");
  EXPECT_EQ(revoked.revoked_by, c.trainer.id);
  EXPECT_EQ(revoked.serial, issued[0].serial);
  expectSameSnapshot(*repo.certificates.find(issued[0].id), revoked);

  try {
    repo.certificates.revoke(issued[0].id, "again", c.trainer.id, "2026-03-09T12:30:00Z");
    FAIL() << "a revoked certificate was revoked again";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::conflict);
  }
  try {
    repo.certificates.revoke(issued[0].id + 1000000, "unknown", c.trainer.id,
                             "2026-03-09T12:30:00Z");
    FAIL() << "an unknown certificate was revoked";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::not_found);
  }
  EXPECT_EQ(repo.certificates.find(issued[0].id)->revoked_at, "2026-03-08T12:30:00Z");

  const auto audit = repo.certificates.audit(issued[0].id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "issued_with_waiver");
  EXPECT_EQ(audit[0].account_id, admin.id);
  EXPECT_EQ(audit[0].reason, draft.waiver_reason);
  EXPECT_EQ(audit[1].action, "revoked");
  EXPECT_EQ(audit[1].account_id, c.trainer.id);
  EXPECT_EQ(audit[1].at, "2026-03-08T12:30:00Z");
  EXPECT_EQ(audit[1].reason, "issued to the wrong person");
  EXPECT_TRUE(repo.certificates.audit(issued[0].id + 1000000).empty());
}

TEST(CertificateRepository, ListsByCohortInSerialOrderAndByPersonInIdOrder) {
  auto repo = repos();
  Cohort c(3);
  // The later series name sorts first: the list must follow serials, not ids.
  const std::string late = "ZZ-" + c.series;
  const std::string early = "AA-" + c.series;
  const auto first = repo.certificates.issue({c.draft(0)}, {late}, artifactsFor);
  const auto second =
      repo.certificates.issue({c.draft(1), c.draft(2)}, {early, early}, artifactsFor);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 2u);
  const auto listed = repo.certificates.listForCohort(c.cohort.id);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].serial, early + "-000001");
  EXPECT_EQ(listed[1].serial, early + "-000002");
  EXPECT_EQ(listed[2].serial, late + "-000001");
  EXPECT_TRUE(repo.certificates.listForCohort(c.cohort.id + 1000000).empty());

  // The same person certified in a second cohort.
  Cohort other(0);
  const auto person = c.enrolments[1].participant_id;
  const auto enrolment =
      repo.enrolments.enrol(person, other.cohort.id, other.trainer.id, std::nullopt).enrolment;
  other.enrolments.push_back(enrolment);
  const auto elsewhere =
      repo.certificates.issue({other.draft(0)}, other.seriesFor(1), artifactsFor);
  ASSERT_EQ(elsewhere.size(), 1u);
  const auto mine = repo.certificates.listForParticipant(person);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, second[0].id);
  EXPECT_EQ(mine[1].id, elsewhere[0].id);
  EXPECT_EQ(repo.certificates.listForParticipant(c.enrolments[0].participant_id).size(), 1u);
}

TEST(CertificateRepository, MismatchedSeriesAndEmptyBatches) {
  auto repo = repos();
  Cohort c(1);
  EXPECT_TRUE(repo.certificates.issue({}, {}, artifactsFor).empty());
  try {
    repo.certificates.issue({c.draft(0)}, {}, artifactsFor);
    FAIL();
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
  }
  EXPECT_TRUE(repo.certificates.listForCohort(c.cohort.id).empty());
}

}  // namespace
