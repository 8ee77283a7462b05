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
  EXPECT_NE(valid.find("2019-04-02 – 2019-04-06"), std::string::npos);
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
  EXPECT_NE(page.find("2020-01-02"), std::string::npos);
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
