#include "certificates/file_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace certificates {
namespace {

bool isSafeFileName(const std::string& name) {
  for (const char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!allowed) return false;
  }
  return !name.empty() && name.size() <= 120 && name.front() != '.' &&
         name.find("..") == std::string::npos;
}

TEST(Transliterate, EveryKazakhLetter) {
  EXPECT_EQ(transliterate("әғқңөұүһі"), "agqnouuhi");
  EXPECT_EQ(transliterate("ӘҒҚҢӨҰҮҺІ"), "AGQNOUUHI");
}

TEST(Transliterate, RussianLettersIncludingTheMultiLetterOnes) {
  EXPECT_EQ(transliterate("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
            "abvgdeyozhziyklmnoprstufkhtschshshchyeyuya");
  EXPECT_EQ(transliterate("Щукина Ёлка Юлия Яковлевна Жанна Шамиль Цой Хасен"),
            "Shchukina_Yolka_Yuliya_Yakovlevna_Zhanna_Shamil_Tsoy_Khasen");
}

TEST(Transliterate, KazakhNames) {
  EXPECT_EQ(transliterate("Әлия Қасымова"), "Aliya_Qasymova");
  EXPECT_EQ(transliterate("Ғалымжан Өтепбергенұлы"), "Galymzhan_Otepbergenuly");
  EXPECT_EQ(transliterate("Іңкәр Үсенова"), "Inkar_Usenova");
}

TEST(Transliterate, CapitalsInsideAllCapsWordsStayCapitals) {
  EXPECT_EQ(transliterate("ЖАНАР ШАЙХЫ"), "ZHANAR_SHAYKHY");
  EXPECT_EQ(transliterate("ҚАСЫМОВ Ш."), "QASYMOV_Sh");
}

TEST(Transliterate, SeparatorsCollapseAndApostrophesJoin) {
  EXPECT_EQ(transliterate("  Анна-Мария   О'Брайен  "), "Anna_Mariya_OBrayen");
  EXPECT_EQ(transliterate("Ernar, Zhanna / Dana"), "Ernar_Zhanna_Dana");
  EXPECT_EQ(transliterate("Ғабит’ұлы"), "Gabituly");
}

TEST(Transliterate, LatinLettersLoseTheirMarks) {
  EXPECT_EQ(transliterate("Zoë Müller-Çelik"), "Zoe_Muller_Celik");
  EXPECT_EQ(transliterate("Straße Łukasz"), "Strasse_Lukasz");
  EXPECT_EQ(transliterate("Sam 2nd"), "Sam_2nd");
}

TEST(Transliterate, CharactersWithNoAsciiFormSeparateWords) {
  EXPECT_EQ(transliterate("Dana😀Ernar"), "Dana_Ernar");
  EXPECT_EQ(transliterate("中文"), "");
  EXPECT_EQ(transliterate(""), "");
}

TEST(Transliterate, InvalidUtf8IsSafe) {
  EXPECT_EQ(transliterate("Ali\xff\xfe"
                          "ya"),
            "Ali_ya");
  EXPECT_EQ(transliterate("\xd0"), "");
}

TEST(CertificateFileName, SerialThenTransliteratedName) {
  EXPECT_EQ(certificateFileName("LSG-EKZ-IP-2019-000123", "Әлия Қасымова"),
            "LSG-EKZ-IP-2019-000123_Aliya_Qasymova.pdf");
}

TEST(CertificateFileName, LongNamesAreCutToAHundredTwentyBytes) {
  std::string long_name;
  for (int i = 0; i < 40; ++i) long_name += "Ұлжан ";
  const auto name = certificateFileName("LSG-EKZ-IP-2019-000123", long_name);
  EXPECT_LE(name.size(), 120u);
  EXPECT_TRUE(name.ends_with(".pdf"));
  EXPECT_FALSE(name.ends_with("_.pdf"));
  EXPECT_TRUE(name.starts_with("LSG-EKZ-IP-2019-000123_Ulzhan_Ulzhan"));
  EXPECT_TRUE(isSafeFileName(name)) << name;
}

TEST(CertificateFileName, NothingUnsafeGetsThrough) {
  const auto name = certificateFileName("../../etc/passwd\"\r\n", "Ali\"; rm -rf /\r\nX: y");
  EXPECT_TRUE(isSafeFileName(name)) << name;
  EXPECT_EQ(name, "etc_passwd_Ali_rm_rf_X_y.pdf");
  EXPECT_TRUE(isSafeFileName(certificateFileName(std::string(300, 'S'), "Dana")));
  EXPECT_LE(certificateFileName(std::string(300, 'S'), "Dana").size(), 120u);
}

TEST(CertificateFileName, NamesWithNoAsciiFormLeaveTheSerial) {
  EXPECT_EQ(certificateFileName("LSG-EKZ-IP-2019-000001", "中文"), "LSG-EKZ-IP-2019-000001.pdf");
  EXPECT_EQ(certificateFileName("", ""), "certificate.pdf");
}

}  // namespace
}  // namespace certificates
