#pragma once
// Use cases of the domain. Each takes the acting account and enforces who may do what:
// admin everything; trainer only cohorts they are assigned to; learner only their own records.
// Something an actor may not know exists is Error(not_found); something their role may never do
// is Error(forbidden). No transport or storage types here.

#include <optional>
#include <string>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

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
  ParticipantService(Repositories repos, const Clock& clock) : repos_(repos), clock_(clock) {}

  struct Registration {
    Participant person;
    std::optional<Id> same_person;  ///< the trainer confirmed this existing person is them
    bool not_duplicate = false;     ///< the trainer confirmed this is a new person
  };
  struct Registered {
    Participant participant;
    bool created = false;  ///< false when an existing person was confirmed
  };
  /// Registers a person. When someone with the same name, birth year and locality exists and the
  /// request confirms neither way, throws Error(conflict) carrying the candidates.
  Registered registerPerson(const Actor& actor, Registration registration);
  Participant find(const Actor& actor, Id id);
  Page<Participant> search(const Actor& actor, const std::string& query, PageRequest page);
  Participant update(const Actor& actor, Id id, ParticipantPatch patch);

 private:
  Repositories repos_;
  const Clock& clock_;
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
