// CertificateService: who may issue, revoke and read certificates, who has earned one, and the
// snapshot a certificate is made from.

#include "courses/certificate_service.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "access.hpp"
#include "checks.hpp"
#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "invalid.hpp"

namespace courses {
namespace {

using detail::checkedReason;
using detail::managedCohort;
using detail::requireManages;
using detail::requireStaff;
using detail::throwNotFound;
using detail::visibleParticipant;

/// Drafts per repository call: each call is one transaction that renders every PDF it stores, so
/// a bounded batch keeps row locks and memory bounded for a cohort of thousands.
constexpr std::size_t kIssueBatch = 100;

/// Equality whose running time depends only on the length, never on where the texts first
/// differ, so a verification token cannot be guessed byte by byte from response times.
bool constantTimeEquals(std::string_view a, std::string_view b) noexcept {
  // The length is no secret: every token the service makes has the same one.
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference = static_cast<unsigned char>(
        difference | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  }
  // Reading the result through a volatile keeps the compiler from turning the loop into an early
  // exit once a difference is known.
  volatile unsigned char result = difference;
  return result == 0;
}

bool isKnownLanguage(CertificateLanguage language) noexcept {
  const auto value = static_cast<int>(language);
  return value >= static_cast<int>(CertificateLanguage::kk) &&
         value <= static_cast<int>(CertificateLanguage::all);
}

void checkLanguage(const std::optional<CertificateLanguage>& language) {
  if (language && !isKnownLanguage(*language)) {
    detail::throwInvalid("language", "must be kk, ru, en or all");
  }
}

/// Everything a cohort's certificates are made from, read once per request.
struct CohortFacts {
  Cohort cohort;
  Course course;
  Programme programme;
  LocalizedText locality;
  std::vector<std::string> trainers;
  int sessions_total = 0;
  std::unordered_map<Id, std::vector<AttendanceStatus>> statuses;
  std::map<Id, Certificate> valid_by_enrolment;
};

CohortFacts readFacts(Repositories& repos, const Cohort& cohort) {
  CohortFacts facts;
  facts.cohort = cohort;
  auto course = repos.courses.find(cohort.course_id);
  if (!course) throwNotFound("course", cohort.course_id);
  facts.course = std::move(*course);
  auto programme = repos.programmes.find(facts.course.programme_id);
  if (!programme) throwNotFound("programme", facts.course.programme_id);
  facts.programme = std::move(*programme);
  if (auto locality = repos.localities.find(cohort.locality_id)) facts.locality = locality->name;
  for (const Id trainer_id : cohort.trainer_ids) {
    const auto account = repos.accounts.find(trainer_id);
    if (!account) continue;
    facts.trainers.push_back(account->display_name.empty() ? account->login
                                                           : account->display_name);
  }
  facts.sessions_total = heldSessions(repos.cohorts.sessions(cohort.id));
  facts.statuses = repos.attendance.statusesForCohort(cohort.id);
  for (Certificate& certificate : repos.certificates.listForCohort(cohort.id)) {
    if (certificate.status == CertificateStatus::valid) {
      const Id enrolment_id = certificate.enrolment_id;
      facts.valid_by_enrolment.insert_or_assign(enrolment_id, std::move(certificate));
    }
  }
  return facts;
}

Eligibility evaluate(const CohortFacts& facts, const Enrolment& enrolment) {
  Eligibility eligibility;
  eligibility.enrolment = enrolment;
  static const std::vector<AttendanceStatus> kNoMarks;
  const auto marks = facts.statuses.find(enrolment.id);
  eligibility.result = evaluateCompletion(facts.course.rule, facts.sessions_total,
                                          marks == facts.statuses.end() ? kNoMarks : marks->second);
  eligibility.reason = describe(eligibility.result);
  if (const auto held = facts.valid_by_enrolment.find(enrolment.id);
      held != facts.valid_by_enrolment.end()) {
    eligibility.valid_certificate_id = held->second.id;
  }
  return eligibility;
}

std::string nameOf(Repositories& repos, const Enrolment& enrolment) {
  if (!enrolment.participant_name.empty()) return enrolment.participant_name;
  const auto person = repos.participants.find(enrolment.participant_id);
  if (!person) throwNotFound("participant", enrolment.participant_id);
  return person->full_name;
}

Certificate draftFor(Repositories& repos, const CohortFacts& facts, const Eligibility& eligibility,
                     CertificateLanguage language, const Actor& actor, const Timestamp& now) {
  Certificate draft;
  const Enrolment& enrolment = eligibility.enrolment;
  draft.enrolment_id = enrolment.id;
  draft.participant_id = enrolment.participant_id;
  draft.cohort_id = facts.cohort.id;
  draft.course_id = facts.course.id;
  draft.programme_id = facts.programme.id;
  draft.language = language;
  draft.full_name = nameOf(repos, enrolment);
  draft.track = facts.course.track;
  draft.course_title = facts.course.title;
  draft.hours = facts.course.hours;
  draft.starts_on = facts.cohort.starts_on;
  draft.ends_on = facts.cohort.ends_on;
  draft.place = facts.cohort.place;
  draft.locality = facts.locality;
  draft.sessions_attended = eligibility.result.attended;
  draft.sessions_total = eligibility.result.sessions_total;
  draft.trainers = facts.trainers;
  draft.organisations = facts.programme.organisations;
  draft.issuer = facts.programme.organisations.empty() ? facts.programme.title
                                                       : facts.programme.organisations.front();
  draft.status = CertificateStatus::valid;
  draft.issued_by = actor.account_id;
  draft.issued_at = now;
  return draft;
}

void requireCertificates(const Course& course) {
  if (!course.gives_certificate) {
    throw Error(ErrorCode::unprocessable,
                "the course " + std::to_string(course.id) + " gives no certificates");
  }
}

}  // namespace

CertificateService::CohortIssue CertificateService::issueCohort(
    const Actor& actor, Id cohort_id, std::optional<CertificateLanguage> language) {
  requireStaff(actor, "issue certificates");
  const Cohort cohort = requireManages(repos_, actor, cohort_id);
  checkLanguage(language);
  const CohortFacts facts = readFacts(repos_, cohort);
  requireCertificates(facts.course);
  const CertificateLanguage chosen = language.value_or(facts.course.certificate_language);
  const std::string series =
      certificateSeries(facts.programme.code, facts.course.track, cohort.ends_on);
  const Timestamp now = clock_.now();

  CohortIssue outcome;
  std::vector<Certificate> drafts;
  for (const Enrolment& enrolment : repos_.enrolments.listForCohort(cohort_id)) {
    if (enrolment.withdrawn) continue;  // a withdrawn person gets no certificate
    Eligibility eligibility = evaluate(facts, enrolment);
    if (const auto held = facts.valid_by_enrolment.find(enrolment.id);
        held != facts.valid_by_enrolment.end()) {
      outcome.already.push_back(held->second);
    } else if (eligibility.result.completed) {
      drafts.push_back(draftFor(repos_, facts, eligibility, chosen, actor, now));
    } else {
      outcome.not_eligible.push_back(std::move(eligibility));
    }
  }

  const CertificateRepository::Maker make = [this](const Certificate& certificate) {
    return maker_.make(certificate);
  };
  std::set<Id> issued_enrolments;
  for (std::size_t first = 0; first < drafts.size(); first += kIssueBatch) {
    const std::size_t count = std::min(kIssueBatch, drafts.size() - first);
    const std::vector<Certificate> batch(
        drafts.begin() + static_cast<std::ptrdiff_t>(first),
        drafts.begin() + static_cast<std::ptrdiff_t>(first + count));
    for (Certificate& issued :
         repos_.certificates.issue(batch, std::vector<std::string>(count, series), make)) {
      issued_enrolments.insert(issued.enrolment_id);
      outcome.issued.push_back(std::move(issued));
    }
  }

  // A draft the repository skipped was issued by a concurrent request meanwhile: report the
  // certificate it got as one the enrolment already held.
  if (issued_enrolments.size() < drafts.size()) {
    std::map<Id, Certificate> now_valid;
    for (Certificate& certificate : repos_.certificates.listForCohort(cohort_id)) {
      if (certificate.status == CertificateStatus::valid) {
        const Id enrolment_id = certificate.enrolment_id;
        now_valid.insert_or_assign(enrolment_id, std::move(certificate));
      }
    }
    for (const Certificate& draft : drafts) {
      if (issued_enrolments.contains(draft.enrolment_id)) continue;
      if (const auto held = now_valid.find(draft.enrolment_id); held != now_valid.end()) {
        outcome.already.push_back(held->second);
      }
    }
  }
  return outcome;
}

Certificate CertificateService::issueOne(const Actor& actor, Id enrolment_id,
                                         std::optional<CertificateLanguage> language,
                                         std::optional<std::string> waiver_reason) {
  requireStaff(actor, "issue certificates");
  if (waiver_reason && !actor.isAdmin()) {
    throw Error(ErrorCode::forbidden, "only an administrator may waive the completion rule");
  }
  const auto enrolment = repos_.enrolments.find(enrolment_id);
  if (!enrolment) throwNotFound("enrolment", enrolment_id);
  const Cohort cohort =
      requireManages(repos_, actor, enrolment->cohort_id, "enrolment", enrolment_id);
  checkLanguage(language);
  if (waiver_reason) *waiver_reason = checkedReason(*waiver_reason, "waiver_reason");
  if (enrolment->withdrawn) {
    throw Error(ErrorCode::conflict,
                "the enrolment is withdrawn: a withdrawn person gets no "
                "certificate");
  }

  const CohortFacts facts = readFacts(repos_, cohort);
  requireCertificates(facts.course);
  const Eligibility eligibility = evaluate(facts, *enrolment);
  if (eligibility.valid_certificate_id) {
    throw Error(ErrorCode::conflict, "the enrolment already holds the valid certificate " +
                                         facts.valid_by_enrolment.at(enrolment_id).serial);
  }
  // A waiver is recorded whenever an administrator gives one, even for someone who also met the
  // rule: the audit trail shows what was decided, not what would have sufficed.
  if (!eligibility.result.completed && !waiver_reason) {
    throw Error(ErrorCode::unprocessable,
                "the enrolment has not met the course's completion rule: " + eligibility.reason);
  }

  Certificate draft =
      draftFor(repos_, facts, eligibility, language.value_or(facts.course.certificate_language),
               actor, clock_.now());
  draft.waiver_reason = std::move(waiver_reason);
  const std::string series =
      certificateSeries(facts.programme.code, facts.course.track, cohort.ends_on);
  std::vector<Certificate> issued = repos_.certificates.issue(
      {draft}, {series},
      [this](const Certificate& certificate) { return maker_.make(certificate); });
  if (issued.empty()) {
    // Another request issued to the same enrolment between our read and the transaction.
    throw Error(ErrorCode::conflict, "the enrolment already holds a valid certificate");
  }
  return std::move(issued.front());
}

std::vector<Eligibility> CertificateService::eligibility(const Actor& actor, Id cohort_id) {
  requireStaff(actor, "see who has earned a certificate");
  const Cohort cohort = requireManages(repos_, actor, cohort_id);
  const CohortFacts facts = readFacts(repos_, cohort);
  std::vector<Eligibility> out;
  for (const Enrolment& enrolment : repos_.enrolments.listForCohort(cohort_id)) {
    if (enrolment.withdrawn) continue;  // not counted as enrolled from the withdrawal on
    out.push_back(evaluate(facts, enrolment));
  }
  return out;
}

std::vector<RuleChange> CertificateService::rulePreview(const Actor& actor, Id course_id,
                                                        const CompletionRule& rule) {
  detail::requireAdmin(actor, "preview a course's completion rule");
  validateRule(rule);
  CohortFilter filter;
  filter.course_id = course_id;
  std::vector<RuleChange> out;
  for (const Cohort& cohort : repos_.cohorts.list(filter)) {
    CohortFacts facts = readFacts(repos_, cohort);
    CohortFacts proposed = facts;
    proposed.course.rule = rule;
    RuleChange change;
    change.cohort_id = cohort.id;
    for (const Enrolment& enrolment : repos_.enrolments.listForCohort(cohort.id)) {
      const Eligibility now = evaluate(facts, enrolment);
      const Eligibility then = evaluate(proposed, enrolment);
      if (!now.result.completed && then.result.completed) ++change.becomes_eligible;
      if (now.result.completed && !then.result.completed) {
        ++change.stops_being_eligible;
        if (now.valid_certificate_id) ++change.holding_certificates;
      }
    }
    out.push_back(change);
  }
  return out;
}

namespace {

/// The certificate if the actor may read it: admins all, trainers those of their cohorts, a
/// learner only their own; anyone else learns nothing about it.
Certificate readableCertificate(Repositories& repos, const Actor& actor, Id certificate_id) {
  auto certificate = repos.certificates.find(certificate_id);
  if (!certificate) throwNotFound("certificate", certificate_id);
  const bool may_read = actor.isAdmin() ||
                        (actor.role == Role::trainer &&
                         managedCohort(repos, actor, certificate->cohort_id).has_value()) ||
                        (actor.role == Role::learner && actor.participant_id &&
                         *actor.participant_id == certificate->participant_id);
  if (!may_read) throwNotFound("certificate", certificate_id);
  return std::move(*certificate);
}

}  // namespace

Certificate CertificateService::revoke(const Actor& actor, Id certificate_id, std::string reason) {
  requireStaff(actor, "revoke certificates");
  readableCertificate(repos_, actor, certificate_id);
  reason = checkedReason(reason, "reason");
  return repos_.certificates.revoke(certificate_id, reason, actor.account_id, clock_.now());
}

Certificate CertificateService::find(const Actor& actor, Id certificate_id) {
  return readableCertificate(repos_, actor, certificate_id);
}

std::pair<Certificate, std::string> CertificateService::pdf(const Actor& actor, Id certificate_id) {
  Certificate certificate = readableCertificate(repos_, actor, certificate_id);
  auto bytes = repos_.certificates.pdf(certificate_id);
  if (!bytes) throwNotFound("certificate", certificate_id);
  return {std::move(certificate), std::move(*bytes)};
}

std::vector<Certificate> CertificateService::listForCohort(const Actor& actor, Id cohort_id) {
  requireStaff(actor, "list a cohort's certificates");
  requireManages(repos_, actor, cohort_id);
  return repos_.certificates.listForCohort(cohort_id);
}

std::vector<Certificate> CertificateService::listForParticipant(const Actor& actor,
                                                                Id participant_id) {
  visibleParticipant(repos_, actor, participant_id);
  std::vector<Certificate> certificates = repos_.certificates.listForParticipant(participant_id);
  if (actor.role == Role::trainer) {
    // A trainer who may see a person still reads only the certificates of their own cohorts,
    // as find() allows.
    std::map<Id, bool> trains;
    std::erase_if(certificates, [&](const Certificate& certificate) {
      auto [it, inserted] = trains.try_emplace(certificate.cohort_id, false);
      if (inserted) it->second = managedCohort(repos_, actor, certificate.cohort_id).has_value();
      return !it->second;
    });
  }
  return certificates;
}

std::vector<CertificateAuditEntry> CertificateService::audit(const Actor& actor,
                                                             Id certificate_id) {
  requireStaff(actor, "read a certificate's audit trail");
  readableCertificate(repos_, actor, certificate_id);
  return repos_.certificates.audit(certificate_id);
}

std::optional<Certificate> CertificateService::verify(const std::string& serial,
                                                      const std::string& token) {
  // Text that cannot be a serial never reaches storage.
  if (!isValidSerial(serial) || token.empty()) return std::nullopt;
  auto certificate = repos_.certificates.findBySerial(serial);
  // An unknown serial still costs one comparison, so it answers in about the time a wrong token
  // does.
  const std::string expected =
      certificate ? certificate->verification_token : std::string(token.size(), '\0');
  const bool matches = constantTimeEquals(expected, token);
  if (!certificate || !matches) return std::nullopt;
  return certificate;
}

std::optional<Certificate> CertificateService::check(const std::string& serial,
                                                     std::string_view typed_code) {
  const auto code = normalizeTypedCode(typed_code, kCheckCodeLength);
  if (!isValidSerial(serial) || !code) return std::nullopt;
  auto certificate = repos_.certificates.findBySerial(serial);
  // As in verify(): an unknown serial costs a comparison too.
  const std::string expected =
      certificate ? maker_.checkCode(certificate->serial) : std::string(code->size(), '\0');
  const bool matches = constantTimeEquals(expected, *code);
  if (!certificate || !matches) return std::nullopt;
  return certificate;
}

}  // namespace courses
