#include "support/http/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace support::http {

namespace {

std::string errnoText(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

int decodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

/// argv/envp as the C arrays execvpe wants, built before fork() (after it only
/// async-signal-safe calls are allowed).
class ExecArgs {
 public:
  ExecArgs(const std::vector<std::string>& argv, const Environment& env) : args_(argv) {
    if (args_.empty()) throw std::invalid_argument("empty argv");
    std::map<std::string, std::string> merged;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
      std::string_view text(*entry);
      auto eq = text.find('=');
      if (eq == std::string_view::npos) continue;
      merged[std::string(text.substr(0, eq))] = std::string(text.substr(eq + 1));
    }
    for (const auto& [key, value] : env) merged[key] = value;
    for (const auto& [key, value] : merged) env_.push_back(key + "=" + value);
    for (auto& a : args_) argv_.push_back(a.data());
    argv_.push_back(nullptr);
    for (auto& e : env_) envp_.push_back(e.data());
    envp_.push_back(nullptr);
  }
  char** argv() { return argv_.data(); }
  char** envp() { return envp_.data(); }

 private:
  std::vector<std::string> args_;
  std::vector<std::string> env_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
};

/// Forks and execs with stdin/stdout/stderr opened on the given files.
pid_t spawn(const std::vector<std::string>& argv, const Environment& env,
            const std::filesystem::path& in, const std::filesystem::path& out,
            const std::filesystem::path& err) {
  ExecArgs exec_args(argv, env);
  int in_fd = ::open(in.c_str(), O_RDONLY | O_CLOEXEC);
  if (in_fd < 0) throw std::runtime_error(errnoText("open " + in.string()));
  int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0) {
    ::close(in_fd);
    if (out_fd >= 0) ::close(out_fd);
    if (err_fd >= 0) ::close(err_fd);
    throw std::runtime_error(errnoText("open output files in " + out.parent_path().string()));
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(errnoText("fork"));
  if (pid == 0) {
    // Child: die with the test process, so no server outlives a crashed test.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execvpe(exec_args.argv()[0], exec_args.argv(), exec_args.envp());
    static constexpr char kMessage[] = "exec failed\n";
    [[maybe_unused]] auto written = ::write(2, kMessage, sizeof kMessage - 1);
    ::_exit(127);
  }
  ::close(in_fd);
  ::close(out_fd);
  ::close(err_fd);
  return pid;
}

}  // namespace

std::string readFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return {};
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

TempDir::TempDir(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/" +
                        std::string(prefix) + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error(errnoText("mkdtemp"));
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ProcessResult::describe() const {
  std::string text = timed_out ? "timed out (killed)" : "exit " + std::to_string(exit_code);
  text += "\nstdout:\n" + out + "\nstderr:\n" + err;
  return text;
}

ProcessResult runProcess(const std::vector<std::string>& argv, const Environment& env,
                         std::string_view input, std::chrono::seconds timeout) {
  TempDir dir("qatysu-run");
  auto in_path = dir.path() / "stdin";
  {
    std::ofstream in(in_path, std::ios::binary);
    in.write(input.data(), static_cast<std::streamsize>(input.size()));
  }
  ChildProcess child(argv, env, dir.path() / "stdout", dir.path() / "stderr", in_path);
  ProcessResult result;
  auto code = child.waitFor(timeout);
  if (!code) {
    child.signal(SIGKILL);
    code = child.waitFor(std::chrono::seconds(10));
    result.timed_out = true;
  }
  result.exit_code = code.value_or(-1);
  result.out = child.readStdout();
  result.err = child.readStderr();
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const Environment& env,
                           std::filesystem::path stdout_file, std::filesystem::path stderr_file,
                           const std::filesystem::path& stdin_file)
    : stdout_file_(std::move(stdout_file)), stderr_file_(std::move(stderr_file)) {
  pid_ = spawn(argv, env, stdin_file, stdout_file_, stderr_file_);
}

ChildProcess::~ChildProcess() {
  if (running()) {
    signal(SIGKILL);
    waitFor(std::chrono::seconds(10));
  }
}

bool ChildProcess::running() {
  if (exit_code_ || pid_ <= 0) return false;
  int status = 0;
  pid_t done = ::waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    exit_code_ = decodeStatus(status);
    return false;
  }
  return done == 0;
}

void ChildProcess::signal(int signal_number) {
  if (running()) ::kill(pid_, signal_number);
}

std::optional<int> ChildProcess::waitFor(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

std::string ChildProcess::readStdout() const {
  return readFile(stdout_file_);
}
std::string ChildProcess::readStderr() const {
  return readFile(stderr_file_);
}

}  // namespace support::http
