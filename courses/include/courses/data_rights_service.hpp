#pragma once
// DataRightsService: a person's data rights (courses/data_rights.hpp), for administrators only;
// anyone else is Error(forbidden) before anything is read, so no answer says whether a person
// exists. Programme retention is set here too and applied by `qatysu retention apply`.

#include <optional>
#include <string>
#include <vector>

#include "courses/account_service.hpp"
#include "courses/clock.hpp"
#include "courses/data_rights.hpp"
#include "courses/repositories.hpp"

namespace courses {

/// One enrolment of a person with what it was of, for their export.
struct ExportedEnrolment {
  Enrolment enrolment;
  Cohort cohort;
  Course course;
  Programme programme;
  LocalizedText locality;  ///< the cohort's locality
};

/// Everything Qatysu holds about a person.
struct PersonExport {
  Participant person;
  DataRightsState state;
  LocalizedText home_locality;
  std::vector<ExportedEnrolment> enrolments;
  std::vector<PersonMark> marks;
  std::vector<Certificate> certificates;
  std::vector<ParticipantLink> links;
  std::optional<Account> account;  ///< their learner account, without its secrets
  std::vector<ChangeEntry> history;
  Language language = Language::kk;  ///< the language the export is written in
  Timestamp exported_at;
};

/// What one run of the retention did (or, in a dry run, would do).
struct RetentionReport {
  Date today;
  bool dry_run = false;
  std::vector<RetentionDue> due;
  int contacts_erased = 0;
};

class DataRightsService {
 public:
  /// `sessions` is told when an erasure closes a learner account (the API's token cache).
  DataRightsService(Repositories repos, DataRightsRepository& rights, const Clock& clock,
                    SessionObserver* sessions = nullptr)
      : repos_(repos), rights_(rights), clock_(clock), sessions_(sessions) {}

  DataRightsState state(const Actor& actor, Id participant_id);
  /// Everything held about the person, in `language` (nullopt: the language of their latest
  /// cohort, else their account's, else kk), and records the export in their history.
  PersonExport exportPerson(const Actor& actor, Id participant_id,
                            std::optional<Language> language);
  /// Erases the person based on `version` (nullopt: whatever they are now) for `reason`.
  ErasureOutcome erase(const Actor& actor, Id participant_id, std::string reason,
                       std::optional<int> version);
  /// Records the person's consent as withdrawn: no new enrolment of them is accepted from then
  /// on, and they are offered for erasure; nothing is erased by it.
  DataRightsState withdrawConsent(const Actor& actor, Id participant_id,
                                  std::optional<std::string> reason, std::optional<int> version);
  RetentionSetting retention(const Actor& actor, Id programme_id);
  /// Sets a programme's retention (0..kMaxRetentionYears years, nullopt: contacts kept).
  RetentionSetting setRetention(const Actor& actor, Id programme_id, std::optional<int> years,
                                std::optional<int> version);
  /// Erases the contacts of everyone due today (the command line's operator; the changes are
  /// the system's, with no account). A dry run only lists them.
  RetentionReport applyRetention(bool dry_run);

 private:
  Repositories repos_;
  DataRightsRepository& rights_;
  const Clock& clock_;
  SessionObserver* sessions_;
};

}  // namespace courses
