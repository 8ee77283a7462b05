// Certificates through the real server: issuing a cohort to exactly those who met the rule, a
// waiver, the PDF as a reader sees it (pdftotext), learners signing in with a one-time code and
// seeing only their own, the ZIP of a cohort, public verification (JSON, HTML page, offline with
// the published key), access by other trainers and learners, bad input, and the rate limits.

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "fixture.hpp"

namespace functional {
namespace {

using support::http::runProcess;
using support::http::TempDir;

/// The address the server builds verification links with (certificates.public_url).
constexpr const char* kPublicUrl = "https://tekseru.example.kz";
constexpr const char* kTrainerName = "Сәуле Мұратқызы Ержанова";
constexpr const char* kCourseKk = "Инклюзивті жоспарлау";
constexpr const char* kCourseRu = "Инклюзивное планирование";
constexpr const char* kCourseEn = "Inclusive planning";
/// The place of every test cohort: a certificate prints it, the public verification must not.
constexpr const char* kPlace = "Нұра кенті, Тайқазан залы";

json::object names(std::string_view kk, std::string_view ru, std::string_view en) {
  return {{"kk", kk}, {"ru", ru}, {"en", en}};
}

json::array organisations() {
  return {
      names("«АРГО» азаматтық қоғам қауымдастығы", "Ассоциация гражданского общества «АРГО»",
            "ARGO Civil Society Association"),
      names("Жергілікті өзін-өзі басқаруды дамыту орталығы",
            "Центр развития местного самоуправления", "Local Self-Government Development Centre")};
}

/// A programme with the two implementing organisations; its id.
long long createProgramme(const Client& admin, std::string_view code) {
  json::object body{{"code", code},
                    {"title", names("Жергілікті мүдделі тараптардың белсенді қатысуы",
                                    "Активное участие местных заинтересованных сторон",
                                    "Active participation of local stakeholders")},
                    {"donor", "European Union"},
                    {"starts_on", "2017-02-01"},
                    {"ends_on", "2027-12-31"},
                    {"organisations", organisations()}};
  return createdId(admin.post("/api/v1/programmes", text(body)));
}

/// An inclusive-planning course of 24 hours whose rule is 75 % of the sessions, certificates in
/// all three languages; its id.
long long createCourse(const Client& admin, long long programme_id) {
  json::object body{
      {"programme_id", programme_id},
      {"track", "inclusive_planning"},
      {"title", names(kCourseKk, kCourseRu, kCourseEn)},
      {"hours", 24},
      {"rule", {{"min_attendance_percent", 75}, {"excused_counts", false}, {"require_all", false}}},
      {"gives_certificate", true},
      {"certificate_language", "all"}};
  return createdId(admin.post("/api/v1/courses", text(body)));
}

/// One person of a test cohort and their mark per session ("" for none).
struct Person {
  std::string name;
  std::vector<std::string> marks;
  long long participant_id = 0;
  long long enrolment_id = 0;
};

/// A cohort of four sessions with its people enrolled and marked.
struct TestCohort {
  long long id = 0;
  std::vector<long long> sessions;
  std::vector<Person> people;

  const Person& person(std::string_view name) const {
    for (const auto& p : people) {
      if (p.name == name) return p;
    }
    throw std::runtime_error("no person named " + std::string(name) + " in the test cohort");
  }
};

const std::vector<std::string> kAll = {"present", "present", "present", "present"};
const std::vector<std::string> kNone = {"", "", "", ""};

TestCohort makeCohort(const Client& trainer, long long course_id, long long locality_id,
                      std::vector<std::pair<std::string, std::vector<std::string>>> people) {
  TestCohort cohort;
  cohort.id = createCohort(trainer, course_id, locality_id, kPlace);
  for (int day = 0; day < 4; ++day) {
    cohort.sessions.push_back(createSession(trainer, cohort.id,
                                            "2026-03-0" + std::to_string(day + 2) + "T05:00:00Z",
                                            "Ауыл жоспары, " + std::to_string(day + 1) + "-күн"));
  }
  int birth_year = 1960;
  for (auto& [name, marks] : people) {
    Person person;
    person.name = name;
    person.marks = marks;
    person.participant_id = registerParticipant(trainer, name, birth_year++, locality_id);
    person.enrolment_id = enrol(trainer, cohort.id, person.participant_id);
    cohort.people.push_back(std::move(person));
  }
  for (std::size_t s = 0; s < cohort.sessions.size(); ++s) {
    json::array marks;
    for (const auto& person : cohort.people) {
      if (s < person.marks.size() && !person.marks[s].empty()) {
        marks.push_back({{"enrolment_id", person.enrolment_id}, {"status", person.marks[s]}});
      }
    }
    if (marks.empty()) continue;
    expectJson(trainer.put("/api/v1/sessions/" + std::to_string(cohort.sessions[s]) + "/attendance",
                           text(json::object{{"marks", marks}})),
               200);
  }
  return cohort;
}

std::string cohortPath(long long cohort_id, std::string_view tail = {}) {
  return "/api/v1/cohorts/" + std::to_string(cohort_id) + std::string(tail);
}
std::string certificatePath(long long certificate_id, std::string_view tail = {}) {
  return "/api/v1/certificates/" + std::to_string(certificate_id) + std::string(tail);
}
std::string enrolmentPath(long long enrolment_id) {
  return "/api/v1/enrolments/" + std::to_string(enrolment_id) + "/certificate";
}

long long idOf(const json::value& object) {
  return object.at("id").to_number<long long>();
}
std::string str(const json::value& value) {
  return std::string(value.as_string());
}

/// POST /cohorts/{id}/certificates with `body`; the 200 reply's JSON.
json::value issueCohort(const Client& client, long long cohort_id, std::string body = "{}") {
  return expectJson(client.post(cohortPath(cohort_id, "/certificates"), std::move(body)), 200);
}

/// The certificate issued to `name` in an issue reply's "issued" (or "already") list.
const json::value& certificateOf(const json::value& reply, std::string_view list,
                                 std::string_view name) {
  for (const auto& cert : reply.at(list).as_array()) {
    if (cert.at("full_name").as_string() == name) return cert;
  }
  throw std::runtime_error("no certificate for " + std::string(name) + " in \"" +
                           std::string(list) + "\": " + text(reply));
}

/// The verification token of a certificate: the t parameter of its verify_url.
std::string tokenOf(const json::value& cert) {
  std::string url = str(cert.at("verify_url"));
  auto at = url.find("?t=");
  if (at == std::string::npos) throw std::runtime_error("verify_url without ?t=: " + url);
  return url.substr(at + 3);
}

/// The file name a Content-Disposition header gives ("" when none).
std::string dispositionFileName(const std::string& header) {
  static const std::regex kFileName(R"re(filename="([^"]*)")re");
  std::smatch match;
  return std::regex_search(header, match, kFileName) ? match[1].str() : std::string();
}

/// One entry of a ZIP archive.
struct ZipEntry {
  std::string name;
  std::string bytes;
};

/// The entries of a ZIP archive, read with unzip (CRCs checked), or with Python's zipfile when
/// there is no unzip.
std::vector<ZipEntry> readZip(std::string_view archive) {
  TempDir dir("qft-zip");
  auto zip_path = dir.path() / "archive.zip";
  writeFile(zip_path, archive);
  std::vector<ZipEntry> entries;
  auto names = runProcess({"unzip", "-Z1", zip_path.string()}, {}, {});
  if (names.exit_code == 127) {
    auto out_dir = dir.path() / "entries";
    std::filesystem::create_directory(out_dir);
    static constexpr const char* kScript =
        "import os, sys, zipfile\n"
        "z = zipfile.ZipFile(sys.argv[1])\n"
        "bad = z.testzip()\n"
        "if bad is not None:\n"
        "    sys.exit('bad CRC: ' + bad)\n"
        "for i, info in enumerate(z.infolist()):\n"
        "    open(os.path.join(sys.argv[2], str(i)), 'wb').write(z.read(info))\n"
        "    print(info.filename)\n";
    auto listed = runProcess({"python3", "-c", kScript, zip_path.string(), out_dir.string()}, {},
                             {}, std::chrono::seconds(30));
    if (listed.exit_code != 0) throw std::runtime_error("python3 zipfile: " + listed.describe());
    std::istringstream lines(listed.out);
    std::string line;
    for (std::size_t i = 0; std::getline(lines, line); ++i) {
      entries.push_back({line, support::http::readFile(out_dir / std::to_string(i))});
    }
    return entries;
  }
  if (names.exit_code != 0) {
    // An empty archive is a valid one, but zipinfo answers it with a non-zero exit.
    if (names.out.find("Empty zipfile") != std::string::npos) return entries;
    throw std::runtime_error("unzip -Z1: " + names.describe());
  }
  // Checks every entry's CRC.
  auto tested = runProcess({"unzip", "-tq", zip_path.string()}, {}, {});
  if (tested.exit_code != 0) throw std::runtime_error("unzip -t: " + tested.describe());
  std::istringstream lines(names.out);
  std::string line;
  while (std::getline(lines, line)) {
    auto bytes = runProcess({"unzip", "-p", zip_path.string(), line}, {}, {});
    if (bytes.exit_code != 0) throw std::runtime_error("unzip -p: " + bytes.describe());
    entries.push_back({line, bytes.out});
  }
  return entries;
}

/// Base64url without padding (RFC 4648 §5), both ways; decoding throws on bad input.
std::string base64UrlEncode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                 (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                 static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63u];
  }
  if (bytes.size() - i == 1) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
    out += kAlphabet[(n >> 18) & 63u];
    out += kAlphabet[(n >> 12) & 63u];
  } else if (bytes.size() - i == 2) {
    unsigned n = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                 (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8);
    out += kAlphabet[(n >> 18) & 63u];
    out += kAlphabet[(n >> 12) & 63u];
    out += kAlphabet[(n >> 6) & 63u];
  }
  return out;
}

std::string base64UrlDecode(std::string_view input) {
  auto value = [](char c) -> unsigned {
    if (c >= 'A' && c <= 'Z') return static_cast<unsigned>(c - 'A');
    if (c >= 'a' && c <= 'z') return static_cast<unsigned>(c - 'a' + 26);
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0' + 52);
    if (c == '-') return 62;
    if (c == '_') return 63;
    throw std::runtime_error(std::string("not base64url: '") + c + "'");
  };
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : input) {
    buffer = (buffer << 6) | value(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }
  return out;
}

/// Replaces the first `from` in `where` by `to`; throws when there is none.
std::string replaceFirst(std::string where, std::string_view from, std::string_view to) {
  auto at = where.find(from);
  if (at == std::string::npos) {
    throw std::runtime_error("'" + std::string(from) + "' not in '" + where + "'");
  }
  where.replace(at, from.size(), to);
  return where;
}

/// Days from now until an RFC 3339 UTC time ("YYYY-MM-DDTHH:MM:SSZ"); throws on another shape.
double daysFromNow(const std::string& timestamp) {
  std::tm parts{};
  char zone = 0;
  if (std::sscanf(timestamp.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &parts.tm_year, &parts.tm_mon,
                  &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &zone) != 7 ||
      zone != 'Z') {
    throw std::runtime_error("not an RFC 3339 UTC time: " + timestamp);
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  const std::time_t then = ::timegm(&parts);
  return std::difftime(then, std::time(nullptr)) / 86400.0;
}

::testing::AssertionResult statusIn(const Reply& reply, const std::vector<unsigned>& statuses) {
  for (unsigned s : statuses) {
    if (reply.status == s) return ::testing::AssertionSuccess();
  }
  std::string wanted;
  for (unsigned s : statuses) wanted += " " + std::to_string(s);
  return ::testing::AssertionFailure()
         << "expected one of" << wanted << ", got " << reply.describe();
}

/// Success when `reply` is a 422 problem whose "errors" (or, failing that, "detail") names `field`.
::testing::AssertionResult namesField(const Reply& reply, std::string_view field) {
  auto result = isProblem(reply, {422});
  if (!result) return result;
  auto body = reply.json();
  if (body.as_object().contains("errors")) {
    for (const auto& error : body.at("errors").as_array()) {
      if (error.at("field").as_string() == field) return ::testing::AssertionSuccess();
    }
  }
  if (body.as_object().contains("detail") &&
      std::string_view(body.at("detail").as_string()).find(field) != std::string_view::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "the problem does not name " << field << ": " << reply.describe();
}

class Certificates : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    key_dir_ = std::make_unique<TempDir>("qft-cert-key");
    startService(
        "qft_cert",
        [] {
          trainer_ = service().createAccount("trainer", "trainer.saule", {"--name", kTrainerName});
          intruder_ = newAccount("trainer", "trainer.stranger");
          auto admin = as(admin_);
          catalogue_ = createCatalogue(admin, "FT-LOC");
          programme_ = createProgramme(admin, "FT-CRT");
          course_ = createCourse(admin, programme_);
        },
        settings());
  }
  static void TearDownTestSuite() {
    stopService();
    key_dir_.reset();
  }

  static std::filesystem::path keyFile() { return key_dir_->path() / "signing" / "ed25519.key"; }
  static std::vector<std::pair<std::string, std::string>> settings() {
    return {{"certificates.key_file", keyFile().string()}, {"certificates.public_url", kPublicUrl}};
  }

  /// A cohort of the suite's course, run by the suite's trainer.
  static TestCohort cohortOf(std::vector<std::pair<std::string, std::vector<std::string>>> people,
                             long long course_id = 0) {
    return makeCohort(as(trainer_), course_id == 0 ? course_ : course_id, catalogue_.village_id,
                      std::move(people));
  }

  /// The PDF download of a certificate (200 checked).
  static Reply pdfOf(const Client& client, long long certificate_id) {
    auto reply = client.get(certificatePath(certificate_id, "/pdf"));
    if (reply.status != 200) {
      throw std::runtime_error("PDF download failed: " + reply.describe().substr(0, 500));
    }
    return reply;
  }

  static inline std::unique_ptr<TempDir> key_dir_;
  static inline Account trainer_, intruder_;
  static inline Catalogue catalogue_;
  static inline long long programme_ = 0, course_ = 0;
};

/// Checks what every certificate JSON of the suite's course must say.
void expectCertificateShape(const json::value& cert, const Person& person, const TestCohort& cohort,
                            long long course_id, long long programme_id) {
  SCOPED_TRACE(text(cert));
  static const std::regex kSerial(R"(^FT-[A-Z]{3}-IP-2026-\d{6}$)");
  static const std::regex kToken(R"(^[A-Za-z0-9_-]{22}$)");
  const std::string serial = str(cert.at("serial"));
  EXPECT_TRUE(std::regex_match(serial, kSerial)) << serial;
  EXPECT_EQ(cert.at("status").as_string(), "valid");
  EXPECT_EQ(cert.at("full_name").as_string(), person.name);
  EXPECT_EQ(cert.at("enrolment_id").to_number<long long>(), person.enrolment_id);
  EXPECT_EQ(cert.at("participant_id").to_number<long long>(), person.participant_id);
  EXPECT_EQ(cert.at("cohort_id").to_number<long long>(), cohort.id);
  EXPECT_EQ(cert.at("course_id").to_number<long long>(), course_id);
  EXPECT_EQ(cert.at("programme_id").to_number<long long>(), programme_id);
  EXPECT_EQ(cert.at("track").as_string(), "inclusive_planning");
  EXPECT_EQ(cert.at("course_title"), json::value(names(kCourseKk, kCourseRu, kCourseEn)));
  EXPECT_EQ(cert.at("hours").to_number<double>(), 24.0);
  EXPECT_EQ(cert.at("starts_on").as_string(), "2026-03-02");
  EXPECT_EQ(cert.at("ends_on").as_string(), "2026-03-06");
  EXPECT_EQ(cert.at("place").as_string(), kPlace);
  EXPECT_EQ(cert.at("locality").at("kk").as_string(), "Белоусовка кенті");
  EXPECT_EQ(cert.at("sessions_total").to_number<int>(), 4);
  int attended = 0;
  for (const auto& mark : person.marks) attended += mark == "present" || mark == "late";
  EXPECT_EQ(cert.at("sessions_attended").to_number<int>(), attended);
  EXPECT_EQ(cert.at("trainers"), json::value(json::array{kTrainerName}));
  EXPECT_EQ(cert.at("organisations"), json::value(organisations()));
  EXPECT_EQ(cert.at("issuer"), organisations()[0]);
  EXPECT_TRUE(cert.at("revoked_reason").is_null());
  EXPECT_TRUE(cert.at("revoked_at").is_null());
  EXPECT_TRUE(cert.at("issued_at").is_string());
  EXPECT_TRUE(cert.at("issued_by").is_number());
  EXPECT_EQ(cert.at("pdf_url").as_string(), certificatePath(idOf(cert), "/pdf"));
  EXPECT_GT(cert.at("pdf_size").to_number<long long>(), 1000);
  const std::string verify_url = str(cert.at("verify_url"));
  EXPECT_TRUE(verify_url.starts_with(std::string(kPublicUrl) + "/verify/" + serial + "?t="))
      << verify_url;
  EXPECT_TRUE(std::regex_match(tokenOf(cert), kToken)) << verify_url;
  const std::string qr = str(cert.at("qr_payload"));
  EXPECT_TRUE(qr.starts_with(verify_url + "#p=")) << qr;
  EXPECT_NE(qr.find("&s="), std::string::npos) << qr;
}

// ---------------------------------------------------------------------------------------------
// Issuing

TEST_F(Certificates, IssuesTheCohortToExactlyThoseWhoQualified) {
  auto admin = as(admin_);
  // A programme of its own, so the series starts at 1 and every number can be accounted for.
  const long long programme = createProgramme(admin, "FT-SER");
  const long long course = createCourse(admin, programme);
  const std::string p1 = "Әлия Ғалымқызы Қоңырбаева";
  const std::string p2 = "Өмірзақ Ұланұлы Үсенов";
  const std::string p3 = "Һәкімжан Іңкәрұлы Нұрғалиев";
  const std::string p4 = "Гүлнұр Сәбитқызы Жақыпова";
  const std::string p5 = "Дәурен Серікұлы Бекболатов";
  auto cohort = cohortOf({{p1, kAll},
                          {p2, {"late", "present", "present", "present"}},    // late counts
                          {p3, {"present", "absent", "present", "present"}},  // exactly 75 %
                          {p4, {"present", "absent", "absent", ""}},
                          {p5, {"present", "excused", "excused", "present"}}},  // excused does not
                         course);
  auto trainer = as(trainer_);

  auto first = issueCohort(trainer, cohort.id);
  ASSERT_EQ(first.at("issued").as_array().size(), 3u) << text(first);
  EXPECT_TRUE(first.at("already").as_array().empty()) << text(first);
  std::set<std::string> serials;
  for (const auto& name : {p1, p2, p3}) {
    const auto& cert = certificateOf(first, "issued", name);
    expectCertificateShape(cert, cohort.person(name), cohort, course, programme);
    EXPECT_TRUE(cert.at("waiver_reason").is_null());
    EXPECT_EQ(cert.at("language").as_string(), "all");
    serials.insert(str(cert.at("serial")));
  }
  // Consecutive and gap-free from the start of the series.
  EXPECT_EQ(serials, (std::set<std::string>{"FT-SER-IP-2026-000001", "FT-SER-IP-2026-000002",
                                            "FT-SER-IP-2026-000003"}));

  const auto& not_eligible = first.at("not_eligible").as_array();
  ASSERT_EQ(not_eligible.size(), 2u) << text(first);
  std::map<std::string, json::value> refused;
  for (const auto& row : not_eligible) refused[str(row.at("participant_name"))] = row;
  ASSERT_TRUE(refused.contains(p4) && refused.contains(p5)) << text(first);
  EXPECT_EQ(refused[p4].at("reason").as_string(), "attended 1 of 4 sessions, needs 3");
  EXPECT_EQ(refused[p4].at("attended").to_number<int>(), 1);
  EXPECT_EQ(refused[p4].at("sessions_total").to_number<int>(), 4);
  EXPECT_EQ(refused[p4].at("required").to_number<int>(), 3);
  EXPECT_EQ(refused[p4].at("enrolment_id").to_number<long long>(), cohort.person(p4).enrolment_id);
  EXPECT_EQ(refused[p4].at("participant_id").to_number<long long>(),
            cohort.person(p4).participant_id);
  EXPECT_EQ(refused[p5].at("reason").as_string(), "attended 2 of 4 sessions, needs 3");

  // Issuing again issues nothing new.
  auto second = issueCohort(trainer, cohort.id);
  EXPECT_TRUE(second.at("issued").as_array().empty()) << text(second);
  ASSERT_EQ(second.at("already").as_array().size(), 3u) << text(second);
  for (const auto& name : {p1, p2, p3}) {
    EXPECT_EQ(idOf(certificateOf(second, "already", name)),
              idOf(certificateOf(first, "issued", name)));
  }
  EXPECT_EQ(second.at("not_eligible").as_array().size(), 2u);

  auto list = expectJson(trainer.get(cohortPath(cohort.id, "/certificates")), 200);
  EXPECT_EQ(items(list).size(), 3u) << text(list);

  auto eligibility = expectJson(trainer.get(cohortPath(cohort.id, "/eligibility")), 200);
  ASSERT_EQ(items(eligibility).size(), 5u) << text(eligibility);
  for (const auto& row : items(eligibility)) {
    const std::string name = str(row.at("participant_name"));
    SCOPED_TRACE(name);
    const bool qualified = name == p1 || name == p2 || name == p3;
    EXPECT_EQ(row.at("completed").as_bool(), qualified);
    if (qualified) {
      EXPECT_EQ(row.at("certificate_id").to_number<long long>(),
                idOf(certificateOf(first, "issued", name)));
    } else {
      EXPECT_TRUE(row.at("certificate_id").is_null());
      EXPECT_EQ(row.at("reason"), refused[name].at("reason"));
    }
  }

  // Revoked, then issued again: a new certificate with the next number.
  const long long revoked_id = idOf(certificateOf(first, "issued", p1));
  auto revoked = expectJson(
      trainer.post(certificatePath(revoked_id, "/revoke"),
                   text(json::object{{"reason", "Аты-жөні қате жазылған, қайта беріледі"}})),
      200);
  EXPECT_EQ(revoked.at("status").as_string(), "revoked");
  EXPECT_EQ(revoked.at("revoked_reason").as_string(), "Аты-жөні қате жазылған, қайта беріледі");
  EXPECT_TRUE(revoked.at("revoked_at").is_string());
  EXPECT_TRUE(isProblem(trainer.post(certificatePath(revoked_id, "/revoke"),
                                     text(json::object{{"reason", "Екінші рет кері қайтару"}})),
                        {409}));

  auto third = issueCohort(trainer, cohort.id);
  ASSERT_EQ(third.at("issued").as_array().size(), 1u) << text(third);
  const auto& again = certificateOf(third, "issued", p1);
  EXPECT_NE(idOf(again), revoked_id);
  EXPECT_EQ(again.at("serial").as_string(), "FT-SER-IP-2026-000004");
  EXPECT_EQ(third.at("already").as_array().size(), 2u);

  auto all = expectJson(trainer.get(cohortPath(cohort.id, "/certificates")), 200);
  std::map<std::string, std::string> status_by_serial;
  for (const auto& cert : items(all))
    status_by_serial[str(cert.at("serial"))] = str(cert.at("status"));
  std::map<std::string, std::string> expected_statuses = {{"FT-SER-IP-2026-000001", "valid"},
                                                          {"FT-SER-IP-2026-000002", "valid"},
                                                          {"FT-SER-IP-2026-000003", "valid"},
                                                          {"FT-SER-IP-2026-000004", "valid"}};
  expected_statuses[str(revoked.at("serial"))] = "revoked";
  EXPECT_EQ(status_by_serial, expected_statuses) << text(all);
}

TEST_F(Certificates, CatalogueCarriesWhatCertificatesPrint) {
  auto admin = as(admin_);
  auto programme = expectJson(admin.get("/api/v1/programmes/" + std::to_string(programme_)), 200);
  EXPECT_EQ(programme.at("organisations"), json::value(organisations()));
  auto course = expectJson(admin.get("/api/v1/courses/" + std::to_string(course_)), 200);
  EXPECT_EQ(course.at("certificate_language").as_string(), "all");
  // Both are optional: no organisations, and trilingual certificates.
  json::object bare{{"code", "FT-BARE"},
                    {"title", names("Бағдарлама", "Программа", "Programme")},
                    {"donor", "European Union"},
                    {"starts_on", "2017-02-01"},
                    {"ends_on", "2020-01-31"}};
  auto bare_programme = expectJson(admin.post("/api/v1/programmes", text(bare)), 201);
  EXPECT_EQ(bare_programme.at("organisations"), json::value(json::array{}));
  json::object plain{
      {"programme_id", idOf(bare_programme)},
      {"track", "study_visit"},
      {"title", names("Оқу сапары", "Учебная поездка", "Study visit")},
      {"hours", 40},
      {"rule", {{"min_attendance_percent", 100}, {"excused_counts", false}, {"require_all", true}}},
      {"gives_certificate", true}};
  auto plain_course = expectJson(admin.post("/api/v1/courses", text(plain)), 201);
  EXPECT_EQ(plain_course.at("certificate_language").as_string(), "all");
  // The trainer's name as printed on certificates.
  auto me = expectJson(as(trainer_).get("/api/v1/me"), 200);
  EXPECT_EQ(me.at("account").at("display_name").as_string(), kTrainerName);
}

TEST_F(Certificates, ConcurrentIssuingKeepsSerialsGapFree) {
  auto admin = as(admin_);
  const long long course = createCourse(admin, createProgramme(admin, "FT-CON"));
  std::vector<TestCohort> cohorts;
  for (int c = 0; c < 2; ++c) {
    std::vector<std::pair<std::string, std::vector<std::string>>> people;
    for (int i = 0; i < 4; ++i) {
      static const std::array<const char*, 4> kFirst = {"Әйгерім", "Ғалия", "Қуаныш", "Өркен"};
      people.push_back({std::string(kFirst[static_cast<std::size_t>(i)]) + " Тобы" +
                            std::to_string(c + 1) + " Қатысушы",
                        kAll});
    }
    cohorts.push_back(cohortOf(std::move(people), course));
  }
  // Two trainers' clicks on each cohort at the same moment.
  std::vector<Reply> replies(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    threads.emplace_back([&, i] {
      replies[i] = as(i % 2 == 0 ? trainer_ : admin_)
                       .post(cohortPath(cohorts[i / 2].id, "/certificates"), "{}");
    });
  }
  for (auto& thread : threads) thread.join();
  std::size_t issued = 0;
  for (const auto& reply : replies) {
    auto body = expectJson(reply, 200);
    issued += body.at("issued").as_array().size();
  }
  EXPECT_EQ(issued, 8u) << "each enrolment gets exactly one certificate";
  std::set<std::string> serials;
  for (const auto& cohort : cohorts) {
    auto list = expectJson(admin.get(cohortPath(cohort.id, "/certificates")), 200);
    EXPECT_EQ(items(list).size(), 4u) << text(list);
    std::set<long long> enrolments;
    for (const auto& cert : items(list)) {
      serials.insert(str(cert.at("serial")));
      enrolments.insert(cert.at("enrolment_id").to_number<long long>());
    }
    EXPECT_EQ(enrolments.size(), 4u) << text(list);
  }
  std::set<std::string> expected;
  for (int n = 1; n <= 8; ++n) expected.insert("FT-CON-IP-2026-00000" + std::to_string(n));
  EXPECT_EQ(serials, expected);
}

TEST_F(Certificates, OneEnrolmentNeedsTheRuleOrAnAdminsWaiver) {
  const std::string absent = "Айгерім Төлеуқызы Ермекова";
  const std::string present = "Бауыржан Қайратұлы Сейітов";
  auto cohort = cohortOf({{absent, {"present", "", "", ""}}, {present, kAll}});
  auto trainer = as(trainer_);
  auto admin = as(admin_);
  const auto& refused = cohort.person(absent);

  auto no_waiver = trainer.post(enrolmentPath(refused.enrolment_id), "{}");
  ASSERT_TRUE(isProblem(no_waiver, {422}));
  EXPECT_NE(std::string_view(no_waiver.json().at("detail").as_string())
                .find("attended 1 of 4 sessions, needs 3"),
            std::string_view::npos)
      << no_waiver.body;

  const std::string reason = "Ауырып қалды, дәрігердің анықтамасы бар; қалған сабақтарды өзі оқыды";
  auto trainer_waiver = trainer.post(enrolmentPath(refused.enrolment_id),
                                     text(json::object{{"waiver_reason", reason}}));
  EXPECT_TRUE(isProblem(trainer_waiver, {403}));
  EXPECT_TRUE(items(expectJson(trainer.get(cohortPath(cohort.id, "/certificates")), 200)).empty())
      << "a refused issue stored a certificate";

  auto waived = admin.post(enrolmentPath(refused.enrolment_id),
                           text(json::object{{"waiver_reason", reason}}));
  auto cert = expectJson(waived, 201);
  EXPECT_EQ(waived.header("Location"), certificatePath(idOf(cert)));
  EXPECT_EQ(cert.at("waiver_reason").as_string(), reason);
  EXPECT_EQ(cert.at("status").as_string(), "valid");
  EXPECT_EQ(cert.at("sessions_attended").to_number<int>(), 1);
  EXPECT_EQ(cert.at("issued_by").to_number<long long>(), admin_.id);

  auto audit = expectJson(trainer.get(certificatePath(idOf(cert), "/audit")), 200);
  ASSERT_EQ(items(audit).size(), 1u) << text(audit);
  EXPECT_EQ(items(audit)[0].at("action").as_string(), "issued_with_waiver");
  EXPECT_EQ(items(audit)[0].at("account_id").to_number<long long>(), admin_.id);
  EXPECT_EQ(items(audit)[0].at("reason").as_string(), reason);
  EXPECT_TRUE(items(audit)[0].at("at").is_string());

  // Already holding a valid certificate.
  EXPECT_TRUE(isProblem(admin.post(enrolmentPath(refused.enrolment_id),
                                   text(json::object{{"waiver_reason", reason}})),
                        {409}));

  // The qualified one, alone, in Russian only.
  auto single =
      trainer.post(enrolmentPath(cohort.person(present).enrolment_id), R"({"language":"ru"})");
  auto russian = expectJson(single, 201);
  EXPECT_EQ(russian.at("language").as_string(), "ru");
  EXPECT_TRUE(russian.at("waiver_reason").is_null());
  auto plain_audit = expectJson(trainer.get(certificatePath(idOf(russian), "/audit")), 200);
  ASSERT_EQ(items(plain_audit).size(), 1u) << text(plain_audit);
  EXPECT_EQ(items(plain_audit)[0].at("action").as_string(), "issued");
  EXPECT_TRUE(items(plain_audit)[0].at("reason").is_null());
  EXPECT_EQ(items(plain_audit)[0].at("account_id").to_number<long long>(), trainer_.id);
  auto words = pdfText(pdfOf(trainer, idOf(russian)).body);
  EXPECT_NE(words.find(kCourseRu), std::string::npos) << words;
  EXPECT_NE(words.find(present), std::string::npos) << words;
  // One language on the page, not three.
  EXPECT_EQ(words.find(kCourseKk), std::string::npos) << words;
  EXPECT_EQ(words.find(kCourseEn), std::string::npos) << words;

  // Revocation joins the audit trail.
  const std::string why = "Құжаттар қайта тексерілді";
  expectJson(
      trainer.post(certificatePath(idOf(cert), "/revoke"), text(json::object{{"reason", why}})),
      200);
  auto after = expectJson(admin.get(certificatePath(idOf(cert), "/audit")), 200);
  ASSERT_EQ(items(after).size(), 2u) << text(after);
  EXPECT_EQ(items(after)[1].at("action").as_string(), "revoked");
  EXPECT_EQ(items(after)[1].at("reason").as_string(), why);
  EXPECT_EQ(items(after)[1].at("account_id").to_number<long long>(), trainer_.id);
}

// ---------------------------------------------------------------------------------------------
// The PDF

TEST_F(Certificates, PdfDownloadCarriesTheExactName) {
  // Every one of ә ғ қ ң ө ұ ү һ і in one name.
  const std::string name = "Гүлшаһар Әбілғазықызы Өңірбекова-Ұлықбаева";
  auto cohort = cohortOf({{name, kAll}});
  auto trainer = as(trainer_);
  auto issued = issueCohort(trainer, cohort.id);
  const auto& cert = certificateOf(issued, "issued", name);
  const std::string serial = str(cert.at("serial"));

  auto pdf = pdfOf(trainer, idOf(cert));
  EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
  const std::string disposition = pdf.header("Content-Disposition");
  EXPECT_TRUE(disposition.starts_with("attachment")) << disposition;
  const std::string file_name = dispositionFileName(disposition);
  static const std::regex kSafeName(R"(^[A-Za-z0-9][A-Za-z0-9_.-]*\.pdf$)");
  EXPECT_TRUE(std::regex_match(file_name, kSafeName)) << disposition;
  EXPECT_TRUE(file_name.starts_with(serial + "_")) << disposition;
  EXPECT_NE(file_name.find("Gulshahar"), std::string::npos) << disposition;
  EXPECT_LE(file_name.size(), 120u);
  EXPECT_NE(pdf.header("Cache-Control").find("private"), std::string::npos) << pdf.describe();
  const std::string etag = pdf.header("ETag");
  static const std::regex kETag(R"(^"[0-9a-f]{32}"$)");
  EXPECT_TRUE(std::regex_match(etag, kETag)) << etag;
  ASSERT_TRUE(pdf.body.starts_with("%PDF-")) << pdf.body.substr(0, 20);
  EXPECT_EQ(static_cast<long long>(pdf.body.size()), cert.at("pdf_size").to_number<long long>());

  // Stored once: the same bytes every time.
  EXPECT_EQ(pdfOf(as(admin_), idOf(cert)).body, pdf.body);

  support::http::Request conditional;
  conditional.target = certificatePath(idOf(cert), "/pdf");
  conditional.headers = {{"If-None-Match", etag}};
  auto not_modified = trainer.send(conditional);
  EXPECT_EQ(not_modified.status, 304u) << not_modified.describe();
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(not_modified.header("ETag"), etag);
  conditional.headers = {{"If-None-Match", "\"00000000000000000000000000000000\""}};
  auto changed = trainer.send(conditional);
  EXPECT_EQ(changed.status, 200u);
  EXPECT_EQ(changed.body, pdf.body);

  // An issued certificate is a snapshot: editing the person later changes neither record nor PDF.
  const std::string cert_json = trainer.get(certificatePath(idOf(cert))).body;
  expectJson(
      trainer.edit("/api/v1/participants/" + std::to_string(cohort.person(name).participant_id),
                   text(json::object{{"full_name", "Гүлшаһар Әбілғазықызы Өңірбекова"}})),
      200);
  EXPECT_EQ(trainer.get(certificatePath(idOf(cert))).body, cert_json);
  EXPECT_EQ(pdfOf(trainer, idOf(cert)).body, pdf.body);

  // As a reader sees it.
  auto words = pdfText(pdf.body);
  EXPECT_NE(words.find(name), std::string::npos) << words;
  EXPECT_NE(words.find(serial), std::string::npos) << words;
  // The course's language is "all": three languages on one page.
  EXPECT_NE(words.find(kCourseKk), std::string::npos) << words;
  EXPECT_NE(words.find(kCourseRu), std::string::npos) << words;
  EXPECT_NE(words.find(kCourseEn), std::string::npos) << words;
  TempDir dir("qft-qpdf");
  writeFile(dir.path() / "c.pdf", pdf.body);
  auto check = runProcess({"qpdf", "--check", (dir.path() / "c.pdf").string()}, {}, {});
  EXPECT_EQ(check.exit_code, 0) << check.describe();
}

// ---------------------------------------------------------------------------------------------
// Learners

TEST_F(Certificates, LearnerSignsInWithACodeAndSeesOnlyTheirOwn) {
  const std::string mine = "Жансая Нұрланқызы Әбдірахманова";
  const std::string theirs = "Ерасыл Бекұлы Үмбетәлиев";
  auto cohort = cohortOf({{mine, kAll}, {theirs, kAll}});
  auto trainer = as(trainer_);
  auto issued = issueCohort(trainer, cohort.id);
  const long long my_cert = idOf(certificateOf(issued, "issued", mine));
  const long long their_cert = idOf(certificateOf(issued, "issued", theirs));
  const auto& me = cohort.person(mine);

  auto granted = expectJson(
      trainer.post("/api/v1/participants/" + std::to_string(me.participant_id) + "/access-code",
                   "{}"),
      201);
  const std::string login = str(granted.at("login"));
  const std::string code = str(granted.at("code"));
  EXPECT_EQ(login, "learner-" + std::to_string(me.participant_id));
  static const std::regex kCode(R"(^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$)");
  EXPECT_TRUE(std::regex_match(code, kCode)) << code;
  // Valid for 7 days.
  const double days = daysFromNow(str(granted.at("expires_at")));
  EXPECT_GT(days, 6.9) << granted.at("expires_at");
  EXPECT_LT(days, 7.1) << granted.at("expires_at");

  // Typed in lower case, without the hyphen.
  std::string typed;
  for (char c : code) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto signed_in = anonymous().post("/api/v1/auth/code", text(json::object{{"code", typed}}));
  auto session = expectJson(signed_in, 200);
  EXPECT_EQ(session.at("account").at("role").as_string(), "learner");
  EXPECT_EQ(session.at("account").at("login").as_string(), login);
  auto learner = anonymous().withToken(str(session.at("token")));
  // Once only.
  EXPECT_TRUE(
      isProblem(anonymous().post("/api/v1/auth/code", text(json::object{{"code", code}})), {401}));

  // A password of their own: no current one is needed after a code.
  EXPECT_TRUE(isProblem(learner.put("/api/v1/me/password", R"({"password":"short"})"), {400, 422}));
  const std::string password = "Менің-құпия-сөзім-2026";
  auto set = learner.put("/api/v1/me/password", text(json::object{{"password", password}}));
  EXPECT_EQ(set.status, 204u) << set.describe();
  auto by_password = service().login(login, password);
  EXPECT_EQ(by_password.role, "learner");
  // Now the current one is needed.
  const std::string next = "Келесі-құпия-сөз-2027";
  EXPECT_TRUE(isProblem(learner.put("/api/v1/me/password", text(json::object{{"password", next}})),
                        {400, 401, 403, 422}));
  EXPECT_TRUE(isProblem(
      learner.put("/api/v1/me/password",
                  text(json::object{{"password", next}, {"current_password", "not-the-password"}})),
      {400, 401, 403, 422}));
  auto changed =
      learner.put("/api/v1/me/password",
                  text(json::object{{"password", next}, {"current_password", password}}));
  EXPECT_EQ(changed.status, 204u) << changed.describe();
  EXPECT_NO_THROW(service().login(login, next));

  // Their own certificates only.
  auto own = expectJson(learner.get("/api/v1/me/certificates"), 200);
  ASSERT_EQ(items(own).size(), 1u) << text(own);
  EXPECT_EQ(idOf(items(own)[0]), my_cert);
  EXPECT_EQ(items(own)[0].at("full_name").as_string(), mine);
  EXPECT_EQ(idOf(expectJson(learner.get(certificatePath(my_cert)), 200)), my_cert);
  EXPECT_EQ(pdfOf(learner, my_cert).body, pdfOf(trainer, my_cert).body);

  auto their_view = learner.get(certificatePath(their_cert));
  EXPECT_TRUE(isProblem(their_view, {404}));
  EXPECT_TRUE(leaksNothing(their_view, {theirs}));
  auto their_pdf = learner.get(certificatePath(their_cert, "/pdf"));
  EXPECT_TRUE(isProblem(their_pdf, {404}));
  EXPECT_TRUE(leaksNothing(their_pdf, {theirs}));
  // Someone else's id answers like one that does not exist.
  auto missing = learner.get(certificatePath(987654321));
  ASSERT_TRUE(isProblem(missing, {404}));
  EXPECT_EQ(their_view.json().at("type"), missing.json().at("type"));
  EXPECT_EQ(their_view.json().at("title"), missing.json().at("title"));

  // Learners never issue or revoke, not even their own.
  auto before = trainer.get(cohortPath(cohort.id, "/certificates")).body;
  EXPECT_TRUE(isProblem(learner.post(cohortPath(cohort.id, "/certificates"), "{}"), {403, 404}));
  EXPECT_TRUE(isProblem(learner.post(enrolmentPath(me.enrolment_id), "{}"), {403, 404}));
  for (long long id : {my_cert, their_cert}) {
    EXPECT_TRUE(isProblem(learner.post(certificatePath(id, "/revoke"),
                                       text(json::object{{"reason", "Маған керек емес"}})),
                          {403, 404}));
  }
  EXPECT_TRUE(isProblem(
      learner.post("/api/v1/participants/" + std::to_string(cohort.person(theirs).participant_id) +
                       "/access-code",
                   "{}"),
      {403, 404}));
  EXPECT_EQ(trainer.get(cohortPath(cohort.id, "/certificates")).body, before);

  // The trainer may not give a code for an account its holder secured with a password; an
  // administrator's code is a reset: it works, and the old password no longer does.
  EXPECT_TRUE(isProblem(
      trainer.post("/api/v1/participants/" + std::to_string(me.participant_id) + "/access-code",
                   "{}"),
      {409}));
  auto reset = expectJson(
      as(admin_).post("/api/v1/participants/" + std::to_string(me.participant_id) + "/access-code",
                      "{}"),
      201);
  EXPECT_EQ(reset.at("login").as_string(), login);
  auto again =
      anonymous().post("/api/v1/auth/code", text(json::object{{"code", reset.at("code")}}));
  EXPECT_EQ(again.status, 200u) << again.describe();
  EXPECT_TRUE(isProblem(anonymous().post("/api/v1/auth/login",
                                         text(json::object{{"login", login}, {"password", next}})),
                        {401}));

  // Only the newest code works: issuing one replaces an unused earlier one.
  const std::string other_path = "/api/v1/participants/" +
                                 std::to_string(cohort.person(theirs).participant_id) +
                                 "/access-code";
  auto older = expectJson(trainer.post(other_path, "{}"), 201);
  auto newer = expectJson(trainer.post(other_path, "{}"), 201);
  EXPECT_NE(older.at("code"), newer.at("code"));
  EXPECT_TRUE(isProblem(
      anonymous().post("/api/v1/auth/code", text(json::object{{"code", older.at("code")}})),
      {401}));
  auto newest =
      anonymous().post("/api/v1/auth/code", text(json::object{{"code", newer.at("code")}}));
  EXPECT_EQ(newest.status, 200u) << newest.describe();
}

// ---------------------------------------------------------------------------------------------
// Access

TEST_F(Certificates, NewRoutesAreClosedToOtherTrainersAndLearners) {
  const std::string secret_name = "Мұхтар Ғаниұлы Құрманғалиев";
  auto cohort = cohortOf({{secret_name, kAll}, {"Сағыныш Ерланқызы Оспанова", kNone}});
  auto trainer = as(trainer_);
  const long long cert =
      idOf(certificateOf(issueCohort(trainer, cohort.id), "issued", secret_name));
  const auto& owner_person = cohort.person(secret_name);
  const auto& unqualified = cohort.person("Сағыныш Ерланқызы Оспанова");

  // A learner of another trainer's cohort, with a certificate of their own.
  auto stranger = as(intruder_);
  const std::string learner_name = "Арман Серікұлы Тәжібаев";
  auto own_cohort = makeCohort(stranger, course_, catalogue_.village_id, {{learner_name, kAll}});
  issueCohort(stranger, own_cohort.id);
  auto learner_account = service().createAccount(
      "learner", "learner.arman",
      {"--participant", std::to_string(own_cohort.person(learner_name).participant_id)});
  auto learner = as(learner_account);

  auto ownerView = [&] {
    return std::vector<std::string>{
        trainer.get(cohortPath(cohort.id, "/certificates")).body,
        trainer.get(cohortPath(cohort.id, "/eligibility")).body,
        trainer.get(certificatePath(cert)).body,
        trainer.get(certificatePath(cert, "/audit")).body,
        trainer.get(certificatePath(cert, "/pdf")).header("ETag"),
        service().database().scalar("SELECT COUNT(*) FROM accounts"),
        service().database().scalar("SELECT COUNT(*) FROM access_codes"),
        service().database().scalar("SELECT COUNT(*) FROM certificates"),
    };
  };

  struct Attempt {
    std::string method;
    std::string target;
    std::string body;
    std::vector<unsigned> learner_statuses;
    std::vector<unsigned> trainer_statuses = {404};
  };
  const std::vector<unsigned> k404{404};
  const std::vector<unsigned> k403or404{403, 404};
  const std::string waiver = text(json::object{{"waiver_reason", "Бөгде адамның себебі"}});
  const std::string reason = text(json::object{{"reason", "Бөгде адамның себебі"}});
  const std::vector<Attempt> attempts = {
      {"GET", cohortPath(cohort.id, "/certificates"), "", k403or404},
      {"POST", cohortPath(cohort.id, "/certificates"), "{}", k403or404},
      {"GET", cohortPath(cohort.id, "/eligibility"), "", k403or404},
      {"GET", cohortPath(cohort.id, "/certificates.zip"), "", k403or404},
      {"POST", enrolmentPath(unqualified.enrolment_id), "{}", k403or404},
      // A trainer may never waive: 403 whoever's the enrolment (checked below to say nothing).
      {"POST", enrolmentPath(unqualified.enrolment_id), waiver, k403or404, k403or404},
      {"POST", enrolmentPath(owner_person.enrolment_id), "{}", k403or404},
      {"GET", certificatePath(cert), "", k404},
      {"GET", certificatePath(cert, "/pdf"), "", k404},
      {"GET", certificatePath(cert, "/audit"), "", k403or404},
      {"POST", certificatePath(cert, "/revoke"), reason, k403or404},
      {"POST",
       "/api/v1/participants/" + std::to_string(owner_person.participant_id) + "/access-code", "{}",
       k403or404},
      {"POST",
       "/api/v1/participants/" + std::to_string(unqualified.participant_id) + "/access-code", "{}",
       k403or404},
  };
  auto before = ownerView();
  for (const auto* who : {&intruder_, &learner_account}) {
    auto client = as(*who);
    for (const auto& attempt : attempts) {
      SCOPED_TRACE(who->login + " " + attempt.method + " " + attempt.target + " " + attempt.body);
      support::http::Request request;
      request.method = attempt.method;
      request.target = attempt.target;
      request.body = attempt.body;
      auto reply = client.send(request);
      EXPECT_TRUE(
          statusIn(reply, who == &intruder_ ? attempt.trainer_statuses : attempt.learner_statuses));
      EXPECT_TRUE(isProblem(reply, {reply.status}));
      EXPECT_TRUE(leaksNothing(reply, {secret_name, kPlace}));
    }
  }
  EXPECT_EQ(ownerView(), before) << "someone else's request changed the owner's certificates";
  // A refusal that does not depend on the id tells nothing about it.
  auto theirs = stranger.post(enrolmentPath(unqualified.enrolment_id), waiver);
  auto nowhere = stranger.post(enrolmentPath(987654321), waiver);
  EXPECT_EQ(theirs.status, nowhere.status);
  EXPECT_EQ(theirs.body, nowhere.body);

  // And each still sees their own.
  EXPECT_EQ(items(expectJson(learner.get("/api/v1/me/certificates"), 200)).size(), 1u);
  EXPECT_EQ(items(expectJson(stranger.get(cohortPath(own_cohort.id, "/certificates")), 200)).size(),
            1u);
  // Without a token: 401 on every certificate route but the public ones.
  auto nobody = anonymous();
  for (const std::string& target :
       {certificatePath(cert), certificatePath(cert, "/pdf"),
        cohortPath(cohort.id, "/certificates"), std::string("/api/v1/me/certificates")}) {
    SCOPED_TRACE(target);
    EXPECT_TRUE(isProblem(nobody.get(target), {401}));
  }
}

TEST_F(Certificates, CheckCodeIsPrintedAndChecksOnlyItsOwnSerial) {
  const std::string name = "Гүлжан Ерболқызы Нұрпейісова";
  auto cohort = cohortOf({{name, kAll}, {"Ерлан Асқарұлы Бекмұхамбетов", kAll}});
  auto trainer = as(trainer_);
  const auto issued = issueCohort(trainer, cohort.id);
  const json::value& mine = certificateOf(issued, "issued", name);
  const json::value& other = certificateOf(issued, "issued", "Ерлан Асқарұлы Бекмұхамбетов");
  const std::string words = pdfText(pdfOf(trainer, idOf(mine)).body);
  for (const char* label : {"Тексеру коды", "Код проверки", "Check code"}) {
    EXPECT_NE(words.find(label), std::string::npos) << label << " in " << words;
  }
  static const std::regex kCheckCode(R"(\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b)");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(words, match, kCheckCode)) << words;
  const std::string code = match[1];
  const std::string serial = str(mine.at("serial"));

  auto nobody = anonymous();
  const auto found = expectJson(nobody.get("/api/v1/check/" + serial + "?code=" + code), 200);
  EXPECT_EQ(found.at("full_name").as_string(), name);
  EXPECT_TRUE(leaksNothing(nobody.get("/api/v1/check/" + serial + "?code=" + code), {kPlace}));
  // The code of one certificate opens no other; a code that is not one answers alike.
  const auto elsewhere = nobody.get("/api/v1/check/" + str(other.at("serial")) + "?code=" + code);
  const auto garbage = nobody.get("/api/v1/check/" + serial + "?code=%3Cscript%3E");
  EXPECT_TRUE(isProblem(elsewhere, {404}));
  EXPECT_TRUE(isProblem(garbage, {404}));
  EXPECT_EQ(elsewhere.body, garbage.body);
  EXPECT_TRUE(leaksNothing(elsewhere, {name, "Ерлан Асқарұлы Бекмұхамбетов"}));
  const auto page = nobody.get("/check?lang=en&serial=" + serial + "&code=" + code);
  EXPECT_EQ(page.status, 200u) << page.describe();
  EXPECT_NE(page.body.find(name), std::string::npos);

  // The actions the web app offers on this cohort, tried by another trainer and by a learner of
  // another person: nothing changes.
  auto stranger = as(intruder_);
  const std::string learner_name = "Әсел Маратқызы Оспанова";
  auto own = makeCohort(stranger, course_, catalogue_.village_id, {{learner_name, kAll}});
  auto learner_account = service().createAccount(
      "learner", "learner.asel",
      {"--participant", std::to_string(own.person(learner_name).participant_id)});
  const std::string trainer_path = "/api/v1/accounts/" + std::to_string(trainer_.id);
  const std::string reason = text(json::object{{"reason", "Бөгде адамның себебі"}});
  for (const auto* who : {&intruder_, &learner_account}) {
    auto client = as(*who);
    SCOPED_TRACE(who->login);
    EXPECT_TRUE(isProblem(client.post(certificatePath(idOf(mine), "/revoke"), reason), {403, 404}));
    EXPECT_TRUE(isProblem(client.get(cohortPath(cohort.id, "/certificates.zip")), {403, 404}));
    EXPECT_TRUE(isProblem(
        client.post("/api/v1/participants/" + std::to_string(cohort.person(name).participant_id) +
                        "/access-code",
                    "{}"),
        {403, 404}));
    EXPECT_TRUE(isProblem(client.patch(trainer_path, R"({"display_name":"Бөтен Есім"})"), {403}));
    EXPECT_TRUE(isProblem(client.get(trainer_path), {403}));
  }
  EXPECT_EQ(expectJson(trainer.get(certificatePath(idOf(mine))), 200).at("status").as_string(),
            "valid");
  EXPECT_EQ(expectJson(as(admin_).get(trainer_path), 200).at("display_name").as_string(),
            kTrainerName);
}

// ---------------------------------------------------------------------------------------------
// ZIP

TEST_F(Certificates, ZipHoldsExactlyTheValidCertificates) {
  const std::vector<std::string> people = {"Ақбота Серікқызы Нұрпейісова", "Әсет Болатұлы Ғалымов",
                                           "Іңкәр Маратқызы Өтебаева"};
  auto cohort = cohortOf({{people[0], kAll}, {people[1], kAll}, {people[2], kAll}});
  auto trainer = as(trainer_);
  auto issued = issueCohort(trainer, cohort.id);
  ASSERT_EQ(issued.at("issued").as_array().size(), 3u) << text(issued);
  const long long revoked = idOf(certificateOf(issued, "issued", people[1]));
  expectJson(trainer.post(certificatePath(revoked, "/revoke"),
                          text(json::object{{"reason", "Қате куәлік, қайта берілмейді"}})),
             200);

  // What the ZIP must hold: each valid certificate's own download, under its own name.
  std::map<std::string, std::string> expected;
  for (const auto& name : {people[0], people[2]}) {
    auto pdf = pdfOf(trainer, idOf(certificateOf(issued, "issued", name)));
    expected[dispositionFileName(pdf.header("Content-Disposition"))] = pdf.body;
  }

  for (const auto* who : {&trainer_, &admin_}) {
    SCOPED_TRACE(who->login);
    auto zip = as(*who).get(cohortPath(cohort.id, "/certificates.zip"));
    ASSERT_EQ(zip.status, 200u) << zip.describe().substr(0, 600);
    EXPECT_EQ(zip.header("Content-Type"), "application/zip");
    EXPECT_NE(zip.header("Transfer-Encoding").find("chunked"), std::string::npos)
        << "not streamed: " << zip.describe().substr(0, 600);
    EXPECT_FALSE(zip.hasHeader("Content-Length"));
    const std::string disposition = zip.header("Content-Disposition");
    EXPECT_TRUE(disposition.starts_with("attachment")) << disposition;
    const std::string file_name = dispositionFileName(disposition);
    EXPECT_TRUE(file_name == "FT-CRT-IP-2026-certificates.zip" ||
                file_name == "cohort-" + std::to_string(cohort.id) + "-certificates.zip")
        << disposition;
    auto entries = readZip(zip.body);
    std::map<std::string, std::string> got;
    for (auto& entry : entries) got[entry.name] = std::move(entry.bytes);
    EXPECT_EQ(got.size(), entries.size()) << "duplicate entry names";
    ASSERT_EQ(got.size(), expected.size());
    for (const auto& [name, bytes] : expected) {
      ASSERT_TRUE(got.contains(name)) << name;
      EXPECT_TRUE(got[name] == bytes) << name << " differs from its single download";
    }
  }

  // A cohort without certificates gives an empty archive, not an error.
  auto empty_cohort = cohortOf({{"Бос Когорта Қатысушысы", kNone}});
  auto empty = trainer.get(cohortPath(empty_cohort.id, "/certificates.zip"));
  ASSERT_EQ(empty.status, 200u) << empty.describe();
  EXPECT_TRUE(readZip(empty.body).empty());
}

// ---------------------------------------------------------------------------------------------
// Public verification

/// The words a verification page uses for valid and revoked, per language.
struct PageWords {
  std::string lang;
  std::string valid;
  std::string revoked;
  std::string course;  ///< the course title in that language
  std::string issuer;  ///< the issuing organisation in that language
};
const std::vector<PageWords> kPageWords = {
    {"kk", "жарамды", "кері қайтарылған", kCourseKk, "азаматтық қоғам қауымдастығы"},
    {"ru", "действителен", "отозван", kCourseRu, "Ассоциация гражданского общества"},
    {"en", "is valid", "been revoked", kCourseEn, "ARGO Civil Society Association"},
};

/// Lower-cases ASCII and the Cyrillic letters of the page words (enough to compare headings).
std::string lowerText(std::string_view input) {
  std::string out(input);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::vector<std::pair<std::string, std::string>> kUpper = {
      {"Ж", "ж"}, {"Д", "д"}, {"О", "о"}, {"К", "к"}, {"Қ", "қ"}};
  for (const auto& [upper, lower] : kUpper) {
    for (auto at = out.find(upper); at != std::string::npos; at = out.find(upper, at)) {
      out.replace(at, upper.size(), lower);
    }
  }
  return out;
}

TEST_F(Certificates, VerifyTellsValidThenRevokedAndNothingMore) {
  const std::string name = "Мөлдір Қанатқызы Һамитова";
  auto cohort = cohortOf({{name, kAll}});
  auto trainer = as(trainer_);
  auto cert = certificateOf(issueCohort(trainer, cohort.id), "issued", name);
  const std::string serial = str(cert.at("serial"));
  const std::string token = tokenOf(cert);
  const std::string api = "/api/v1/verify/" + serial + "?t=" + token;
  const std::string page = "/verify/" + serial + "?t=" + token;
  auto nobody = anonymous();

  auto valid = expectJson(nobody.get(api), 200);
  std::set<std::string> keys;
  for (const auto& member : valid.as_object()) keys.insert(std::string(member.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"status", "serial", "full_name", "course_title",
                                         "starts_on", "ends_on", "issuer", "revoked_at"}))
      << text(valid);
  EXPECT_EQ(valid.at("status").as_string(), "valid");
  EXPECT_EQ(valid.at("serial").as_string(), serial);
  EXPECT_EQ(valid.at("full_name").as_string(), name);
  EXPECT_EQ(valid.at("course_title"), cert.at("course_title"));
  EXPECT_EQ(valid.at("starts_on").as_string(), "2026-03-02");
  EXPECT_EQ(valid.at("ends_on").as_string(), "2026-03-06");
  EXPECT_EQ(valid.at("issuer"), cert.at("issuer"));
  EXPECT_TRUE(valid.at("revoked_at").is_null());

  auto checkPages = [&](bool is_valid) {
    for (const auto& words : kPageWords) {
      SCOPED_TRACE(words.lang);
      auto html = nobody.get(page + "&lang=" + words.lang);
      ASSERT_EQ(html.status, 200u) << html.describe();
      EXPECT_TRUE(html.header("Content-Type").starts_with("text/html")) << html.describe();
      EXPECT_NE(html.body.find(name), std::string::npos) << html.body;
      EXPECT_NE(html.body.find(serial), std::string::npos) << html.body;
      EXPECT_NE(html.body.find(words.course), std::string::npos) << html.body;
      EXPECT_NE(html.body.find(words.issuer), std::string::npos) << html.body;
      const std::string lower = lowerText(html.body);
      EXPECT_NE(lower.find(is_valid ? words.valid : words.revoked), std::string::npos) << html.body;
      if (is_valid) {
        EXPECT_EQ(lower.find(words.revoked), std::string::npos) << html.body;
      }
      // Nothing more than the facts, no scripts, no outside requests.
      EXPECT_TRUE(leaksNothing(html, {kPlace, "<script", "src=\"http", "@import"}));
    }
  };
  checkPages(true);
  // Without lang: Accept-Language, else Kazakh.
  support::http::Request russian;
  russian.target = page;
  russian.headers = {{"Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5"}};
  EXPECT_NE(lowerText(nobody.send(russian).body).find("действителен"), std::string::npos);
  EXPECT_NE(lowerText(nobody.get(page).body).find("жарамды"), std::string::npos);
  EXPECT_TRUE(leaksNothing(nobody.get(api), {kPlace}));

  expectJson(trainer.post(certificatePath(idOf(cert), "/revoke"),
                          text(json::object{{"reason", "Куәлік қате берілген"}})),
             200);
  auto revoked = expectJson(nobody.get(api), 200);
  EXPECT_EQ(revoked.at("status").as_string(), "revoked");
  EXPECT_TRUE(revoked.at("revoked_at").is_string());
  EXPECT_EQ(revoked.at("full_name").as_string(), name);
  // The reason is the issuer's business, not the public's.
  EXPECT_TRUE(leaksNothing(nobody.get(api), {"Куәлік қате берілген"}));
  checkPages(false);

  // A wrong token answers exactly like an unknown serial.
  std::string wrong_token = token;
  wrong_token.back() = wrong_token.back() == 'A' ? 'B' : 'A';
  const std::string unknown_serial = "FT-CRT-IP-2026-999999";
  for (const auto& [what, base] : std::vector<std::pair<std::string, std::string>>{
           {"json", "/api/v1/verify/"}, {"html", "/verify/"}}) {
    SCOPED_TRACE(what);
    auto wrong = nobody.get(base + serial + "?t=" + wrong_token);
    auto unknown = nobody.get(base + unknown_serial + "?t=" + token);
    EXPECT_EQ(wrong.status, 404u) << wrong.describe();
    EXPECT_EQ(unknown.status, wrong.status);
    EXPECT_EQ(unknown.header("Content-Type"), wrong.header("Content-Type"));
    EXPECT_EQ(unknown.body, wrong.body);
    EXPECT_TRUE(leaksNothing(wrong, {name}));
    for (const std::string& odd :
         {base + serial, base + serial + "?t=", base + "not-a-serial?t=" + token,
          base + serial + "?t=" + token + std::string(100, 'A')}) {
      SCOPED_TRACE(odd);
      auto reply = nobody.get(odd);
      EXPECT_EQ(reply.status, wrong.status);
      EXPECT_EQ(reply.body, wrong.body);
    }
  }
}

TEST_F(Certificates, QrPayloadVerifiesOfflineWithThePublishedKey) {
  auto reply = anonymous().get("/api/v1/certificates/public-key");
  auto key = expectJson(reply, 200);
  EXPECT_EQ(key.at("algorithm").as_string(), "Ed25519");
  static const std::regex kKey(R"(^[A-Za-z0-9_-]{43}$)");
  static const std::regex kKeyId(R"(^[0-9a-f]{16}$)");
  EXPECT_TRUE(std::regex_match(str(key.at("public_key")), kKey)) << reply.body;
  EXPECT_TRUE(std::regex_match(str(key.at("key_id")), kKeyId)) << reply.body;
  // The key was made on first start, readable by its owner only.
  struct stat info {};
  ASSERT_EQ(::stat(keyFile().c_str(), &info), 0) << keyFile() << " was not created";
  EXPECT_EQ(info.st_mode & 0777u, 0600u);

  const std::string name = "Әсел Болатқызы Нұрмағамбетова";
  const std::string other = "Ербол Асқарұлы Қуанышев";
  auto cohort = cohortOf({{name, kAll}, {other, kAll}});
  auto issued = issueCohort(as(trainer_), cohort.id);
  const std::string payload = str(certificateOf(issued, "issued", name).at("qr_payload"));
  const std::string other_payload = str(certificateOf(issued, "issued", other).at("qr_payload"));

  TempDir dir("qft-offline");
  writeFile(dir.path() / "public-key.json", reply.body);
  writeFile(dir.path() / "public-key.txt", str(key.at("public_key")) + "\n");
  auto verify = [&](const std::string& qr, const std::string& key_file) {
    return support::http::runCli(
        {"certificates", "verify-offline", qr, "--public-key", (dir.path() / key_file).string()},
        service().database().url());
  };
  auto ok = verify(payload, "public-key.json");
  EXPECT_EQ(ok.exit_code, 0) << ok.describe();
  EXPECT_NE(ok.out.find(name), std::string::npos) << ok.describe();
  auto bare = verify(payload, "public-key.txt");
  EXPECT_EQ(bare.exit_code, 0) << bare.describe();

  // One letter of the name changed inside the signed payload.
  const auto p_at = payload.find("#p=");
  const auto s_at = payload.find("&s=");
  ASSERT_TRUE(p_at != std::string::npos && s_at != std::string::npos && s_at > p_at) << payload;
  const std::string signed_bytes = base64UrlDecode(payload.substr(p_at + 3, s_at - p_at - 3));
  ASSERT_NE(signed_bytes.find(name), std::string::npos) << signed_bytes;
  const std::string forged_name = replaceFirst(name, "Әсел", "Өсел");
  const std::string forged = payload.substr(0, p_at + 3) +
                             base64UrlEncode(replaceFirst(signed_bytes, name, forged_name)) +
                             payload.substr(s_at);
  auto tampered = verify(forged, "public-key.json");
  EXPECT_EQ(tampered.exit_code, 1) << tampered.describe();
  // Another certificate's signature does not fit this payload either.
  const std::string swapped =
      payload.substr(0, s_at) + other_payload.substr(other_payload.find("&s="));
  auto mismatched = verify(swapped, "public-key.json");
  EXPECT_EQ(mismatched.exit_code, 1) << mismatched.describe();
}

// ---------------------------------------------------------------------------------------------
// Bad input

TEST_F(Certificates, BadInputIsRefusedAndChangesNothing) {
  const std::string qualified = "Нұргүл Әділқызы Смағұлова";
  const std::string absent = "Тимур Ринатович Ёлкин";
  auto cohort = cohortOf({{qualified, kAll}, {absent, kNone}});
  auto trainer = as(trainer_);
  auto admin = as(admin_);
  const auto& q = cohort.person(qualified);
  const auto& n = cohort.person(absent);
  auto stored = [&] {
    return items(expectJson(trainer.get(cohortPath(cohort.id, "/certificates")), 200)).size();
  };

  const std::vector<std::pair<std::string, std::string>> cohort_bodies = {
      {"unknown field", R"({"langauge":"kk"})"},
      {"wrong language", R"({"language":"de"})"},
      {"language not a string", R"({"language":1})"},
      {"not an object", R"(["kk"])"},
  };
  for (const auto& [what, body] : cohort_bodies) {
    SCOPED_TRACE(what);
    EXPECT_TRUE(isProblem(trainer.post(cohortPath(cohort.id, "/certificates"), body), {400, 422}));
  }
  const std::vector<std::pair<std::string, std::string>> one_bodies = {
      {"unknown field", R"({"waiver":"Ауырып қалды"})"},
      {"wrong language", R"({"language":"fr"})"},
      {"empty waiver reason", R"({"waiver_reason":""})"},
      {"waiver reason too short", R"({"waiver_reason":"ok"})"},
      {"waiver reason of spaces", R"({"waiver_reason":"     "})"},
      {"waiver reason not a string", R"({"waiver_reason":12345})"},
  };
  for (const auto& [what, body] : one_bodies) {
    SCOPED_TRACE(what);
    EXPECT_TRUE(isProblem(admin.post(enrolmentPath(n.enrolment_id), body), {400, 422}));
  }
  auto short_waiver = admin.post(enrolmentPath(n.enrolment_id), R"({"waiver_reason":"ok"})");
  EXPECT_TRUE(namesField(short_waiver, "waiver_reason"));
  EXPECT_EQ(stored(), 0u) << "a refused request stored a certificate";

  auto cert = expectJson(trainer.post(enrolmentPath(q.enrolment_id), "{}"), 201);
  const std::string cert_before = trainer.get(certificatePath(idOf(cert))).body;
  const std::vector<std::pair<std::string, std::string>> revoke_bodies = {
      {"no reason", "{}"},
      {"empty reason", R"({"reason":""})"},
      {"reason too short", R"({"reason":"no"})"},
      {"unknown field", R"({"reason":"Қате берілген","why":"x"})"},
      {"reason not a string", R"({"reason":["Қате берілген"]})"},
  };
  for (const auto& [what, body] : revoke_bodies) {
    SCOPED_TRACE(what);
    EXPECT_TRUE(isProblem(trainer.post(certificatePath(idOf(cert), "/revoke"), body), {400, 422}));
  }
  EXPECT_TRUE(namesField(trainer.post(certificatePath(idOf(cert), "/revoke"), "{}"), "reason") ||
              isProblem(trainer.post(certificatePath(idOf(cert), "/revoke"), "{}"), {400}));
  EXPECT_EQ(trainer.get(certificatePath(idOf(cert))).body, cert_before);
  EXPECT_EQ(items(expectJson(trainer.get(certificatePath(idOf(cert), "/audit")), 200)).size(), 1u);
  EXPECT_EQ(stored(), 1u);

  // A course that gives no certificates.
  json::object no_certificates{
      {"programme_id", programme_},
      {"track", "information_event"},
      {"title", names("Ақпараттық кездесу", "Информационная встреча", "Information event")},
      {"hours", 2},
      {"rule", {{"min_attendance_percent", 50}, {"excused_counts", false}, {"require_all", false}}},
      {"gives_certificate", false}};
  const long long event = createdId(admin.post("/api/v1/courses", text(no_certificates)));
  auto event_cohort = cohortOf({{"Ақпарат Тыңдаушысы Бірінші", kAll}}, event);
  EXPECT_TRUE(isProblem(trainer.post(cohortPath(event_cohort.id, "/certificates"), "{}"), {422}));
  EXPECT_TRUE(
      isProblem(admin.post(enrolmentPath(event_cohort.people[0].enrolment_id),
                           text(json::object{{"waiver_reason", "Барлығына берілсін деп шешілді"}})),
                {422}));
  EXPECT_TRUE(
      items(expectJson(trainer.get(cohortPath(event_cohort.id, "/certificates")), 200)).empty());

  // Catalogue fields of this issue.
  const auto courses_before = admin.get("/api/v1/courses").body;
  json::object course{
      {"programme_id", programme_},
      {"track", "inclusive_planning"},
      {"title", names(kCourseKk, kCourseRu, kCourseEn)},
      {"hours", 24},
      {"rule", {{"min_attendance_percent", 75}, {"excused_counts", false}, {"require_all", false}}},
      {"gives_certificate", true},
      {"certificate_language", "de"}};
  EXPECT_TRUE(namesField(admin.post("/api/v1/courses", text(course)), "certificate_language"));
  EXPECT_EQ(admin.get("/api/v1/courses").body, courses_before);
  const auto programmes_before = admin.get("/api/v1/programmes").body;
  json::object programme{
      {"code", "FT-BADORG"},       {"title", names("Бағдарлама", "Программа", "Programme")},
      {"donor", "European Union"}, {"starts_on", "2017-02-01"},
      {"ends_on", "2020-01-31"},   {"organisations", json::array{{{"kk", "Тек қазақша"}}}}};
  EXPECT_TRUE(isProblem(admin.post("/api/v1/programmes", text(programme)), {400, 422}));
  EXPECT_EQ(admin.get("/api/v1/programmes").body, programmes_before);

  // A name the certificate fonts cannot draw is refused before it is stored.
  const std::size_t people_before = countParticipants(admin);
  const std::string person_before =
      trainer.get("/api/v1/participants/" + std::to_string(q.participant_id)).body;
  // (DejaVu Sans does draw some emoji, U+1F600 among them; U+1F680 it does not.)
  for (const std::string name : {"Әлия 🚀 Қасымова", "Әлия 李 Қасымова", "Әлия Қасымова \u0F00"}) {
    SCOPED_TRACE(name);
    auto body = participantBody(name, 1990, catalogue_.village_id);
    body["not_duplicate"] = true;
    auto refused = trainer.post("/api/v1/participants", text(body));
    EXPECT_TRUE(namesField(refused, "full_name"));
    auto patched = trainer.edit("/api/v1/participants/" + std::to_string(q.participant_id),
                                text(json::object{{"full_name", name}}));
    EXPECT_TRUE(namesField(patched, "full_name"));
  }
  EXPECT_EQ(countParticipants(admin), people_before);
  EXPECT_EQ(trainer.get("/api/v1/participants/" + std::to_string(q.participant_id)).body,
            person_before);
}

TEST_F(Certificates, SigningKeySurvivesARestart) {
  const std::string name = "Ләззат Оралқызы Сүлейменова";
  auto cohort = cohortOf({{name, kAll}});
  auto cert = certificateOf(issueCohort(as(trainer_), cohort.id), "issued", name);
  auto key_before = expectJson(anonymous().get("/api/v1/certificates/public-key"), 200);
  const std::string pdf_before = pdfOf(as(trainer_), idOf(cert)).body;

  service().stop();
  service().start(settings());

  auto key_after = expectJson(anonymous().get("/api/v1/certificates/public-key"), 200);
  EXPECT_EQ(key_after, key_before) << "a restart made a new signing key";
  EXPECT_EQ(pdfOf(as(trainer_), idOf(cert)).body, pdf_before);
  auto verified = expectJson(
      anonymous().get("/api/v1/verify/" + str(cert.at("serial")) + "?t=" + tokenOf(cert)), 200);
  EXPECT_EQ(verified.at("status").as_string(), "valid");
  TempDir dir("qft-restart");
  writeFile(dir.path() / "key.json", text(key_after));
  auto offline =
      support::http::runCli({"certificates", "verify-offline", str(cert.at("qr_payload")),
                             "--public-key", (dir.path() / "key.json").string()},
                            service().database().url());
  EXPECT_EQ(offline.exit_code, 0) << offline.describe();
}

// ---------------------------------------------------------------------------------------------
// Rate limits: a suite with its own server, as they block this client address for a while.

class CertificateLimits : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_limits", [] {
      trainer_ = newAccount("trainer", "trainer.limits");
      catalogue_ = createCatalogue(as(admin_), "FT-LIM");
      person_ = registerParticipant(as(trainer_), "Зәуре Төлегенқызы Мұқанова", 1975,
                                    catalogue_.village_id);
      // A trainer gives codes to the people of their own cohorts.
      enrol(as(trainer_),
            createCohort(as(trainer_), catalogue_.course_id, catalogue_.village_id, "Клуб"),
            person_);
    });
  }
  static void TearDownTestSuite() { stopService(); }

  static inline Account trainer_;
  static inline Catalogue catalogue_;
  static inline long long person_ = 0;
};

TEST_F(CertificateLimits, VerifyAllowsSixtyAMinutePerClient) {
  auto nobody = anonymous();
  const std::string target = "/api/v1/verify/FT-LIM-IP-2026-000001?t=AAAAAAAAAAAAAAAAAAAAAA";
  for (int i = 0; i < 60; ++i) {
    auto reply = nobody.get(target);
    ASSERT_EQ(reply.status, 404u) << "request " << i + 1 << ": " << reply.describe();
  }
  auto limited = nobody.get(target);
  ASSERT_TRUE(isProblem(limited, {429}));
  EXPECT_TRUE(limited.hasHeader("Retry-After")) << limited.describe();
  // The page is limited too (with its own count, or the same one).
  Reply page;
  for (int i = 0; i < 61; ++i) {
    page = nobody.get("/verify/FT-LIM-IP-2026-000001?t=AAAAAAAAAAAAAAAAAAAAAA");
    if (page.status == 429) break;
  }
  EXPECT_EQ(page.status, 429u) << page.describe();
  EXPECT_TRUE(page.hasHeader("Retry-After"));
  // The key stays public: it is no verification attempt.
  EXPECT_EQ(nobody.get("/api/v1/certificates/public-key").status, 200u);
}

TEST_F(CertificateLimits, FiveWrongCodesBlockCodeSignIn) {
  auto granted = expectJson(
      as(trainer_).post("/api/v1/participants/" + std::to_string(person_) + "/access-code", "{}"),
      201);
  const std::string code = str(granted.at("code"));
  // Valid-looking codes that were never issued.
  const std::vector<std::string> wrong = {"ABCDE-FGHJK", "MNPQR-STVWX", "YZ012-34567",
                                          "89ABC-DEFGH", "JKMNP-QRSTV"};
  for (std::size_t i = 0; i < wrong.size(); ++i) {
    SCOPED_TRACE(i);
    auto reply = anonymous().post("/api/v1/auth/code", text(json::object{{"code", wrong[i]}}));
    if (wrong[i] == code) continue;
    EXPECT_TRUE(isProblem(reply, {401}));
  }
  auto blocked = anonymous().post("/api/v1/auth/code", text(json::object{{"code", code}}));
  ASSERT_TRUE(isProblem(blocked, {429}));
  ASSERT_TRUE(blocked.hasHeader("Retry-After")) << blocked.describe();
  const int retry_after = std::stoi(blocked.header("Retry-After"));
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 15 * 60);
  EXPECT_EQ(blocked.body.find("token"), std::string::npos) << blocked.body;
}

}  // namespace
}  // namespace functional
