#include "plugin/cli/commands.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace plugin::cli {
namespace {

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
};

CliResult run(std::vector<std::string> args, std::optional<std::string> url = std::nullopt) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  CliResult result;
  result.status = runCli(args, url, Console{in, out, err, false, false});
  result.out = out.str();
  result.err = err.str();
  return result;
}

TEST(Commands, HelpListsEveryCommand) {
  const CliResult r = run({"--help"});
  EXPECT_EQ(r.status, kExitOk);
  for (const char* command :
       {"migrate", "user add", "user passwd", "user disable", "import participants", "demo load"}) {
    EXPECT_NE(r.out.find(command), std::string::npos) << command;
  }
}

TEST(Commands, EveryCommandHasHelp) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"migrate", "--help"},
                                                                {"user", "--help"},
                                                                {"user", "add", "--help"},
                                                                {"import", "--help"},
                                                                {"demo", "load", "--help"}}) {
    const CliResult r = run(args);
    EXPECT_EQ(r.status, kExitOk) << args[0];
    EXPECT_EQ(r.out.rfind("Usage: qatysu ", 0), 0u) << args[0];
  }
}

TEST(Commands, WrongUsageExitsWithTwo) {
  EXPECT_EQ(run({}).status, kExitUsage);
  EXPECT_EQ(run({"frobnicate"}).status, kExitUsage);
  EXPECT_EQ(run({"user", "add", "--login", "x1"}).status, kExitUsage);  // no role
  EXPECT_EQ(run({"user", "add", "--role", "root", "--login", "x1"}).status, kExitUsage);
  EXPECT_EQ(run({"user", "add", "--role", "learner", "--login", "x1"}).status, kExitUsage);
  EXPECT_EQ(run({"user", "add", "--role", "admin", "--login", "Bad Login"}).status, kExitUsage);
  EXPECT_EQ(run({"user", "add", "--role", "admin", "--login", "x1", "--password", "p"}).status,
            kExitUsage);
  EXPECT_EQ(run({"import", "people", "a.csv"}).status, kExitUsage);
  EXPECT_EQ(run({"demo", "unload"}).status, kExitUsage);
}

TEST(Commands, DatabaseCommandsExplainAMissingUrl) {
  const CliResult r = run({"migrate"});
  EXPECT_EQ(r.status, kExitFailure);
  EXPECT_NE(r.err.find("QATYSU_DB_URL is not set"), std::string::npos) << r.err;
  EXPECT_EQ(run({"user", "disable", "--login", "admin"}, "").status, kExitFailure);
}

TEST(Commands, ABadUrlIsReportedNotThrown) {
  const CliResult r = run({"migrate"}, "postgres://nowhere");
  EXPECT_EQ(r.status, kExitFailure);
  EXPECT_EQ(r.err.rfind("qatysu: ", 0), 0u);
}

}  // namespace
}  // namespace plugin::cli
