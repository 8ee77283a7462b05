#include "courses/rules.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "courses/error.hpp"
#include "courses/name_match.hpp"
#include "courses/text.hpp"
#include "checks.hpp"
#include "invalid.hpp"

namespace courses {
namespace {

constexpr int kEarliestBirthYear = 1900;
constexpr std::size_t kMaxEmailLength = 254;  // RFC 5321 path limit
constexpr std::size_t kMaxEmailLocalPart = 64;
constexpr std::size_t kMaxPhoneLength = 40;
constexpr int kMinPhoneDigits = 5;
constexpr int kMaxPhoneDigits = 20;
constexpr std::size_t kMaxReportedProblems = 50;

VulnerableSet allVulnerableBits() noexcept {
  VulnerableSet bits = 0;
  for (const VulnerableGroup group : kAllVulnerableGroups) {
    bits = static_cast<VulnerableSet>(bits | static_cast<VulnerableSet>(group));
  }
  return bits;
}

/// Empty after trimming means "not given"; otherwise the problem with the value, if any.
std::optional<std::string> phoneProblem(std::string_view phone) {
  if (phone.size() > kMaxPhoneLength) {
    return "must be at most " + std::to_string(kMaxPhoneLength) + " characters long";
  }
  int digits = 0;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '+' && i == 0) {
      continue;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return std::string("may contain only digits, a leading +, spaces, hyphens and parentheses");
    }
  }
  if (digits < kMinPhoneDigits || digits > kMaxPhoneDigits) {
    return "must have " + std::to_string(kMinPhoneDigits) + " to " +
           std::to_string(kMaxPhoneDigits) + " digits";
  }
  return std::nullopt;
}

bool isEmailLocalChar(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x80) return true;  // internationalised addresses (RFC 6531)
  if (byte <= 0x20 || byte == 0x7F) return false;
  static constexpr std::string_view kSpecials = "()<>[]\\,;:@\"";
  return kSpecials.find(c) == std::string_view::npos;
}

bool isDomainLabelChar(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-';
}

std::optional<std::string> emailProblem(std::string_view email) {
  static const std::string kShape = "must look like name@example.kz";
  if (email.size() > kMaxEmailLength) {
    return "must be at most " + std::to_string(kMaxEmailLength) + " characters long";
  }
  if (firstInvalidUtf8(email)) return std::string("must be valid UTF-8");
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return kShape;
  }
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  if (local.empty() || local.size() > kMaxEmailLocalPart || local.front() == '.' ||
      local.back() == '.' || local.find("..") != std::string_view::npos ||
      !std::all_of(local.begin(), local.end(), isEmailLocalChar)) {
    return kShape;
  }
  std::size_t labels = 0;
  std::string_view last_label;
  std::string_view rest = domain;
  while (true) {
    const std::size_t dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), isDomainLabelChar)) {
      return kShape;
    }
    ++labels;
    last_label = label;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  const bool numeric_tld = std::all_of(last_label.begin(), last_label.end(),
                                       [](char c) { return c >= '0' && c <= '9'; });
  if (labels < 2 || last_label.size() < 2 || numeric_tld) return kShape;
  return std::nullopt;
}

}  // namespace

CompletionResult evaluateCompletion(const CompletionRule& rule, int sessions_total,
                                    std::span<const AttendanceStatus> statuses) noexcept {
  int attended = 0;
  int excused = 0;
  for (const AttendanceStatus status : statuses) {
    if (status == AttendanceStatus::present || status == AttendanceStatus::late) ++attended;
    if (status == AttendanceStatus::excused) ++excused;
  }
  return evaluateCompletion(rule, sessions_total, attended, excused);
}

CompletionResult evaluateCompletion(const CompletionRule& rule, int sessions_total, int attended,
                                    int excused) noexcept {
  CompletionResult result;
  result.sessions_total = std::max(sessions_total, 0);
  result.attended = std::max(attended, 0) + (rule.excused_counts ? std::max(excused, 0) : 0);
  // More marks than sessions can only come from inconsistent input; never report more than held.
  result.attended = std::min(result.attended, result.sessions_total);
  if (result.sessions_total == 0) return result;

  if (rule.require_all) {
    result.required = result.sessions_total;
  } else {
    const int percent = std::clamp(rule.min_attendance_percent, 0, 100);
    // Ceiling in integers: 80 % of 8 sessions is 6.4, so 7 are needed.
    result.required = (result.sessions_total * percent + 99) / 100;
  }
  result.completed = result.attended >= result.required;
  return result;
}

std::string describe(const CompletionResult& result) {
  if (result.sessions_total == 0) return "the cohort has no sessions yet";
  return "attended " + std::to_string(result.attended) + " of " +
         std::to_string(result.sessions_total) +
         (result.sessions_total == 1 ? " session" : " sessions") + ", needs " +
         std::to_string(result.required);
}

bool isTrackName(std::string_view track) noexcept {
  constexpr std::size_t kMaxTrack = 40;
  return !track.empty() && track.size() <= kMaxTrack &&
         std::all_of(track.begin(), track.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

std::string trackCode(std::string_view track) {
  // Words are separated by anything that is not an ASCII letter or digit ("study_visit").
  const auto isWordChar = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  const auto upper = [](char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  };
  std::string initials;
  std::string first_word;
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : track) {
    if (!isWordChar(c)) {
      in_word = false;
      continue;
    }
    if (!in_word) {
      ++words;
      initials.push_back(upper(c));
    }
    if (words == 1) first_word.push_back(upper(c));
    in_word = true;
  }
  if (words == 0) detail::throwInvalid("track", "has no letters to make a serial from");
  if (words > 1) return initials;
  return first_word.substr(0, 2);
}

std::string certificateSeries(std::string_view programme_code, std::string_view track,
                              const Date& cohort_ends_on) {
  if (!isValidDate(cohort_ends_on)) {
    detail::throwInvalid("ends_on", "must be a calendar date written YYYY-MM-DD");
  }
  std::string series(programme_code);
  series += '-';
  series += trackCode(track);
  series += '-';
  series += cohort_ends_on.substr(0, 4);
  return series;
}

std::string formatSerial(std::string_view series, long long number) {
  if (number < 0) detail::throwInvalid("number", "must not be negative");
  std::string digits = std::to_string(number);
  constexpr std::size_t kSerialDigits = 6;
  if (digits.size() < kSerialDigits) digits.insert(0, kSerialDigits - digits.size(), '0');
  std::string serial(series);
  serial += '-';
  serial += digits;
  return serial;
}

bool isValidSerial(std::string_view text) noexcept {
  constexpr std::size_t kMaxSerialLength = 64;
  constexpr std::size_t kMinNumberDigits = 6;
  const auto isDigitChar = [](char c) { return c >= '0' && c <= '9'; };
  const auto isSerialChar = [&](char c) {
    return (c >= 'A' && c <= 'Z') || isDigitChar(c) || c == '-';
  };
  if (text.size() > kMaxSerialLength || !std::all_of(text.begin(), text.end(), isSerialChar)) {
    return false;
  }
  const std::size_t number_start = text.rfind('-') + 1;  // npos + 1 == 0 when there is none
  if (number_start == 0 || text.size() - number_start < kMinNumberDigits) return false;
  const std::string_view number = text.substr(number_start);
  if (!std::all_of(number.begin(), number.end(), isDigitChar)) return false;
  // Before the number: "<series prefix>-YYYY-", the prefix holding at least one character.
  constexpr std::size_t kYearWithHyphens = 6;  // "-YYYY-"
  if (number_start < kYearWithHyphens + 1) return false;
  const std::string_view year = text.substr(number_start - 5, 4);
  return text[number_start - kYearWithHyphens] == '-' &&
         std::all_of(year.begin(), year.end(), isDigitChar) &&
         text[number_start - kYearWithHyphens - 1] != '-' && text.front() != '-';
}

void validateRule(const CompletionRule& rule) {
  if (rule.min_attendance_percent < 0 || rule.min_attendance_percent > 100) {
    detail::throwInvalid("rule.min_attendance_percent", "must be between 0 and 100");
  }
}

DuplicateKey duplicateKey(const Participant& person) {
  return DuplicateKey{nameMatchKey(person.full_name), person.demographics.birth_year,
                      person.demographics.locality_id, personNameKey(person.full_name),
                      nameSearchText(person.full_name)};
}

std::vector<Participant> rankDuplicates(const Participant& person,
                                        std::vector<Participant> found) {
  const auto contradicts = [](Gender a, Gender b) {
    return a != b && a != Gender::undisclosed && b != Gender::undisclosed;
  };
  std::erase_if(found, [&](const Participant& other) {
    return !sameName(person.full_name, other.full_name) ||
           contradicts(person.demographics.gender, other.demographics.gender);
  });
  const Id here = person.demographics.locality_id;
  if (std::none_of(found.begin(), found.end(),
                   [&](const Participant& other) { return other.demographics.locality_id == here; })) {
    return {};
  }
  const std::string typed = nameMatchKey(person.full_name);
  const auto rank = [&](const Participant& other) {
    return std::tuple(nameMatchKey(other.full_name) == typed ? 0 : 1,
                      other.demographics.locality_id == here ? 0 : 1,
                      other.id);
  };
  std::sort(found.begin(), found.end(),
            [&](const Participant& a, const Participant& b) { return rank(a) < rank(b); });
  return found;
}

void applyPatch(Participant& person, const ParticipantPatch& patch) {
  if (patch.full_name) person.full_name = *patch.full_name;
  if (patch.gender) person.demographics.gender = *patch.gender;
  if (patch.birth_year) person.demographics.birth_year = *patch.birth_year;
  if (patch.locality_id) person.demographics.locality_id = *patch.locality_id;
  if (patch.affiliation) person.demographics.affiliation = *patch.affiliation;
  if (patch.vulnerable) person.demographics.vulnerable = *patch.vulnerable;
  if (patch.phone) person.phone = *patch.phone;
  if (patch.email) person.email = *patch.email;
  if (patch.consent) person.consent = *patch.consent;
}

namespace {

std::string vulnerableText(VulnerableSet set) {
  std::vector<std::string_view> names;
  for (const auto group : kAllVulnerableGroups) {
    if ((set & static_cast<VulnerableSet>(group)) != 0) names.push_back(toString(group));
  }
  return jsonText(names);
}

}  // namespace

std::vector<FieldChange> withdrawalChanges(const Enrolment& before, const Enrolment& after) {
  const auto text = [](const std::optional<Withdrawal>& withdrawn) {
    return withdrawn ? "{\"reason\":" + jsonText(withdrawn->reason) + "}" : std::string("null");
  };
  FieldChanges changes;
  changes.add("withdrawn", text(before.withdrawn), text(after.withdrawn));
  return std::move(changes).take();
}

std::vector<FieldChange> participantChanges(const Participant& before, const Participant& after) {
  const Demographics& b = before.demographics;
  const Demographics& a = after.demographics;
  FieldChanges changes;
  changes.compare("full_name", before.full_name, after.full_name)
      .add("gender", jsonText(toString(b.gender)), jsonText(toString(a.gender)))
      .compare("birth_year", b.birth_year, a.birth_year)
      .compare("locality_id", b.locality_id, a.locality_id)
      .add("affiliation", jsonText(toString(b.affiliation)), jsonText(toString(a.affiliation)))
      .add("vulnerable", vulnerableText(b.vulnerable), vulnerableText(a.vulnerable))
      .compare("phone", before.phone, after.phone)
      .compare("email", before.email, after.email)
      .compare("consent", before.consent, after.consent);
  return std::move(changes).take();
}

void applyPatch(Session& session, const SessionPatch& patch, Id by) {
  if (patch.starts_at) session.starts_at = *patch.starts_at;
  if (patch.duration_minutes) session.duration_minutes = *patch.duration_minutes;
  if (patch.topic) session.topic = *patch.topic;
  if (!patch.cancel_reason) return;
  if (!*patch.cancel_reason) {
    session.cancelled.reset();
  } else if (session.cancelled) {
    session.cancelled->reason = **patch.cancel_reason;
  } else {
    session.cancelled = SessionCancellation{.at = {}, .by = by, .reason = **patch.cancel_reason};
  }
}

std::vector<FieldChange> sessionChanges(const Session& before, const Session& after) {
  const auto cancelled = [](const Session& s) {
    return s.cancelled ? std::optional<std::string>(s.cancelled->reason) : std::nullopt;
  };
  FieldChanges changes;
  changes.compare("starts_at", before.starts_at, after.starts_at)
      .compare("duration_minutes", before.duration_minutes, after.duration_minutes)
      .compare("topic", before.topic, after.topic)
      .compare("cancelled", cancelled(before), cancelled(after));
  return std::move(changes).take();
}

std::vector<FieldChange> cohortChanges(const Cohort& before, const Cohort& after) {
  const auto ids = [](const std::vector<Id>& list) {
    std::string out = "[";
    for (std::size_t i = 0; i < list.size(); ++i) {
      out += (i == 0 ? "" : ",") + std::to_string(list[i]);
    }
    return out + "]";
  };
  FieldChanges changes;
  changes.compare("locality_id", before.locality_id, after.locality_id)
      .compare("place", before.place, after.place)
      .compare("starts_on", before.starts_on, after.starts_on)
      .compare("ends_on", before.ends_on, after.ends_on)
      .add("language", jsonText(toString(before.language)), jsonText(toString(after.language)))
      .add("trainer_ids", ids(before.trainer_ids), ids(after.trainer_ids));
  return std::move(changes).take();
}

std::vector<FieldChange> courseChanges(const Course& before, const Course& after) {
  FieldChanges changes;
  changes.compare("track", before.track, after.track)
      .compare("title.kk", before.title.kk, after.title.kk)
      .compare("title.ru", before.title.ru, after.title.ru)
      .compare("title.en", before.title.en, after.title.en)
      .compare("hours", before.hours, after.hours)
      .compare("rule.min_attendance_percent", before.rule.min_attendance_percent,
               after.rule.min_attendance_percent)
      .compare("rule.excused_counts", before.rule.excused_counts, after.rule.excused_counts)
      .compare("rule.require_all", before.rule.require_all, after.rule.require_all)
      .compare("gives_certificate", before.gives_certificate, after.gives_certificate)
      .add("certificate_language", jsonText(toString(before.certificate_language)),
           jsonText(toString(after.certificate_language)));
  return std::move(changes).take();
}

namespace {

std::string localizedText(const LocalizedText& text) {
  return "{\"kk\":" + jsonText(text.kk) + ",\"ru\":" + jsonText(text.ru) +
         ",\"en\":" + jsonText(text.en) + "}";
}

FieldChanges& compareLocalized(FieldChanges& changes, const std::string& field,
                               const LocalizedText& before, const LocalizedText& after) {
  return changes.compare(field + ".kk", before.kk, after.kk)
      .compare(field + ".ru", before.ru, after.ru)
      .compare(field + ".en", before.en, after.en);
}

}  // namespace

std::vector<FieldChange> programmeChanges(const Programme& before, const Programme& after) {
  const auto organisations = [](const Programme& p) {
    std::string out = "[";
    for (std::size_t i = 0; i < p.organisations.size(); ++i) {
      out += (i == 0 ? "" : ",") + localizedText(p.organisations[i]);
    }
    return out + "]";
  };
  FieldChanges changes;
  compareLocalized(changes, "title", before.title, after.title)
      .compare("donor", before.donor, after.donor)
      .compare("starts_on", before.starts_on, after.starts_on)
      .compare("ends_on", before.ends_on, after.ends_on)
      .compare("youth.from", before.youth.from, after.youth.from)
      .compare("youth.to", before.youth.to, after.youth.to)
      .add("organisations", organisations(before), organisations(after));
  return std::move(changes).take();
}

std::vector<FieldChange> localityChanges(const Locality& before, const Locality& after) {
  const auto parent = [](const Locality& l) {
    return l.parent_id ? std::optional<long long>(*l.parent_id) : std::nullopt;
  };
  FieldChanges changes;
  changes.compare("parent_id", parent(before), parent(after));
  compareLocalized(changes, "name", before.name, after.name)
      .compare("kato", before.kato, after.kato);
  return std::move(changes).take();
}

bool changesCounting(const Session& before, const Session& after) {
  return before.starts_at != after.starts_at || before.duration_minutes != after.duration_minutes ||
         before.cancelled.has_value() != after.cancelled.has_value();
}

int heldSessions(const std::vector<Session>& sessions) {
  return static_cast<int>(std::count_if(sessions.begin(), sessions.end(),
                                        [](const Session& s) { return !s.cancelled; }));
}

Participant validateParticipant(Participant person, int current_year) {
  detail::Problems problems;
  try {
    person.full_name = validateName(person.full_name, "full_name");
  } catch (const Error& e) {
    problems.add(e);
  }

  Demographics& d = person.demographics;
  const auto gender = static_cast<int>(d.gender);
  if (gender < static_cast<int>(Gender::female) || gender > static_cast<int>(Gender::undisclosed)) {
    problems.add("gender", "is not a known gender");
  }
  if (d.birth_year < kEarliestBirthYear || d.birth_year > current_year) {
    problems.add("birth_year", "must be between " + std::to_string(kEarliestBirthYear) + " and " +
                                   std::to_string(current_year));
  }
  if (d.locality_id <= 0) problems.add("locality_id", "must name a locality");
  const auto affiliation = static_cast<int>(d.affiliation);
  if (affiliation < static_cast<int>(Affiliation::local_government) ||
      affiliation > static_cast<int>(Affiliation::other)) {
    problems.add("affiliation", "is not a known affiliation");
  }
  if ((d.vulnerable & ~allVulnerableBits()) != 0) {
    problems.add("vulnerable", "contains an unknown group");
  }

  if (person.phone) {
    const std::string_view phone = trim(*person.phone);
    if (phone.empty()) {
      person.phone.reset();
    } else if (auto problem = phoneProblem(phone)) {
      problems.add("phone", std::move(*problem));
    } else {
      person.phone = std::string(phone);
    }
  }
  if (person.email) {
    const std::string_view email = trim(*person.email);
    if (email.empty()) {
      person.email.reset();
    } else {
      // Internationalised addresses may hold any letter, but never controls or invisible
      // characters, and they are stored in NFC like every other text.
      std::string cleaned;
      try {
        cleaned = validateText(email, "email", 1, kMaxEmailLength);
      } catch (const Error& e) {
        problems.add(e);
      }
      if (!cleaned.empty()) {
        if (auto problem = emailProblem(cleaned)) {
          problems.add("email", std::move(*problem));
        } else {
          person.email = std::move(cleaned);
        }
      }
    }
  }
  if (!person.consent) {
    problems.add("consent", "must be given: a person is registered only with their consent");
  }
  problems.throwIfAny("participant");
  return person;
}

void validateSheet(std::span<const AttendanceMark> marks, std::span<const Id> cohort_enrolments) {
  if (marks.size() > kMaxMarksPerSheet) {
    detail::throwInvalid("marks",
                         "must hold at most " + std::to_string(kMaxMarksPerSheet) + " marks");
  }
  const std::set<Id> of_cohort(cohort_enrolments.begin(), cohort_enrolments.end());
  detail::Problems problems;
  std::set<Id> seen;
  for (std::size_t i = 0; i < marks.size() && problems.size() < kMaxReportedProblems; ++i) {
    const std::string field = "marks[" + std::to_string(i) + "]";
    const AttendanceMark& mark = marks[i];
    if (!of_cohort.contains(mark.enrolment_id)) {
      problems.add(field + ".enrolment_id", "is not an enrolment of this session's cohort");
    } else if (!seen.insert(mark.enrolment_id).second) {
      problems.add(field + ".enrolment_id", "appears more than once");
    }
    if (!detail::inEnumRange(mark.status, AttendanceStatus::present, AttendanceStatus::absent)) {
      problems.add(field + ".status", "must be present, late, excused or absent");
    }
  }
  problems.throwIfAny("attendance sheet");
}

}  // namespace courses
