#include "plugin/api/cookies.hpp"

#include <gtest/gtest.h>

#include <string>

namespace plugin::api {
namespace {

TEST(CookieValue, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(cookieValue("qatysu_session=abc", kSessionCookie), "abc");
  EXPECT_EQ(cookieValue("theme=dark; qatysu_session=abc; lang=kk", kSessionCookie), "abc");
  EXPECT_EQ(cookieValue("theme=dark;qatysu_session=abc", kSessionCookie), "abc");
  EXPECT_EQ(cookieValue("  theme=dark ;\t qatysu_session = abc \t; x=1", kSessionCookie), "abc");
  EXPECT_EQ(cookieValue("qatysu_session=\"abc\"", kSessionCookie), "abc");
  // Base64url values hold '-' and '_', and '=' after the first belongs to the value.
  EXPECT_EQ(cookieValue("qatysu_session=a-b_c==", kSessionCookie), "a-b_c==");
}

TEST(CookieValue, IgnoresMalformedPiecesAndOtherNames) {
  EXPECT_EQ(cookieValue("garbage; qatysu_session=abc", kSessionCookie), "abc");
  EXPECT_EQ(cookieValue(";;; =x; qatysu_session=abc;", kSessionCookie), "abc");
  EXPECT_EQ(cookieValue("qatysu_session_old=x; qatysu_session=abc", kSessionCookie), "abc");
  EXPECT_EQ(cookieValue("xqatysu_session=abc", kSessionCookie), std::nullopt);
  EXPECT_EQ(cookieValue("QATYSU_SESSION=abc", kSessionCookie), std::nullopt);
  EXPECT_EQ(cookieValue("qatysu_session", kSessionCookie), std::nullopt);
  EXPECT_EQ(cookieValue("", kSessionCookie), std::nullopt);
  EXPECT_EQ(cookieValue("theme=dark", kSessionCookie), std::nullopt);
}

TEST(CookieValue, TheFirstOfTwoWinsAndAnEmptyValueIsAValue) {
  EXPECT_EQ(cookieValue("qatysu_session=one; qatysu_session=two", kSessionCookie), "one");
  EXPECT_EQ(cookieValue("qatysu_session=; theme=dark", kSessionCookie), "");
  EXPECT_EQ(cookieValue("qatysu_session=\"", kSessionCookie), "\"");
}

TEST(SessionCookie, IsHttpOnlyStrictAndSecureOnlyWhenAsked) {
  EXPECT_EQ(sessionCookie("tok", std::chrono::hours{12}, false),
            "qatysu_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
  EXPECT_EQ(sessionCookie("tok", std::chrono::seconds{60}, true),
            "qatysu_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
  EXPECT_EQ(expiredSessionCookie(false),
            "qatysu_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  EXPECT_EQ(expiredSessionCookie(true),
            "qatysu_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
}

}  // namespace
}  // namespace plugin::api
