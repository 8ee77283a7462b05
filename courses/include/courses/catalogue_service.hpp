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

  Locality createLocality(const Actor& actor, Locality locality);
  std::vector<Locality> listLocalities(const Actor& actor, std::optional<Id> parent_id);

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
