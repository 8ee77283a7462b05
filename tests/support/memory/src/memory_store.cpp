#include "support/memory_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "courses/error.hpp"
#include "courses/name_match.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"

namespace support {

using courses::Account;
using courses::AccountCredentials;
using courses::AttendanceMark;
using courses::AttendanceStatus;
using courses::Certificate;
using courses::CertificateAuditEntry;
using courses::CertificateStatus;
using courses::ChangeEntry;
using courses::ChangeLogRepository;
using courses::Cohort;
using courses::CohortFilter;
using courses::Course;
using courses::DuplicateKey;
using courses::EditBasis;
using courses::Enrolment;
using courses::EnrolmentRepository;
using courses::Entity;
using courses::Error;
using courses::ErrorCode;
using courses::FieldChange;
using courses::Id;
using courses::kChangeEdited;
using courses::Locality;
using courses::Page;
using courses::PageRequest;
using courses::Participant;
using courses::participantChanges;
using courses::ParticipantPatch;
using courses::Programme;
using courses::Session;
using courses::SheetRow;
using courses::Target;
using courses::Timestamp;
using courses::TotalsFacts;
using courses::TotalsRepository;
using courses::TotalsScope;

namespace {

struct IdempotentEnrolment {
  Id participant_id = 0;
  Id cohort_id = 0;
  Id enrolment_id = 0;
};

struct Token {
  Id account_id = 0;
  Timestamp expires_at;
  bool resets_password = false;  // access codes: may open an account that has a password
};

struct LoginAttempts {
  int count = 0;
  std::optional<Timestamp> locked_until;
};

/// A stored certificate with what only the repository keeps beside it.
struct StoredCertificate {
  Certificate certificate;
  std::string pdf;
  std::vector<CertificateAuditEntry> audit;
};

}  // namespace

/// Everything the store holds, guarded by one mutex: each repository method is one "transaction".
struct Data {
  mutable std::mutex mutex;
  bool unavailable = false;
  Timestamp now = "2026-01-01T00:00:00Z";
  Id next_id = 1;

  std::map<Id, Programme> programmes;
  std::map<Id, Locality> localities;
  std::map<Id, Course> courses;
  std::map<Id, Cohort> cohorts;
  std::map<Id, Session> sessions;
  std::map<Id, Participant> participants;
  std::map<Id, DuplicateKey> participant_keys;
  std::set<std::pair<Id, Id>> participant_access;  // (participant, account)
  std::map<Id, Enrolment> enrolments;
  std::map<std::pair<Id, Id>, Id> enrolment_by_pair;  // (participant, cohort) -> enrolment
  std::map<std::pair<Id, std::string>, IdempotentEnrolment> idempotency;  // (account, key)
  std::map<std::pair<Id, Id>, AttendanceMark> marks;                      // (enrolment, session)
  std::vector<MemoryStore::AuditEntry> audit;
  std::map<Id, AccountCredentials> accounts;
  std::map<std::string, Token> tokens;
  std::map<std::string, Token> access_codes;  // code hash -> account, expiry
  std::map<std::pair<Id, std::string>, LoginAttempts> login_attempts;  // (account, client)
  std::map<Id, std::vector<courses::AccountEvent>> account_events;
  std::map<Id, std::vector<courses::ParticipantLink>> participant_links;
  std::map<Id, StoredCertificate> certificates;
  std::map<std::string, long long> serial_counters;  // series -> last number used
  std::vector<std::size_t> certificate_batches;      // drafts per issue() call
  std::map<Id, std::vector<Target>> targets;         // programme -> its targets, ordered
  std::vector<ChangeEntry> changes;                  // oldest first

  /// Records a change as SQL storage does (courses/mariadb recordChange), under the lock held.
  void recordChange(ChangeEntry entry) {
    entry.id = next_id++;
    entry.at = now;
    changes.push_back(std::move(entry));
  }

  /// Records an edit of one entity (kChangeEdited) as recordChange does.
  void recordEdit(Entity entity, Id id, int version, const EditBasis& basis,
                  std::vector<FieldChange> fields) {
    ChangeEntry entry;
    entry.entity = entity;
    entry.entity_id = id;
    entry.version = version;
    entry.action = std::string(kChangeEdited);
    entry.account_id = basis.change.account_id;
    entry.reason = basis.change.reason;
    entry.fields = std::move(fields);
    recordChange(std::move(entry));
  }

  /// Locks the store for one method call; throws when storage is "down".
  std::unique_lock<std::mutex> begin() const {
    std::unique_lock<std::mutex> lock(mutex);
    if (unavailable) throw Error(ErrorCode::unavailable, "storage is unavailable");
    return lock;
  }

  bool isTrainerOf(Id cohort_id, Id account_id) const {
    const auto it = cohorts.find(cohort_id);
    if (it == cohorts.end()) return false;
    const auto& ids = it->second.trainer_ids;
    return std::find(ids.begin(), ids.end(), account_id) != ids.end();
  }

  Enrolment withName(Enrolment enrolment) const {
    const auto person = participants.find(enrolment.participant_id);
    if (person != participants.end()) enrolment.participant_name = person->second.full_name;
    return enrolment;
  }
};

namespace {

class Programmes final : public courses::ProgrammeRepository {
 public:
  explicit Programmes(Data& data) : data_(data) {}
  Programme create(const Programme& programme) override {
    auto lock = data_.begin();
    for (const auto& [id, existing] : data_.programmes) {
      if (existing.code == programme.code) {
        throw Error(ErrorCode::conflict, "a programme with this code already exists");
      }
    }
    Programme stored = programme;
    stored.id = data_.next_id++;
    data_.programmes[stored.id] = stored;
    return stored;
  }
  std::optional<Programme> find(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.programmes.find(id);
    if (it == data_.programmes.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Programme> list() override {
    auto lock = data_.begin();
    std::vector<Programme> out;
    for (const auto& [id, p] : data_.programmes) out.push_back(p);
    return out;
  }

  Programme update(Id id, const Programme& edited, const EditBasis& basis) override {
    auto lock = data_.begin();
    const auto it = data_.programmes.find(id);
    if (it == data_.programmes.end()) throw Error(ErrorCode::not_found, "programme not found");
    Programme& p = it->second;
    if (basis.version && *basis.version != p.version) {
      throw Error(ErrorCode::stale, "the programme was changed since this version was read");
    }
    Programme after = edited;
    after.id = id;
    after.code = p.code;
    after.version = p.version;
    std::vector<FieldChange> fields = courses::programmeChanges(p, after);
    if (fields.empty()) return p;
    after.version += 1;
    p = after;
    data_.recordEdit(Entity::programme, id, p.version, basis, std::move(fields));
    return p;
  }

 private:
  Data& data_;
};

class Localities final : public courses::LocalityRepository {
 public:
  explicit Localities(Data& data) : data_(data) {}
  Locality create(const Locality& locality) override {
    auto lock = data_.begin();
    if (locality.kato) {
      for (const auto& [id, existing] : data_.localities) {
        if (existing.kato == locality.kato) {
          throw Error(ErrorCode::conflict, "a locality with this KATO code already exists");
        }
      }
    }
    Locality stored = locality;
    stored.id = data_.next_id++;
    data_.localities[stored.id] = stored;
    return stored;
  }
  std::optional<Locality> find(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.localities.find(id);
    if (it == data_.localities.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Locality> list(std::optional<Id> parent_id) override {
    auto lock = data_.begin();
    std::vector<Locality> out;
    for (const auto& [id, l] : data_.localities) {
      if (l.parent_id == parent_id) out.push_back(l);
    }
    return out;
  }
  std::vector<Locality> listAll() override {
    auto lock = data_.begin();
    std::vector<Locality> out;
    for (const auto& [id, l] : data_.localities) out.push_back(l);
    return out;
  }

  Locality update(Id id, const Locality& edited, const EditBasis& basis) override {
    auto lock = data_.begin();
    const auto it = data_.localities.find(id);
    if (it == data_.localities.end()) throw Error(ErrorCode::not_found, "locality not found");
    Locality& l = it->second;
    if (basis.version && *basis.version != l.version) {
      throw Error(ErrorCode::stale, "the locality was changed since this version was read");
    }
    if (edited.kato) {
      for (const auto& [other_id, other] : data_.localities) {
        if (other_id != id && other.kato == edited.kato) {
          throw Error(ErrorCode::conflict, "a locality with this KATO code already exists");
        }
      }
    }
    Locality after = edited;
    after.id = id;
    after.kind = l.kind;
    after.version = l.version;
    std::vector<FieldChange> fields = courses::localityChanges(l, after);
    if (fields.empty()) return l;
    after.version += 1;
    l = after;
    data_.recordEdit(Entity::locality, id, l.version, basis, std::move(fields));
    return l;
  }

 private:
  Data& data_;
};

class Courses final : public courses::CourseRepository {
 public:
  explicit Courses(Data& data) : data_(data) {}
  Course create(const Course& course) override {
    auto lock = data_.begin();
    Course stored = course;
    stored.id = data_.next_id++;
    data_.courses[stored.id] = stored;
    return stored;
  }
  std::optional<Course> find(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.courses.find(id);
    if (it == data_.courses.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Course> list(std::optional<Id> programme_id) override {
    auto lock = data_.begin();
    std::vector<Course> out;
    for (const auto& [id, c] : data_.courses) {
      if (!programme_id || c.programme_id == *programme_id) out.push_back(c);
    }
    return out;
  }

  Course update(Id id, const Course& edited, const EditBasis& basis) override {
    auto lock = data_.begin();
    const auto it = data_.courses.find(id);
    if (it == data_.courses.end()) throw Error(ErrorCode::not_found, "course not found");
    Course& c = it->second;
    if (basis.version && *basis.version != c.version) {
      throw Error(ErrorCode::stale, "the course was changed since this version was read");
    }
    Course after = edited;
    after.id = id;
    after.programme_id = c.programme_id;
    after.version = c.version;
    std::vector<FieldChange> fields = courses::courseChanges(c, after);
    if (fields.empty()) return c;
    after.version += 1;
    c = after;
    ChangeEntry entry;
    entry.entity = Entity::course;
    entry.entity_id = id;
    entry.version = c.version;
    entry.action = std::string(kChangeEdited);
    entry.account_id = basis.change.account_id;
    entry.reason = basis.change.reason;
    entry.fields = std::move(fields);
    data_.recordChange(std::move(entry));
    return c;
  }

 private:
  Data& data_;
};

class Cohorts final : public courses::CohortRepository {
 public:
  explicit Cohorts(Data& data) : data_(data) {}
  Cohort create(const Cohort& cohort) override {
    auto lock = data_.begin();
    Cohort stored = cohort;
    stored.id = data_.next_id++;
    data_.cohorts[stored.id] = stored;
    return stored;
  }
  std::optional<Cohort> find(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.cohorts.find(id);
    if (it == data_.cohorts.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Cohort> list(const CohortFilter& filter) override {
    auto lock = data_.begin();
    std::vector<Cohort> out;
    for (const auto& [id, c] : data_.cohorts) {
      if (filter.course_id && c.course_id != *filter.course_id) continue;
      if (filter.trainer_account_id && !data_.isTrainerOf(id, *filter.trainer_account_id)) {
        continue;
      }
      if (filter.participant_id &&
          !data_.enrolment_by_pair.contains({*filter.participant_id, id})) {
        continue;
      }
      out.push_back(c);
    }
    return out;
  }
  bool isTrainerOf(Id cohort_id, Id account_id) override {
    auto lock = data_.begin();
    return data_.isTrainerOf(cohort_id, account_id);
  }
  Cohort update(Id id, const Cohort& edited, const EditBasis& basis) override {
    auto lock = data_.begin();
    const auto it = data_.cohorts.find(id);
    if (it == data_.cohorts.end()) throw Error(ErrorCode::not_found, "cohort not found");
    Cohort& c = it->second;
    if (basis.version && *basis.version != c.version) {
      throw Error(ErrorCode::stale, "the cohort was changed since this version was read");
    }
    Cohort after = edited;
    after.id = id;
    after.course_id = c.course_id;
    after.version = c.version;
    std::vector<FieldChange> fields = courses::cohortChanges(c, after);
    if (fields.empty()) return c;
    after.version += 1;
    c = after;
    ChangeEntry entry;
    entry.entity = Entity::cohort;
    entry.entity_id = id;
    entry.version = c.version;
    entry.action = std::string(kChangeEdited);
    entry.account_id = basis.change.account_id;
    entry.reason = basis.change.reason;
    entry.fields = std::move(fields);
    data_.recordChange(std::move(entry));
    return c;
  }
  Session addSession(const Session& session) override {
    auto lock = data_.begin();
    if (!data_.cohorts.contains(session.cohort_id)) {
      throw Error(ErrorCode::not_found, "cohort not found");
    }
    Session stored = session;
    stored.id = data_.next_id++;
    data_.sessions[stored.id] = stored;
    return stored;
  }
  std::optional<Session> findSession(Id session_id) override {
    auto lock = data_.begin();
    const auto it = data_.sessions.find(session_id);
    if (it == data_.sessions.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Session> sessions(Id cohort_id) override {
    auto lock = data_.begin();
    std::vector<Session> out;
    for (const auto& [id, s] : data_.sessions) {
      if (s.cohort_id == cohort_id) out.push_back(s);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Session& a, const Session& b) { return a.starts_at < b.starts_at; });
    return out;
  }
  Session updateSession(Id session_id, const courses::SessionPatch& patch,
                        const EditBasis& basis) override {
    auto lock = data_.begin();
    const auto it = data_.sessions.find(session_id);
    if (it == data_.sessions.end()) throw Error(ErrorCode::not_found, "session not found");
    Session& s = it->second;
    if (basis.version && *basis.version != s.version) {
      throw Error(ErrorCode::stale, "the session was changed since this version was read");
    }
    const Session before = s;
    applyPatch(s, patch, basis.change.account_id);
    std::vector<FieldChange> fields = courses::sessionChanges(before, s);
    if (fields.empty()) return s;
    const bool cancelling = s.cancelled && !before.cancelled;
    if (cancelling) s.cancelled->at = data_.now;
    s.version += 1;
    ChangeEntry entry;
    entry.entity = Entity::session;
    entry.entity_id = session_id;
    entry.version = s.version;
    entry.action = std::string(cancelling                         ? courses::kChangeCancelled
                               : before.cancelled && !s.cancelled ? courses::kChangeRestored
                                                                  : kChangeEdited);
    entry.account_id = basis.change.account_id;
    entry.reason = basis.change.reason;
    entry.fields = std::move(fields);
    data_.recordChange(std::move(entry));
    return s;
  }

 private:
  Data& data_;
};

class Participants final : public courses::ParticipantRepository {
 public:
  explicit Participants(Data& data) : data_(data) {}
  Participant create(const Participant& person, const DuplicateKey& key) override {
    auto lock = data_.begin();
    // As the storage's foreign key does (0: a test that names no locality).
    const Id locality_id = person.demographics.locality_id;
    if (locality_id != 0 && !data_.localities.contains(locality_id)) {
      throw courses::Error(courses::ErrorCode::invalid_argument,
                           "a referenced record does not exist");
    }
    Participant stored = person;
    stored.id = data_.next_id++;
    if (stored.created_at.empty()) stored.created_at = data_.now;
    if (stored.updated_at.empty()) stored.updated_at = stored.created_at;
    data_.participants[stored.id] = stored;
    data_.participant_keys[stored.id] = key;
    data_.participant_access.insert({stored.id, stored.created_by});
    return stored;
  }
  std::optional<Participant> find(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.participants.find(id);
    if (it == data_.participants.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Participant> findByKey(const DuplicateKey& key) override {
    auto lock = data_.begin();
    std::vector<Participant> out;
    for (const auto& [id, k] : data_.participant_keys) {
      if (k.match_key == key.match_key && k.birth_year == key.birth_year &&
          neighbours(k.locality_id, key.locality_id) && !data_.participants.at(id).merged_into) {
        out.push_back(data_.participants.at(id));
      }
    }
    return out;
  }
  std::vector<Participant> sharingKeys(int limit) override {
    auto lock = data_.begin();
    std::map<std::pair<std::string, int>, int> count;
    for (const auto& [id, k] : data_.participant_keys) {
      if (!data_.participants.at(id).merged_into) ++count[{k.match_key, k.birth_year}];
    }
    std::vector<Participant> out;
    for (const auto& [id, k] : data_.participant_keys) {
      if (static_cast<int>(out.size()) >= limit) break;
      const Participant& p = data_.participants.at(id);
      if (!p.merged_into && count[{k.match_key, k.birth_year}] > 1) out.push_back(p);
    }
    return out;
  }
  Page<Participant> search(const std::string& name_key_fragment, std::optional<Id> visible_to,
                           const PageRequest& page) override {
    auto lock = data_.begin();
    Page<Participant> out;
    const auto limit = static_cast<std::size_t>(std::max(page.limit, 0));
    for (auto it = data_.participants.upper_bound(page.after); it != data_.participants.end();
         ++it) {
      const Id id = it->first;
      const DuplicateKey& key = data_.participant_keys.at(id);
      if (it->second.merged_into) continue;
      if (!courses::foundBySearch(key.name_key, key.search_text, name_key_fragment)) continue;
      if (visible_to && !visible(id, *visible_to)) continue;
      if (out.items.size() == limit) {
        out.next_after = out.items.empty() ? page.after : out.items.back().id;
        break;
      }
      out.items.push_back(it->second);
    }
    return out;
  }
  bool isVisibleTo(Id participant_id, Id account_id) override {
    auto lock = data_.begin();
    return visible(participant_id, account_id);
  }
  void grantAccess(Id participant_id, Id account_id, std::optional<Id> cohort_id,
                   const Timestamp& at) override {
    auto lock = data_.begin();
    if (!data_.participants.contains(participant_id)) {
      throw Error(ErrorCode::not_found, "participant not found");
    }
    data_.participant_access.insert({participant_id, account_id});
    data_.participant_links[participant_id].push_back(
        courses::ParticipantLink{account_id, cohort_id, at});
  }
  std::vector<courses::ParticipantLink> links(Id participant_id) override {
    auto lock = data_.begin();
    const auto it = data_.participant_links.find(participant_id);
    if (it == data_.participant_links.end()) return {};
    return it->second;
  }
  using ParticipantRepository::update;
  Participant update(Id id, const ParticipantPatch& patch, const DuplicateKey& key,
                     const EditBasis& basis) override {
    auto lock = data_.begin();
    const auto it = data_.participants.find(id);
    if (it == data_.participants.end()) throw Error(ErrorCode::not_found, "participant not found");
    Participant& p = it->second;
    if (basis.version && *basis.version != p.version) {
      throw Error(ErrorCode::stale, "the person was changed since this version was read");
    }
    const Participant before = p;
    applyPatch(p, patch);
    std::vector<FieldChange> fields = participantChanges(before, p);
    if (fields.empty()) return p;
    p.updated_at = data_.now;
    p.version += 1;
    data_.participant_keys[id] = key;
    ChangeEntry entry;
    entry.entity = Entity::participant;
    entry.entity_id = id;
    entry.version = p.version;
    entry.action = std::string(kChangeEdited);
    entry.participant_id = id;
    entry.account_id = basis.change.account_id;
    entry.reason = basis.change.reason;
    entry.fields = std::move(fields);
    data_.recordChange(std::move(entry));
    return p;
  }

 private:
  /// As the storage's findByKey: the same locality or a sibling (the same parent).
  bool neighbours(Id a, Id b) const {
    if (a == b) return true;
    const auto parent = [&](Id id) -> std::optional<Id> {
      const auto it = data_.localities.find(id);
      return it == data_.localities.end() ? std::nullopt : it->second.parent_id;
    };
    // The same, a sibling, or one just above the other (ParticipantRepository::findByKey).
    const std::optional<Id> pa = parent(a);
    const std::optional<Id> pb = parent(b);
    return (pa && pa == pb) || pa == b || pb == a;
  }
  bool visible(Id participant_id, Id account_id) const {
    if (data_.participant_access.contains({participant_id, account_id})) return true;
    for (const auto& [id, e] : data_.enrolments) {
      if (e.participant_id == participant_id && data_.isTrainerOf(e.cohort_id, account_id)) {
        return true;
      }
    }
    return false;
  }
  Data& data_;
};

class Enrolments final : public courses::EnrolmentRepository {
 public:
  explicit Enrolments(Data& data) : data_(data) {}
  Created enrol(Id participant_id, Id cohort_id, Id registered_by,
                const std::optional<std::string>& idempotency_key) override {
    auto lock = data_.begin();
    if (idempotency_key) {
      const auto replay = data_.idempotency.find({registered_by, *idempotency_key});
      if (replay != data_.idempotency.end()) {
        const IdempotentEnrolment& first = replay->second;
        if (first.participant_id != participant_id || first.cohort_id != cohort_id) {
          throw Error(ErrorCode::conflict,
                      "this idempotency key was already used for a different enrolment");
        }
        return Created{data_.withName(data_.enrolments.at(first.enrolment_id)), false};
      }
    }
    const auto person = data_.participants.find(participant_id);
    if (person == data_.participants.end()) {
      throw Error(ErrorCode::not_found, "participant not found");
    }
    if (!data_.cohorts.contains(cohort_id)) throw Error(ErrorCode::not_found, "cohort not found");

    Created result;
    const auto existing = data_.enrolment_by_pair.find({participant_id, cohort_id});
    if (existing != data_.enrolment_by_pair.end()) {
      result = Created{data_.enrolments.at(existing->second), false};
    } else {
      Enrolment e;
      e.id = data_.next_id++;
      e.participant_id = participant_id;
      e.cohort_id = cohort_id;
      e.registered_by = registered_by;
      e.registered_at = data_.now;
      e.snapshot = person->second.demographics;
      data_.enrolments[e.id] = e;
      data_.enrolment_by_pair[{participant_id, cohort_id}] = e.id;
      result = Created{e, true};
    }
    if (idempotency_key) {
      data_.idempotency[{registered_by, *idempotency_key}] =
          IdempotentEnrolment{participant_id, cohort_id, result.enrolment.id};
    }
    result.enrolment = data_.withName(result.enrolment);
    return result;
  }
  std::optional<Enrolment> find(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.enrolments.find(id);
    if (it == data_.enrolments.end()) return std::nullopt;
    return data_.withName(it->second);
  }
  std::vector<Enrolment> listForCohort(Id cohort_id) override {
    auto lock = data_.begin();
    std::vector<Enrolment> out;
    for (const auto& [id, e] : data_.enrolments) {
      if (e.cohort_id == cohort_id) out.push_back(data_.withName(e));
    }
    return out;
  }
  std::vector<Enrolment> listForParticipant(Id participant_id) override {
    auto lock = data_.begin();
    std::vector<Enrolment> out;
    for (const auto& [id, e] : data_.enrolments) {
      if (e.participant_id == participant_id) out.push_back(data_.withName(e));
    }
    return out;
  }
  Enrolment setWithdrawn(Id id, const std::optional<std::string>& reason,
                         const EditBasis& basis) override {
    auto lock = data_.begin();
    const auto it = data_.enrolments.find(id);
    if (it == data_.enrolments.end()) throw Error(ErrorCode::not_found, "enrolment not found");
    Enrolment& e = it->second;
    if (basis.version && *basis.version != e.version) {
      throw Error(ErrorCode::stale, "the enrolment was changed since this version was read");
    }
    if (reason.has_value() == e.withdrawn.has_value()) {
      throw Error(ErrorCode::conflict,
                  reason ? "the enrolment is withdrawn already" : "the enrolment is not withdrawn");
    }
    if (reason) {
      for (const auto& [certificate_id, stored] : data_.certificates) {
        if (stored.certificate.enrolment_id == id &&
            stored.certificate.status == CertificateStatus::valid) {
          throw Error(ErrorCode::conflict, "the enrolment holds the valid certificate " +
                                               stored.certificate.serial + ": revoke it first");
        }
      }
    }
    const Enrolment before = e;
    if (reason) {
      e.withdrawn = courses::Withdrawal{data_.now, basis.change.account_id, *reason};
    } else {
      e.withdrawn.reset();
    }
    e.version += 1;
    ChangeEntry entry;
    entry.entity = Entity::enrolment;
    entry.entity_id = id;
    entry.version = e.version;
    entry.action = std::string(reason ? courses::kChangeWithdrawn : courses::kChangeRestored);
    entry.participant_id = e.participant_id;
    entry.account_id = basis.change.account_id;
    entry.reason = reason ? reason : basis.change.reason;
    entry.fields = courses::withdrawalChanges(before, e);
    data_.recordChange(std::move(entry));
    return data_.withName(e);
  }

 private:
  Data& data_;
};

class Attendance final : public courses::AttendanceRepository {
 public:
  explicit Attendance(Data& data) : data_(data) {}
  using courses::AttendanceRepository::saveSheet;
  std::vector<SheetRow> saveSheet(Id session_id, const std::vector<AttendanceMark>& marks,
                                  Id marked_by, const SheetCheck& check) override {
    auto lock = data_.begin();
    const auto session = data_.sessions.find(session_id);
    if (session == data_.sessions.end()) {
      check(std::nullopt);
      throw Error(ErrorCode::not_found, "session not found");
    }
    // Check everything first so the sheet applies completely or not at all.
    courses::SheetSession read;
    read.cohort_id = session->second.cohort_id;
    read.cancelled = session->second.cancelled.has_value();
    if (const auto cohort = data_.cohorts.find(read.cohort_id); cohort != data_.cohorts.end()) {
      read.trainer_ids = cohort->second.trainer_ids;
      std::sort(read.trainer_ids.begin(), read.trainer_ids.end());
    }
    for (const auto& [id, e] : data_.enrolments) {
      if (e.cohort_id == read.cohort_id && !e.withdrawn) read.enrolment_ids.push_back(id);
    }
    check(read);
    for (const AttendanceMark& m : marks) {
      const std::pair<Id, Id> key{m.enrolment_id, session_id};
      std::optional<courses::AttendanceStatus> old_status;
      if (const auto it = data_.marks.find(key); it != data_.marks.end()) {
        old_status = it->second.status;
      }
      if (old_status == m.status) continue;
      AttendanceMark stored{m.enrolment_id, m.status, marked_by, data_.now};
      data_.marks[key] = stored;
      data_.audit.push_back(MemoryStore::AuditEntry{m.enrolment_id, session_id, old_status,
                                                    m.status, marked_by, data_.now});
    }
    return sheetOf(session_id);
  }
  std::vector<SheetRow> sheet(Id session_id) override {
    auto lock = data_.begin();
    return sheetOf(session_id);
  }
  std::unordered_map<Id, std::vector<AttendanceStatus>> statusesForCohort(Id cohort_id) override {
    auto lock = data_.begin();
    std::unordered_map<Id, std::vector<AttendanceStatus>> out;
    for (const auto& [key, mark] : data_.marks) {
      const auto session = data_.sessions.find(key.second);
      if (session == data_.sessions.end() || session->second.cohort_id != cohort_id ||
          session->second.cancelled) {
        continue;
      }
      if (const auto e = data_.enrolments.find(key.first);
          e != data_.enrolments.end() && e->second.withdrawn) {
        continue;
      }
      out[key.first].push_back(mark.status);
    }
    return out;
  }

 private:
  /// The sheet as sheet() answers it; the caller holds the lock.
  std::vector<SheetRow> sheetOf(Id session_id) const {
    std::vector<SheetRow> rows;
    const auto session = data_.sessions.find(session_id);
    if (session == data_.sessions.end()) return rows;
    for (const auto& [id, e] : data_.enrolments) {
      if (e.cohort_id != session->second.cohort_id || e.withdrawn) continue;
      SheetRow row;
      row.enrolment_id = id;
      row.participant_id = e.participant_id;
      row.participant_name = data_.withName(e).participant_name;
      if (const auto m = data_.marks.find({id, session_id}); m != data_.marks.end()) {
        row.mark = m->second;
      }
      rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const SheetRow& a, const SheetRow& b) {
      return a.participant_name < b.participant_name;
    });
    return rows;
  }

  Data& data_;
};

class Accounts final : public courses::AccountRepository {
 public:
  explicit Accounts(Data& data) : data_(data) {}
  Account create(const Account& account, const std::string& password_hash) override {
    auto lock = data_.begin();
    for (const auto& [id, existing] : data_.accounts) {
      if (existing.account.login == account.login) {
        throw Error(ErrorCode::conflict, "an account with this login already exists");
      }
    }
    AccountCredentials stored;
    stored.account = account;
    stored.account.id = data_.next_id++;
    if (stored.account.created_at.empty()) stored.account.created_at = data_.now;
    stored.password_hash = password_hash;
    stored.account.has_password = !password_hash.empty();
    data_.accounts[stored.account.id] = stored;
    return stored.account;
  }
  std::optional<Account> find(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.accounts.find(id);
    if (it == data_.accounts.end()) return std::nullopt;
    return it->second.account;
  }
  std::optional<AccountCredentials> findByLogin(const std::string& login) override {
    auto lock = data_.begin();
    for (const auto& [id, c] : data_.accounts) {
      if (c.account.login == login) return c;
    }
    return std::nullopt;
  }
  void setPassword(Id id, const std::string& password_hash) override {
    auto lock = data_.begin();
    credentials(id).password_hash = password_hash;
    credentials(id).account.has_password = !password_hash.empty();
  }
  void setDisabled(Id id, bool disabled) override {
    auto lock = data_.begin();
    credentials(id).account.disabled = disabled;
    if (disabled) dropTokens(id);
  }
  Account update(Id id, const courses::AccountChange& change) override {
    auto lock = data_.begin();
    AccountCredentials& c = credentials(id);
    if (change.login) {
      for (const auto& [other_id, other] : data_.accounts) {
        if (other_id != id && other.account.login == *change.login) {
          throw Error(ErrorCode::conflict, "an account with this login already exists");
        }
      }
      c.account.login = *change.login;
    }
    if (change.display_name) c.account.display_name = *change.display_name;
    if (change.password_hash) {
      c.password_hash = *change.password_hash;
      c.account.has_password = !c.password_hash.empty();
      // Like the SQL store: a new password ends the sessions (but the one that set it) and
      // forgets failed logins.
      std::erase_if(data_.tokens, [&](const auto& entry) {
        return entry.second.account_id == id && entry.first != change.keep_token_hash;
      });
      dropAttempts(id, std::nullopt);
    }
    if (change.disabled) {
      c.account.disabled = *change.disabled;
      // Like the SQL store: a disabled account's sessions end now.
      if (*change.disabled) dropTokens(id);
    }
    return c.account;
  }
  courses::Page<Account> list(std::optional<courses::Role> role,
                              const courses::PageRequest& page) override {
    auto lock = data_.begin();
    courses::Page<Account> result;
    for (auto it = data_.accounts.upper_bound(page.after); it != data_.accounts.end(); ++it) {
      if (role && it->second.account.role != *role) continue;
      if (result.items.size() == static_cast<std::size_t>(page.limit)) {
        result.next_after = result.items.back().id;
        break;
      }
      result.items.push_back(it->second.account);
    }
    return result;
  }
  void setLanguage(Id id, courses::Language language) override {
    auto lock = data_.begin();
    credentials(id).account.language = language;
  }
  std::optional<Timestamp> reserveLoginAttempt(Id id, const std::string& client,
                                               int max_attempts, const Timestamp& now,
                                               const Timestamp& lock_until) override {
    auto lock = data_.begin();
    credentials(id);
    LoginAttempts& attempts = data_.login_attempts[{id, client}];
    if (attempts.locked_until) {
      if (now < *attempts.locked_until) return attempts.locked_until;
      attempts = LoginAttempts{};  // the lock has run out: a fresh set of attempts
    }
    ++attempts.count;
    if (attempts.count >= max_attempts) attempts.locked_until = lock_until;
    return std::nullopt;
  }
  void clearLoginAttempts(Id id, const std::optional<std::string>& client) override {
    auto lock = data_.begin();
    dropAttempts(id, client);
  }
  std::vector<courses::AccountEvent> audit(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.account_events.find(id);
    if (it == data_.account_events.end()) return {};
    return it->second;
  }
  void storeToken(const std::string& token_hash, Id account_id,
                  const Timestamp& expires_at) override {
    auto lock = data_.begin();
    credentials(account_id);
    data_.tokens[token_hash] = Token{account_id, expires_at};
  }
  std::optional<Account> findByToken(const std::string& token_hash, const Timestamp& now) override {
    auto lock = data_.begin();
    const auto it = data_.tokens.find(token_hash);
    if (it == data_.tokens.end() || !(now < it->second.expires_at)) return std::nullopt;
    const auto account = data_.accounts.find(it->second.account_id);
    if (account == data_.accounts.end() || account->second.account.disabled) return std::nullopt;
    return account->second.account;
  }
  void deleteToken(const std::string& token_hash) override {
    auto lock = data_.begin();
    data_.tokens.erase(token_hash);
  }
  std::optional<Account> findByParticipant(Id participant_id) override {
    auto lock = data_.begin();
    for (const auto& [id, c] : data_.accounts) {
      if (c.account.role == courses::Role::learner && c.account.participant_id == participant_id) {
        return c.account;
      }
    }
    return std::nullopt;
  }
  void storeAccessCode(Id account_id, const std::string& code_hash, const Timestamp& expires_at,
                       const std::optional<courses::AccountEvent>& reset) override {
    auto lock = data_.begin();
    credentials(account_id);
    // One code per account: a new code replaces the earlier one.
    std::erase_if(data_.access_codes,
                  [&](const auto& entry) { return entry.second.account_id == account_id; });
    data_.access_codes[code_hash] = Token{account_id, expires_at, reset.has_value()};
    if (reset) {
      dropTokens(account_id);
      data_.account_events[account_id].push_back(*reset);
    }
  }
  std::optional<Account> redeemAccessCode(const std::string& code_hash,
                                          const Timestamp& now) override {
    auto lock = data_.begin();
    const auto it = data_.access_codes.find(code_hash);
    if (it == data_.access_codes.end() || !(now < it->second.expires_at)) return std::nullopt;
    const auto account = data_.accounts.find(it->second.account_id);
    if (account == data_.accounts.end() || account->second.account.disabled) return std::nullopt;
    // A code opens an account with a password only when it was made to reset it.
    if (!account->second.password_hash.empty() && !it->second.resets_password) return std::nullopt;
    data_.access_codes.erase(it);
    dropAttempts(account->first, std::nullopt);
    // A code is a reset: the learner may set a new password without knowing the old one.
    account->second.password_hash.clear();
    account->second.account.has_password = false;
    std::erase_if(data_.tokens,
                  [&](const auto& entry) { return entry.second.account_id == account->first; });
    return account->second.account;
  }

 private:
  void dropAttempts(Id account_id, const std::optional<std::string>& client) {
    std::erase_if(data_.login_attempts, [&](const auto& entry) {
      return entry.first.first == account_id && (!client || entry.first.second == *client);
    });
  }
  void dropTokens(Id account_id) {
    std::erase_if(data_.tokens,
                  [&](const auto& entry) { return entry.second.account_id == account_id; });
  }
  AccountCredentials& credentials(Id id) {
    const auto it = data_.accounts.find(id);
    if (it == data_.accounts.end()) throw Error(ErrorCode::not_found, "account not found");
    return it->second;
  }
  Data& data_;
};

class Certificates final : public courses::CertificateRepository {
 public:
  explicit Certificates(Data& data) : data_(data) {}
  std::vector<Certificate> issue(const std::vector<Certificate>& drafts,
                                 const std::vector<std::string>& series,
                                 const Maker& make) override {
    auto lock = data_.begin();
    if (drafts.size() != series.size()) {
      throw Error(ErrorCode::internal, "every draft needs its series");
    }
    data_.certificate_batches.push_back(drafts.size());
    // Work on copies and apply them only when every draft succeeded, as a rolled-back
    // transaction leaves neither a used number nor a stored certificate.
    std::map<std::string, long long> counters = data_.serial_counters;
    std::set<Id> holding_valid;
    for (const auto& [id, stored] : data_.certificates) {
      if (stored.certificate.status == CertificateStatus::valid) {
        holding_valid.insert(stored.certificate.enrolment_id);
      }
    }
    Id next_id = data_.next_id;
    std::vector<StoredCertificate> made;
    for (const auto& [id, e] : data_.enrolments) {
      if (e.withdrawn) holding_valid.insert(id);  // skipped as the storage skips them
    }
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      if (!holding_valid.insert(drafts[i].enrolment_id).second) continue;
      Certificate certificate = drafts[i];
      certificate.id = next_id++;
      certificate.status = CertificateStatus::valid;
      certificate.revoked_reason.reset();
      certificate.revoked_at.reset();
      certificate.revoked_by.reset();
      certificate.serial = courses::formatSerial(series[i], ++counters[series[i]]);
      courses::CertificateArtifacts artifacts = make(certificate);
      certificate.verification_token = std::move(artifacts.verification_token);
      certificate.signature = std::move(artifacts.signature);
      certificate.etag = std::move(artifacts.etag);
      certificate.pdf_size = static_cast<long long>(artifacts.pdf.size());
      CertificateAuditEntry entry;
      entry.action = certificate.waiver_reason ? "issued_with_waiver" : "issued";
      entry.account_id = certificate.issued_by;
      entry.at = certificate.issued_at;
      entry.reason = certificate.waiver_reason;
      made.push_back(StoredCertificate{certificate, std::move(artifacts.pdf), {entry}});
    }
    std::vector<Certificate> out;
    for (StoredCertificate& stored : made) {
      out.push_back(stored.certificate);
      const Id id = stored.certificate.id;
      data_.certificates[id] = std::move(stored);
    }
    data_.serial_counters = std::move(counters);
    data_.next_id = next_id;
    return out;
  }
  std::optional<Certificate> find(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.certificates.find(id);
    if (it == data_.certificates.end()) return std::nullopt;
    return it->second.certificate;
  }
  std::optional<Certificate> findBySerial(const std::string& serial) override {
    auto lock = data_.begin();
    for (const auto& [id, stored] : data_.certificates) {
      if (stored.certificate.serial == serial) return stored.certificate;
    }
    return std::nullopt;
  }
  std::vector<Certificate> listForCohort(Id cohort_id) override {
    auto lock = data_.begin();
    std::vector<Certificate> out;
    for (const auto& [id, stored] : data_.certificates) {
      if (stored.certificate.cohort_id == cohort_id) out.push_back(stored.certificate);
    }
    std::sort(out.begin(), out.end(),
              [](const Certificate& a, const Certificate& b) { return a.serial < b.serial; });
    return out;
  }
  std::vector<Certificate> listForParticipant(Id participant_id) override {
    auto lock = data_.begin();
    std::vector<Certificate> out;
    for (const auto& [id, stored] : data_.certificates) {
      if (stored.certificate.participant_id == participant_id) out.push_back(stored.certificate);
    }
    return out;
  }
  std::optional<std::string> pdf(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.certificates.find(id);
    if (it == data_.certificates.end()) return std::nullopt;
    return it->second.pdf;
  }
  Certificate revoke(Id id, const std::string& reason, Id revoked_by,
                     const Timestamp& at) override {
    auto lock = data_.begin();
    const auto it = data_.certificates.find(id);
    if (it == data_.certificates.end()) throw Error(ErrorCode::not_found, "certificate not found");
    Certificate& certificate = it->second.certificate;
    if (certificate.status == CertificateStatus::revoked) {
      throw Error(ErrorCode::conflict, "the certificate is already revoked");
    }
    certificate.status = CertificateStatus::revoked;
    certificate.revoked_reason = reason;
    certificate.revoked_at = at;
    certificate.revoked_by = revoked_by;
    it->second.audit.push_back(CertificateAuditEntry{"revoked", revoked_by, at, reason});
    return certificate;
  }
  std::vector<CertificateAuditEntry> audit(Id id) override {
    auto lock = data_.begin();
    const auto it = data_.certificates.find(id);
    if (it == data_.certificates.end()) return {};
    return it->second.audit;
  }

 private:
  Data& data_;
};

/// Totals facts computed straight from the raw rows on every call, as the reading of the
/// counting rules in courses/totals.hpp that the stored aggregates must agree with.
class Totals final : public TotalsRepository {
 public:
  explicit Totals(Data& data) : data_(data) {}

  TotalsFacts facts(const TotalsScope& scope) override {
    auto lock = data_.begin();
    const auto in_period = [&](std::string_view date) {
      return (!scope.period.from || date >= std::string_view(*scope.period.from)) &&
             (!scope.period.to || date <= std::string_view(*scope.period.to));
    };
    TotalsFacts out;
    for (const auto& [id, p] : data_.programmes) {
      if (!scope.programme_id || id == *scope.programme_id) out.programmes.push_back(p);
    }
    std::map<Id, const Course*> courses_in_scope;
    for (const auto& [id, c] : data_.courses) {
      if (scope.programme_id && c.programme_id != *scope.programme_id) continue;
      if (scope.track && c.track != *scope.track) continue;
      out.courses.push_back(c);
      courses_in_scope[id] = &c;
    }
    for (const auto& [id, l] : data_.localities) out.localities.push_back(l);

    for (const auto& [cohort_id, cohort] : data_.cohorts) {
      if (!courses_in_scope.contains(cohort.course_id)) continue;
      if (scope.trainer_account_id && !data_.isTrainerOf(cohort_id, *scope.trainer_account_id)) {
        continue;
      }
      std::vector<const Session*> sessions;
      for (const auto& [sid, s] : data_.sessions) {
        if (s.cohort_id == cohort_id && !s.cancelled) sessions.push_back(&s);  // held ones only
      }
      std::stable_sort(sessions.begin(), sessions.end(), [](const Session* a, const Session* b) {
        return a->starts_at < b->starts_at;
      });
      const auto date_of = [](const Session* s) {
        return std::string_view(s->starts_at).substr(0, 10);
      };
      bool any_in_period = false;
      for (const Session* s : sessions) any_in_period = any_in_period || in_period(date_of(s));
      const bool dates_overlap = (!scope.period.to || cohort.starts_on <= *scope.period.to) &&
                                 (!scope.period.from || cohort.ends_on >= *scope.period.from);
      if (sessions.empty() ? !dates_overlap : !any_in_period) continue;

      courses::CohortFact fact;
      fact.id = cohort_id;
      fact.course_id = cohort.course_id;
      fact.locality_id = cohort.locality_id;
      fact.place = cohort.place;
      fact.starts_on = cohort.starts_on;
      fact.ends_on = cohort.ends_on;
      fact.session_count = static_cast<int>(sessions.size());
      fact.completes_in_period =
          in_period(sessions.empty() ? std::string_view(cohort.ends_on) : date_of(sessions.back()));

      std::set<Id> delivered;
      for (const auto& [enrolment_id, e] : data_.enrolments) {
        if (e.cohort_id != cohort_id || e.withdrawn) continue;  // counts in no measure
        courses::EnrolmentFact ef;
        ef.enrolment_id = enrolment_id;
        ef.participant_id = e.participant_id;
        ef.cohort_id = cohort_id;
        ef.snapshot = e.snapshot;
        for (const Session* s : sessions) {
          const auto mark = data_.marks.find({enrolment_id, s->id});
          if (mark == data_.marks.end()) continue;
          const AttendanceStatus status = mark->second.status;
          const bool attended =
              status == AttendanceStatus::present || status == AttendanceStatus::late;
          ef.attended_total += attended;
          ef.excused_total += status == AttendanceStatus::excused;
          if (!in_period(date_of(s))) continue;
          ++ef.marked_in_period;
          if (attended) {
            ++ef.attended_in_period;
            ef.attended_minutes_in_period += s->duration_minutes;
            delivered.insert(s->id);
          }
        }
        for (const auto& [cid, stored] : data_.certificates) {
          const Certificate& c = stored.certificate;
          if (c.enrolment_id == enrolment_id && c.status == CertificateStatus::valid) {
            ef.certified = true;
            ef.waived = c.waiver_reason.has_value();
          }
        }
        out.enrolments.push_back(std::move(ef));
      }
      fact.sessions_delivered_in_period = static_cast<int>(delivered.size());
      out.cohorts.push_back(std::move(fact));
    }
    return out;
  }

  std::vector<Target> targets(Id programme_id) override {
    auto lock = data_.begin();
    const auto it = data_.targets.find(programme_id);
    return it == data_.targets.end() ? std::vector<Target>{} : it->second;
  }

  std::vector<Target> replaceTargets(Id programme_id, const std::vector<Target>& targets) override {
    auto lock = data_.begin();
    if (!data_.programmes.contains(programme_id)) {
      throw Error(ErrorCode::not_found, "programme not found");
    }
    std::vector<Target> stored = targets;
    // Ordered by measure then track, the whole programme (no track) first.
    std::stable_sort(stored.begin(), stored.end(), [](const Target& a, const Target& b) {
      if (a.measure != b.measure) return a.measure < b.measure;
      return a.track < b.track;
    });
    data_.targets[programme_id] = stored;
    return stored;
  }

 private:
  Data& data_;
};

class Changes final : public ChangeLogRepository {
 public:
  explicit Changes(Data& data) : data_(data) {}

  Page<ChangeEntry> history(Entity entity, Id entity_id, const PageRequest& page) override {
    auto lock = data_.begin();
    return pageOf(
        page, [&](const ChangeEntry& e) { return e.entity == entity && e.entity_id == entity_id; });
  }
  Page<ChangeEntry> personHistory(Id participant_id, const PageRequest& page) override {
    auto lock = data_.begin();
    return pageOf(page, [&](const ChangeEntry& e) {
      return (e.entity == Entity::participant && e.entity_id == participant_id) ||
             e.participant_id == participant_id;
    });
  }
  std::vector<ChangeEntry> since(Entity entity, Id entity_id, int version) override {
    auto lock = data_.begin();
    std::vector<ChangeEntry> out;
    for (const auto& e : data_.changes) {
      if (e.entity == entity && e.entity_id == entity_id && e.version > version) out.push_back(e);
    }
    return out;
  }
  std::optional<ChangeEntry> find(Id change_id) override {
    auto lock = data_.begin();
    for (const auto& e : data_.changes) {
      if (e.id == change_id) return e;
    }
    return std::nullopt;
  }

 private:
  template <typename Keep>
  Page<ChangeEntry> pageOf(const PageRequest& page, Keep keep) const {
    Page<ChangeEntry> out;
    for (const auto& e : data_.changes) {
      if (e.id <= page.after || !keep(e)) continue;
      if (out.items.size() == static_cast<std::size_t>(page.limit)) {
        out.next_after = out.items.back().id;
        break;
      }
      out.items.push_back(e);
    }
    return out;
  }

  Data& data_;
};

}  // namespace

struct MemoryStore::State {
  Data data;
  Programmes programmes{data};
  Localities localities{data};
  Courses courses{data};
  Cohorts cohorts{data};
  Participants participants{data};
  Enrolments enrolments{data};
  Attendance attendance{data};
  Accounts accounts{data};
  Certificates certificates{data};
  Totals totals{data};
  Changes changes{data};
};

MemoryStore::MemoryStore() : state_(std::make_unique<State>()) {}
MemoryStore::~MemoryStore() = default;

courses::Repositories MemoryStore::repositories() {
  return courses::Repositories{state_->programmes, state_->localities,   state_->courses,
                               state_->cohorts,    state_->participants, state_->enrolments,
                               state_->attendance, state_->accounts,     state_->certificates,
                               state_->totals,     state_->changes};
}

void MemoryStore::setNow(courses::Timestamp now) {
  std::lock_guard<std::mutex> lock(state_->data.mutex);
  state_->data.now = std::move(now);
}

courses::Timestamp MemoryStore::now() const {
  std::lock_guard<std::mutex> lock(state_->data.mutex);
  return state_->data.now;
}

std::vector<MemoryStore::AuditEntry> MemoryStore::attendanceAudit() const {
  std::lock_guard<std::mutex> lock(state_->data.mutex);
  return state_->data.audit;
}

std::vector<std::size_t> MemoryStore::certificateBatches() const {
  std::lock_guard<std::mutex> lock(state_->data.mutex);
  return state_->data.certificate_batches;
}

void MemoryStore::setUnavailable(bool unavailable) {
  std::lock_guard<std::mutex> lock(state_->data.mutex);
  state_->data.unavailable = unavailable;
}

}  // namespace support
