#pragma once
// Use cases of the domain. Each takes the acting account and enforces who may do what:
// admin everything; trainer only cohorts they are assigned to; learner only their own records.
// Something an actor may not know exists is Error(not_found); something their role may never do
// is Error(forbidden). No transport or storage types here.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "courses/duplicate_candidates.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "courses/totals.hpp"

namespace courses {

/// The current UTC year and time, injectable for tests.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;  ///< "YYYY-MM-DDTHH:MM:SSZ"
  int currentYear() const;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

/// Which characters the certificate fonts can draw. Implemented over the fonts' cmap by the
/// certificates library; a name with a character no font draws is refused before it is stored.
class GlyphCoverage {
 public:
  virtual ~GlyphCoverage() = default;
  /// The first code point of valid UTF-8 `text` the fonts cannot draw, or nullopt.
  virtual std::optional<char32_t> firstMissing(std::string_view text) const = 0;
};

/// Throws Error(unprocessable) naming `field` and the character (as "U+04D8 'Ә'") when
/// `coverage` cannot draw some character of `text`.
void requireDrawable(const GlyphCoverage& coverage, std::string_view text, std::string_view field);

/// Programmes, localities and courses: admins write, everyone signed in reads.
class CatalogueService {
 public:
  explicit CatalogueService(Repositories repos) : repos_(repos) {}

  Programme createProgramme(const Actor& actor, Programme programme);
  std::vector<Programme> listProgrammes(const Actor& actor);
  Programme programme(const Actor& actor, Id id);

  Locality createLocality(const Actor& actor, Locality locality);
  std::vector<Locality> listLocalities(const Actor& actor, std::optional<Id> parent_id);

  Course createCourse(const Actor& actor, Course course);
  std::vector<Course> listCourses(const Actor& actor, std::optional<Id> programme_id);
  Course course(const Actor& actor, Id id);

 private:
  Repositories repos_;
};

/// Cohorts and their sessions.
class CohortService {
 public:
  explicit CohortService(Repositories repos) : repos_(repos) {}

  /// Admins assign any trainers; a trainer creating a cohort is assigned to it.
  Cohort create(const Actor& actor, Cohort cohort);
  /// Admin: all; trainer: theirs; learner: those they are enrolled in.
  std::vector<Cohort> list(const Actor& actor, std::optional<Id> course_id);
  Cohort find(const Actor& actor, Id id);

  Session addSession(const Actor& actor, Session session);
  std::vector<Session> sessions(const Actor& actor, Id cohort_id);

 private:
  /// The cohort if the actor may manage it (admin or its trainer), else Error(not_found).
  Cohort manageable(const Actor& actor, Id cohort_id);
  Repositories repos_;
};

/// People: registration with de-duplication, search, edits.
class ParticipantService {
 public:
  /// Names are checked against `coverage` before they are stored. Duplicate candidates a
  /// trainer may not see are shown with confirmations sealed by `confirmations` (without one,
  /// they can only be confirmed by someone who may see them).
  ParticipantService(Repositories repos, const Clock& clock, const GlyphCoverage& coverage,
                     const Sealer* confirmations = nullptr)
      : repos_(repos), clock_(clock), coverage_(coverage), confirmations_(confirmations) {}

  struct Registration {
    Participant person;
    std::optional<Id> same_person;  ///< the trainer confirmed this existing person is them
    bool not_duplicate = false;     ///< the trainer confirmed this is a new person
    /// Or, instead of same_person: the confirmation of a candidate they were shown without an
    /// id (duplicate_candidates.hpp).
    std::optional<std::string> same_person_confirmation = std::nullopt;
    /// The cohort they are being enrolled into, for the person's link trail.
    std::optional<Id> cohort_id = std::nullopt;
  };
  struct Registered {
    Participant participant;
    bool created = false;  ///< false when an existing person was confirmed
  };
  /// Registers a person. When someone with the same name, birth year and locality exists and the
  /// request confirms neither way, throws Error(conflict) carrying the candidates as the actor
  /// may see them (duplicate_candidates.hpp). A trainer confirms a person they may not see only
  /// with the confirmation they were shown; each confirmation is kept in the person's links().
  Registered registerPerson(const Actor& actor, Registration registration);
  /// registerPerson() without writing anything: the same checks and the same conflict, and
  /// what it would answer (a new person keeps id 0). For a batch's dry run.
  Registered checkRegistration(const Actor& actor, Registration registration);
  Participant find(const Actor& actor, Id id);
  Page<Participant> search(const Actor& actor, const std::string& query, PageRequest page);
  Participant update(const Actor& actor, Id id, ParticipantPatch patch);
  /// Who confirmed this existing person as the one they registered, when, for which cohort.
  /// Admins only (else Error(forbidden)); an unknown person is Error(not_found).
  std::vector<ParticipantLink> links(const Actor& actor, Id id);

 private:
  /// registerPerson() when `write`, checkRegistration() otherwise.
  Registered registerOrCheck(const Actor& actor, Registration registration, bool write);

  Repositories repos_;
  const Clock& clock_;
  const GlyphCoverage& coverage_;
  const Sealer* confirmations_;
};

class EnrolmentService {
 public:
  explicit EnrolmentService(Repositories repos) : repos_(repos) {}

  /// Enrols a person the actor may see into a cohort the actor manages.
  EnrolmentRepository::Created enrol(const Actor& actor, Id cohort_id, Id participant_id,
                                     const std::optional<std::string>& idempotency_key);
  std::vector<Enrolment> list(const Actor& actor, Id cohort_id);

 private:
  Repositories repos_;
};

class AttendanceService {
 public:
  explicit AttendanceService(Repositories repos) : repos_(repos) {}

  std::vector<SheetRow> sheet(const Actor& actor, Id session_id);
  /// Replaces the marks listed (others stay) in one transaction. Every enrolment must belong to
  /// the session's cohort and appear at most once; otherwise nothing is saved.
  std::vector<SheetRow> saveSheet(const Actor& actor, Id session_id,
                                  const std::vector<AttendanceMark>& marks);

 private:
  Repositories repos_;
};

/// Makes a certificate's artefacts (verification token, signature, PDF) once its serial is known.
/// Implemented in plugin with the certificates library. Thread-safe. Throws
/// Error(unprocessable) when some text of the certificate cannot be drawn.
class CertificateMaker {
 public:
  virtual ~CertificateMaker() = default;
  virtual CertificateArtifacts make(const Certificate& certificate) = 0;
};

/// Whether one enrolment has earned a certificate.
struct Eligibility {
  Enrolment enrolment;
  CompletionResult result;
  std::string reason;  ///< describe(result), e.g. "attended 5 of 8 sessions, needs 7"
  std::optional<Id> valid_certificate_id;  ///< the valid certificate it already holds
};

/// Issuing, revoking, reading and verifying certificates.
/// Issue and revoke: admins, and trainers of the cohort. Read: those plus the learner it belongs
/// to. Waivers: admins only, with a written reason. Verify: anyone, with serial and token.
class CertificateService {
 public:
  CertificateService(Repositories repos, CertificateMaker& maker, const Clock& clock)
      : repos_(repos), maker_(maker), clock_(clock) {}

  struct CohortIssue {
    std::vector<Certificate> issued;       ///< new certificates, in enrolment order
    std::vector<Eligibility> not_eligible; ///< with the reason each did not qualify
    std::vector<Certificate> already;      ///< enrolments that already held a valid certificate
  };
  /// Issues to every enrolment of the cohort that met the course's rule and holds no valid
  /// certificate; issuing again issues nothing new. `language` overrides the course's.
  /// Error(unprocessable) when the course gives no certificates.
  CohortIssue issueCohort(const Actor& actor, Id cohort_id,
                          std::optional<CertificateLanguage> language);

  /// Issues to one enrolment. Without a waiver the enrolment must meet the rule (else
  /// Error(unprocessable) with the reason); a waiver (admins only, reason 3–500 code points) issues
  /// regardless and is kept in the audit trail. Error(conflict) when it holds a valid certificate.
  Certificate issueOne(const Actor& actor, Id enrolment_id,
                       std::optional<CertificateLanguage> language,
                       std::optional<std::string> waiver_reason);

  /// The eligibility of every enrolment of the cohort, without issuing.
  std::vector<Eligibility> eligibility(const Actor& actor, Id cohort_id);

  /// Revokes with a reason (3–500 code points). Re-issuing afterwards gives a new serial.
  Certificate revoke(const Actor& actor, Id certificate_id, std::string reason);

  Certificate find(const Actor& actor, Id certificate_id);
  /// The stored PDF bytes with the certificate they belong to.
  std::pair<Certificate, std::string> pdf(const Actor& actor, Id certificate_id);
  std::vector<Certificate> listForCohort(const Actor& actor, Id cohort_id);
  /// A learner's own certificates (others: those of the participant they may see).
  std::vector<Certificate> listForParticipant(const Actor& actor, Id participant_id);
  std::vector<CertificateAuditEntry> audit(const Actor& actor, Id certificate_id);

  /// Anyone: the certificate when serial and token both match (compared in constant time),
  /// valid or revoked; nullopt for an unknown serial and a wrong token alike.
  std::optional<Certificate> verify(const std::string& serial, const std::string& token);

 private:
  Repositories repos_;
  CertificateMaker& maker_;
  const Clock& clock_;
};

/// Totals for administrators and trainers (courses/totals.hpp has the counting rules).
class TotalsService {
 public:
  explicit TotalsService(Repositories repos) : repos_(repos) {}

  /// Admins: any programme, all its cohorts, with the programme's targets. Trainers: only the
  /// cohorts they are assigned to, without targets. Learners: Error(forbidden). An unknown
  /// programme is Error(not_found); a bad query Error(invalid_argument).
  TotalsReport totals(const Actor& actor, const TotalsQuery& query);

  /// Admins and trainers read a programme's targets; only admins set them. Each target's measure
  /// must count people or be sessions/participant_hours (not attendance_rate), its value 1..10^9,
  /// its track (if any) a track name, and no (measure, track) pair may appear twice; otherwise
  /// Error(invalid_argument) and nothing changes.
  std::vector<Target> targets(const Actor& actor, Id programme_id);
  std::vector<Target> setTargets(const Actor& actor, Id programme_id, std::vector<Target> targets);

 private:
  Repositories repos_;
};

/// What a signed-in person sees of themselves.
struct Profile {
  Account account;
  std::optional<Participant> participant;  ///< learners
  std::vector<Enrolment> enrolments;       ///< learners
};

class ProfileService {
 public:
  explicit ProfileService(Repositories repos) : repos_(repos) {}
  Profile me(const Actor& actor);

 private:
  Repositories repos_;
};

}  // namespace courses
