#include "certificates/signing.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>
#include <vector>

#include "certificates/error.hpp"

namespace certificates {

namespace {

constexpr std::string_view kPayloadHeader = "QATYSU-CERT-1";
constexpr std::size_t kSeedBytes = crypto_sign_SEEDBYTES;
// A key file holds one line of 43 characters; anything much longer is not a key file.
constexpr std::size_t kMaxKeyFileBytes = 1024;

void ensureSodium() {
  // A function-local static runs sodium_init exactly once even with concurrent first callers.
  static const int result = sodium_init();
  if (result < 0) throw Error(Error::Kind::internal, "", "libsodium could not be initialised");
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool isValidUtf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t code_point = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07u;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u) return false;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000) ||
        (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
      return false;
    }
    i += length;
  }
  return true;
}

bool holdsLineBreak(std::string_view text) noexcept {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

// The fields in the order the payload carries them; one list keeps writer and parser in step.
template <typename Fields>
auto fieldsInOrder(Fields& fields) {
  return std::array{&fields.serial,    &fields.full_name, &fields.course_title, &fields.hours,
                    &fields.starts_on, &fields.ends_on,   &fields.issuer};
}
constexpr std::array<std::string_view, 7> kFieldNames = {
    "serial", "full_name", "course_title", "hours", "starts_on", "ends_on", "issuer"};

std::string_view asChars(const unsigned char* bytes, std::size_t size) {
  return {reinterpret_cast<const char*>(bytes), size};
}
const unsigned char* asBytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string trimmed(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kSpace);
  return std::string(text.substr(first, last - first + 1));
}

std::string errnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// Owns a file descriptor so every path out of key creation closes it.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const noexcept { return fd_; }
  /// Closes now, reporting the error a deferred write may only show here.
  int close() noexcept {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

// The file's text, or nullopt when it does not exist.
std::optional<std::string> readKeyFile(const std::filesystem::path& file) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw Error(Error::Kind::io, "key_file",
                "cannot read the signing key file " + file.string() + ": " + errnoText(errno));
  }
  std::string text(kMaxKeyFileBytes, '\0');
  std::size_t size = 0;
  while (size < text.size()) {
    const auto n = ::read(fd.get(), text.data() + size, text.size() - size);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(Error::Kind::io, "key_file",
                  "cannot read the signing key file " + file.string() + ": " + errnoText(errno));
    }
    size += static_cast<std::size_t>(n);
  }
  text.resize(size);
  return text;
}

SigningKey keyFromFileText(const std::filesystem::path& file, std::string_view text) {
  const auto seed = base64UrlDecode(trimmed(text));
  if (!seed || seed->size() != kSeedBytes) {
    throw Error(Error::Kind::invalid_input, "key_file",
                "the signing key file " + file.string() +
                    " does not hold a key (one line: a 32-byte seed in base64url)");
  }
  return SigningKey::fromSeed(*seed);
}

// Writes a new key to a temporary file in the same directory, then links it into place. link()
// fails when the name exists, unlike rename(), so when several processes start for the first
// time at once exactly one key wins and the others read it; readers never see a partial file.
std::optional<SigningKey> createKeyFile(const std::filesystem::path& file) {
  std::error_code error;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), error);
    if (error) {
      throw Error(Error::Kind::io, "key_file",
                  "cannot create the directory of the signing key file " + file.string() + ": " +
                      error.message());
    }
  }
  std::array<unsigned char, kSeedBytes> seed{};
  randombytes_buf(seed.data(), seed.size());
  const std::string seed_text = base64UrlEncode(asChars(seed.data(), seed.size()));
  sodium_memzero(seed.data(), seed.size());
  const std::string line = seed_text + "\n";

  std::string temp_template = file.string() + ".tmp-XXXXXX";
  std::vector<char> temp_name(temp_template.begin(), temp_template.end());
  temp_name.push_back('\0');
  // mkostemp creates the file with mode 0600 whatever the umask.
  FileDescriptor fd(::mkostemp(temp_name.data(), O_CLOEXEC));
  if (fd.get() < 0) {
    throw Error(Error::Kind::io, "key_file",
                "cannot create the signing key file " + file.string() + ": " + errnoText(errno));
  }
  const std::filesystem::path temp_path(temp_name.data());
  auto fail = [&](std::string_view what, int saved_errno) -> Error {
    std::filesystem::remove(temp_path, error);
    return Error(Error::Kind::io, "key_file",
                 std::string(what) + " the signing key file " + file.string() + ": " +
                     errnoText(saved_errno));
  };
  if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) throw fail("cannot restrict", errno);
  std::size_t written = 0;
  while (written < line.size()) {
    const auto n = ::write(fd.get(), line.data() + written, line.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw fail("cannot write", errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) throw fail("cannot write", errno);
  if (fd.close() != 0) throw fail("cannot write", errno);

  const int linked = ::link(temp_path.c_str(), file.c_str());
  const int link_errno = errno;
  std::filesystem::remove(temp_path, error);
  if (linked != 0) {
    if (link_errno == EEXIST) return std::nullopt;  // another process created it first
    throw Error(
        Error::Kind::io, "key_file",
        "cannot create the signing key file " + file.string() + ": " + errnoText(link_errno));
  }
  return keyFromFileText(file, seed_text);
}

}  // namespace

std::string canonicalPayload(const SignedFields& fields) {
  std::string payload(kPayloadHeader);
  payload += '\n';
  const auto values = fieldsInOrder(fields);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& value = *values[i];
    if (holdsLineBreak(value)) {
      throw Error(Error::Kind::invalid_input, std::string(kFieldNames[i]),
                  std::string(kFieldNames[i]) + " must not hold a line break");
    }
    if (!isValidUtf8(value)) {
      throw Error(Error::Kind::invalid_input, std::string(kFieldNames[i]),
                  std::string(kFieldNames[i]) + " is not valid UTF-8");
    }
    // Every line ends with '\n', the last one too, so the format has exactly one spelling.
    payload += value;
    payload += '\n';
  }
  return payload;
}

std::optional<SignedFields> parseCanonicalPayload(std::string_view payload) {
  if (!isValidUtf8(payload) || payload.find('\r') != std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> lines;
  while (!payload.empty()) {
    const auto end = payload.find('\n');
    if (end == std::string_view::npos) return std::nullopt;  // the last line lacks its '\n'
    lines.push_back(payload.substr(0, end));
    payload.remove_prefix(end + 1);
  }
  SignedFields fields;
  const auto values = fieldsInOrder(fields);
  if (lines.size() != values.size() + 1 || lines[0] != kPayloadHeader) return std::nullopt;
  for (std::size_t i = 0; i < values.size(); ++i) *values[i] = std::string(lines[i + 1]);
  return fields;
}

SigningKey SigningKey::loadOrCreate(const std::filesystem::path& file) {
  ensureSodium();
  if (auto text = readKeyFile(file)) return keyFromFileText(file, *text);
  if (auto created = createKeyFile(file)) return std::move(*created);
  // Lost the race to a concurrent first run: use the key it wrote.
  if (auto text = readKeyFile(file)) return keyFromFileText(file, *text);
  throw Error(Error::Kind::io, "key_file",
              "the signing key file " + file.string() + " vanished while it was being created");
}

SigningKey SigningKey::fromSeed(std::string_view seed32) {
  ensureSodium();
  if (seed32.size() != kSeedBytes) {
    throw Error(Error::Kind::invalid_input, "seed", "an Ed25519 seed has 32 bytes");
  }
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret{};
  if (crypto_sign_seed_keypair(public_key.data(), secret.data(), asBytes(seed32)) != 0) {
    throw Error(Error::Kind::internal, "", "libsodium could not derive a key pair");
  }
  SigningKey key;
  key.secret_.assign(asChars(secret.data(), secret.size()));
  sodium_memzero(secret.data(), secret.size());
  key.public_key_ = base64UrlEncode(asChars(public_key.data(), public_key.size()));
  return key;
}

std::string SigningKey::sign(std::string_view message) const {
  ensureSodium();
  std::array<unsigned char, crypto_sign_BYTES> signature{};
  if (crypto_sign_detached(signature.data(), nullptr, asBytes(message), message.size(),
                           asBytes(secret_)) != 0) {
    throw Error(Error::Kind::internal, "", "libsodium could not sign");
  }
  return base64UrlEncode(asChars(signature.data(), signature.size()));
}

std::string SigningKey::keyId() const {
  ensureSodium();
  const auto raw = base64UrlDecode(public_key_);
  // BLAKE2b-256 as everywhere else in the service (tokens, ETags); 8 bytes name a key well enough.
  std::array<unsigned char, crypto_generichash_BYTES> hash{};
  if (!raw ||
      crypto_generichash(hash.data(), hash.size(), asBytes(*raw), raw->size(), nullptr, 0) != 0) {
    throw Error(Error::Kind::internal, "", "libsodium could not hash the public key");
  }
  std::array<char, 2 * 8 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), 8);
  return std::string(hex.data());
}

std::string SigningKey::checkCode(std::string_view serial) const {
  ensureSodium();
  // The MAC key is a hash of the secret key under its own label, so the code says nothing about
  // the signing key and no signature can be turned into a code.
  constexpr std::string_view kLabel = "QATYSU-CHECK-CODE-1";
  std::array<unsigned char, crypto_generichash_KEYBYTES> mac_key{};
  std::array<unsigned char, crypto_generichash_BYTES> mac{};
  if (crypto_generichash(mac_key.data(), mac_key.size(), asBytes(kLabel), kLabel.size(),
                         asBytes(secret_), secret_.size()) != 0 ||
      crypto_generichash(mac.data(), mac.size(), asBytes(serial), serial.size(), mac_key.data(),
                         mac_key.size()) != 0) {
    throw Error(Error::Kind::internal, "", "libsodium could not compute a check code");
  }
  sodium_memzero(mac_key.data(), mac_key.size());
  // Five bytes are exactly eight base32 characters.
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < 5; ++i) bits = (bits << 8) | mac[i];
  std::string code(kCheckCodeLength, '0');
  for (std::size_t i = kCheckCodeLength; i-- > 0;) {
    code[i] = kCheckCodeAlphabet[bits & 31U];
    bits >>= 5;
  }
  return code;
}

bool verifySignature(std::string_view message, std::string_view signature,
                     std::string_view public_key) noexcept {
  try {
    ensureSodium();
    const auto raw_signature = base64UrlDecode(signature);
    const auto raw_key = base64UrlDecode(public_key);
    if (!raw_signature || raw_signature->size() != crypto_sign_BYTES || !raw_key ||
        raw_key->size() != crypto_sign_PUBLICKEYBYTES) {
      return false;
    }
    return crypto_sign_verify_detached(asBytes(*raw_signature), asBytes(message), message.size(),
                                       asBytes(*raw_key)) == 0;
  } catch (...) {
    return false;
  }
}

std::string qrPayload(std::string_view verify_url, std::string_view canonical_payload,
                      std::string_view signature) {
  std::string text(verify_url);
  text += "#p=";
  text += base64UrlEncode(canonical_payload);
  text += "&s=";
  text += signature;
  return text;
}

OfflineVerification verifyOffline(std::string_view qr_payload, std::string_view public_key) {
  ensureSodium();
  OfflineVerification result;
  // Scanners and terminals add line ends and spaces around what they read.
  const std::string text = trimmed(qr_payload);
  const auto hash = text.find('#');
  if (hash == std::string::npos) {
    result.problem = "the text carries no signed payload (no '#p=…&s=…' part)";
    return result;
  }
  result.verify_url = text.substr(0, hash);

  std::optional<std::string> encoded_payload;
  std::optional<std::string> signature;
  std::string_view fragment = std::string_view(text).substr(hash + 1);
  while (true) {
    const auto end = fragment.find('&');
    const std::string_view part = fragment.substr(0, end);
    std::optional<std::string>* slot = nullptr;
    if (part.starts_with("p=")) slot = &encoded_payload;
    if (part.starts_with("s=")) slot = &signature;
    if (slot == nullptr || slot->has_value()) {
      result.problem = "the fragment must hold exactly 'p=<payload>&s=<signature>'";
      return result;
    }
    *slot = std::string(part.substr(2));
    if (end == std::string_view::npos) break;
    fragment.remove_prefix(end + 1);
  }
  if (!encoded_payload || !signature) {
    result.problem = "the fragment must hold exactly 'p=<payload>&s=<signature>'";
    return result;
  }
  const auto payload = base64UrlDecode(*encoded_payload);
  if (!payload) {
    result.problem = "the payload is not valid base64url";
    return result;
  }
  result.fields = parseCanonicalPayload(*payload);
  if (!result.fields) {
    result.problem = "the payload is not a Qatysu certificate payload";
    return result;
  }
  const auto raw_key = base64UrlDecode(trimmed(public_key));
  if (!raw_key || raw_key->size() != crypto_sign_PUBLICKEYBYTES) {
    result.problem = "the public key is not a base64url Ed25519 key (32 bytes)";
    return result;
  }
  const auto raw_signature = base64UrlDecode(*signature);
  if (!raw_signature || raw_signature->size() != crypto_sign_BYTES) {
    result.problem = "the signature is not a base64url Ed25519 signature (64 bytes)";
    return result;
  }
  if (!verifySignature(*payload, *signature, trimmed(public_key))) {
    result.problem =
        "the signature does not match: the payload was changed or signed with another key";
    return result;
  }
  // The page the QR code opens must be the one of the signed certificate, or a genuine signature
  // could send a reader to somebody else's (or a forged) verification page.
  const std::string_view url = result.verify_url;
  const auto marker = url.rfind("/verify/");
  if (marker == std::string_view::npos) {
    result.problem = "the URL before '#' is not a verification URL (…/verify/<serial>?t=…)";
    return result;
  }
  std::string_view url_serial = url.substr(marker + std::string_view("/verify/").size());
  url_serial = url_serial.substr(0, url_serial.find_first_of("?/"));
  if (url_serial != result.fields->serial) {
    result.problem = "the URL names serial '" + std::string(url_serial) +
                     "' but the signed serial is '" + result.fields->serial + "'";
    return result;
  }
  result.valid = true;
  return result;
}

std::string base64UrlEncode(std::string_view bytes) {
  ensureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), asBytes(bytes), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  ensureSodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  // libsodium rejects characters outside the alphabet, padding, and non-zero unused bits, so
  // every byte string has one encoding only; `end` must reach the end of the text.
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

}  // namespace certificates
