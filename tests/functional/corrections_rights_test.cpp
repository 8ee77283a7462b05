// A person's data rights over HTTP: export, erasure, consent withdrawn, retention. After an
// erasure nothing of the person (name, phone, e-mail, birth year) is in any answer, the log or the
// certificate ZIP, and the donor's totals are what they were, for every breakdown.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fixture.hpp"

namespace functional {
namespace {

constexpr const char* kName = "Гүлназ Әбілқызы Жақсыбекова";
constexpr const char* kNameWord = "Жақсыбекова";
constexpr const char* kPhone = "+7 705 318 2297";
constexpr const char* kEmail = "gulnaz.zh@example.kz";
constexpr int kBirthYear = 1987;

class CorrectionsRights : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_rights", [] {
      trainer_ = newAccount("trainer", "trainer.rights");
      other_ = newAccount("trainer", "trainer.rights.other");
      catalogue_ = createCatalogue(as(admin_), "FT-RIGHTS");
      auto trainer = as(trainer_);
      cohort_ = createCohort(trainer, catalogue_.course_id, catalogue_.village_id, "Ауыл клубы");
      for (const char* at : {"2019-03-02T09:00:00Z", "2019-03-09T09:00:00Z"}) {
        sessions_.push_back(createSession(trainer, cohort_, at, "Жоспарлау"));
      }
      auto body = participantBody(kName, kBirthYear, catalogue_.village_id);
      body["phone"] = kPhone;
      body["email"] = kEmail;
      body["not_duplicate"] = true;
      person_ = createdId(trainer.post("/api/v1/participants", text(body)));
      neighbour_ =
          registerParticipant(trainer, "Айдана Серікқызы Омарова", 1990, catalogue_.village_id);
      enrolment_ = enrol(trainer, cohort_, person_);
      neighbour_enrolment_ = enrol(trainer, cohort_, neighbour_);
      for (const long long session : sessions_) {
        json::array marks{json::object{{"enrolment_id", enrolment_}, {"status", "present"}},
                          json::object{{"enrolment_id", neighbour_enrolment_}, {"status", "late"}}};
        expectJson(trainer.put("/api/v1/sessions/" + std::to_string(session) + "/attendance",
                               text(json::object{{"marks", marks}})),
                   200);
      }
      expectJson(trainer.post("/api/v1/cohorts/" + std::to_string(cohort_) + "/certificates", "{}"),
                 200);
      learner_ = service().createAccount("learner", "gulnaz.zh",
                                         {"--participant", std::to_string(person_)});
    });
  }
  static void TearDownTestSuite() { stopService(); }

  static std::string personPath(std::string_view tail = {}) {
    return "/api/v1/participants/" + std::to_string(person_) + std::string(tail);
  }
  static std::string cohortPath(std::string_view tail) {
    return "/api/v1/cohorts/" + std::to_string(cohort_) + std::string(tail);
  }
  /// Every totals answer for the programme, one per breakdown, as the admin reads them.
  static std::vector<std::string> totals() {
    std::vector<std::string> out;
    const std::string programme =
        "/api/v1/totals?programme=" + std::to_string(catalogue_.programme_id) + "&by=";
    for (const char* by : {"track", "course", "cohort", "gender", "age_band", "region", "district",
                           "settlement", "locality", "affiliation", "vulnerable_group",
                           "gender,age_band", "district,vulnerable_group"}) {
      out.push_back(text(expectJson(as(admin_).get(programme + by), 200)));
    }
    return out;
  }
  static std::string serverLog() {
    std::string log = service().server().output();
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(service().server().directory())) {
      if (!entry.is_regular_file() || entry.path().extension() != ".log") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      log += bytes.str();
    }
    return log;
  }

  static inline Account trainer_, other_, learner_;
  static inline Catalogue catalogue_;
  static inline long long cohort_ = 0, person_ = 0, neighbour_ = 0, enrolment_ = 0,
                          neighbour_enrolment_ = 0;
  static inline std::vector<long long> sessions_;
};

const std::vector<std::string>& personalData() {
  static const std::vector<std::string> texts{kName, kNameWord, kPhone, kEmail,
                                              std::to_string(kBirthYear)};
  return texts;
}

TEST_F(CorrectionsRights, OnlyAnAdministratorReachesTheNewRoutes) {
  const std::string programme = "/api/v1/programmes/" + std::to_string(catalogue_.programme_id);
  for (const Account* who : {&trainer_, &other_, &learner_}) {
    SCOPED_TRACE(who->login);
    auto client = as(*who);
    EXPECT_TRUE(isProblem(client.get(personPath("/data-rights")), {403}));
    EXPECT_TRUE(isProblem(client.get(personPath("/export")), {403}));
    EXPECT_TRUE(isProblem(client.get(personPath("/export?format=pdf")), {403}));
    EXPECT_TRUE(isProblem(
        client.post(personPath("/erase"), R"({"reason":"asked by letter"})", {{"If-Match", "*"}}),
        {403}));
    EXPECT_TRUE(isProblem(client.post(personPath("/consent-withdrawal"), "{}", {{"If-Match", "*"}}),
                          {403}));
    EXPECT_TRUE(isProblem(client.get(programme + "/retention"), {403}));
    EXPECT_TRUE(isProblem(
        client.put(programme + "/retention", R"({"retention_years":3})", {{"If-Match", "*"}}),
        {403}));
  }
  EXPECT_TRUE(isProblem(anonymous().get(personPath("/export")), {401}));
  EXPECT_TRUE(isProblem(as(admin_).get("/api/v1/participants/999999/export"), {404}));
  EXPECT_TRUE(isProblem(as(admin_).get("/api/v1/participants/999999/data-rights"), {404}));
  // Nothing of it reached the person's state.
  const auto state = expectJson(as(admin_).get(personPath("/data-rights")), 200);
  EXPECT_TRUE(state.at("erased_at").is_null());
  EXPECT_TRUE(state.at("consent_withdrawn_at").is_null());
}

TEST_F(CorrectionsRights, AnExportHoldsEverythingAndIsInTheHistory) {
  auto admin = as(admin_);
  const auto data = expectJson(admin.get(personPath("/export")), 200);
  EXPECT_EQ(data.at("person").at("full_name").as_string(), kName);
  EXPECT_EQ(data.at("person").at("phone").as_string(), kPhone);
  EXPECT_EQ(data.at("language").as_string(), "kk");  // the cohort's language
  EXPECT_EQ(data.at("enrolments").as_array().size(), 1u);
  EXPECT_EQ(data.at("attendance").as_array().size(), 2u);
  EXPECT_EQ(data.at("certificates").as_array().size(), 1u);
  EXPECT_EQ(data.at("account").at("login").as_string(), "gulnaz.zh");
  EXPECT_FALSE(data.at("account").as_object().contains("password_hash"));

  for (const char* lang : {"kk", "ru", "en"}) {
    const Reply pdf = admin.get(personPath(std::string("/export?format=pdf&lang=") + lang));
    ASSERT_EQ(pdf.status, 200u) << pdf.describe();
    EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
    EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
    EXPECT_NE(pdf.body.find(std::string("/Lang (") + lang + ")"), std::string::npos);
    // As a reader sees it: the person's name and phone, and their certificate's serial.
    const std::string words = pdfText(pdf.body);
    EXPECT_NE(words.find(kName), std::string::npos) << lang << ": " << words;
    EXPECT_NE(words.find(kPhone), std::string::npos) << lang << ": " << words;
    EXPECT_NE(words.find(std::string(data.at("certificates").at(0).at("serial").as_string())),
              std::string::npos)
        << lang << ": " << words;
  }
  EXPECT_TRUE(isProblem(admin.get(personPath("/export?format=xml")), {422}));
  EXPECT_TRUE(isProblem(admin.get(personPath("/export?lang=de")), {422}));

  const auto history = expectJson(admin.get(personPath("/history")), 200);
  int exported = 0;
  for (const auto& entry : history.at("items").as_array()) {
    exported += entry.at("action").as_string() == "exported" ? 1 : 0;
  }
  EXPECT_EQ(exported, 4);  // the JSON and the three PDFs; the refused ones are not exports
}

TEST_F(CorrectionsRights, ErasureLeavesNothingOfThePersonAndTheTotalsAsTheyWere) {
  auto admin = as(admin_);
  const std::vector<std::string> before = totals();
  const Reply state = admin.get(personPath("/data-rights"));
  const std::string tag = state.header("ETag");

  // Refused erasures change nothing: no version, a stale one, no reason, a bad body.
  EXPECT_TRUE(
      isProblem(admin.post(personPath("/erase"), R"({"reason":"asked by letter"})"), {428}));
  EXPECT_TRUE(isProblem(admin.post(personPath("/erase"), R"({"reason":"asked by letter"})",
                                   {{"If-Match", "\"v999\""}}),
                        {412}));
  EXPECT_TRUE(
      isProblem(admin.post(personPath("/erase"), R"({"reason":""})", {{"If-Match", tag}}), {422}));
  EXPECT_TRUE(isProblem(admin.post(personPath("/erase"), R"({})", {{"If-Match", tag}}), {422}));
  EXPECT_TRUE(isProblem(admin.post(personPath("/erase"), R"([1])", {{"If-Match", tag}}), {400}));
  EXPECT_EQ(admin.get(personPath()).json().at("full_name").as_string(), kName);
  EXPECT_EQ(admin.get(personPath("/data-rights")).header("ETag"), tag);

  const Reply erased =
      admin.post(personPath("/erase"), R"({"reason":"asked in writing"})", {{"If-Match", tag}});
  ASSERT_EQ(erased.status, 200u) << erased.describe();
  const auto outcome = erased.json().as_object();
  EXPECT_EQ(outcome.at("certificates_revoked").to_number<int>(), 1);
  EXPECT_TRUE(outcome.at("account_closed").as_bool());
  EXPECT_EQ(outcome.at("enrolments_kept").to_number<int>(), 1);
  EXPECT_FALSE(outcome.at("state").at("erased_at").is_null());
  // Again is a conflict, and an edit cannot write the name back.
  EXPECT_TRUE(isProblem(
      admin.post(personPath("/erase"), R"({"reason":"asked in writing"})", {{"If-Match", "*"}}),
      {409}));
  EXPECT_TRUE(isProblem(admin.patch(personPath(), R"({"full_name":"Гүлназ"})", {{"If-Match", "*"}}),
                        {409}));

  // The donor's figures, for every breakdown, are what they were; the aggregates are exact.
  EXPECT_EQ(totals(), before);
  const auto check = support::http::runCli({"totals", "check"}, service().database().url(), "");
  EXPECT_EQ(check.exit_code, 0) << check.describe();

  // The learner account is closed: its sessions ended, its password no longer opens it.
  EXPECT_TRUE(isProblem(as(learner_).get("/api/v1/me"), {401}));
  EXPECT_TRUE(isProblem(
      service().client().post("/api/v1/auth/login",
                              R"({"login":"gulnaz.zh","password":")" + learner_.password + "\"}"),
      {401}));

  // Nothing of the person in any answer: search, the person, enrolments, sheets, certificates,
  // verification, the history, totals in every format, the export, the ZIP, the log.
  const auto certificates = expectJson(admin.get(cohortPath("/certificates")), 200);
  std::vector<Reply> answers{
      admin.get("/api/v1/participants?q=" + std::string("%D0%96%D0%B0%D2%9B%D1%81%D1%8B")),
      admin.get("/api/v1/participants"),
      admin.get(personPath()),
      as(trainer_).get(personPath()),
      admin.get(cohortPath("/enrolments")),
      admin.get("/api/v1/sessions/" + std::to_string(sessions_[0]) + "/attendance"),
      admin.get(cohortPath("/certificates")),
      admin.get(cohortPath("/eligibility")),
      admin.get(cohortPath("/certificates.zip")),
      admin.get(personPath("/history")),
      admin.get(personPath("/links")),
      admin.get(personPath("/export")),
      admin.get(personPath("/export?format=pdf&lang=ru")),
      admin.get("/api/v1/totals.csv?programme=FT-RIGHTS&by=gender,age_band&lang=ru"),
      admin.get("/api/v1/totals.xlsx?programme=FT-RIGHTS&by=gender,district&lang=kk"),
      admin.get("/api/v1/totals.pdf?programme=FT-RIGHTS&lang=en")};
  int own = 0;
  for (const auto& certificate : items(certificates)) {
    const auto& c = certificate.as_object();
    if (c.at("participant_id").to_number<long long>() != person_) continue;
    ++own;
    EXPECT_EQ(c.at("status").as_string(), "revoked");
    EXPECT_EQ(c.at("revoked_reason").as_string(), "erased at the holder's request");
    const std::string id = std::to_string(c.at("id").to_number<long long>());
    answers.push_back(admin.get("/api/v1/certificates/" + id));
    answers.push_back(admin.get("/api/v1/certificates/" + id + "/audit"));
    const Reply pdf = admin.get("/api/v1/certificates/" + id + "/pdf");
    EXPECT_TRUE(isProblem(pdf, {404}));
    answers.push_back(pdf);
    const std::string verify = std::string(c.at("verify_url").as_string());
    const std::string path = verify.substr(verify.find("/", verify.find("//") + 2));
    answers.push_back(anonymous().get(path));
  }
  EXPECT_EQ(own, 1);
  for (const Reply& reply : answers) EXPECT_TRUE(leaksNothing(reply, personalData()));
  for (const std::string& text : personalData()) {
    EXPECT_EQ(serverLog().find(text), std::string::npos) << "the log holds " << text;
  }
  // The neighbour is untouched.
  EXPECT_EQ(admin.get("/api/v1/participants/" + std::to_string(neighbour_)).json().at("full_name"),
            "Айдана Серікқызы Омарова");
}

TEST_F(CorrectionsRights, WithdrawnConsentStopsNewEnrolmentsAndErasesNothing) {
  auto trainer = as(trainer_);
  auto admin = as(admin_);
  const long long person =
      registerParticipant(trainer, "Дәулет Маратұлы Сейітов", 1979, catalogue_.village_id);
  const std::string path = "/api/v1/participants/" + std::to_string(person);
  const std::string tag = admin.get(path + "/data-rights").header("ETag");
  EXPECT_TRUE(isProblem(
      admin.post(path + "/consent-withdrawal", R"({"reason":1})", {{"If-Match", tag}}), {400}));
  const Reply withdrawn =
      admin.post(path + "/consent-withdrawal", R"({"reason":"by phone"})", {{"If-Match", tag}});
  ASSERT_EQ(withdrawn.status, 200u) << withdrawn.describe();
  EXPECT_FALSE(withdrawn.json().at("consent_withdrawn_at").is_null());
  EXPECT_TRUE(
      isProblem(admin.post(path + "/consent-withdrawal", "{}", {{"If-Match", "*"}}), {409}));
  const auto person_now = expectJson(admin.get(path), 200);
  EXPECT_EQ(person_now.at("full_name").as_string(), "Дәулет Маратұлы Сейітов");
  EXPECT_FALSE(person_now.at("consent").as_bool());
  EXPECT_TRUE(isProblem(
      trainer.post(cohortPath("/enrolments"), text(json::object{{"participant_id", person}})),
      {409}));
  const auto history = expectJson(admin.get(path + "/history"), 200);
  EXPECT_EQ(history.at("items").as_array().back().at("action").as_string(), "consent_withdrawn");
}

TEST_F(CorrectionsRights, RetentionIsSetWithIfMatchAndOnlyValidYears) {
  auto admin = as(admin_);
  const std::string path =
      "/api/v1/programmes/" + std::to_string(catalogue_.programme_id) + "/retention";
  const Reply read = admin.get(path);
  ASSERT_EQ(read.status, 200u) << read.describe();
  EXPECT_TRUE(read.json().at("retention_years").is_null());
  const std::string tag = read.header("ETag");
  EXPECT_TRUE(isProblem(admin.put(path, R"({"retention_years":3})"), {428}));
  EXPECT_TRUE(isProblem(admin.put(path, R"({"retention_years":-1})", {{"If-Match", tag}}), {422}));
  EXPECT_TRUE(isProblem(admin.put(path, R"({"retention_years":"3"})", {{"If-Match", tag}}), {400}));
  EXPECT_TRUE(isProblem(admin.put(path, R"({"years":3})", {{"If-Match", tag}}), {400}));
  EXPECT_TRUE(admin.get(path).json().at("retention_years").is_null());
  const Reply set = admin.put(path, R"({"retention_years":3})", {{"If-Match", tag}});
  ASSERT_EQ(set.status, 200u) << set.describe();
  EXPECT_EQ(set.json().at("retention_years").to_number<int>(), 3);
  EXPECT_TRUE(isProblem(admin.put(path, R"({"retention_years":5})", {{"If-Match", tag}}), {412}));
  // The programme ends in 2027: nobody is due yet, and a dry run says so.
  const auto dry =
      support::http::runCli({"retention", "apply", "--dry-run"}, service().database().url(), "");
  ASSERT_EQ(dry.exit_code, 0) << dry.describe();
  EXPECT_NE(dry.out.find("dry run: 0 people due"), std::string::npos) << dry.out;
  expectJson(admin.put(path, R"({"retention_years":null})", {{"If-Match", "*"}}), 200);
}

}  // namespace
}  // namespace functional
