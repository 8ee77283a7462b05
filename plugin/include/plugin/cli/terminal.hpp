#pragma once
// What the command-line tool needs from a terminal: reading a new password without echo, and a
// progress display on standard error.

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>

namespace plugin::cli {

/// Reads a new password. When standard input is a terminal it prompts on `prompt_out` twice with
/// echo turned off and insists the two entries match; otherwise it reads one line from `in`
/// (a trailing CR is dropped). Throws courses::Error(invalid_argument) when nothing could be read
/// or the entries differ. The password is never taken from the command line.
std::string readNewPassword(std::istream& in, std::ostream& prompt_out, bool in_is_terminal);

/// Progress of a long job on standard error: a redrawn bar on a terminal, otherwise a line every
/// `kLineEvery` items. Short jobs (fewer than `kMinimum` items) show nothing.
class Progress {
 public:
  static constexpr std::size_t kLineEvery = 1000;
  static constexpr std::size_t kMinimum = 200;

  Progress(std::ostream& out, bool is_terminal, std::string label);
  void update(std::size_t done, std::size_t total);
  /// Ends the bar's line on a terminal.
  void finish();

 private:
  std::ostream& out_;
  bool is_terminal_;
  std::string label_;
  int last_percent_ = -1;
  bool drawn_ = false;
};

}  // namespace plugin::cli
