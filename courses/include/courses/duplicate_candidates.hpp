#pragma once
// What a trainer learns when the person they register looks like someone already registered.
// Enough to answer "same person?" and no more: the name, birth year and locality they typed
// themselves, and an id only for people they may already see. For anyone else they get a
// confirmation: an opaque token, valid for kConfirmationSeconds and for them alone, that names the
// person in same_person without telling who it is. Administrators see every id.

#include <optional>
#include <string>
#include <string_view>

#include "courses/error.hpp"
#include "courses/model.hpp"

namespace courses {

/// Seals short texts so that only this service can read them back and nobody can forge one
/// (authenticated encryption, libsodium in plugin/security). Thread-safe.
class Sealer {
 public:
  virtual ~Sealer() = default;
  /// An opaque, URL-safe token holding `plaintext`.
  virtual std::string seal(std::string_view plaintext) const = 0;
  /// The plaintext of a token made by seal(), or nullopt for anything else.
  virtual std::optional<std::string> open(std::string_view token) const = 0;
};

/// How long a confirmation stays usable: long enough to review an import, short enough that an
/// old one is no standing key to a person.
inline constexpr long long kConfirmationSeconds = 2 * 60 * 60;

/// The candidate `actor` is shown for the registered person `match`: admins and those who may see
/// the person (`visible`) get its id; others get a confirmation made with `sealer` (none when
/// there is no sealer), never the id.
DuplicateCandidate duplicateCandidate(const Actor& actor, const Participant& match, bool visible,
                                      const Sealer* sealer, const Timestamp& now);

/// The person a confirmation names, when `sealer` made it for `actor` and it has not expired by
/// `now`; nullopt otherwise.
std::optional<Id> confirmedPerson(const Actor& actor, std::string_view confirmation,
                                  const Sealer* sealer, const Timestamp& now);

}  // namespace courses
