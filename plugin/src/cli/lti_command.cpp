#include "plugin/cli/lti_command.hpp"

#include <sstream>

#include "courses/clock.hpp"
#include "courses/lti.hpp"
#include "courses/mariadb/store.hpp"
#include "plugin/cli/args.hpp"
#include "plugin/lti/tool_keys.hpp"

namespace plugin::cli {
namespace {

constexpr const char* kLtiUsage =
    "Usage: qatysu lti platform add --name NAME --issuer URL --client-id ID --auth-url URL\n"
    "                               --token-url URL --jwks-url URL --deployments ID[,ID...]\n"
    "                               [--as LOGIN]\n"
    "       qatysu lti platform list [--as LOGIN]\n"
    "       qatysu lti platform disable|enable ID [--as LOGIN]\n"
    "       qatysu lti keys show|rotate [--key FILE]\n"
    "\n"
    "Registers a Moodle or Canvas site as an LTI 1.3 platform, as POST /api/v1/lti/platforms "
    "does:\n"
    "its issuer, the client id it gave Qatysu, its OIDC authorization, token and key set URLs\n"
    "(https; http only on this machine's loopback) and the deployment ids of the tool on it.\n"
    "A disabled platform's launches are refused; nothing is deleted.\n"
    "--as LOGIN is the administrator doing it (default: admin).\n"
    "\n"
    "keys show prints the tool's key ids (the current one first) and when each was made;\n"
    "keys rotate makes a new current key and keeps the replaced one published at /lti/jwks for\n"
    "30 days. --key is the server's lti.key_file (default: var/lti-keys.json). Restart the server\n"
    "after a rotation.\n";

int platformCommand(std::span<const std::string> args, CommandStorage& storage, Console& console) {
  if (args.empty())
    throw UsageError("missing subcommand: lti platform add, list, disable or enable");
  const std::string& sub = args[0];
  static const OptionSpec kSpecs[] = {
      {"--name", true},      {"--issuer", true},   {"--client-id", true},   {"--auth-url", true},
      {"--token-url", true}, {"--jwks-url", true}, {"--deployments", true}, {"--as", true}};
  const ParsedArgs parsed = parseArgs(args.subspan(1), kSpecs);
  if (parsed.help) {
    console.out << kLtiUsage;
    return kExitOk;
  }
  const courses::Actor actor = actingAccount(
      storage.repositories(), parsed.value("--as").value_or("admin"), {courses::Role::admin});
  courses::LtiPlatformService platforms(storage.store().ltiPlatforms());
  const auto print = [&console](const courses::LtiPlatform& p) {
    std::string deployments;
    for (const std::string& d : p.deployment_ids)
      deployments += (deployments.empty() ? "" : ",") + d;
    console.out << p.id << "\t" << (p.disabled ? "disabled" : "enabled") << "\t" << p.name << "\t"
                << p.issuer << "\tclient " << p.client_id << "\tdeployments " << deployments
                << "\n";
  };
  if (sub == "add") {
    if (!parsed.positional.empty()) throw UsageError("unexpected argument " + parsed.positional[0]);
    courses::LtiPlatform p;
    const auto required = [&parsed](const std::string& name) {
      auto value = parsed.value(name);
      if (!value) throw UsageError("lti platform add needs " + name);
      return *value;
    };
    p.name = required("--name");
    p.issuer = required("--issuer");
    p.client_id = required("--client-id");
    p.auth_url = required("--auth-url");
    p.token_url = required("--token-url");
    p.jwks_url = required("--jwks-url");
    std::stringstream list(required("--deployments"));
    for (std::string id; std::getline(list, id, ',');) p.deployment_ids.push_back(id);
    print(platforms.add(actor, p));
    return kExitOk;
  }
  if (sub == "list") {
    for (const courses::LtiPlatform& p : platforms.list(actor)) print(p);
    return kExitOk;
  }
  if (sub == "disable" || sub == "enable") {
    if (parsed.positional.size() != 1)
      throw UsageError("lti platform " + sub + " needs the platform's id");
    courses::Id id = 0;
    try {
      id = std::stoll(parsed.positional[0]);
    } catch (const std::exception&) {
      throw UsageError("the platform's id must be a number, not " + parsed.positional[0]);
    }
    print(platforms.setDisabled(actor, id, sub == "disable"));
    return kExitOk;
  }
  throw UsageError("unknown subcommand lti platform " + sub);
}

int keysCommand(std::span<const std::string> args, Console& console) {
  if (args.empty()) throw UsageError("missing subcommand: lti keys show or rotate");
  static const OptionSpec kSpecs[] = {{"--key", true}};
  const ParsedArgs parsed = parseArgs(args.subspan(1), kSpecs);
  if (parsed.help) {
    console.out << kLtiUsage;
    return kExitOk;
  }
  if (!parsed.positional.empty()) throw UsageError("unexpected argument " + parsed.positional[0]);
  const std::string file = parsed.value("--key").value_or("var/lti-keys.json");
  const courses::SystemClock clock;
  lti::ToolKeys keys = [&] {
    if (args[0] == "show") return lti::ToolKeys::loadOrCreate(file, clock.now());
    if (args[0] == "rotate") return lti::ToolKeys::rotate(file, clock.now());
    throw UsageError("unknown subcommand lti keys " + args[0]);
  }();
  for (const auto& entry : keys.entries()) {
    console.out << entry.key.kid() << "\tmade " << entry.created_at
                << (entry.retired_at.empty() ? "\tcurrent" : "\treplaced " + entry.retired_at)
                << "\n";
  }
  return kExitOk;
}

}  // namespace

int ltiCommand(std::span<const std::string> args, const std::function<CommandStorage&()>& storage,
               Console& console) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    console.out << kLtiUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "platform") return platformCommand(args.subspan(1), storage(), console);
  if (args[0] == "keys") return keysCommand(args.subspan(1), console);
  throw UsageError("unknown subcommand lti " + args[0]);
}

}  // namespace plugin::cli
