#pragma once
// CatalogueService: programmes, localities and courses. Like every service it takes the acting
// account: something an actor may not know exists is Error(not_found); something their role may
// never do is Error(forbidden). No transport or storage types here.

#include <optional>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

/// Programmes, localities and courses: admins write, everyone signed in reads.
class CatalogueService {
 public:
  explicit CatalogueService(Repositories repos) : repos_(repos) {}

  Programme createProgramme(const Actor& actor, Programme programme);
  std::vector<Programme> listProgrammes(const Actor& actor);
  Programme programme(const Actor& actor, Id id);
  /// Edits a programme (admins): titles, donor, dates, youth band, organisations; its code stays.
  Programme updateProgramme(const Actor& actor, Id id, Programme edited,
                            std::optional<int> version);

  Locality createLocality(const Actor& actor, Locality locality);
  std::vector<Locality> listLocalities(const Actor& actor, std::optional<Id> parent_id);
  /// Every locality of the tree, whatever its level: what a name typed in a file is looked for in.
  std::vector<Locality> listAllLocalities(const Actor& actor);
  Locality locality(const Actor& actor, Id id);
  /// Renames a locality, sets its KATO code (unique) or moves it in the tree under a parent of a
  /// higher rank, never inside itself (admins); its kind stays. Totals roll the home locality of
  /// each enrolment's snapshot up the tree as it is, so a move changes region and district
  /// breakdowns of the people snapshotted there.
  Locality updateLocality(const Actor& actor, Id id, Locality edited, std::optional<int> version);

  Course createCourse(const Actor& actor, Course course);
  std::vector<Course> listCourses(const Actor& actor, std::optional<Id> programme_id);
  Course course(const Actor& actor, Id id);
  /// Edits a course (admins): titles, hours, track, completion rule, whether and in which language
  /// it certifies; its programme stays. Certificates already issued keep what they print, and a
  /// new rule applies to who qualifies from now on (CertificateService::rulePreview says whom it
  /// changes before it is saved).
  Course updateCourse(const Actor& actor, Id id, Course edited, std::optional<int> version);

 private:
  Repositories repos_;
};

}  // namespace courses
