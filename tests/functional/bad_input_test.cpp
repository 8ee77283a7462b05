// Bad input gets an application/problem+json answer and changes nothing: every case is checked
// by counting the stored participants (as the admin) before and after.

#include <string>
#include <vector>

#include "fixture.hpp"

namespace functional {
namespace {

class BadInput : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    startService("qft_bad", [] {
      trainer_ = newAccount("trainer", "trainer.bad");
      catalogue_ = createCatalogue(as(admin_), "FT-BAD");
      victim_ = registerParticipant(as(trainer_), "Ақмарал Бекенқызы Тілеуова", 1992,
                                    catalogue_.village_id);
    });
  }
  static void TearDownTestSuite() { stopService(); }

  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;
    count_before_ = countParticipants(as(admin_));
    victim_before_ = as(admin_).get(victimPath()).body;
  }
  void TearDown() override {
    if (!HasFatalFailure() && count_before_ > 0) {
      EXPECT_EQ(countParticipants(as(admin_)), count_before_)
          << "a rejected request stored a participant";
      EXPECT_EQ(as(admin_).get(victimPath()).body, victim_before_)
          << "a rejected request changed a participant";
    }
  }

  static std::string victimPath() { return "/api/v1/participants/" + std::to_string(victim_); }

  /// A valid registration body as text, with `name` as full_name.
  static std::string validBody(std::string_view name) {
    auto body = participantBody(name, 1985, catalogue_.village_id);
    body["not_duplicate"] = true;
    return text(body);
  }

  /// A raw POST /api/v1/participants with the trainer's token, `extra_headers` (each ending in
  /// CRLF) and `body` exactly as given (framing included in extra_headers).
  static Reply rawPost(const std::string& extra_headers, const std::string& body) {
    auto client = as(trainer_);
    std::string request =
        "POST /api/v1/participants HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer " +
        trainer_.token + "\r\nContent-Type: application/json\r\n" + extra_headers + "\r\n" + body;
    return client.sendRaw(request);
  }

  static std::string slug(const Reply& reply) {
    auto type = std::string(reply.json().at("type").as_string());
    return type.substr(type.rfind('/') + 1);
  }

  static inline Account trainer_;
  static inline Catalogue catalogue_;
  static inline long long victim_ = 0;
  std::size_t count_before_ = 0;
  std::string victim_before_;
};

/// `count` code points taken cyclically from a Kazakh name, never ending in a space.
std::string kazakhNameOf(std::size_t count) {
  static const std::vector<std::string> kPattern = {"Ә", "л", "и", "я", " ", "Қ", "а", "с",
                                                    "ы", "м", "о", "в", "а", "-", "Ө", "ң",
                                                    "ү", "һ", "і", "ғ", "ұ", " "};
  std::string name;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& cp = kPattern[i % kPattern.size()];
    bool edge = i == 0 || i + 1 == count;
    name += edge && (cp == " " || cp == "-") ? std::string("а") : cp;
  }
  return name;
}

TEST_F(BadInput, MalformedJson) {
  auto reply = as(trainer_).post("/api/v1/participants", R"({"full_name": "Бота", "gender": )");
  ASSERT_TRUE(isProblem(reply, {400}));
  EXPECT_EQ(slug(reply), "invalid-request");
}

TEST_F(BadInput, EmptyBody) {
  EXPECT_TRUE(isProblem(
      as(trainer_).post("/api/v1/participants", "", {{"Content-Type", "application/json"}}),
      {400}));
}

TEST_F(BadInput, JsonNested33Deep) {
  // The object is level 1; 32 arrays inside it make 33 levels.
  std::string deep = std::string(32, '[') + std::string(32, ']');
  std::string body = validBody("Терең Жасон");
  body.insert(body.size() - 1, R"(,"vulnerable_x":)" + deep);
  auto reply = as(trainer_).post("/api/v1/participants", body);
  EXPECT_TRUE(isProblem(reply, {400}));
  // Deep nesting alone, in a member that exists.
  auto object = participantBody("Терең Жасон", 1985, catalogue_.village_id);
  std::string nested = text(object);
  std::string members = nested.substr(1, nested.size() - 2);
  std::string deep_only = "{" + members + R"(,"not_duplicate":)" + std::string(40, '[') + "true" +
                          std::string(40, ']') + "}";
  EXPECT_TRUE(isProblem(as(trainer_).post("/api/v1/participants", deep_only), {400}));
  // Far deeper than any stack should take.
  std::string very_deep = std::string(100000, '[') + std::string(100000, ']');
  auto huge = as(trainer_).post("/api/v1/participants", very_deep.substr(0, 60000));
  EXPECT_TRUE(isProblem(huge, {400}));
}

TEST_F(BadInput, BodyOver64KiBIs413) {
  std::string body = validBody(std::string(70 * 1024, 'a'));
  auto reply = as(trainer_).post("/api/v1/participants", body);
  EXPECT_TRUE(isProblem(reply, {413}));
  // The same with chunked framing, where the size is not announced up front.
  std::string chunked;
  for (std::size_t offset = 0; offset < body.size(); offset += 8192) {
    std::string piece = body.substr(offset, 8192);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    chunked += std::string(size) + "\r\n" + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  EXPECT_TRUE(isProblem(rawPost("Transfer-Encoding: chunked\r\n", chunked), {413}));
}

TEST_F(BadInput, HeaderBlockOver8KiBIs431) {
  std::string body = validBody("Ұзын Тақырыпты");
  auto reply = rawPost("X-Filler: " + std::string(9 * 1024, 'x') +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n",
                       body);
  EXPECT_TRUE(isProblem(reply, {431}));
}

TEST_F(BadInput, InvalidUtf8InAName) {
  const std::vector<std::pair<std::string, std::string>> names = {
      {"overlong slash", "Әлия \xC0\xAF Қасымова"}, {"surrogate", "Әлия \xED\xA0\x80 Қасымова"},
      {"stray continuation", "Әлия \x80 Қасымова"}, {"truncated sequence", "Әлия Қасымов\xD0"},
      {"above U+10FFFF", "Әлия \xF4\x90\x80\x80"},
  };
  for (const auto& [what, name] : names) {
    SCOPED_TRACE(what);
    std::string body = R"({"full_name":")" + name +
                       R"(","gender":"female","birth_year":1985,"locality_id":)" +
                       std::to_string(catalogue_.village_id) +
                       R"(,"affiliation":"other","vulnerable":[],"phone":null,"email":null,)"
                       R"("consent":true,"not_duplicate":true})";
    auto reply = as(trainer_).post("/api/v1/participants", body);
    EXPECT_TRUE(isProblem(reply, {400, 422}));
    // The answer must itself be valid JSON (no echo of the broken bytes).
    EXPECT_NO_THROW(reply.json());
  }
}

TEST_F(BadInput, EscapedLoneSurrogateAndControlCharacters) {
  for (const char* name : {R"(Әлия \ud800 Қасымова)", R"(Әлия \u0007 Қасымова)",
                           R"(Әлия \u0000 Қасымова)", R"(Әлия\nҚасымова)"}) {
    SCOPED_TRACE(name);
    std::string body = std::string(R"({"full_name":")") + name +
                       R"(","gender":"female","birth_year":1985,"locality_id":)" +
                       std::to_string(catalogue_.village_id) +
                       R"(,"affiliation":"other","vulnerable":[],"phone":null,"email":null,)"
                       R"("consent":true,"not_duplicate":true})";
    EXPECT_TRUE(isProblem(as(trainer_).post("/api/v1/participants", body), {400, 422}));
  }
}

TEST_F(BadInput, NameOf201CodePointsIs422) {
  auto reply = as(trainer_).post("/api/v1/participants", validBody(kazakhNameOf(201)));
  ASSERT_TRUE(isProblem(reply, {422}));
  EXPECT_EQ(slug(reply), "invalid-field");
  EXPECT_EQ(as(trainer_).post("/api/v1/participants", validBody("")).status, 422u);
  EXPECT_EQ(as(trainer_).post("/api/v1/participants", validBody("   ")).status, 422u);
}

TEST_F(BadInput, NameOf200CodePointsIsAccepted) {
  // The limit counts code points, not bytes: 200 two-byte letters pass.
  auto name = kazakhNameOf(200);
  auto reply = as(trainer_).post("/api/v1/participants", validBody(name));
  auto body = expectJson(reply, 201);
  EXPECT_EQ(body.at("full_name").as_string(), name);
  ++count_before_;
}

TEST_F(BadInput, UnknownField) {
  std::string body = validBody("Белгісіз Өріс");
  body.insert(body.size() - 1, R"(,"nickname":"Ақ")");
  auto reply = as(trainer_).post("/api/v1/participants", body);
  ASSERT_TRUE(isProblem(reply, {400}));
  EXPECT_EQ(slug(reply), "invalid-request");
}

TEST_F(BadInput, WrongTypes) {
  const std::vector<std::pair<std::string, json::value>> cases = {
      {"birth_year", "1990"}, {"birth_year", 1990.5}, {"full_name", nullptr},
      {"full_name", 42},      {"consent", "yes"},     {"vulnerable", "youth"},
      {"locality_id", "1"},   {"phone", 87010000000}, {"not_duplicate", "true"},
  };
  for (const auto& [field, value] : cases) {
    SCOPED_TRACE(field + " = " + text(value));
    auto body = participantBody("Қате Түрі", 1990, catalogue_.village_id);
    body["not_duplicate"] = true;
    body[field] = value;
    auto reply = as(trainer_).post("/api/v1/participants", text(body));
    EXPECT_TRUE(isProblem(reply, {400}));
  }
  EXPECT_TRUE(isProblem(as(trainer_).post("/api/v1/participants", "[]"), {400}));
  EXPECT_TRUE(isProblem(as(trainer_).post("/api/v1/participants", "\"text\""), {400}));
}

TEST_F(BadInput, InvalidValues) {
  const std::vector<std::pair<std::string, json::value>> cases = {
      {"birth_year", 1800},
      {"birth_year", 2999},
      {"gender", "unknown"},
      {"affiliation", "pirate"},
      {"vulnerable", json::array{"rich"}},
      {"locality_id", 987654321},
      {"consent", false},
      {"email", "not an e-mail"},
  };
  for (const auto& [field, value] : cases) {
    SCOPED_TRACE(field + " = " + text(value));
    auto body = participantBody("Жарамсыз Мән", 1990, catalogue_.village_id);
    body["not_duplicate"] = true;
    body[field] = value;
    auto reply = as(trainer_).post("/api/v1/participants", text(body));
    EXPECT_TRUE(isProblem(reply, {400, 404, 422}));
  }
}

TEST_F(BadInput, TransferEncodingOtherThanChunked) {
  std::string body = validBody("Гзип Кодтама");
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  std::string chunked = std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n";
  EXPECT_TRUE(isProblem(rawPost("Transfer-Encoding: gzip, chunked\r\n", chunked), {400, 501}));
  EXPECT_TRUE(isProblem(rawPost("Transfer-Encoding: gzip\r\n", body), {400, 501}));
  EXPECT_TRUE(isProblem(rawPost("Transfer-Encoding: chunked, chunked\r\n", chunked), {400, 501}));
  // Both framings at once is request smuggling material.
  EXPECT_TRUE(isProblem(rawPost("Transfer-Encoding: chunked\r\nContent-Length: " +
                                    std::to_string(chunked.size()) + "\r\n",
                                chunked),
                        {400}));
}

TEST_F(BadInput, PlainChunkedBodyIsAccepted) {
  std::string body = validBody("Бөлшектелген Дене");
  std::string chunked;
  for (std::size_t offset = 0; offset < body.size(); offset += 50) {
    std::string piece = body.substr(offset, 50);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    chunked += std::string(size) + "\r\n" + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  auto reply = rawPost("Transfer-Encoding: chunked\r\n", chunked);
  EXPECT_EQ(reply.status, 201u) << reply.describe();
  if (reply.status == 201) ++count_before_;
}

TEST_F(BadInput, MissingOrBadAuthIs401) {
  auto body = validBody("Кілтсіз Келген");
  EXPECT_TRUE(isProblem(anonymous().post("/api/v1/participants", body), {401}));
  EXPECT_TRUE(
      isProblem(anonymous().withToken("not-a-token").post("/api/v1/participants", body), {401}));
  support::http::Request basic;
  basic.method = "POST";
  basic.target = "/api/v1/participants";
  basic.body = body;
  basic.headers = {{"Authorization", "Basic dHJhaW5lcjpwYXNzd29yZA=="}};
  EXPECT_TRUE(isProblem(anonymous().send(basic), {401}));
}

TEST_F(BadInput, WrongContentTypeIs415) {
  support::http::Request request;
  request.method = "POST";
  request.target = "/api/v1/participants";
  request.body = validBody("Мәтін Түрі");
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
    SCOPED_TRACE(type);
    request.headers = {{"Content-Type", type}};
    EXPECT_TRUE(isProblem(as(trainer_).send(request), {415}));
  }
}

TEST_F(BadInput, JsonWithCharsetIsAccepted) {
  support::http::Request request;
  request.method = "POST";
  request.target = "/api/v1/participants";
  request.body = validBody("Кодтамасы Бар");
  request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  auto reply = as(trainer_).send(request);
  EXPECT_EQ(reply.status, 201u) << reply.describe();
  if (reply.status == 201) ++count_before_;
}

TEST_F(BadInput, BadPatchesChangeNothing) {
  const std::vector<std::pair<std::string, std::string>> patches = {
      {"malformed", R"({"full_name": )"},
      {"unknown field", R"({"nickname":"Ақ"})"},
      {"wrong type", R"({"birth_year":"1990"})"},
      {"invalid utf-8", "{\"full_name\":\"\xC0\xAF\"}"},
      {"too long", text(json::object{{"full_name", kazakhNameOf(201)}})},
      {"id is not patchable", R"({"id":1})"},
      {"valid field then a bad one", R"({"phone":"+7 700 111 2233","birth_year":1500})"},
  };
  for (const auto& [what, patch] : patches) {
    SCOPED_TRACE(what);
    EXPECT_TRUE(isProblem(as(trainer_).edit(victimPath(), patch), {400, 422}));
  }
  support::http::Request request;
  request.method = "PATCH";
  request.target = victimPath();
  request.body = R"({"phone":"+7 700 111 2233"})";
  request.headers = {{"Content-Type", "text/plain"}, {"If-Match", "*"}};
  EXPECT_TRUE(isProblem(as(trainer_).send(request), {415}));
}

TEST_F(BadInput, AnUnknownLocalityIsAFieldProblemWhateverTheRegistration) {
  for (const bool not_duplicate : {false, true}) {
    SCOPED_TRACE(not_duplicate ? "confirmed as new" : "first attempt");
    auto body = participantBody("Жоқ Мекенді", 1985, 999999);
    body["not_duplicate"] = not_duplicate;
    auto reply = as(trainer_).post("/api/v1/participants", text(body));
    ASSERT_TRUE(isProblem(reply, {400, 422})) << reply.describe();
    const auto problem = reply.json();
    ASSERT_TRUE(problem.as_object().contains("errors")) << reply.describe();
    EXPECT_EQ(problem.at("errors").at(0).at("field").as_string(), "locality_id");
    EXPECT_EQ(problem.at("errors").at(0).at("message").as_string(),
              "does not name a known locality");
  }
}

TEST_F(BadInput, UnknownRouteAndMethod) {
  EXPECT_TRUE(isProblem(as(trainer_).get("/api/v1/no-such-thing"), {404}));
  EXPECT_TRUE(isProblem(as(trainer_).del(victimPath()), {405}));
}

}  // namespace
}  // namespace functional
