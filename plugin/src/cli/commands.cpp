#include "plugin/cli/commands.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <memory>
#include <span>
#include <sstream>

#include "certificates/fonts.hpp"
#include "certificates/signing.hpp"
#include "courses/account_service.hpp"
#include "courses/error.hpp"
#include "courses/mariadb/store.hpp"
#include "courses/services.hpp"
#include "courses/text.hpp"
#include "plugin/certify/maker.hpp"
#include "plugin/cli/args.hpp"
#include "plugin/cli/certificate_commands.hpp"
#include "plugin/cli/csv.hpp"
#include "plugin/cli/demo.hpp"
#include "plugin/cli/lti_command.hpp"
#include "plugin/cli/participant_import.hpp"
#include "plugin/cli/retention_command.hpp"
#include "plugin/cli/terminal.hpp"
#include "plugin/cli/totals_command.hpp"
#include "plugin/security/passwords.hpp"
#include "plugin/security/secrets.hpp"

namespace plugin::cli {

namespace {

constexpr const char* kMainUsage =
    "Usage: qatysu COMMAND [OPTIONS]\n"
    "\n"
    "Administers a Qatysu database. The database is given by the environment variable\n"
    "QATYSU_DB_URL=mariadb://user:password@host:port/database.\n"
    "\n"
    "Commands:\n"
    "  migrate                      apply the database migrations that are missing\n"
    "  user add                     create an account (admin, trainer or learner)\n"
    "  user passwd                  set an account's password\n"
    "  user disable                 disable an account\n"
    "  import participants FILE     register people from a CSV file\n"
    "  demo load                    load the demo programme with invented people and issue\n"
    "                               its certificates\n"
    "  access-code --participant ID print a one-time sign-in code for a person's learner account\n"
    "  totals                       distinct people reached, trained and certified, broken down\n"
    "                               and exported (table, CSV, XLSX, PDF)\n"
    "  totals rebuild               recompute the aggregates the totals read from the raw rows\n"
    "  totals check                 count the aggregates that differ from the raw rows\n"
    "  targets set                  set a programme's target (e.g. 60 trained in a track)\n"
    "  targets list                 the programmes' targets with progress\n"
    "  retention apply [--dry-run]  erase the contacts the programmes' retention no longer keeps\n"
    "  lti platform add|list|...    register Moodle or Canvas sites as LTI 1.3 platforms\n"
    "  lti keys show|rotate         the LTI tool's signing keys (no database)\n"
    "\n"
    "Without a database:\n"
    "  certificates render          render certificates from a CSV or JSON list into PDFs\n"
    "  certificates verify-offline  check a certificate's QR payload against the public key\n"
    "\n"
    "Run 'qatysu COMMAND --help' for a command's options.\n";

constexpr const char* kMigrateUsage =
    "Usage: qatysu migrate\n"
    "\n"
    "Creates the database when missing and applies the migrations not applied yet. Safe to run\n"
    "any number of times.\n";

constexpr const char* kUserUsage =
    "Usage: qatysu user add --role admin|trainer|learner --login NAME [--name \"DISPLAY NAME\"]\n"
    "                       [--participant ID]\n"
    "       qatysu user passwd --login NAME\n"
    "       qatysu user disable --login NAME\n"
    "\n"
    "The password is read from standard input (one line) when it is not a terminal, and prompted\n"
    "for twice without echo otherwise; it is never an argument. 10 to 256 characters.\n"
    "--name is the person's name as printed: a trainer's name appears on the certificates of\n"
    "their cohorts (without it, the login does). 1 to 200 characters the certificate fonts can\n"
    "draw. A learner account takes the name of its person when --name is not given.\n"
    "A learner account needs --participant: the id of the person it belongs to.\n"
    "Logins: 2-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.\n"
    "\n"
    "Exit status: 0 done, 1 failed, 2 wrong usage, 3 (user add) the login is taken.\n";

constexpr const char* kImportUsage =
    "Usage: qatysu import participants FILE.csv [--skip-bad] [--as LOGIN]\n"
    "\n"
    "Registers the people in a CSV file in the participants format (docs/CSV_IMPORT.md, the\n"
    "same the web app's import page reads): UTF-8, fields separated by commas, semicolons or tabs.\n"
    "The first row names the columns (others are ignored, and named):\n"
    "  full_name, gender, birth_year, locality (KATO code or name; or locality_id),\n"
    "  affiliation, consent, and optionally vulnerable (groups separated by ; , or |), phone,\n"
    "  email. Values are codes (female, community_member, ...) or their words in Kazakh,\n"
    "  Russian or English (әйел, женский, иә, да, ...).\n"
    "Every row is checked first and every bad row is reported with its line number. If any row\n"
    "is bad nothing is imported, unless --skip-bad is given. A person who already exists (same\n"
    "name, birth year and locality) is reported and not registered again.\n"
    "\n"
    "  --skip-bad    import the good rows even when some rows are bad\n"
    "  --as LOGIN    the admin or trainer account registering them (default: admin)\n";

constexpr const char* kDemoUsage =
    "Usage: qatysu demo load [--as LOGIN] [--accounts-file FILE] [--key FILE] [--public-url URL]\n"
    "\n"
    "Loads the demo: programme LSG-EKZ with its implementing organisations and localities, three\n"
    "courses, cohorts, sessions, invented people and their attendance, demo trainer and learner\n"
    "accounts with known demo passwords and the programme's targets (people trained per track:\n"
    "inclusive_planning 60, entrepreneurship 50, study_visit 8), then prints the totals of the\n"
    "stored data: who met each course's completion rule. Loads nothing when the programme\n"
    "already exists.\n"
    "Then issues a certificate to every enrolment that met its course's rule and holds none yet\n"
    "(signed with the key the server uses), and counts the stored certificates.\n"
    "\n"
    "  --as LOGIN             the admin account loading it (default: admin)\n"
    "  --accounts-file FILE   also write the demo logins and passwords to FILE (mode 0600)\n"
    "  --key FILE             the certificate signing key, created when missing (mode 0600;\n"
    "                         default: var/certificate-signing.key); give the server the same\n"
    "                         file as certificates.key_file\n"
    "  --public-url URL       the server's public address, which the verification links and QR\n"
    "                         codes point to (default: http://127.0.0.1:8080)\n";

constexpr const char* kAccessCodeUsage =
    "Usage: qatysu access-code --participant ID [--as LOGIN] [--public-url URL]\n"
    "\n"
    "Gives a person a one-time access code to their learner account, creating the account when\n"
    "they have none, and prints a slip to hand over or read out: the login, the code and until\n"
    "when it works (7 days). With the code the learner signs in once (POST /api/v1/auth/code),\n"
    "downloads their certificates and may set a password. An earlier code stops working.\n"
    "\n"
    "  --participant ID   the person\n"
    "  --as LOGIN         the admin or trainer giving the code (default: admin); a trainer may\n"
    "                     give codes to the people they may see\n"
    "  --public-url URL   the server's address printed on the slip (default:\n"
    "                     http://127.0.0.1:8080)\n";

constexpr const char* kCertificatesUsage =
    "Usage: qatysu certificates render --input FILE --out DIR [--jobs N]\n"
    "       qatysu certificates verify-offline PAYLOAD --public-key FILE\n"
    "\n"
    "Work on certificates that needs no database and no server:\n"
    "  render          render one PDF per row of a CSV or JSON list (the fields of the API's\n"
    "                  certificate); bad rows are reported by line number\n"
    "  verify-offline  check the text of a certificate's QR code against the published public\n"
    "                  key (GET /api/v1/certificates/public-key); exit 0 valid, 1 not valid\n"
    "\n"
    "Run 'qatysu certificates render --help' or 'qatysu certificates verify-offline --help' for\n"
    "their options.\n";

constexpr const char* kDefaultKeyFile = "var/certificate-signing.key";
constexpr const char* kDefaultPublicUrl = "http://127.0.0.1:8080";

/// Where a command run finds its storage: the database at a URL, or repositories handed in.
struct Storage {
  std::optional<std::string> url;
  RepositoriesFactory open;
};

/// The storage of one command run, opened on first use.
class Database final : public CommandStorage {
 public:
  explicit Database(const Storage& storage) : storage_(storage) {}

  /// The MariaDB configuration; only a URL gives one.
  const courses::mariadb::Config& config() {
    if (config_) return *config_;
    if (storage_.open) {
      throw courses::Error(courses::ErrorCode::invalid_argument,
                           "this command needs a MariaDB database (QATYSU_DB_URL)");
    }
    const auto& url = storage_.url;
    if (!url || url->empty()) {
      throw courses::Error(courses::ErrorCode::invalid_argument,
                           "QATYSU_DB_URL is not set; set it to "
                           "mariadb://user:password@host:port/database");
    }
    config_ = courses::mariadb::parseUrl(*url);
    config_->pool_size = 2;  // one command, one connection at a time
    return *config_;
  }
  courses::Repositories repositories() override {
    if (storage_.open) return storage_.open();
    return store().repositories();
  }
  courses::mariadb::Store& store() override {
    if (!store_) store_ = std::make_unique<courses::mariadb::Store>(config());
    return *store_;
  }

 private:
  const Storage& storage_;
  std::optional<courses::mariadb::Config> config_;
  std::unique_ptr<courses::mariadb::Store> store_;
};

std::string describeError(const courses::Error& e) {
  std::string message = e.what();
  for (const auto& f : e.fields()) {
    // Single-field errors often say the same thing in their message already.
    if (message.find(f.message) == std::string::npos)
      message += "\n  " + f.field + ": " + f.message;
  }
  return message;
}

void requireNoPositional(const ParsedArgs& parsed) {
  if (!parsed.positional.empty()) throw UsageError("unexpected argument " + parsed.positional[0]);
}

std::string requireValue(const ParsedArgs& parsed, const std::string& name) {
  auto value = parsed.value(name);
  if (!value || value->empty()) throw UsageError(name + " is required");
  return *value;
}

void checkLogin(const std::string& login) {
  // The same rule as POST /api/v1/accounts, worded for the command line.
  try {
    courses::validateLogin(login);
  } catch (const courses::Error&) {
    throw UsageError(
        "--login must be 2-64 characters of a-z, 0-9, '.', '_' and '-', starting "
        "with a letter or digit");
  }
}

/// The account rules as the command line applies them: as the operator (an administrator
/// without an account), with argon2id and libsodium's randomness.
struct Accounts {
  explicit Accounts(courses::Repositories repos) : service(repos, clock, hasher, secrets) {}
  courses::SystemClock clock;
  security::Argon2idHasher hasher;
  security::SodiumAccessCodeSecrets secrets;
  courses::AccountService service;
};

courses::Account findAccount(courses::Repositories repos, const std::string& login) {
  auto found = Accounts(repos).service.findByLogin(courses::AccountService::operatorActor(), login);
  if (!found) {
    throw courses::Error(courses::ErrorCode::not_found, "no account has the login " + login);
  }
  return *found;
}

std::string readPassword(Console& console) {
  std::string password = readNewPassword(console.in, console.err, console.in_is_terminal);
  courses::validatePassword(password);
  return password;
}

// ---------------------------------------------------------------------------------------------
int migrateCommand(std::span<const std::string> args, const Storage& storage, Console& console) {
  const ParsedArgs parsed = parseArgs(args, {});
  if (parsed.help) {
    console.out << kMigrateUsage;
    return kExitOk;
  }
  requireNoPositional(parsed);
  Database db(storage);
  const auto result = courses::mariadb::migrate(db.config());
  for (const auto& name : result.applied) console.out << "applied " << name << '\n';
  console.out << "database " << db.config().database << " is up to date ("
              << result.applied.size() + result.already.size() << " migrations, "
              << result.applied.size() << " applied now)\n";
  return kExitOk;
}

int userAdd(const ParsedArgs& parsed, const Storage& storage, Console& console) {
  const std::string role_name = requireValue(parsed, "--role");
  const auto role = courses::roleFromString(role_name);
  if (!role) throw UsageError("--role must be admin, trainer or learner");
  const std::string login = requireValue(parsed, "--login");
  checkLogin(login);
  std::optional<courses::Id> participant_id;
  if (auto text = parsed.value("--participant")) {
    if (*role != courses::Role::learner) throw UsageError("--participant is for learners only");
    try {
      std::size_t used = 0;
      participant_id = std::stoll(*text, &used);
      if (used != text->size() || *participant_id <= 0) throw std::invalid_argument("id");
    } catch (const std::exception&) {
      throw UsageError("--participant must be a participant id");
    }
  } else if (*role == courses::Role::learner) {
    throw UsageError("a learner account needs --participant ID");
  }
  // The name is checked before anything is stored: it is printed on certificates, so it must be
  // a clean name the certificate fonts can draw.
  std::string display_name;
  const plugin::certify::FontGlyphCoverage coverage(certificates::FontSet::dejavu());
  if (auto raw = parsed.value("--name")) {
    display_name = courses::validateName(*raw, "--name");
    courses::requireDrawable(coverage, display_name, "--name");
  }

  Database db(storage);
  auto repos = db.repositories();
  Accounts accounts(repos);
  const courses::Actor actor = courses::AccountService::operatorActor();
  if (accounts.service.findByLogin(actor, login)) {
    console.err << "qatysu: the login " << login << " is taken\n";
    return kExitLoginTaken;
  }
  if (participant_id && !repos.participants.find(*participant_id)) {
    throw courses::Error(courses::ErrorCode::not_found,
                         "no participant has the id " + std::to_string(*participant_id));
  }
  const std::string password = readPassword(console);
  courses::Account account;
  try {
    account = accounts.service.create(
        actor, courses::NewAccount{login, display_name, *role, participant_id, password}, coverage);
  } catch (const courses::Error& e) {
    if (e.code() != courses::ErrorCode::conflict) throw;
    console.err << "qatysu: the login " << login << " is taken\n";
    return kExitLoginTaken;
  }
  console.out << "created " << courses::toString(account.role) << " account " << account.login
              << " (#" << account.id << ")";
  if (!account.display_name.empty()) console.out << " for " << account.display_name;
  console.out << '\n';
  return kExitOk;
}

int userCommand(std::span<const std::string> args, const Storage& storage, Console& console) {
  static const OptionSpec kSpecs[] = {
      {"--role", true}, {"--login", true}, {"--name", true}, {"--participant", true}};
  const ParsedArgs parsed = parseArgs(args, kSpecs);
  if (parsed.help || parsed.positional.empty()) {
    if (!parsed.help) throw UsageError("missing subcommand: add, passwd or disable");
    console.out << kUserUsage;
    return kExitOk;
  }
  const std::string sub = parsed.positional[0];
  if (parsed.positional.size() > 1) throw UsageError("unexpected argument " + parsed.positional[1]);
  if (sub == "add") return userAdd(parsed, storage, console);
  if (sub != "passwd" && sub != "disable") throw UsageError("unknown subcommand user " + sub);
  for (const char* name : {"--role", "--name", "--participant"}) {
    if (parsed.values.contains(name)) throw UsageError(std::string(name) + " is for user add only");
  }
  const std::string login = requireValue(parsed, "--login");
  Database db(storage);
  auto repos = db.repositories();
  const courses::Account account = findAccount(repos, login);
  // Through the account rules, so the account's sessions end as they do when an administrator
  // does the same in the API.
  courses::AccountEdit edit;
  if (sub == "passwd") {
    edit.password = readPassword(console);
  } else {
    edit.disabled = true;
  }
  const plugin::certify::FontGlyphCoverage coverage(certificates::FontSet::dejavu());
  Accounts(repos).service.update(courses::AccountService::operatorActor(), account.id, edit,
                                 coverage);
  console.out << (sub == "passwd" ? "password of " + login + " changed\n"
                                  : "account " + login + " disabled\n");
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
int importCommand(std::span<const std::string> args, const Storage& storage, Console& console) {
  static const OptionSpec kSpecs[] = {{"--skip-bad", false}, {"--as", true}};
  const ParsedArgs parsed = parseArgs(args, kSpecs);
  if (parsed.help) {
    console.out << kImportUsage;
    return kExitOk;
  }
  if (parsed.positional.empty() || parsed.positional[0] != "participants") {
    throw UsageError("expected: import participants FILE.csv");
  }
  if (parsed.positional.size() != 2) throw UsageError("expected one FILE.csv");
  const std::string& path = parsed.positional[1];
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw courses::Error(courses::ErrorCode::not_found, "cannot open " + path);
  }
  std::ostringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();

  Database db(storage);
  auto repos = db.repositories();
  const courses::Actor actor = actingAccount(repos, parsed.value("--as").value_or("admin"),
                                             {courses::Role::admin, courses::Role::trainer});
  const LocalityLookup localities(repos.localities.listAll());
  const courses::SystemClock clock;

  ImportCheck check;
  try {
    check = checkImportFile(text, localities, clock.currentYear());
  } catch (const CsvError& e) {
    console.err << path << ":" << e.line() << ": " << e.reason() << '\n';
    return kExitFailure;
  }
  if (!check.ignored_columns.empty()) {
    console.err << path << ":1: columns not read (not in the format, docs/CSV_IMPORT.md): ";
    for (std::size_t i = 0; i < check.ignored_columns.size(); ++i) {
      console.err << (i ? ", " : "") << check.ignored_columns[i];
    }
    console.err << '\n';
  }
  for (const auto& row : check.rows) {
    if (row.ok()) continue;
    console.err << path << ":" << row.line << ": ";
    for (std::size_t i = 0; i < row.problems.size(); ++i) {
      console.err << (i ? "; " : "") << row.problems[i];
    }
    console.err << '\n';
  }
  if (check.bad > 0 && !parsed.flag("--skip-bad")) {
    console.err << "qatysu: " << check.bad << " of " << check.rows.size()
                << " rows are bad; nothing was imported (fix them, or use --skip-bad to import "
                   "the good rows)\n";
    return kExitFailure;
  }

  const plugin::certify::FontGlyphCoverage coverage(certificates::FontSet::dejavu());
  courses::ParticipantService service(repos, clock, coverage);
  Progress progress(console.err, console.err_is_terminal, "importing");
  const ImportOutcome outcome = registerImportRows(
      check, service, actor,
      [&](std::size_t done, std::size_t total) { progress.update(done, total); });
  progress.finish();
  for (const auto& note : outcome.notes) {
    console.err << path << ":" << note.line << ": " << note.message << '\n';
  }
  console.out << "registered " << outcome.created << " people; " << outcome.duplicates
              << " already registered, skipped; " << outcome.skipped_bad << " bad rows skipped\n";
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
void writeAccountsFile(const std::string& path, const DemoPlan& plan) {
  namespace fs = std::filesystem;
  {
    std::ofstream touch(path, std::ios::app);
    if (!touch) throw courses::Error(courses::ErrorCode::internal, "cannot write " + path);
  }
  // Restrict before writing: the file holds passwords, even if only demo ones.
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  std::ofstream file(path, std::ios::trunc);
  for (const auto& a : plan.accounts) {
    file << std::left << std::setw(22) << a.login << std::setw(24) << a.password
         << courses::toString(a.role) << '\n';
  }
  if (!file.flush()) throw courses::Error(courses::ErrorCode::internal, "cannot write " + path);
}

/// The public base URL verification links start with: http(s)://host[:port][/path], without a
/// trailing slash.
std::string publicUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  const bool scheme_ok = url.starts_with("http://") || url.starts_with("https://");
  const auto host_start = url.find("://") + 3;
  const bool chars_ok = std::all_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f &&
           c != '?' && c != '#';
  });
  if (!scheme_ok || !chars_ok || url.size() <= host_start) {
    throw UsageError("--public-url must be an http:// or https:// address without query, e.g. " +
                     std::string(kDefaultPublicUrl));
  }
  return url;
}

void printAccounts(std::ostream& out, const DemoPlan& plan) {
  out << "demo accounts (login, password, role):\n";
  for (const auto& a : plan.accounts) {
    out << "  " << std::left << std::setw(22) << a.login << std::setw(24) << a.password
        << courses::toString(a.role) << '\n';
  }
}

/// People trained per track as TotalsService counts them from storage, against the targets.
void printDemoTotals(std::ostream& out, const courses::TotalsReport& report) {
  out << "people who met the completion rule, by track (the totals of the stored data):\n";
  if (!report.margins.empty()) {
    for (const auto& cell : report.margins.front()) {
      const std::string& track = cell.keys.at(0);
      out << "  " << std::left << std::setw(20) << track << cell.values.trained;
      for (const auto& t : report.targets) {
        if (t.target.measure == courses::Measure::trained && t.target.track == track) {
          out << " (target " << t.target.value << ")";
        }
      }
      out << '\n';
    }
  }
  out << "  enrolled, met no rule " << report.total.enrolled - report.total.trained << " (of "
      << report.total.enrolled << " people enrolled)\n";
}

int demoCommand(std::span<const std::string> args, const Storage& storage, Console& console) {
  static const OptionSpec kSpecs[] = {
      {"--as", true}, {"--accounts-file", true}, {"--key", true}, {"--public-url", true}};
  const ParsedArgs parsed = parseArgs(args, kSpecs);
  if (parsed.help) {
    console.out << kDemoUsage;
    return kExitOk;
  }
  if (parsed.positional.size() != 1 || parsed.positional[0] != "load") {
    throw UsageError("expected: demo load");
  }
  const std::string key_file = parsed.value("--key").value_or(kDefaultKeyFile);
  if (key_file.empty()) throw UsageError("--key needs a file name");
  const std::string public_url =
      publicUrl(parsed.value("--public-url").value_or(kDefaultPublicUrl));

  const DemoPlan plan = buildDemoPlan();
  Database db(storage);
  auto repos = db.repositories();
  const courses::Actor admin =
      actingAccount(repos, parsed.value("--as").value_or("admin"), {courses::Role::admin});
  const certificates::FontSet fonts = certificates::FontSet::dejavu();
  const courses::SystemClock clock;
  const bool loaded_before = demoLoaded(repos, plan);
  if (loaded_before) {
    console.out << "demo data already loaded (programme " << plan.programme.code
                << " exists); loading nothing\n";
  } else {
    console.out << "loading the demo programme " << plan.programme.code << ": "
                << plan.participants.size() << " people, " << plan.cohorts.size() << " cohorts, "
                << plan.enrolments.size() << " enrolments\n"
                << std::flush;
    const plugin::certify::FontGlyphCoverage coverage(fonts);
    loadDemoPlan(plan, repos, clock, coverage, admin);
  }
  if (loaded_before && setDemoTargets(repos, admin, plan)) {
    console.out << "set the programme's targets (people trained per track)\n";
  }
  printDemoTotals(console.out, storedTotalsByTrack(repos, admin, plan.programme.code));

  // Issuing is safe to repeat (enrolments holding a valid certificate are skipped), so a demo
  // loaded before certificates existed gets them on the next run.
  console.out << "issuing certificates to every qualified enrolment (signing key " << key_file
              << ")\n"
              << std::flush;
  const auto key = certificates::SigningKey::loadOrCreate(key_file);
  plugin::certify::PdfCertificateMaker maker(fonts, key, public_url);
  const std::size_t issued_now =
      issueDemoCertificates(repos, maker, clock, admin, plan.programme.code);
  const std::size_t stored = countStoredCertificates(repos, admin, plan.programme.code);
  console.out << "certificates issued: " << stored;
  if (issued_now != stored) console.out << " (" << issued_now << " of them now)";
  console.out << '\n';

  if (auto path = parsed.value("--accounts-file")) writeAccountsFile(*path, plan);
  if (!loaded_before) printAccounts(console.out, plan);
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
/// A slip of "label: value" lines in a box, sized by code points so Cyrillic lines up.
void printSlip(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& lines) {
  std::size_t label_width = 0;
  std::size_t width = 0;
  for (const auto& [label, value] : lines) label_width = std::max(label_width, label.size());
  for (const auto& [label, value] : lines) {
    width = std::max(width, label_width + 2 + courses::codePointCount(value));
  }
  const std::string border = "+" + std::string(width + 4, '-') + "+\n";
  out << border;
  for (const auto& [label, value] : lines) {
    const std::size_t used = label_width + 2 + courses::codePointCount(value);
    out << "|  " << label << ':' << std::string(label_width - label.size() + 1, ' ') << value
        << std::string(width - used + 2, ' ') << "|\n";
  }
  out << border;
}

int accessCodeCommand(std::span<const std::string> args, const Storage& storage, Console& console) {
  static const OptionSpec kSpecs[] = {
      {"--participant", true}, {"--as", true}, {"--public-url", true}};
  const ParsedArgs parsed = parseArgs(args, kSpecs);
  if (parsed.help) {
    console.out << kAccessCodeUsage;
    return kExitOk;
  }
  requireNoPositional(parsed);
  const std::string id_text = requireValue(parsed, "--participant");
  courses::Id participant_id = 0;
  try {
    std::size_t used = 0;
    participant_id = std::stoll(id_text, &used);
    if (used != id_text.size() || participant_id <= 0) throw std::invalid_argument("id");
  } catch (const std::exception&) {
    throw UsageError("--participant must be a participant id");
  }
  const std::string public_url =
      publicUrl(parsed.value("--public-url").value_or(kDefaultPublicUrl));

  Database db(storage);
  auto repos = db.repositories();
  const courses::Actor actor = actingAccount(repos, parsed.value("--as").value_or("admin"),
                                             {courses::Role::admin, courses::Role::trainer});
  const courses::SystemClock clock;
  const plugin::certify::FontGlyphCoverage coverage(certificates::FontSet::dejavu());
  courses::ParticipantService people(repos, clock, coverage);
  const auto code = Accounts(repos).service.issueAccessCode(actor, participant_id);
  const courses::Participant person = people.find(actor, participant_id);
  // "2026-12-04T16:30:00Z" reads better on paper as "2026-12-04 16:30 UTC".
  std::string until = code.expires_at;
  if (until.size() >= 16) until = until.substr(0, 10) + " " + until.substr(11, 5) + " UTC";
  printSlip(console.out, {{"Name", person.full_name},
                          {"Login", code.login},
                          {"Access code", code.code},
                          {"Valid until", until + ", once"},
                          {"Sign in at", public_url + "/api/v1/auth/code"}});
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
int certificatesCommand(std::span<const std::string> args, Console& console) {
  if (args.empty()) throw UsageError("missing subcommand: render or verify-offline");
  const std::string& sub = args[0];
  const std::span<const std::string> rest = args.subspan(1);
  if (sub == "-h" || sub == "--help" || sub == "help") {
    console.out << kCertificatesUsage;
    return kExitOk;
  }
  if (sub == "render") return renderCertificatesCommand(rest, console);
  if (sub == "verify-offline") return verifyOfflineCommand(rest, console);
  throw UsageError("unknown subcommand certificates " + sub);
}

int dispatch(const std::vector<std::string>& args, const Storage& storage, Console& console) {
  if (args.empty()) throw UsageError("missing command");
  const std::string& command = args[0];
  const std::span<const std::string> rest(args.data() + 1, args.size() - 1);
  if (command == "-h" || command == "--help" || command == "help") {
    console.out << kMainUsage;
    return kExitOk;
  }
  if (command == "migrate") return migrateCommand(rest, storage, console);
  if (command == "user") return userCommand(rest, storage, console);
  if (command == "import") return importCommand(rest, storage, console);
  if (command == "demo") return demoCommand(rest, storage, console);
  if (command == "access-code") return accessCodeCommand(rest, storage, console);
  if (command == "certificates") return certificatesCommand(rest, console);
  if (command == "retention") {
    Database db(storage);
    return retentionCommand(rest, db, console);
  }
  if (command == "lti") {
    std::optional<Database> db;
    return ltiCommand(
        rest,
        [&]() -> CommandStorage& {
          if (!db) db.emplace(storage);
          return *db;
        },
        console);
  }
  if (command == "totals" || command == "targets") {
    Database db(storage);
    return command == "totals" ? totalsCommand(rest, db, console)
                               : targetsCommand(rest, db, console);
  }
  throw UsageError("unknown command " + command);
}

/// Runs one command; every error becomes a message on standard error and an exit status.
int runGuarded(const std::vector<std::string>& args, const Storage& storage, Console& console) {
  try {
    return dispatch(args, storage, console);
  } catch (const UsageError& e) {
    console.err << "qatysu: " << e.what() << "\nRun 'qatysu --help' for usage.\n";
    return kExitUsage;
  } catch (const courses::Error& e) {
    console.err << "qatysu: " << describeError(e) << '\n';
    return kExitFailure;
  } catch (const std::exception& e) {
    console.err << "qatysu: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace

courses::Actor actingAccount(courses::Repositories repos, const std::string& login,
                             std::initializer_list<courses::Role> allowed) {
  const courses::Account account = findAccount(repos, login);
  if (account.disabled) {
    throw courses::Error(courses::ErrorCode::forbidden, "the account " + login + " is disabled");
  }
  if (std::find(allowed.begin(), allowed.end(), account.role) == allowed.end()) {
    throw courses::Error(courses::ErrorCode::forbidden,
                         "the account " + login + " is a " +
                             std::string(courses::toString(account.role)) + " and may not do this");
  }
  return courses::Actor{account.id, account.role, account.participant_id};
}

int runCli(const std::vector<std::string>& args, const std::optional<std::string>& db_url,
           Console console) {
  return runGuarded(args, Storage{db_url, {}}, console);
}

int runCli(const std::vector<std::string>& args, const RepositoriesFactory& open, Console console) {
  return runGuarded(args, Storage{std::nullopt, open}, console);
}

}  // namespace plugin::cli
