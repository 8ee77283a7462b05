#include "plugin/api/json_totals.hpp"

#include <span>

#include "json_reader.hpp"
#include "plugin/totals/exports.hpp"

namespace plugin::api {

namespace json = boost::json;
using namespace json_reader;

std::vector<courses::Target> targetsFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"targets"});
  std::vector<courses::Target> targets;
  if (const auto* v = reader.nonNull("targets", true)) {
    const json::array& items = readArray(*v, "targets");
    targets.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const ObjectReader item(items[i], "targets[" + std::to_string(i) + "]", problems,
                              {"measure", "track", "value"});
      courses::Target target;
      if (const auto* m = item.get("measure", true)) {
        target.measure = readEnumIn(*m, item.field("measure"), problems, courses::measureFromString,
                                    std::span<const courses::Measure>(courses::kAllMeasures))
                             .value_or(courses::Measure::trained);
      }
      target.track = item.nullableString("track");
      if (const auto* value = item.get("value", true)) {
        target.value = readInteger(*value, item.field("value"), 1, kMaxTargetValue, problems);
      }
      targets.push_back(std::move(target));
    }
  }
  problems.throwIfAny();
  return targets;
}

namespace {

json::value optionalNumber(const std::optional<double>& number) {
  return number ? hoursValue(*number) : json::value(nullptr);
}

json::value optionalTrack(const std::optional<std::string>& track) {
  return track ? json::value(*track) : json::value(nullptr);
}

json::object measuresToJson(const courses::MeasureValues& values) {
  json::object object;
  json::array hidden;
  for (const courses::Measure measure : courses::kAllMeasures) {
    const std::string name(courses::toString(measure));
    if (values.isHidden(measure)) hidden.push_back(json::value(name));
    object[name] = optionalNumber(values.value(measure));
  }
  object["hidden"] = std::move(hidden);
  return object;
}

json::object cellToJson(const courses::TotalsCell& cell) {
  json::array keys;
  for (const auto& key : cell.keys) keys.push_back(json::value(key));
  return json::object{{"keys", std::move(keys)}, {"measures", measuresToJson(cell.values)}};
}

}  // namespace

json::object totalsToJson(const courses::TotalsReport& report,
                          const std::optional<courses::Programme>& programme,
                          const std::vector<std::string>& notes) {
  const courses::TotalsQuery& query = report.query;
  json::object object;
  if (programme) {
    object["programme"] = json::object{
        {"id", programme->id}, {"code", programme->code}, {"title", toJson(programme->title)}};
  } else {
    object["programme"] = nullptr;
  }
  object["period"] = json::object{{"from", optionalValue(query.period.from)},
                                  {"to", optionalValue(query.period.to)}};
  // The period in words, as the exports name it, so the dashboard says the same.
  courses::Period programme_dates;
  if (programme) programme_dates = {programme->starts_on, programme->ends_on};
  const auto periodIn = [&](courses::Language language) {
    return plugin::totals::periodText(query.period, programme_dates, language);
  };
  object["period_label"] = toJson(courses::LocalizedText{periodIn(courses::Language::kk),
                                                         periodIn(courses::Language::ru),
                                                         periodIn(courses::Language::en)});
  object["track"] = optionalTrack(query.track);
  json::array by;
  for (const courses::Dimension dimension : query.by) {
    by.push_back(json::value(courses::toString(dimension)));
  }
  object["by"] = std::move(by);
  json::array bands;
  for (const courses::AgeBand& band : report.age_bands) {
    bands.push_back(json::object{{"key", band.key()},
                                 {"from", band.from},
                                 {"to", band.to ? json::value(*band.to) : json::value(nullptr)},
                                 {"youth", band.youth}});
  }
  object["age_bands"] = std::move(bands);
  object["suppressed_below"] = query.suppress_below;
  object["overlapping"] = report.overlapping;
  json::array note_array;
  for (const auto& note : notes) note_array.push_back(json::value(note));
  object["notes"] = std::move(note_array);
  object["total"] = measuresToJson(report.total);

  json::array dimensions;
  json::array margins;
  for (std::size_t d = 0; d < query.by.size(); ++d) {
    const courses::Dimension dimension = query.by[d];
    json::array values;
    if (d < report.values.size()) {
      for (const courses::DimensionValue& value : report.values[d]) {
        json::object item{{"key", value.key}, {"label", toJson(value.label)}};
        if (dimension == courses::Dimension::age_band) item["youth"] = value.youth;
        values.push_back(std::move(item));
      }
    }
    dimensions.push_back(json::object{{"name", courses::toString(dimension)},
                                      {"label", toJson(courses::label(dimension))},
                                      {"values", std::move(values)}});
    json::array margin;
    if (d < report.margins.size()) {
      for (const courses::TotalsCell& cell : report.margins[d]) margin.push_back(cellToJson(cell));
    }
    margins.push_back(std::move(margin));
  }
  object["dimensions"] = std::move(dimensions);
  object["margins"] = std::move(margins);
  json::array cells;
  for (const courses::TotalsCell& cell : report.cells) cells.push_back(cellToJson(cell));
  object["cells"] = std::move(cells);

  json::array targets;
  for (const courses::TargetProgress& item : report.targets) {
    targets.push_back(json::object{{"measure", courses::toString(item.target.measure)},
                                   {"track", optionalTrack(item.target.track)},
                                   {"target", item.target.value},
                                   {"actual", item.actual},
                                   {"progress", json::value(item.progress)}});
  }
  object["targets"] = std::move(targets);
  return object;
}

json::object targetsToJson(courses::Id programme_id, const std::vector<courses::Target>& targets) {
  json::array items;
  items.reserve(targets.size());
  for (const courses::Target& target : targets) {
    items.push_back(json::object{{"measure", courses::toString(target.measure)},
                                 {"track", optionalTrack(target.track)},
                                 {"value", target.value}});
  }
  return json::object{{"programme_id", programme_id}, {"targets", std::move(items)}};
}

}  // namespace plugin::api
