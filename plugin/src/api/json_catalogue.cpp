#include "plugin/api/json_catalogue.hpp"

#include <span>

#include "courses/totals.hpp"
#include "json_reader.hpp"

namespace plugin::api {

namespace json = boost::json;
using namespace json_reader;

courses::Programme programmeFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(
      body, "", problems,
      {"code", "title", "donor", "starts_on", "ends_on", "organisations", "youth"});
  courses::Programme programme;
  programme.code = reader.string("code");
  programme.title = reader.localized("title");
  programme.donor = reader.string("donor");
  programme.starts_on = reader.string("starts_on");
  programme.ends_on = reader.string("ends_on");
  if (const auto* v = reader.get("organisations", false)) {
    const json::array& items = readArray(*v, "organisations");
    for (std::size_t i = 0; i < items.size(); ++i) {
      programme.organisations.push_back(
          readLocalized(items[i], "organisations[" + std::to_string(i) + "]", problems));
    }
  }
  if (const auto* v = reader.get("youth", false)) {
    const ObjectReader youth(*v, "youth", problems, {"from", "to"});
    programme.youth.from = youth.integer("from");
    programme.youth.to = youth.integer("to");
  }
  problems.throwIfAny();
  return programme;
}

courses::Locality localityFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"parent_id", "kind", "name", "kato"});
  courses::Locality locality;
  locality.parent_id = reader.nullableId("parent_id");
  if (const auto* v = reader.get("kind", true)) {
    using courses::LocalityKind;
    locality.kind =
        readEnum(*v, "kind", problems, courses::localityKindFromString,
                 {LocalityKind::region, LocalityKind::district, LocalityKind::settlement,
                  LocalityKind::rural_district, LocalityKind::village});
  }
  locality.name = reader.localized("name");
  locality.kato = reader.nullableString("kato");
  problems.throwIfAny();
  return locality;
}

courses::Course courseFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems,
                            {"programme_id", "track", "title", "hours", "rule", "gives_certificate",
                             "certificate_language"});
  courses::Course course;
  course.programme_id = reader.id("programme_id");
  course.track = reader.string("track");
  course.title = reader.localized("title");
  if (const auto* v = reader.get("hours", true)) course.hours = readNumber(*v, "hours", problems);
  if (const auto* v = reader.get("rule", true)) {
    const ObjectReader rule(*v, "rule", problems,
                            {"min_attendance_percent", "excused_counts", "require_all"});
    course.rule.min_attendance_percent = rule.integer("min_attendance_percent");
    course.rule.excused_counts = rule.boolean("excused_counts", false);
    course.rule.require_all = rule.boolean("require_all", false);
  }
  course.gives_certificate = reader.boolean("gives_certificate", true);
  if (const auto* v = reader.nonNull("certificate_language", false)) {
    course.certificate_language = readCertificateLanguage(*v, "certificate_language", problems)
                                      .value_or(courses::CertificateLanguage::all);
  }
  problems.throwIfAny();
  return course;
}

json::object toJson(const courses::Programme& programme) {
  return json::object{
      {"id", programme.id},
      {"code", programme.code},
      {"title", toJson(programme.title)},
      {"donor", programme.donor},
      {"starts_on", programme.starts_on},
      {"ends_on", programme.ends_on},
      {"organisations", localizedArray(programme.organisations)},
      {"youth", json::object{{"from", programme.youth.from}, {"to", programme.youth.to}}}};
}

json::object toJson(const courses::Locality& locality) {
  return json::object{{"id", locality.id},
                      {"parent_id", optionalValue(locality.parent_id)},
                      {"kind", courses::toString(locality.kind)},
                      {"name", toJson(locality.name)},
                      {"kato", optionalValue(locality.kato)}};
}

json::object toJson(const courses::Course& course) {
  return json::object{
      {"id", course.id},
      {"programme_id", course.programme_id},
      {"track", course.track},
      // The track's name from the one place that names tracks, known or not.
      {"track_label", toJson(courses::trackLabel(course.track))},
      {"title", toJson(course.title)},
      {"hours", hoursValue(course.hours)},
      {"rule", json::object{{"min_attendance_percent", course.rule.min_attendance_percent},
                            {"excused_counts", course.rule.excused_counts},
                            {"require_all", course.rule.require_all}}},
      {"gives_certificate", course.gives_certificate},
      {"certificate_language", courses::toString(course.certificate_language)}};
}

json::object tracksToJson(const std::vector<std::string>& tracks) {
  json::array items;
  items.reserve(tracks.size());
  for (const std::string& track : tracks) {
    items.push_back(json::object{{"track", track}, {"label", toJson(courses::trackLabel(track))}});
  }
  return json::object{{"items", std::move(items)}};
}

}  // namespace plugin::api
