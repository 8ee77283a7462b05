#pragma once
// The one error type of the certificates library.

#include <stdexcept>
#include <string>
#include <utility>

namespace certificates {

/// Why something could not be rendered, signed or read.
class Error : public std::runtime_error {
 public:
  enum class Kind {
    invalid_input,   ///< bad field value (not UTF-8, bad date, empty name, bad payload)
    missing_glyph,   ///< a character no certificate font can draw
    io,              ///< a file could not be read or written
    internal,        ///< a library call failed (libharu, libqrencode, libsodium, libarchive)
  };
  Error(Kind kind, std::string field, std::string message)
      : std::runtime_error(std::move(message)), kind_(kind), field_(std::move(field)) {}
  Kind kind() const noexcept { return kind_; }
  /// The field the problem is in ("full_name", "course_title.kk", …); empty when none.
  const std::string& field() const noexcept { return field_; }

 private:
  Kind kind_;
  std::string field_;
};

}  // namespace certificates
