// The web app's files: GET / and /assets/… from a temporary asset directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <system_error>

#include "plugin/api/routes.hpp"
#include "routes_fixture.hpp"

namespace plugin::api {
namespace {

namespace fs = std::filesystem;
using http::beast_http::field;

constexpr const char* kSecret = "top secret bytes";

void writeFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

/// The routing table with its asset directory in a fresh temporary directory, next to a secret
/// file that must never be served.
class StaticFilesTest : public RoutesTest {
 protected:
  StaticFilesTest()
      : root_(fs::temp_directory_path() /
              ("qatysu-static-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(root_);
    writeFile(root_ / "secret.txt", kSecret);
    writeFile(root_ / "web" / "index.html", "<!doctype html><title>t</title>");
    writeFile(root_ / "web" / "assets" / "app.css", "body{color:red}");
    writeFile(root_ / "web" / "assets" / "app.css.gz", "GZIPPED-CSS");
    writeFile(root_ / "web" / "assets" / "fonts" / "a.woff2", "wOF2");
    writeFile(root_ / "web" / "assets" / "a" / "b", "nested");
    writeFile(root_ / "web" / "sw.js", "self.addEventListener('fetch', () => {});");
    useLoginNote("");
  }

  /// Routes again with `web.login_note` set to `note` (and `demo_loaded` answering whether the
  /// demo is loaded, when given).
  void useLoginNote(const std::string& note, std::function<bool()> demo_loaded = {}) {
    router_ = http::Router{};
    Dependencies deps{catalogue_,
                      cohorts_,
                      participants_,
                      enrolments_,
                      attendance_,
                      profiles_,
                      auth_,
                      accounts_,
                      health_,
                      metrics_,
                      certificates_,
                      key_,
                      "https://qatysu.example.kz",
                      totals_,
                      history_,
                      data_rights_,
                      fonts_,
                      (root_ / "web").string(),
                      note};
    deps.demo_loaded = std::move(demo_loaded);
    registerRoutes(router_, deps);
  }
  ~StaticFilesTest() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  http::Response get(const std::string& target,
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    return call(verb::get, target, {}, {}, {}, std::move(headers));
  }

  /// A request the router may refuse itself; either way, never the secret.
  void expectRefused(const std::string& target) {
    const auto matched = router_.match(verb::get, target);
    if (!std::holds_alternative<http::Router::Match>(matched)) return;
    const auto response = get(target);
    EXPECT_TRUE(response.result() == Status::not_found || response.result() == Status::bad_request)
        << target << " answered " << response.result_int();
    EXPECT_EQ(response.body().find(kSecret), std::string::npos) << target;
  }

  fs::path root_;
};

TEST_F(StaticFilesTest, ServesTheIndexAsHtmlWithoutLongCaching) {
  const auto response = get("/");
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(response[field::cache_control], "no-cache");
  EXPECT_EQ(response.body(), "<!doctype html><title>t</title>");
  EXPECT_FALSE(response[field::etag].empty());
}

TEST_F(StaticFilesTest, ServesAssetsWithTheirTypeAndImmutableCaching) {
  const auto css = get("/assets/app.css");
  EXPECT_EQ(css.result(), Status::ok);
  EXPECT_EQ(css[field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(css[field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(css.body(), "body{color:red}");
  EXPECT_TRUE(css[field::content_encoding].empty());

  const auto font = get("/assets/fonts/a.woff2");
  EXPECT_EQ(font.result(), Status::ok);
  EXPECT_EQ(font[field::content_type], "font/woff2");
  EXPECT_EQ(font.body(), "wOF2");
}

TEST_F(StaticFilesTest, AMatchingETagAnswersNotModified) {
  const auto first = get("/assets/app.css");
  const std::string tag(first[field::etag]);
  ASSERT_FALSE(tag.empty());
  EXPECT_EQ(tag.front(), '"');  // strong: no W/ prefix

  const auto again = get("/assets/app.css", {{"If-None-Match", "\"other\", " + tag}});
  EXPECT_EQ(again.result(), Status::not_modified);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(again[field::etag], tag);

  const auto changed = get("/assets/app.css", {{"If-None-Match", "\"other\""}});
  EXPECT_EQ(changed.result(), Status::ok);
  EXPECT_EQ(changed.body(), "body{color:red}");
}

TEST_F(StaticFilesTest, IfNoneMatchComparesWeaklyAsRfc9110Asks) {
  const std::string tag(get("/assets/app.css")[field::etag]);
  // A cache that weakened the tag (as gzip-ing proxies do) still gets its 304.
  EXPECT_EQ(get("/assets/app.css", {{"If-None-Match", "W/" + tag}}).result(), Status::not_modified);
  EXPECT_EQ(get("/assets/app.css", {{"If-None-Match", "\"other\",\t" + tag + " "}}).result(),
            Status::not_modified);
}

TEST_F(StaticFilesTest, ServesTheGzipCopyOnlyWhenAccepted) {
  const auto gzipped = get("/assets/app.css", {{"Accept-Encoding", "br, gzip;q=0.8"}});
  EXPECT_EQ(gzipped.result(), Status::ok);
  EXPECT_EQ(gzipped[field::content_encoding], "gzip");
  EXPECT_EQ(gzipped[field::vary], "Accept-Encoding");
  EXPECT_EQ(gzipped[field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(gzipped.body(), "GZIPPED-CSS");

  const auto plain = get("/assets/app.css", {{"Accept-Encoding", "br"}});
  EXPECT_TRUE(plain[field::content_encoding].empty());
  EXPECT_EQ(plain.body(), "body{color:red}");
  EXPECT_NE(plain[field::etag], gzipped[field::etag]);

  const auto refused = get("/assets/app.css", {{"Accept-Encoding", "gzip;q=0"}});
  EXPECT_TRUE(refused[field::content_encoding].empty());
  EXPECT_EQ(refused.body(), "body{color:red}");

  // No .gz copy: the file itself, even when gzip is welcome.
  const auto font = get("/assets/fonts/a.woff2", {{"Accept-Encoding", "gzip"}});
  EXPECT_TRUE(font[field::content_encoding].empty());
  EXPECT_EQ(font.body(), "wOF2");
}

TEST_F(StaticFilesTest, NothingOutsideTheAssetDirectoryIsServed) {
  fs::create_symlink(root_ / "secret.txt", root_ / "web" / "assets" / "link.txt");
  expectRefused("/assets/../secret.txt");
  expectRefused("/assets/../../secret.txt");
  expectRefused("/assets/%2e%2e/secret.txt");
  expectRefused("/assets/%2E%2E/secret.txt");
  expectRefused("/assets/..%2fsecret.txt");
  expectRefused("/assets/..%2F..%2Fsecret.txt");
  expectRefused("/assets/a%2fb");
  expectRefused("/assets/..%5csecret.txt");
  expectRefused("/assets/..\\secret.txt");
  expectRefused("/assets/app.css%00.txt");
  expectRefused("/assets/%2fetc%2fpasswd");
  expectRefused("/assets/link.txt");
  expectRefused("/assets/.");
  // The nested file exists, so a refusal of "a%2fb" is the rule, not its absence.
  EXPECT_EQ(get("/assets/a/b").body(), "nested");
}

TEST_F(StaticFilesTest, AnUnknownFileIsNotFoundAsProblemJson) {
  const auto response = get("/assets/missing.js");
  EXPECT_EQ(response.result(), Status::not_found);
  EXPECT_EQ(response[field::content_type], "application/problem+json");
  const auto directory = get("/assets/fonts");
  EXPECT_EQ(directory.result(), Status::not_found);
}

TEST_F(StaticFilesTest, AMissingAssetDirectoryAnswersNotFound) {
  fs::remove_all(root_ / "web");
  EXPECT_EQ(get("/").result(), Status::not_found);
}

TEST_F(StaticFilesTest, EveryAddressOfTheAppIsItsPage) {
  for (const char* target : {"/app", "/app/login", "/app/cohorts/12", "/app/cohorts/12/register",
                             "/app/my/certificates/7/qr"}) {
    const auto response = get(target);
    EXPECT_EQ(response.result(), Status::ok) << target;
    EXPECT_EQ(response.body(), "<!doctype html><title>t</title>") << target;
    EXPECT_EQ(response[field::cache_control], "no-cache") << target;
  }
}

TEST_F(StaticFilesTest, ServesTheServiceWorkerFromTheRootWithoutLongCaching) {
  const auto response = get("/sw.js");
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[field::content_type].substr(0, 22), "text/javascript; chars");
  EXPECT_EQ(response[field::cache_control], "no-cache");
  EXPECT_EQ(response.body(), "self.addEventListener('fetch', () => {});");
}

TEST_F(StaticFilesTest, TheLoginNoteIsAMetaTagInTheHead) {
  writeFile(root_ / "web" / "index.html",
            "<html><head><title>t</title></head><body></body></html>");
  writeFile(root_ / "web" / "index.html.gz", "GZIPPED-INDEX");
  useLoginNote("demo");
  const auto response = get("/app/login", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[field::content_encoding], "");
  EXPECT_EQ(response.body(),
            "<html><head><title>t</title><meta name=\"qatysu-login-note\" content=\"demo\" />"
            "</head><body></body></html>");
  EXPECT_EQ(response[field::content_length], std::to_string(response.body().size()));
}

TEST_F(StaticFilesTest, TheDemoNoteOnlyWhileTheDemoIsLoaded) {
  writeFile(root_ / "web" / "index.html",
            "<html><head><title>t</title></head><body></body></html>");
  bool loaded = false;
  int asked = 0;
  useLoginNote("demo", [&] {
    ++asked;
    return loaded;
  });
  EXPECT_EQ(get("/app/login").body(), "<html><head><title>t</title></head><body></body></html>");
  loaded = true;  // asked again for the next page: loaded since
  EXPECT_NE(get("/app/login").body().find("content=\"demo\""), std::string::npos);
  EXPECT_EQ(asked, 2);
  // Another note is not about the demo, and is not asked about.
  useLoginNote("pilot", [&] {
    ++asked;
    return false;
  });
  EXPECT_NE(get("/").body().find("content=\"pilot\""), std::string::npos);
  EXPECT_EQ(asked, 2);
}

TEST_F(StaticFilesTest, TheLoginNoteKeepsOnlyLettersAndHyphens) {
  useLoginNote("\"><script>alert(1)</script>");
  const auto response = get("/");
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body().find("<script>"), std::string::npos);
  EXPECT_NE(response.body().find("content=\"scriptalertscript\""), std::string::npos);
}

}  // namespace
}  // namespace plugin::api
