#include "plugin/cli/participant_csv_format.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <stdexcept>

#include "courses/text.hpp"

namespace plugin::cli {

namespace json = boost::json;

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

ParticipantCsvFormat ParticipantCsvFormat::fromJson(std::string_view text) {
  const json::value document = json::parse(text);
  const json::object& root = document.as_object();
  ParticipantCsvFormat format;
  for (const auto& d : root.at("delimiters").as_array()) format.delimiters += d.as_string();
  for (const auto& s : root.at("list_separators").as_array()) format.list_separators += s.as_string();
  if (const auto* kinds = root.if_contains("locality_kinds")) {
    for (const auto& kind : kinds->as_array())
      format.locality_kinds.insert(foldWord(kind.as_string()));
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

const ParticipantCsvFormat& ParticipantCsvFormat::standard() {
  static const ParticipantCsvFormat kFormat = fromJson(participantCsvFormatJson());
  return kFormat;
}

}  // namespace plugin::cli
