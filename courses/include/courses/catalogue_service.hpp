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
  /// Every locality of the tree, whatever its level: what a name typed in a file is looked for in.
  std::vector<Locality> listAllLocalities(const Actor& actor);

  Course createCourse(const Actor& actor, Course course);
  std::vector<Course> listCourses(const Actor& actor, std::optional<Id> programme_id);
  Course course(const Actor& actor, Id id);

 private:
  Repositories repos_;
};

}  // namespace courses
