#include "courses/data_rights_service.hpp"

#include <algorithm>

#include "access.hpp"
#include "courses/text.hpp"

namespace courses {
namespace {

constexpr std::size_t kMinReason = 3;
constexpr std::size_t kMaxReason = 500;
constexpr int kHistoryPage = 200;

std::string checkedReason(std::string_view reason) {
  return validateText(reason, "reason", kMinReason, kMaxReason);
}

LocalizedText localityName(Repositories& repos, Id locality_id) {
  const auto locality = repos.localities.find(locality_id);
  return locality ? locality->name : LocalizedText{};
}

}  // namespace

DataRightsState DataRightsService::state(const Actor& actor, Id participant_id) {
  detail::requireAdmin(actor, "manage a person's data rights");
  auto found = rights_.state(participant_id);
  if (!found) detail::throwNotFound("participant", participant_id);
  return *found;
}

PersonExport DataRightsService::exportPerson(const Actor& actor, Id participant_id,
                                             std::optional<Language> language) {
  detail::requireAdmin(actor, "export a person's data");
  auto person = repos_.participants.find(participant_id);
  auto state = rights_.state(participant_id);
  if (!person || !state) detail::throwNotFound("participant", participant_id);
  PersonExport out;
  out.person = std::move(*person);
  out.state = *state;
  out.home_locality = localityName(repos_, out.person.demographics.locality_id);
  for (Enrolment& enrolment : repos_.enrolments.listForParticipant(participant_id)) {
    ExportedEnrolment item;
    item.cohort = repos_.cohorts.find(enrolment.cohort_id).value_or(Cohort{});
    item.course = repos_.courses.find(item.cohort.course_id).value_or(Course{});
    item.programme = repos_.programmes.find(item.course.programme_id).value_or(Programme{});
    item.locality = localityName(repos_, item.cohort.locality_id);
    item.enrolment = std::move(enrolment);
    out.enrolments.push_back(std::move(item));
  }
  out.marks = rights_.marks(participant_id);
  out.certificates = repos_.certificates.listForParticipant(participant_id);
  out.links = repos_.participants.links(participant_id);
  out.account = repos_.accounts.findByParticipant(participant_id);
  PageRequest page{.after = 0, .limit = kHistoryPage};
  for (;;) {
    Page<ChangeEntry> changes = repos_.changes.personHistory(participant_id, page);
    for (ChangeEntry& entry : changes.items) out.history.push_back(std::move(entry));
    if (!changes.next_after) break;
    page.after = *changes.next_after;
  }
  // Their language: the one they were last taught in, else the one they chose for the app.
  if (language) {
    out.language = *language;
  } else if (!out.enrolments.empty()) {
    const auto latest =
        std::max_element(out.enrolments.begin(), out.enrolments.end(),
                         [](const ExportedEnrolment& a, const ExportedEnrolment& b) {
                           return a.cohort.starts_on < b.cohort.starts_on;
                         });
    out.language = latest->cohort.language;
  } else if (out.account && out.account->language) {
    out.language = *out.account->language;
  }
  out.exported_at = clock_.now();
  rights_.recordExport(participant_id, ChangeContext{.account_id = actor.account_id, .reason = {}});
  return out;
}

ErasureOutcome DataRightsService::erase(const Actor& actor, Id participant_id, std::string reason,
                                        std::optional<int> version) {
  detail::requireAdmin(actor, "erase a person");
  reason = checkedReason(reason);
  ErasureOutcome outcome = rights_.erase(
      participant_id,
      EditBasis{.version = version, .change = {.account_id = actor.account_id, .reason = reason}},
      clock_.now());
  if (outcome.closed_account_id && sessions_ != nullptr) {
    sessions_->sessionsEnded(*outcome.closed_account_id);
  }
  return outcome;
}

DataRightsState DataRightsService::withdrawConsent(const Actor& actor, Id participant_id,
                                                   std::optional<std::string> reason,
                                                   std::optional<int> version) {
  detail::requireAdmin(actor, "record a withdrawal of consent");
  if (reason) reason = checkedReason(*reason);
  return rights_.withdrawConsent(
      participant_id,
      EditBasis{.version = version, .change = {.account_id = actor.account_id, .reason = reason}},
      clock_.now());
}

RetentionSetting DataRightsService::retention(const Actor& actor, Id programme_id) {
  detail::requireAdmin(actor, "read a programme's retention");
  auto found = rights_.retention(programme_id);
  if (!found) detail::throwNotFound("programme", programme_id);
  return *found;
}

RetentionSetting DataRightsService::setRetention(const Actor& actor, Id programme_id,
                                                 std::optional<int> years,
                                                 std::optional<int> version) {
  detail::requireAdmin(actor, "set a programme's retention");
  if (years && (*years < 0 || *years > kMaxRetentionYears)) {
    const std::string message = "must be from 0 to " + std::to_string(kMaxRetentionYears);
    throw Error(ErrorCode::invalid_argument, "retention_years " + message,
                {{"retention_years", message}});
  }
  return rights_.setRetention(
      programme_id, years,
      EditBasis{.version = version, .change = {.account_id = actor.account_id, .reason = {}}});
}

RetentionReport DataRightsService::applyRetention(bool dry_run) {
  RetentionReport report;
  report.today = clock_.now().substr(0, 10);
  report.dry_run = dry_run;
  report.due = rights_.dueForRetention(report.today);
  if (dry_run) return report;
  for (const RetentionDue& due : report.due) {
    // The system's change: no account, and the rule as its reason.
    if (rights_.eraseContacts(due.participant_id, report.today,
                              ChangeContext{.account_id = 0, .reason = "retention"})) {
      ++report.contacts_erased;
    }
  }
  return report;
}

}  // namespace courses
