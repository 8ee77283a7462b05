#include "courses/duplicate_candidates.hpp"

#include <charconv>

#include "courses/text.hpp"

namespace courses {

namespace {

// What a confirmation holds: "<version>|<account id>|<participant id>|<expires at>". The account
// binds it to the trainer it was shown to, so a token passed on opens nothing for anyone else.
constexpr std::string_view kVersion = "c1";

std::optional<Id> idAt(std::string_view text) {
  Id value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

DuplicateCandidate duplicateCandidate(const Actor& actor, const Participant& match, bool visible,
                                      const Sealer* sealer, const Timestamp& now) {
  DuplicateCandidate candidate;
  candidate.full_name = match.full_name;
  candidate.birth_year = match.demographics.birth_year;
  candidate.locality_id = match.demographics.locality_id;
  if (actor.isAdmin() || visible) {
    candidate.id = match.id;
  } else if (sealer != nullptr) {
    candidate.confirmation =
        sealer->seal(std::string(kVersion) + "|" + std::to_string(actor.account_id) + "|" +
                     std::to_string(match.id) + "|" + addSeconds(now, kConfirmationSeconds));
  }
  return candidate;
}

std::optional<Id> confirmedPerson(const Actor& actor, std::string_view confirmation,
                                  const Sealer* sealer, const Timestamp& now) {
  if (sealer == nullptr) return std::nullopt;
  const std::optional<std::string> plaintext = sealer->open(confirmation);
  if (!plaintext) return std::nullopt;
  std::string_view rest = *plaintext;
  std::string_view parts[4];
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t colon = i < 3 ? rest.find('|') : rest.size();
    if (colon == std::string_view::npos) return std::nullopt;
    parts[i] = rest.substr(0, colon);
    rest = colon < rest.size() ? rest.substr(colon + 1) : std::string_view{};
  }
  if (parts[0] != kVersion || idAt(parts[1]) != actor.account_id) return std::nullopt;
  // Timestamps of one fixed layout compare as text.
  if (!isValidTimestamp(parts[3]) || !(now < parts[3])) return std::nullopt;
  return idAt(parts[2]);
}

}  // namespace courses
