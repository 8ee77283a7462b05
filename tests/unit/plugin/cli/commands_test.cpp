#include "plugin/cli/commands.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "certificates/signing.hpp"
#include "courses/rules.hpp"
#include "support/memory_store.hpp"

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
  result.status = runCli(args, url, Console{in, out, err, false, false, false});
  result.out = out.str();
  result.err = err.str();
  return result;
}

/// Runs a command against in-memory repositories, with `input` on standard input.
CliResult runIn(support::MemoryStore& store, std::vector<std::string> args,
                const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  CliResult result;
  result.status = runCli(
      args, [&store] { return store.repositories(); }, Console{in, out, err, false, false, false});
  result.out = out.str();
  result.err = err.str();
  return result;
}

/// A directory of its own under the system's temporary directory, removed at the end.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("qatysu-cli-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

constexpr const char* kPassword = "a-long-enough-password\n";

TEST(Commands, HelpListsEveryCommand) {
  const CliResult r = run({"--help"});
  EXPECT_EQ(r.status, kExitOk);
  for (const char* command :
       {"migrate", "user add", "user passwd", "user disable", "access-code", "import participants",
        "demo load", "totals", "totals rebuild", "totals check", "targets set", "targets list",
        "certificates render", "certificates verify-offline"}) {
    EXPECT_NE(r.out.find(command), std::string::npos) << command;
  }
}

TEST(Commands, EveryCommandHasHelp) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"migrate", "--help"},
                                                                {"user", "--help"},
                                                                {"user", "add", "--help"},
                                                                {"import", "--help"},
                                                                {"demo", "load", "--help"},
                                                                {"access-code", "--help"},
                                                                {"totals", "--help"},
                                                                {"targets", "--help"},
                                                                {"certificates", "--help"}}) {
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
  EXPECT_EQ(run({"demo", "load", "--public-url", "ftp://example.org"}).status, kExitUsage);
  EXPECT_EQ(run({"user", "passwd", "--login", "x1", "--name", "Белова Ольга"}).status, kExitUsage);
  EXPECT_EQ(run({"certificates"}).status, kExitUsage);
  EXPECT_EQ(run({"certificates", "frobnicate"}).status, kExitUsage);
}

TEST(Commands, CertificateSubcommandsAreDispatchedWithTheirOwnArguments) {
  for (const char* sub : {"render", "verify-offline"}) {
    const CliResult r = run({"certificates", sub, "--help"});
    EXPECT_EQ(r.status, kExitOk) << sub << ": " << r.err;
    EXPECT_NE(r.out.find(std::string("certificates ") + sub), std::string::npos) << r.out;
  }
  EXPECT_EQ(run({"certificates", "render", "--no-such-option"}).status, kExitUsage);
}

/// One CSV row for `certificates render` with every column, numbered as `serial_number`.
std::string renderRow(int serial_number, const std::string& name, const std::string& hours) {
  return "LSG-EKZ-IP-2019-00000" + std::to_string(serial_number) + "," + name +
         ",all,Инклюзивті жоспарлау,Инклюзивное планирование,Inclusive planning," + hours +
         ",2019-03-15,2019-03-22,Мәжіліс залы,Нұра кенті,посёлок Нура,Nura settlement,7,8,"
         "Белова Ольга;Тарасов Андрей,«АРГО»,«АРГО»,ARGO,«АРГО»,«АРГО»,ARGO,2019-03-29,"
         "https://qatysu.example.kz/verify/LSG-EKZ-IP-2019-00000" +
         std::to_string(serial_number) + "?t=AAAAAAAAAAAAAAAAAAAAAA\n";
}

TEST(Commands, CertificatesRenderReportsBadRowsByLineAndRendersNothingUntilAllAreGood) {
  const TempDir dir;
  const std::string header =
      "serial,full_name,language,course_title_kk,course_title_ru,course_title_en,hours,starts_on,"
      "ends_on,place,locality_kk,locality_ru,locality_en,sessions_attended,sessions_total,trainers,"
      "organisation_kk,organisation_ru,organisation_en,issuer_kk,issuer_ru,issuer_en,issued_on,"
      "verify_url\n";
  const auto input = dir.path() / "rows.csv";
  const auto out = dir.path() / "out";
  std::ofstream(input) << header << renderRow(1, "Әлия Қасымова", "24")
                       << renderRow(2, "Сергей Ёлкин", "lots")
                       << renderRow(3, "Іңкәр Һәкімова", "24");
  CliResult bad = run({"certificates", "render", "--input", input.string(), "--out", out.string()});
  EXPECT_EQ(bad.status, kExitFailure) << bad.err;
  EXPECT_NE(bad.err.find("line 3"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("hours"), std::string::npos) << bad.err;
  const auto pdfs = [&] {
    int count = 0;
    if (!std::filesystem::exists(out)) return count;
    for (const auto& entry : std::filesystem::directory_iterator(out)) {
      count += entry.path().extension() == ".pdf" ? 1 : 0;
    }
    return count;
  };
  EXPECT_EQ(pdfs(), 0);

  std::ofstream(input) << header << renderRow(1, "Әлия Қасымова", "24")
                       << renderRow(2, "Сергей Ёлкин", "7.5")
                       << renderRow(3, "Іңкәр Һәкімова", "24");
  CliResult good = run(
      {"certificates", "render", "--input", input.string(), "--out", out.string(), "--jobs", "2"});
  EXPECT_EQ(good.status, kExitOk) << good.err;
  EXPECT_EQ(pdfs(), 3);
}

TEST(Commands, VerifyOfflineChecksAPayloadWithoutADatabase) {
  const TempDir dir;
  const auto key = certificates::SigningKey::fromSeed(std::string(32, '\x07'));
  const auto key_file = dir.path() / "public-key.txt";
  std::ofstream(key_file) << key.publicKey() << '\n';
  certificates::SignedFields fields;
  fields.serial = "LSG-EKZ-IP-2017-000001";
  fields.full_name = "Сәрсенбаева Гауһар";
  fields.course_title = "Инклюзивті жоспарлау";
  fields.hours = "24";
  fields.starts_on = "2017-10-02";
  fields.ends_on = "2017-10-11";
  fields.issuer = "«АРГО» азаматтық қоғам қауымдастығы";
  const std::string payload = certificates::canonicalPayload(fields);
  const std::string url = "https://qatysu.example.org/verify/" + fields.serial + "?t=AAAA";
  const std::string good = certificates::qrPayload(url, payload, key.sign(payload));
  fields.full_name = "Сәрсенбаева Гауһа";
  const std::string forged =
      certificates::qrPayload(url, certificates::canonicalPayload(fields), key.sign(payload));

  const CliResult valid =
      run({"certificates", "verify-offline", good, "--public-key", key_file.string()});
  EXPECT_EQ(valid.status, kExitOk) << valid.err;
  EXPECT_NE(valid.out.find("Сәрсенбаева Гауһар"), std::string::npos) << valid.out;
  EXPECT_EQ(
      run({"certificates", "verify-offline", forged, "--public-key", key_file.string()}).status,
      kExitFailure);
}

TEST(Commands, UserAddStoresTheNameAsPrinted) {
  support::MemoryStore store;
  const CliResult r = runIn(store,
                            {"user", "add", "--role", "trainer", "--login", "trainer.one", "--name",
                             "  Жақыпова   Сәуле "},
                            kPassword);
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_NE(r.out.find("trainer.one"), std::string::npos);
  const auto stored = store.repositories().accounts.findByLogin("trainer.one");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->account.display_name, "Жақыпова Сәуле");
  EXPECT_EQ(stored->account.role, courses::Role::trainer);

  const CliResult plain =
      runIn(store, {"user", "add", "--role", "admin", "--login", "admin.two"}, kPassword);
  ASSERT_EQ(plain.status, kExitOk) << plain.err;
  EXPECT_EQ(store.repositories().accounts.findByLogin("admin.two")->account.display_name, "");
}

TEST(Commands, UserAddRefusesANameTheCertificateFontsCannotDraw) {
  support::MemoryStore store;
  const CliResult r =
      runIn(store, {"user", "add", "--role", "trainer", "--login", "t.two", "--name", "Ли 王"},
            kPassword);
  EXPECT_EQ(r.status, kExitFailure);
  EXPECT_NE(r.err.find("U+738B"), std::string::npos) << r.err;
  const CliResult control =
      runIn(store, {"user", "add", "--role", "trainer", "--login", "t.two", "--name", "Ли\x07"},
            kPassword);
  EXPECT_EQ(control.status, kExitFailure);
  EXPECT_FALSE(store.repositories().accounts.findByLogin("t.two"));
}

TEST(Commands, ALearnerAccountIsNamedAsItsPerson) {
  support::MemoryStore store;
  auto repos = store.repositories();
  courses::Participant person;
  person.full_name = "Өтегенова Ақбота";
  person.demographics.birth_year = 1990;
  person.demographics.locality_id = repos.localities.create(courses::Locality{}).id;
  person.consent = true;
  person = repos.participants.create(person, courses::duplicateKey(person));
  const CliResult r = runIn(store,
                            {"user", "add", "--role", "learner", "--login", "learner.one",
                             "--participant", std::to_string(person.id)},
                            kPassword);
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(repos.accounts.findByLogin("learner.one")->account.display_name, "Өтегенова Ақбота");
}

TEST(Commands, AccessCodePrintsASlipAndCreatesTheLearnerAccount) {
  support::MemoryStore store;
  auto repos = store.repositories();
  courses::Account admin;
  admin.login = "admin";
  admin.role = courses::Role::admin;
  repos.accounts.create(admin, "");
  courses::Participant person;
  person.full_name = "Құдайбергенова Гауһар";
  person.demographics.birth_year = 1985;
  person.demographics.locality_id = repos.localities.create(courses::Locality{}).id;
  person.consent = true;
  person = repos.participants.create(person, courses::duplicateKey(person));
  const std::string id = std::to_string(person.id);

  const CliResult r = runIn(
      store, {"access-code", "--participant", id, "--public-url", "https://qatysu.example.org"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  const std::string login = "learner-" + id;
  EXPECT_NE(r.out.find(login), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Құдайбергенова Гауһар"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("https://qatysu.example.org/api/v1/auth/code"), std::string::npos);
  const auto code_at = r.out.find("Access code: ");
  ASSERT_NE(code_at, std::string::npos) << r.out;
  const std::string code = r.out.substr(code_at + 13, 11);
  EXPECT_EQ(code[5], '-') << code;
  const auto account = repos.accounts.findByLogin(login);
  ASSERT_TRUE(account);
  EXPECT_EQ(account->account.participant_id, person.id);
  EXPECT_EQ(account->account.display_name, "Құдайбергенова Гауһар");

  EXPECT_EQ(runIn(store, {"access-code", "--participant", "999"}).status, kExitFailure);
  EXPECT_EQ(runIn(store, {"access-code"}).status, kExitUsage);
}

TEST(Commands, DemoLoadIssuesTheCertificatesOnceWithTheKeyItIsGiven) {
  support::MemoryStore store;
  courses::Account admin;
  admin.login = "admin";
  admin.role = courses::Role::admin;
  store.repositories().accounts.create(admin, "");
  const TempDir dir;
  const auto key_file = dir.path() / "keys" / "certificate-signing.key";
  const std::vector<std::string> args = {
      "demo", "load", "--key", key_file.string(), "--public-url", "https://qatysu.example.org/"};

  const CliResult first = runIn(store, args);
  ASSERT_EQ(first.status, kExitOk) << first.err;
  EXPECT_NE(first.out.find("certificates issued: 118\n"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("learner.demo"), std::string::npos);
  ASSERT_TRUE(std::filesystem::exists(key_file));
  EXPECT_EQ(std::filesystem::status(key_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  const auto learner = store.repositories().accounts.findByLogin("learner.demo");
  ASSERT_TRUE(learner && learner->account.participant_id);
  const auto own =
      store.repositories().certificates.listForParticipant(*learner->account.participant_id);
  ASSERT_FALSE(own.empty());
  const auto pdf = store.repositories().certificates.pdf(own.front().id);
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);

  const CliResult again = runIn(store, args);
  ASSERT_EQ(again.status, kExitOk) << again.err;
  EXPECT_NE(again.out.find("already loaded"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("certificates issued: 118 (0 of them now)"), std::string::npos)
      << again.out;
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
