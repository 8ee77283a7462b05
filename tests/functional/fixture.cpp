#include "fixture.hpp"

#include <cctype>
#include <chrono>
#include <fstream>
#include <stdexcept>

namespace functional {

std::unique_ptr<support::http::TestService> ServiceTest::service_;
std::string ServiceTest::setup_error_;
Account ServiceTest::admin_;

void ServiceTest::startService(std::string_view db_prefix, const std::function<void()>& populate,
                               std::vector<std::pair<std::string, std::string>> settings) {
  setup_error_.clear();
  try {
    service_ = std::make_unique<support::http::TestService>(db_prefix);
    service_->start(std::move(settings));
    admin_ = service_->createAccount("admin", "admin");
    if (populate) populate();
  } catch (const std::exception& e) {
    setup_error_ = e.what();
    service_.reset();
    ADD_FAILURE() << "functional suite set-up failed: " << setup_error_;
  }
}

void ServiceTest::stopService() {
  service_.reset();
}

void ServiceTest::SetUp() {
  ASSERT_TRUE(service_ != nullptr) << "no service to test: " << setup_error_;
}

Client ServiceTest::as(const Account& account) {
  return service_->client().withToken(account.token);
}

Client ServiceTest::anonymous() {
  return service_->client();
}

Account ServiceTest::newAccount(const std::string& role, const std::string& login) {
  return service_->createAccount(role, login);
}

json::value expectJson(const Reply& reply, unsigned expected) {
  if (reply.status != expected) {
    throw std::runtime_error("expected HTTP " + std::to_string(expected) + ", got " +
                             reply.describe());
  }
  return reply.json();
}

long long createdId(const Reply& reply, unsigned expected) {
  auto body = expectJson(reply, expected);
  if (!body.is_object() || !body.as_object().contains("id")) {
    throw std::runtime_error("reply has no id: " + reply.describe());
  }
  return body.at("id").to_number<long long>();
}

::testing::AssertionResult isProblem(const Reply& reply, std::initializer_list<unsigned> statuses) {
  bool status_ok = false;
  for (unsigned s : statuses) status_ok = status_ok || reply.status == s;
  if (!status_ok) {
    std::string wanted;
    for (unsigned s : statuses) wanted += (wanted.empty() ? "" : " or ") + std::to_string(s);
    return ::testing::AssertionFailure()
           << "expected status " << wanted << ", got " << reply.describe();
  }
  std::string type = reply.header("Content-Type");
  if (type.rfind("application/problem+json", 0) != 0) {
    return ::testing::AssertionFailure() << "Content-Type is '" << type
                                         << "', not application/problem+json: " << reply.describe();
  }
  boost::system::error_code ec;
  auto body = json::parse(reply.body, ec);
  if (ec || !body.is_object()) {
    return ::testing::AssertionFailure()
           << "problem body is not a JSON object: " << reply.describe();
  }
  const auto& object = body.as_object();
  if (!object.contains("type") || !object.at("type").is_string() ||
      object.at("type").as_string().empty()) {
    return ::testing::AssertionFailure() << "problem without a type: " << reply.describe();
  }
  if (!object.contains("title") || !object.at("title").is_string()) {
    return ::testing::AssertionFailure() << "problem without a title: " << reply.describe();
  }
  if (!object.contains("status") || !object.at("status").is_number() ||
      object.at("status").to_number<unsigned>() != reply.status) {
    return ::testing::AssertionFailure()
           << "problem status missing or different from the HTTP status: " << reply.describe();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult leaksNothing(const Reply& reply, const std::vector<std::string>& texts) {
  for (const auto& secret : texts) {
    if (reply.body.find(secret) != std::string::npos) {
      return ::testing::AssertionFailure()
             << "reply contains '" << secret << "': " << reply.describe();
    }
    for (const auto& [name, value] : reply.headers) {
      if (value.find(secret) != std::string::npos) {
        return ::testing::AssertionFailure() << "header " << name << " contains '" << secret << "'";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

namespace {

json::object names(std::string_view kk, std::string_view ru, std::string_view en) {
  return {{"kk", kk}, {"ru", ru}, {"en", en}};
}

long long createLocality(const Client& admin, json::value parent_id, std::string_view kind,
                         json::object name, json::value kato) {
  json::object body{
      {"parent_id", parent_id}, {"kind", kind}, {"name", std::move(name)}, {"kato", kato}};
  return createdId(admin.post("/api/v1/localities", text(body)));
}

}  // namespace

Catalogue createCatalogue(const Client& admin, std::string_view code) {
  Catalogue catalogue;
  json::object programme{{"code", code},
                         {"title", names("Жергілікті мүдделі тараптардың белсенді қатысуы",
                                         "Активное участие местных заинтересованных сторон",
                                         "Active participation of local stakeholders")},
                         {"donor", "European Union"},
                         {"starts_on", "2017-02-01"},
                         {"ends_on", "2020-01-31"}};
  catalogue.programme_id = createdId(admin.post("/api/v1/programmes", text(programme)));
  catalogue.region_id = createLocality(
      admin, nullptr, "region",
      names("Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region"),
      nullptr);
  catalogue.district_id =
      createLocality(admin, catalogue.region_id, "district",
                     names("Глубокое ауданы", "Глубоковский район", "Glubokoe District"), nullptr);
  catalogue.village_id =
      createLocality(admin, catalogue.district_id, "settlement",
                     names("Белоусовка кенті", "посёлок Белоусовка", "Belousovka"), "634033100");
  catalogue.other_village_id = createLocality(
      admin, catalogue.district_id, "rural_district",
      names("Көжохов ауылдық округі", "Кожоховский сельский округ", "Kozhokhovo Rural District"),
      nullptr);
  json::object course{
      {"programme_id", catalogue.programme_id},
      {"track", "inclusive_planning"},
      {"title", names("Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning")},
      {"hours", 24},
      {"rule", {{"min_attendance_percent", 80}, {"excused_counts", false}, {"require_all", false}}},
      {"gives_certificate", true}};
  catalogue.course_id = createdId(admin.post("/api/v1/courses", text(course)));
  return catalogue;
}

long long createCohort(const Client& trainer, long long course_id, long long locality_id,
                       std::string_view place) {
  json::object body{{"course_id", course_id},    {"locality_id", locality_id}, {"place", place},
                    {"starts_on", "2026-03-02"}, {"ends_on", "2026-03-06"},    {"language", "kk"}};
  return createdId(trainer.post("/api/v1/cohorts", text(body)));
}

long long createSession(const Client& trainer, long long cohort_id, std::string_view starts_at,
                        std::string_view topic) {
  json::object body{{"starts_at", starts_at}, {"duration_minutes", 120}, {"topic", topic}};
  return createdId(
      trainer.post("/api/v1/cohorts/" + std::to_string(cohort_id) + "/sessions", text(body)));
}

json::object participantBody(std::string_view full_name, int birth_year, long long locality_id) {
  return {{"full_name", full_name},
          {"gender", "female"},
          {"birth_year", birth_year},
          {"locality_id", locality_id},
          {"affiliation", "community_member"},
          {"vulnerable", json::array{"mother_of_many_children"}},
          {"phone", nullptr},
          {"email", nullptr},
          {"consent", true}};
}

long long registerParticipant(const Client& trainer, std::string_view full_name, int birth_year,
                              long long locality_id) {
  auto body = participantBody(full_name, birth_year, locality_id);
  body["not_duplicate"] = true;
  return createdId(trainer.post("/api/v1/participants", text(body)));
}

long long enrol(const Client& trainer, long long cohort_id, long long participant_id) {
  json::object body{{"participant_id", participant_id}};
  auto reply =
      trainer.post("/api/v1/cohorts/" + std::to_string(cohort_id) + "/enrolments", text(body));
  return createdId(reply, reply.status == 200 ? 200 : 201);
}

std::size_t countParticipants(const Client& admin) {
  std::size_t count = 0;
  long long after = 0;
  for (int page = 0; page < 1000; ++page) {
    auto body =
        expectJson(admin.get("/api/v1/participants?limit=100&after=" + std::to_string(after)), 200);
    count += items(body).size();
    const auto& next = body.at("next_after");
    if (next.is_null()) return count;
    after = next.to_number<long long>();
  }
  throw std::runtime_error("GET /api/v1/participants did not reach its end in 1000 pages");
}

const json::array& items(const json::value& list) {
  if (!list.is_object() || !list.as_object().contains("items") || !list.at("items").is_array()) {
    throw std::runtime_error("not a list ({\"items\": [...]}): " + text(list));
  }
  return list.at("items").as_array();
}

std::string text(const json::value& value) {
  return json::serialize(value);
}

void writeFile(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file) throw std::runtime_error("cannot write " + path.string());
}

std::string squeezeSpaces(std::string_view input) {
  std::string out;
  bool space = false;
  for (const char c : input) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string pdfText(std::string_view pdf) {
  support::http::TempDir dir("qft-pdf");
  writeFile(dir.path() / "document.pdf", pdf);
  auto result = support::http::runProcess(
      {"pdftotext", "-enc", "UTF-8", (dir.path() / "document.pdf").string(), "-"}, {}, {},
      std::chrono::seconds(30));
  if (result.exit_code != 0) throw std::runtime_error("pdftotext failed: " + result.describe());
  return squeezeSpaces(result.out);
}

}  // namespace functional
