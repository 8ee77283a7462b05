#include "courses/error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

std::string select(std::string_view tail) {
  return "SELECT id, programme_id, track, title_kk, title_ru, title_en, hours,"
         " min_attendance_percent, excused_counts, require_all, gives_certificate,"
         " certificate_language, version FROM courses " +
         std::string(tail);
}

}  // namespace

Course courseFrom(const Row& row) {
  Course c;
  c.id = row.int64(0);
  c.programme_id = row.int64(1);
  c.track = row.text(2);
  c.title = {row.text(3), row.text(4), row.text(5)};
  c.hours = row.real(6);
  c.rule.min_attendance_percent = row.int32(7);
  c.rule.excused_counts = row.boolean(8);
  c.rule.require_all = row.boolean(9);
  c.gives_certificate = row.boolean(10);
  c.certificate_language =
      storedEnum(certificateLanguageFromString(row.text(11)), "courses.certificate_language");
  c.version = row.int32(12);
  return c;
}

std::string courseSelect(std::string_view tail) {
  return select(tail);
}

Course SqlCourseRepository::create(const Course& course) {
  return runner_.run([&](Tx& tx) {
    Course stored = course;
    stored.id = static_cast<Id>(
        tx.execute("INSERT INTO courses (programme_id, track, title_kk, title_ru, title_en, hours,"
                   " min_attendance_percent, excused_counts, require_all, gives_certificate,"
                   " certificate_language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {course.programme_id, course.track, course.title.kk, course.title.ru,
                    course.title.en, course.hours, course.rule.min_attendance_percent,
                    course.rule.excused_counts, course.rule.require_all, course.gives_certificate,
                    toString(course.certificate_language)})
            .insert_id);
    return stored;
  });
}

std::optional<Course> SqlCourseRepository::find(Id id) {
  static const std::string sql = select("WHERE id = ?");
  return runner_.read([&](Tx& tx) -> std::optional<Course> {
    auto row = tx.queryOne(sql, {id});
    if (!row) return std::nullopt;
    return courseFrom(*row);
  });
}

std::vector<Course> SqlCourseRepository::list(std::optional<Id> programme_id) {
  static const std::string of_programme = select("WHERE programme_id = ? ORDER BY id");
  static const std::string all = select("ORDER BY id");
  return runner_.read([&](Tx& tx) {
    std::vector<Course> out;
    for (const Row& row : programme_id ? tx.query(of_programme, {*programme_id}) : tx.query(all)) {
      out.push_back(courseFrom(row));
    }
    return out;
  });
}

Course SqlCourseRepository::update(Id id, const Course& edited, const EditBasis& basis) {
  static const std::string lock_sql = select("WHERE id = ? FOR UPDATE");
  return runner_.run([&](Tx& tx) {
    const auto row = tx.queryOne(lock_sql, {id});
    if (!row) throw Error(ErrorCode::not_found, "course not found");
    const Course before = courseFrom(*row);
    if (basis.version && *basis.version != before.version) {
      throw Error(ErrorCode::stale, "the course was changed since this version was read");
    }
    Course after = edited;
    after.id = id;
    after.programme_id = before.programme_id;
    std::vector<FieldChange> fields = courseChanges(before, after);
    if (fields.empty()) return before;
    tx.execute(
        "UPDATE courses SET track = ?, title_kk = ?, title_ru = ?, title_en = ?, hours = ?,"
        " min_attendance_percent = ?, excused_counts = ?, require_all = ?, gives_certificate = ?,"
        " certificate_language = ?, version = version + 1 WHERE id = ?",
        {after.track, after.title.kk, after.title.ru, after.title.en, after.hours,
         after.rule.min_attendance_percent, after.rule.excused_counts, after.rule.require_all,
         after.gives_certificate, toString(after.certificate_language), id});
    after.version = before.version + 1;
    recordChange(tx, {.entity = Entity::course,
                      .entity_id = id,
                      .version = after.version,
                      .action = std::string(kChangeEdited),
                      .context = basis.change,
                      .fields = std::move(fields),
                      .participant_id = std::nullopt,
                      .undo = {}});
    return after;
  });
}

}  // namespace courses::mariadb
