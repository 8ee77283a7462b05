#include "plugin/cli/retention_command.hpp"

#include "courses/clock.hpp"
#include "courses/data_rights_service.hpp"
#include "courses/mariadb/store.hpp"
#include "plugin/cli/args.hpp"

namespace plugin::cli {
namespace {

constexpr const char* kRetentionUsage =
    "Usage: qatysu retention apply [--dry-run]\n"
    "\n"
    "Erases the phone and e-mail of every person whose programmes all set a retention\n"
    "(PUT /api/v1/programmes/{id}/retention) that has passed: N years after the latest of their\n"
    "programmes' ends. The rest of the record stays. Each erasure is in the person's history as\n"
    "the system's change (no account). --dry-run lists them and changes nothing.\n";

}  // namespace

int retentionCommand(std::span<const std::string> args, CommandStorage& storage, Console& console) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    console.out << kRetentionUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] != "apply") throw UsageError("unknown subcommand retention " + args[0]);
  static const OptionSpec kSpecs[] = {{"--dry-run", false}};
  const ParsedArgs parsed = parseArgs(args.subspan(1), kSpecs);
  if (parsed.help) {
    console.out << kRetentionUsage;
    return kExitOk;
  }
  if (!parsed.positional.empty()) throw UsageError("unexpected argument " + parsed.positional[0]);
  const bool dry_run = parsed.flag("--dry-run");
  const courses::SystemClock clock;
  courses::DataRightsService rights(storage.repositories(), storage.store().dataRights(), clock);
  const courses::RetentionReport report = rights.applyRetention(dry_run);
  for (const courses::RetentionDue& due : report.due) {
    std::string programmes;
    for (const std::string& code : due.programme_codes) {
      programmes += (programmes.empty() ? "" : ", ") + code;
    }
    console.out << "participant " << due.participant_id << ": contacts "
                << (dry_run ? "due for erasure" : "erased") << " (due since " << due.due_on
                << "; programmes " << programmes << ")\n";
  }
  console.out << (dry_run ? "dry run: " : "") << report.due.size() << " people due on "
              << report.today << ", contacts erased of " << report.contacts_erased << "\n";
  return kExitOk;
}

}  // namespace plugin::cli
