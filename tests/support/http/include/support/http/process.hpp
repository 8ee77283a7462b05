#pragma once
// Child processes for functional tests: run a command to completion, or keep a server running
// in the background. Output goes to files in a private temporary directory, so a chatty child
// can never block on a full pipe and its log is there to show when a test fails.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace support::http {

/// Variables to set (or override) in a child's environment.
using Environment = std::vector<std::pair<std::string, std::string>>;

/// A directory under $TMPDIR (or /tmp) removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// How a finished command ended.
struct ProcessResult {
  int exit_code = -1;  ///< exit status, or 128 + signal number when killed by a signal
  std::string out;     ///< standard output
  std::string err;     ///< standard error
  bool timed_out = false;

  /// "exit N\nstdout:…\nstderr:…", for failure messages.
  std::string describe() const;
};

/// Runs `argv` (argv[0] is a path or a name looked up in PATH) with `env` added to the current
/// environment and `input` on standard input; kills it (SIGKILL) after `timeout`.
ProcessResult runProcess(const std::vector<std::string>& argv, const Environment& env,
                         std::string_view input,
                         std::chrono::seconds timeout = std::chrono::seconds(120));

/// A background child reading `stdin_file`, its stdout and stderr going to files. Killed
/// (SIGKILL) on destruction if still running; the child also dies with the test process
/// (PR_SET_PDEATHSIG).
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const Environment& env,
               std::filesystem::path stdout_file, std::filesystem::path stderr_file,
               const std::filesystem::path& stdin_file = "/dev/null");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }
  /// True until the child has been reaped.
  bool running();
  /// Sends `signal` if the child is still running.
  void signal(int signal);
  /// Waits up to `timeout` for the child to end; its exit code (see ProcessResult), or nullopt.
  std::optional<int> waitFor(std::chrono::milliseconds timeout);
  /// The exit code once reaped.
  std::optional<int> exitCode() const noexcept { return exit_code_; }

  std::string readStdout() const;
  std::string readStderr() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path stdout_file_;
  std::filesystem::path stderr_file_;
};

/// Whole content of a file ("" when it does not exist).
std::string readFile(const std::filesystem::path& path);

}  // namespace support::http
