#include "plugin/cli/args.hpp"

#include <gtest/gtest.h>

namespace plugin::cli {
namespace {

const OptionSpec kSpecs[] = {
    {"--login", true}, {"--skip-bad", false}, {"--suppress", true, /*value_optional=*/true}};

ParsedArgs parse(std::vector<std::string> args) {
  return parseArgs(args, kSpecs);
}

TEST(Args, SortsPositionalsValuesAndFlags) {
  const auto parsed = parse({"add", "--login", "admin", "--skip-bad", "file.csv"});
  EXPECT_EQ(parsed.positional, (std::vector<std::string>{"add", "file.csv"}));
  EXPECT_EQ(parsed.value("--login"), "admin");
  EXPECT_TRUE(parsed.flag("--skip-bad"));
  EXPECT_FALSE(parsed.help);
}

TEST(Args, AcceptsNameEqualsValue) {
  EXPECT_EQ(parse({"--login=trainer.nura"}).value("--login"), "trainer.nura");
  EXPECT_EQ(parse({"--login="}).value("--login"), "");
}

TEST(Args, HelpIsRecognisedAnywhere) {
  EXPECT_TRUE(parse({"add", "--help"}).help);
  EXPECT_TRUE(parse({"-h"}).help);
}

TEST(Args, DoubleDashEndsOptions) {
  const auto parsed = parse({"--", "--login"});
  EXPECT_EQ(parsed.positional, (std::vector<std::string>{"--login"}));
  EXPECT_FALSE(parsed.value("--login"));
}

TEST(Args, RejectsUnknownRepeatedAndIncompleteOptions) {
  EXPECT_THROW(parse({"--password", "x"}), UsageError);
  EXPECT_THROW(parse({"--login", "a", "--login", "b"}), UsageError);
  EXPECT_THROW(parse({"--login"}), UsageError);
  EXPECT_THROW(parse({"--skip-bad=yes"}), UsageError);
}

TEST(Args, AnOptionalValueMayBeLeftOut) {
  EXPECT_EQ(parse({"--suppress"}).value("--suppress"), "");
  EXPECT_EQ(parse({"--suppress", "--login", "a"}).value("--suppress"), "");
  EXPECT_EQ(parse({"--suppress", "10"}).value("--suppress"), "10");
  EXPECT_EQ(parse({"--suppress=7"}).value("--suppress"), "7");
  const auto parsed = parse({"--suppress", "--", "rest"});
  EXPECT_EQ(parsed.value("--suppress"), "");
  EXPECT_EQ(parsed.positional, (std::vector<std::string>{"rest"}));
  EXPECT_FALSE(parse({"--login", "a"}).value("--suppress"));
}

}  // namespace
}  // namespace plugin::cli
