#include "plugin/cli/participant_csv_format.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <stdexcept>

#include "courses/name_match.hpp"
#include "courses/text.hpp"

namespace plugin::cli {

namespace json = boost::json;
using courses::trim;

std::string foldWord(std::string_view text) {
  if (courses::firstInvalidUtf8(text)) return {};
  return courses::nameMatchKey(text);
}

std::optional<std::string> ParticipantCsvFormat::code(std::string_view column,
                                                      std::string_view cell) const {
  const auto vocabulary = words.find(std::string(column));
  if (vocabulary == words.end()) return std::nullopt;
  const auto word = vocabulary->second.find(foldWord(cell));
  if (word == vocabulary->second.end()) return std::nullopt;
  return word->second;
}

namespace {

/// The skeletons of a name's words (split at spaces and hyphens, as names are), in typed order;
/// words with no letters or digits ("." alone) left out.
std::vector<std::string> localityWords(std::string_view name) {
  std::vector<std::string> out;
  const std::string folded = foldWord(name);
  std::size_t start = 0;
  while (start <= folded.size()) {
    const std::size_t end = std::min(folded.find_first_of(" -", start), folded.size());
    std::string skeleton =
        courses::wordSkeleton(std::string_view(folded).substr(start, end - start));
    if (!skeleton.empty()) out.push_back(std::move(skeleton));
    start = end + 1;
  }
  return out;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out.push_back(' ');
    out += word;
  }
  return out;
}

}  // namespace

std::string ParticipantCsvFormat::shortLocalityName(std::string_view name) const {
  const std::string folded = foldWord(name);
  std::string out;
  std::size_t start = 0;
  while (start <= folded.size()) {
    const std::size_t end = std::min(folded.find(' ', start), folded.size());
    const std::string word = folded.substr(start, end - start);
    if (!word.empty() && !locality_kinds.contains(word)) {
      if (!out.empty()) out.push_back(' ');
      out += word;
    }
    start = end + 1;
  }
  return out;
}

std::string ParticipantCsvFormat::localityKey(std::string_view name) const {
  return joined(localityWords(name));
}

std::string ParticipantCsvFormat::shortLocalityKey(std::string_view name) const {
  std::vector<std::string> place = localityWords(name);
  std::erase_if(place, [&](const std::string& word) { return locality_kind_keys.contains(word); });
  return joined(place);
}

ParticipantCsvFormat ParticipantCsvFormat::fromJson(std::string_view text) {
  const json::value document = json::parse(text);
  const json::object& root = document.as_object();
  ParticipantCsvFormat format;
  for (const auto& d : root.at("delimiters").as_array()) format.delimiters += d.as_string();
  for (const auto& s : root.at("list_separators").as_array()) format.list_separators += s.as_string();
  if (const auto* kinds = root.if_contains("locality_kinds")) {
    for (const auto& kind : kinds->as_array()) {
      format.locality_kinds.insert(foldWord(kind.as_string()));
      for (std::string& word : localityWords(kind.as_string())) {
        format.locality_kind_keys.insert(std::move(word));
      }
    }
  }
  for (const auto& entry : root.at("columns").as_object()) {
    const std::string column(entry.key());
    const auto& aliases = entry.value();
    format.columns.emplace(foldWord(column), column);
    for (const auto& alias : aliases.as_array()) {
      format.columns.emplace(foldWord(alias.as_string()), column);
    }
  }
  for (const auto& entry : root.at("required").as_array()) {
    std::vector<std::string> one_of;
    if (entry.is_string()) {
      one_of.emplace_back(entry.as_string());
    } else {
      for (const auto& name : entry.as_array()) one_of.emplace_back(name.as_string());
    }
    format.required.push_back(std::move(one_of));
  }
  for (const auto& column : root.at("values").as_object()) {
    auto& vocabulary = format.words[std::string(column.key())];
    for (const auto& entry : column.value().as_object()) {
      const std::string code(entry.key());
      const auto& list = entry.value();
      vocabulary.emplace(foldWord(code), code);
      for (const auto& word : list.as_array()) {
        const std::string folded = foldWord(word.as_string());
        const auto [at, added] = vocabulary.emplace(folded, code);
        if (!added && at->second != code) {
          throw std::runtime_error("participants CSV format: \"" + folded + "\" names both " +
                                   at->second + " and " + code);
        }
      }
    }
  }
  return format;
}

LocalityLookup::LocalityLookup(const std::vector<courses::Locality>& localities) {
  const ParticipantCsvFormat& format = ParticipantCsvFormat::standard();
  for (const auto& locality : localities) {
    ids_.insert(locality.id);
    if (locality.kato) by_kato_.emplace(*locality.kato, locality.id);
    std::set<std::string> names;
    std::set<std::string> short_names;
    std::set<std::string> keys;
    std::set<std::string> short_keys;
    for (const auto* name : {&locality.name.kk, &locality.name.ru, &locality.name.en}) {
      if (name->empty()) continue;
      names.insert(foldWord(*name));
      const std::string short_name = format.shortLocalityName(*name);
      if (!short_name.empty()) short_names.insert(short_name);
      const std::string key = format.localityKey(*name);
      if (!key.empty()) keys.insert(key);
      const std::string short_key = format.shortLocalityKey(*name);
      if (!short_key.empty()) short_keys.insert(short_key);
    }
    for (const auto& name : names) by_name_.emplace(name, locality.id);
    for (const auto& name : short_names) by_short_name_.emplace(name, locality.id);
    for (const auto& key : keys) by_key_.emplace(key, locality.id);
    for (const auto& key : short_keys) by_short_key_.emplace(key, locality.id);
  }
}

std::vector<courses::Id> LocalityLookup::named(std::string_view cell) const {
  const std::string_view text = trim(cell);
  if (const auto kato = by_kato_.find(std::string(text)); kato != by_kato_.end()) {
    return {kato->second};
  }
  // Each way of reading the cell is tried only when the stricter one found nothing, so that a
  // name typed as stored is never made ambiguous by another place that merely reads the same:
  // "Нура" is the settlement "посёлок Нура", though it reads as "Нұра ауданы" too. A whole name
  // read as names are comes before a short one: "Нура ауданы" is the district.
  const ParticipantCsvFormat& format = ParticipantCsvFormat::standard();
  for (const auto& [index, wanted] :
       {std::pair{&by_name_, foldWord(text)}, std::pair{&by_key_, format.localityKey(text)},
        std::pair{&by_short_name_, format.shortLocalityName(text)},
        std::pair{&by_short_key_, format.shortLocalityKey(text)}}) {
    if (wanted.empty()) continue;
    std::vector<courses::Id> ids;
    const auto [first, last] = index->equal_range(wanted);
    for (auto it = first; it != last; ++it) ids.push_back(it->second);
    if (!ids.empty()) return ids;
  }
  return {};
}

const ParticipantCsvFormat& ParticipantCsvFormat::standard() {
  static const ParticipantCsvFormat kFormat = fromJson(participantCsvFormatJson());
  return kFormat;
}

}  // namespace plugin::cli
