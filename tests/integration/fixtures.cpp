#include "fixtures.hpp"

#include <atomic>
#include <memory>
#include <stdexcept>

#include "courses/rules.hpp"

namespace integration {
namespace {

std::unique_ptr<support::db::TestDatabase> g_database;
std::unique_ptr<courses::mariadb::Store> g_store;

}  // namespace

void openStorage() {
  g_database = std::make_unique<support::db::TestDatabase>("qatysu_it");
  g_store = std::make_unique<courses::mariadb::Store>(g_database->config());
}

void closeStorage() {
  g_store.reset();
  g_database.reset();
}

support::db::TestDatabase& database() {
  if (!g_database) throw std::logic_error("the test database is not open");
  return *g_database;
}

courses::mariadb::Store& store() {
  if (!g_store) throw std::logic_error("the store is not open");
  return *g_store;
}

courses::Repositories repos() {
  return store().repositories();
}

std::string unique(std::string_view prefix) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + std::to_string(++counter);
}

courses::Account makeAccount(courses::Role role) {
  courses::Account account;
  account.login = unique("user");
  account.role = role;
  return repos().accounts.create(account, "$argon2id$test-hash");
}

courses::Programme makeProgramme() {
  courses::Programme p;
  p.code = unique("P");
  p.title = {"Бағдарлама", "Программа", "Programme"};
  p.donor = "EU";
  p.starts_on = "2017-02-01";
  p.ends_on = "2020-01-31";
  return repos().programmes.create(p);
}

courses::Locality makeLocality(std::optional<Id> parent_id) {
  courses::Locality l;
  l.parent_id = parent_id;
  l.kind = parent_id ? courses::LocalityKind::village : courses::LocalityKind::region;
  const std::string name = unique("Ауыл ");
  l.name = {name, name, name};
  return repos().localities.create(l);
}

courses::Course makeCourse(Id programme_id) {
  courses::Course c;
  c.programme_id = programme_id;
  c.track = "inclusive_planning";
  c.title = {"Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning"};
  c.hours = 24.5;
  c.rule = {80, true, false};
  return repos().courses.create(c);
}

courses::Cohort makeCohort(const std::vector<Id>& trainer_ids) {
  courses::Cohort c;
  c.course_id = makeCourse(makeProgramme().id).id;
  c.locality_id = makeLocality().id;
  c.place = "Akimat hall";
  c.starts_on = "2026-03-01";
  c.ends_on = "2026-03-05";
  c.language = courses::Language::ru;
  c.trainer_ids = trainer_ids;
  return repos().cohorts.create(c);
}

courses::Session makeSession(Id cohort_id, std::string starts_at) {
  courses::Session s;
  s.cohort_id = cohort_id;
  s.starts_at = std::move(starts_at);
  s.duration_minutes = 90;
  s.topic = unique("Topic ");
  return repos().cohorts.addSession(s);
}

courses::Participant makeParticipant(Id locality_id, Id created_by,
                                     std::optional<std::string> full_name) {
  courses::Participant p;
  p.full_name = full_name ? *full_name : unique("Әсел Қанатқызы ");
  p.demographics.gender = courses::Gender::female;
  p.demographics.birth_year = 1990;
  p.demographics.locality_id = locality_id;
  p.demographics.affiliation = courses::Affiliation::civil_society;
  p.demographics.vulnerable =
      static_cast<courses::VulnerableSet>(courses::VulnerableGroup::youth) |
      static_cast<courses::VulnerableSet>(courses::VulnerableGroup::single_parent);
  p.phone = "+77011234567";
  p.consent = true;
  p.created_by = created_by;
  return repos().participants.create(p, courses::duplicateKey(p));
}

}  // namespace integration
