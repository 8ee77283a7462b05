#include "plugin/api/verify_page.hpp"

#include <gtest/gtest.h>

#include <string>

namespace plugin::api {
namespace {

courses::Certificate sample() {
  courses::Certificate c;
  c.serial = "LSG-EKZ-IP-2019-000123";
  c.full_name = "Әлия <b>Қасымова</b>";
  c.course_title = {"Жоспарлау", "Планирование", "Planning"};
  c.starts_on = "2019-04-02";
  c.ends_on = "2019-04-06";
  c.issuer = {"АРГО", "АРГО", "ARGO"};
  c.place = "Нұра ауылы";
  c.trainers = {"Дәурен Сейітов"};
  return c;
}

TEST(PageLanguageTest, ParameterThenAcceptLanguageThenKazakh) {
  EXPECT_EQ(pageLanguage("ru", "en"), PageLanguage::ru);
  EXPECT_EQ(pageLanguage("de", "en-GB,en;q=0.9"), PageLanguage::en);
  EXPECT_EQ(pageLanguage(std::nullopt, "de-DE,ru;q=0.5,en;q=0.8"), PageLanguage::en);
  EXPECT_EQ(pageLanguage(std::nullopt, "kk-KZ, ru;q=0.9"), PageLanguage::kk);
  EXPECT_EQ(pageLanguage(std::nullopt, "ru;q=0.3,en;q=0"), PageLanguage::ru);
  EXPECT_EQ(pageLanguage(std::nullopt, "de, fr"), PageLanguage::kk);
  EXPECT_EQ(pageLanguage(std::nullopt, ""), PageLanguage::kk);
  EXPECT_EQ(pageLanguage(std::nullopt, "en;q=nonsense"), PageLanguage::kk);
}

TEST(VerifyPageTest, EscapesEverythingItPrints) {
  EXPECT_EQ(htmlEscape(R"(<a href="x">'&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  const std::string page = verifyPage(sample(), "tok\"en", PageLanguage::kk);
  EXPECT_NE(page.find("Әлия &lt;b&gt;Қасымова&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<b>"), std::string::npos);
  EXPECT_EQ(page.find("tok\"en"), std::string::npos);
}

TEST(VerifyPageTest, SaysValidOrRevokedWithTheFactsAndNothingMore) {
  const std::string valid = verifyPage(sample(), "t", PageLanguage::en);
  EXPECT_NE(valid.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(valid.find("This certificate is valid"), std::string::npos);
  EXPECT_NE(valid.find("Planning"), std::string::npos);
  // Dates read as on the certificate in the page's language.
  EXPECT_NE(valid.find("2 April 2019 – 6 April 2019"), std::string::npos);
  EXPECT_NE(verifyPage(sample(), "t", PageLanguage::kk).find("2019 жылғы 2 сәуір – 2019 жылғы 6 сәуір"),
            std::string::npos);
  EXPECT_NE(valid.find("ARGO"), std::string::npos);
  EXPECT_NE(valid.find("name=\"viewport\""), std::string::npos);
  EXPECT_EQ(valid.find("<script"), std::string::npos);
  EXPECT_EQ(valid.find("http"), std::string::npos);  // no outside requests, no links out
  EXPECT_EQ(valid.find("Нұра ауылы"), std::string::npos);
  EXPECT_EQ(valid.find("Дәурен"), std::string::npos);

  courses::Certificate revoked = sample();
  revoked.status = courses::CertificateStatus::revoked;
  revoked.revoked_at = "2020-01-02T03:04:05Z";
  const std::string page = verifyPage(revoked, "t", PageLanguage::ru);
  EXPECT_NE(page.find("Сертификат отозван"), std::string::npos);
  EXPECT_NE(page.find("Планирование"), std::string::npos);
  EXPECT_NE(page.find("2 января 2020 г."), std::string::npos);
  EXPECT_NE(page.find("2 апреля 2019 г. – 6 апреля 2019 г."), std::string::npos);
}

TEST(VerifyPageTest, RevokedGivesTheReasonOnRed) {
  courses::Certificate revoked = sample();
  revoked.status = courses::CertificateStatus::revoked;
  revoked.revoked_at = "2020-01-02T03:04:05Z";
  revoked.revoked_reason = "Аты-жөні қате: <Мұқанова>";
  for (const auto& [language, label] :
       {std::pair{PageLanguage::kk, "Себебі"}, std::pair{PageLanguage::ru, "Причина"},
        std::pair{PageLanguage::en, "Reason"}}) {
    const std::string page = verifyPage(revoked, "t", language);
    EXPECT_NE(page.find("<p class=\"status revoked\">&#10008; "), std::string::npos);
    EXPECT_EQ(page.find("status valid"), std::string::npos);
    EXPECT_NE(page.find("<p class=\"reason\"><b>" + std::string(label) +
                        ":</b> Аты-жөні қате: &lt;Мұқанова&gt;</p>"),
              std::string::npos)
        << page;
  }
  // A valid certificate has no reason to give, even one left over.
  courses::Certificate valid = sample();
  valid.revoked_reason = "left over";
  const std::string page = verifyPage(valid, "t", PageLanguage::en);
  EXPECT_NE(page.find("<p class=\"status valid\">&#10004; This certificate is valid</p>"),
            std::string::npos);
  EXPECT_EQ(page.find("left over"), std::string::npos);
  EXPECT_EQ(page.find("class=\"reason\""), std::string::npos);
}

TEST(VerifyPageTest, ReadsOnAPhoneInSunlight) {
  const std::string page = verifyPage(sample(), "t", PageLanguage::kk);
  EXPECT_NE(page.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
            std::string::npos);
  EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
  // Large type, black on white, solid green and red verdicts with white text.
  EXPECT_NE(page.find("html{font-size:112.5%"), std::string::npos);
  EXPECT_NE(page.find("background:#fff;color:#000"), std::string::npos);
  EXPECT_NE(page.find(".valid{background:#14632d;color:#fff}"), std::string::npos);
  EXPECT_NE(page.find(".revoked{background:#a4161a;color:#fff}"), std::string::npos);
  // Nothing to fetch: no fonts, images, stylesheets or scripts from anywhere.
  for (const char* outside : {"url(", "@import", "<link", "<img", "<script", "src=", "http"}) {
    EXPECT_EQ(page.find(outside), std::string::npos) << outside;
  }
}

TEST(VerifyPageTest, LanguageLinksKeepTheSerialAndToken) {
  const std::string page = verifyPage(sample(), "Ab-_9+/", PageLanguage::ru);
  EXPECT_NE(page.find("<html lang=\"ru\">"), std::string::npos);
  // Query-only links stay on /verify/{serial}; the token is percent-encoded, then escaped.
  EXPECT_NE(page.find("<a href=\"?t=Ab-_9%2B%2F&amp;lang=kk\" hreflang=\"kk\" lang=\"kk\">"
                      "Қазақша</a>"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<a href=\"?t=Ab-_9%2B%2F&amp;lang=en\" hreflang=\"en\" lang=\"en\">"
                      "English</a>"),
            std::string::npos)
      << page;
  // The page's own language is shown, not linked.
  EXPECT_NE(page.find("<span lang=\"ru\" aria-current=\"page\">Русский</span>"), std::string::npos);
  EXPECT_EQ(page.find("hreflang=\"ru\""), std::string::npos);
  EXPECT_NE(page.find("<nav aria-label=\"Язык\">"), std::string::npos);
}

TEST(VerifyPageTest, NotFoundAndRateLimitPagesEchoNothing) {
  const std::string page = notFoundPage(PageLanguage::kk);
  EXPECT_NE(page.find("<html lang=\"kk\">"), std::string::npos);
  EXPECT_NE(page.find("Сертификат табылмады"), std::string::npos);
  EXPECT_EQ(page, notFoundPage(PageLanguage::kk));
  EXPECT_NE(tooManyRequestsPage(PageLanguage::en).find("Too many requests"), std::string::npos);
}

}  // namespace
}  // namespace plugin::api
