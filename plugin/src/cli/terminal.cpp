#include "plugin/cli/terminal.hpp"

#include <termios.h>
#include <unistd.h>

#include "courses/error.hpp"

namespace plugin::cli {

namespace {

/// Turns terminal echo off for its lifetime and restores the previous settings after.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= static_cast<tcflag_t>(ECHONL);
    active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

bool readLine(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

[[noreturn]] void fail(const std::string& message) {
  throw courses::Error(courses::ErrorCode::invalid_argument, message);
}

}  // namespace

std::string readNewPassword(std::istream& in, std::ostream& prompt_out, bool in_is_terminal) {
  std::string first;
  if (!in_is_terminal) {
    if (!readLine(in, first)) fail("no password on standard input (expected one line)");
    return first;
  }
  std::string second;
  {
    EchoOff echo_off(STDIN_FILENO);
    prompt_out << "New password: " << std::flush;
    if (!readLine(in, first)) fail("no password entered");
    prompt_out << "Repeat it: " << std::flush;
    if (!readLine(in, second)) fail("no password entered");
  }
  if (first != second) fail("the two passwords differ");
  return first;
}

Progress::Progress(std::ostream& out, bool is_terminal, std::string label)
    : out_(out), is_terminal_(is_terminal), label_(std::move(label)) {}

void Progress::update(std::size_t done, std::size_t total) {
  if (total < kMinimum) return;
  if (!is_terminal_) {
    if (done % kLineEvery == 0 || done == total) {
      out_ << label_ << ": " << done << " of " << total << '\n' << std::flush;
    }
    return;
  }
  const int percent = static_cast<int>(done * 100 / total);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  constexpr int kWidth = 40;
  const int filled = percent * kWidth / 100;
  out_ << '\r' << label_ << " [" << std::string(static_cast<std::size_t>(filled), '#')
       << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] " << done << '/'
       << total << std::flush;
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) out_ << '\n' << std::flush;
  drawn_ = false;
}

}  // namespace plugin::cli
