#include "plugin/security/secrets.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <vector>

#include "courses/error.hpp"

namespace plugin::security {

namespace {

std::string base64url(const unsigned char* bytes, std::size_t size) {
  std::string text(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, size,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(text.find('\0'));
  return text;
}

}  // namespace

void ensureSodium() {
  // A function-local static runs sodium_init exactly once even with concurrent first callers.
  static const int result = sodium_init();
  if (result < 0) {
    throw courses::Error(courses::ErrorCode::internal, "libsodium could not be initialised");
  }
}

std::string digestHex(std::string_view secret) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr,
                     0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_generichash_BYTES * 2);
}

std::string randomToken(std::size_t bytes) {
  ensureSodium();
  std::vector<unsigned char> random(bytes);
  randombytes_buf(random.data(), random.size());
  std::string text = base64url(random.data(), random.size());
  sodium_memzero(random.data(), random.size());
  return text;
}

SodiumAccessCodeSecrets::SodiumAccessCodeSecrets() {
  ensureSodium();
}

std::string SodiumAccessCodeSecrets::newCode() const {
  std::string code(courses::kAccessCodeLength, '0');
  for (char& c : code) {
    c = courses::kAccessCodeAlphabet[randombytes_uniform(
        static_cast<uint32_t>(courses::kAccessCodeAlphabet.size()))];
  }
  return code;
}

SecretBoxSealer::SecretBoxSealer(std::string_view secret, std::string_view context) {
  static_assert(sizeof key_ == crypto_secretbox_KEYBYTES);
  ensureSodium();
  // generichash keys are 16..64 bytes: the context is the key, the secret the message.
  std::array<unsigned char, crypto_generichash_KEYBYTES_MAX> context_key{};
  const std::size_t key_size =
      std::min<std::size_t>(std::max<std::size_t>(context.size(), crypto_generichash_KEYBYTES_MIN),
                            crypto_generichash_KEYBYTES_MAX);
  std::copy_n(context.begin(), std::min(context.size(), key_size), context_key.begin());
  crypto_generichash(key_, sizeof key_, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), context_key.data(), key_size);
}

SecretBoxSealer::~SecretBoxSealer() {
  sodium_memzero(key_, sizeof key_);
}

std::string SecretBoxSealer::seal(std::string_view plaintext) const {
  std::vector<unsigned char> sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                    plaintext.size());
  randombytes_buf(sealed.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(sealed.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        sealed.data(), key_);
  return base64url(sealed.data(), sealed.size());
}

std::optional<std::string> SecretBoxSealer::open(std::string_view token) const {
  // Nothing a sealer makes is long; a long "token" is refused before any work.
  constexpr std::size_t kMaxTokenChars = 512;
  if (token.size() > kMaxTokenChars) return std::nullopt;
  std::vector<unsigned char> sealed(token.size());
  std::size_t size = 0;
  if (sodium_base642bin(sealed.data(), sealed.size(), token.data(), token.size(), nullptr, &size,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      size < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  std::string plaintext(size - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                 sealed.data() + crypto_secretbox_NONCEBYTES,
                                 size - crypto_secretbox_NONCEBYTES, sealed.data(), key_) != 0) {
    return std::nullopt;
  }
  return plaintext;
}

}  // namespace plugin::security
