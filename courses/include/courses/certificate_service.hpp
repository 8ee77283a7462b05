#pragma once
// CertificateService: who has earned a certificate, issuing, revoking, reading and verifying.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "courses/certificate_maker.hpp"
#include "courses/clock.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "courses/rules.hpp"

namespace courses {

/// Whether one enrolment has earned a certificate.
struct Eligibility {
  Enrolment enrolment;
  CompletionResult result;
  std::string reason;  ///< describe(result), e.g. "attended 5 of 8 sessions, needs 7"
  std::optional<Id> valid_certificate_id;  ///< the valid certificate it already holds
};

/// What another completion rule would change in one cohort of a course (CertificateService::
/// rulePreview): how many of its enrolments would meet it that do not now, and how many meet it
/// now and would not. Certificates already issued stay whatever the rule.
struct RuleChange {
  Id cohort_id = 0;
  int becomes_eligible = 0;
  int stops_being_eligible = 0;
  int holding_certificates = 0;  ///< of those who would stop: how many hold a valid certificate
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
  /// What `rule` would change in every cohort of the course compared with its rule now (admins),
  /// cohort by cohort in id order; nothing is saved.
  std::vector<RuleChange> rulePreview(const Actor& actor, Id course_id, const CompletionRule& rule);

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

  /// Anyone holding the paper: the certificate when `typed_code` is the check code printed on it
  /// (typed as normalizeTypedCode reads it; compared in constant time), valid or revoked; nullopt
  /// for an unknown serial and a wrong code alike.
  std::optional<Certificate> check(const std::string& serial, std::string_view typed_code);

 private:
  Repositories repos_;
  CertificateMaker& maker_;
  const Clock& clock_;
};

}  // namespace courses
