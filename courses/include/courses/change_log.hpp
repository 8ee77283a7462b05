#pragma once
// Corrections and their history. Every entity a user can edit carries a version, raised by one
// with each change; an edit names the version it was based on (the API's If-Match) and is refused
// with Error(stale) when the entity has changed since. Every change is written, in the same
// transaction as the change itself, as one ChangeEntry: who, when, why, and each field's old and
// new value as the API spells it. Reading a history is for administrators (ChangeLogRepository).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/model.hpp"

namespace courses {

/// What a change is about. Wire and storage names as written.
enum class Entity { programme, course, locality, cohort, session, participant, enrolment };

std::string_view toString(Entity v) noexcept;
std::optional<Entity> entityFromString(std::string_view s) noexcept;

/// What happened. Wire and storage names as written.
inline constexpr std::string_view kChangeEdited = "edited";
inline constexpr std::string_view kChangeCancelled = "cancelled";
inline constexpr std::string_view kChangeRestored = "restored";
inline constexpr std::string_view kChangeWithdrawn = "withdrawn";
inline constexpr std::string_view kChangeMerged = "merged";
inline constexpr std::string_view kChangeUnmerged = "unmerged";
inline constexpr std::string_view kChangeErased = "erased";
inline constexpr std::string_view kChangeConsentWithdrawn = "consent_withdrawn";
/// A person's data was exported for them (courses/data_rights.hpp); changes nothing.
inline constexpr std::string_view kChangeExported = "exported";
/// A person's phone and e-mail were erased by their programmes' retention.
inline constexpr std::string_view kChangeContactsErased = "contacts_erased";

/// One field's change. Values are the API's JSON text of the value ("\"Talgat\"", "1987",
/// "true", "null"), so that any field of any entity is written and shown the same way.
struct FieldChange {
  std::string field;
  std::string before;  ///< JSON text
  std::string after;   ///< JSON text
  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

/// The JSON text of a value, for FieldChange.
std::string jsonText(std::string_view text);
std::string jsonText(const std::string& text);
std::string jsonText(const std::optional<std::string>& text);
std::string jsonText(int number);
std::string jsonText(long long number);
std::string jsonText(const std::optional<long long>& number);
std::string jsonText(double number);
std::string jsonText(bool value);
/// A JSON array of plain words (enum wire names).
std::string jsonText(const std::vector<std::string_view>& words);

/// Collects the fields whose value differs between the entity before and after an edit.
class FieldChanges {
 public:
  /// Adds `field` when `before` and `after` (JSON texts) differ.
  FieldChanges& add(std::string_view field, std::string before, std::string after);
  template <typename T>
  FieldChanges& compare(std::string_view field, const T& before, const T& after) {
    if (!(before == after)) add(field, jsonText(before), jsonText(after));
    return *this;
  }
  bool empty() const noexcept { return fields_.empty(); }
  const std::vector<FieldChange>& fields() const noexcept { return fields_; }
  std::vector<FieldChange> take() && { return std::move(fields_); }

 private:
  std::vector<FieldChange> fields_;
};

/// Who makes a change and why, as the services hand it to storage.
struct ChangeContext {
  Id account_id = 0;  ///< 0 for the command line's operator or the system itself
  std::optional<std::string> reason;
};

/// What an edit is based on and who makes it, as the services hand it to storage: storage
/// compares `version` with the entity's under the transaction's lock (Error(stale) when they
/// differ; nullopt: whatever the entity is now) and records the change with `change`.
struct EditBasis {
  std::optional<int> version;
  ChangeContext change;
};

/// One row of a history, oldest first.
struct ChangeEntry {
  Id id = 0;
  Entity entity = Entity::participant;
  Id entity_id = 0;
  int version = 0;  ///< the entity's version after the change
  std::string action;
  std::optional<Id> participant_id;  ///< the person the change concerns, if any
  Id account_id = 0;                 ///< 0 for the command line or the system
  Timestamp at;
  std::optional<std::string> reason;
  std::vector<FieldChange> fields;
  /// JSON text of what reverses the change (a merge); empty when it cannot be undone.
  std::string undo;
};

/// An entity's version as its ETag, and back. The tag is strong and opaque to clients: "v3".
std::string versionTag(int version);
/// The version named by one entity tag ("v3", quoted, strong); nullopt when it is not ours.
std::optional<int> versionFromTag(std::string_view quoted_tag) noexcept;

class ChangeLogRepository {
 public:
  virtual ~ChangeLogRepository() = default;
  /// The changes of one entity, oldest first (keyset pagination by change id).
  virtual Page<ChangeEntry> history(Entity entity, Id entity_id, const PageRequest& page) = 0;
  /// The changes that concern a person: of the participant record and of everything written with
  /// their participant_id (enrolments, merges, erasure), oldest first.
  virtual Page<ChangeEntry> personHistory(Id participant_id, const PageRequest& page) = 0;
  /// The changes of one entity after `version`, oldest first: what a stale edit missed.
  virtual std::vector<ChangeEntry> since(Entity entity, Id entity_id, int version) = 0;
  virtual std::optional<ChangeEntry> find(Id change_id) = 0;
};

}  // namespace courses
