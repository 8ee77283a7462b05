#include "plugin/lti/tool_keys.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <utility>

#include "courses/text.hpp"

namespace plugin::lti {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

JoseError fileError(const fs::path& file, std::string_view what, int error) {
  return JoseError("the LTI key file " + file.string() + ": " + std::string(what) +
                   (error != 0 ? std::string(": ") + std::strerror(error) : std::string()));
}

std::optional<std::string> readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return std::nullopt;
    throw fileError(file, "cannot read it", errno);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A key's name: when it was made, and a few random letters so two made in one second differ.
std::string newKid(std::string_view now) {
  std::string kid = "qatysu-";
  for (const char c : now) {
    if (c != '-' && c != ':') kid += c;
  }
  static constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  kid += '-';
  for (int i = 0; i < 6; ++i) kid += kLetters[random() % kLetters.size()];
  return kid;
}

std::vector<ToolKeys::Entry> parse(const fs::path& file, const std::string& text) {
  boost::system::error_code ec;
  const json::value value = json::parse(text, ec);
  const json::value* keys =
      !ec && value.is_object() ? value.as_object().if_contains("keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) throw fileError(file, "it is not a key file", 0);
  std::vector<ToolKeys::Entry> entries;
  for (const json::value& entry : keys->as_array()) {
    const json::object* object = entry.if_object();
    if (object == nullptr || !object->contains("jwk"))
      throw fileError(file, "a key lacks its JWK", 0);
    RsaKey key = RsaKey::fromJson(json::serialize(object->at("jwk")));
    if (!key.hasPrivate() || key.kid().empty())
      throw fileError(file, "a key lacks its private half or kid", 0);
    const json::value* created = object->if_contains("created_at");
    const json::value* retired = object->if_contains("retired_at");
    entries.push_back({std::move(key),
                       created && created->is_string() ? std::string(created->as_string()) : "",
                       retired && retired->is_string() ? std::string(retired->as_string()) : ""});
  }
  // The current key (never retired) first.
  std::stable_partition(entries.begin(), entries.end(),
                        [](const ToolKeys::Entry& e) { return e.retired_at.empty(); });
  if (entries.empty() || !entries.front().retired_at.empty())
    throw fileError(file, "it holds no current key", 0);
  return entries;
}

std::string serialize(const std::vector<ToolKeys::Entry>& entries) {
  json::array keys;
  for (const auto& e : entries) {
    json::object entry{{"jwk", json::parse(e.key.privateJson())}, {"created_at", e.created_at}};
    if (!e.retired_at.empty()) entry["retired_at"] = e.retired_at;
    keys.push_back(std::move(entry));
  }
  return json::serialize(json::object{{"keys", std::move(keys)}}) + "\n";
}

// Writes `text` to a new file beside `file` (mode 0600, synced); answers its path.
fs::path writeTemp(const fs::path& file, const std::string& text) {
  std::error_code dir_error;
  if (file.has_parent_path()) fs::create_directories(file.parent_path(), dir_error);
  const fs::path temp = file.string() + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw fileError(file, "cannot write it", errno);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      throw fileError(file, "cannot write it", error);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) throw fileError(file, "cannot write it", errno);
  return temp;
}

}  // namespace

ToolKeys ToolKeys::loadOrCreate(const fs::path& file, std::string_view now) {
  if (auto text = readFile(file)) return ToolKeys(parse(file, *text));
  std::vector<Entry> entries;
  entries.push_back({RsaKey::generate(newKid(now)), std::string(now), ""});
  const fs::path temp = writeTemp(file, serialize(entries));
  // link() fails when the file exists: a concurrent first start wrote its key first.
  const int linked = ::link(temp.c_str(), file.c_str());
  const int error = errno;
  std::error_code ignored;
  fs::remove(temp, ignored);
  if (linked != 0 && error != EEXIST) throw fileError(file, "cannot create it", error);
  if (linked != 0) return ToolKeys(parse(file, readFile(file).value_or("")));
  return ToolKeys(std::move(entries));
}

ToolKeys ToolKeys::rotate(const fs::path& file, std::string_view now) {
  std::vector<Entry> entries;
  if (auto text = readFile(file)) entries = parse(file, *text);
  std::vector<Entry> kept;
  kept.push_back({RsaKey::generate(newKid(now)), std::string(now), ""});
  for (Entry& e : entries) {
    if (e.retired_at.empty()) e.retired_at = std::string(now);
    // Kept while it is still published.
    if (courses::secondsBetween(e.retired_at, now) < kRetiredSeconds) kept.push_back(std::move(e));
  }
  const fs::path temp = writeTemp(file, serialize(kept));
  if (::rename(temp.c_str(), file.c_str()) != 0) {
    const int error = errno;
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw fileError(file, "cannot replace it", error);
  }
  return ToolKeys(std::move(kept));
}

KeySet ToolKeys::published(std::string_view now) const {
  std::vector<RsaKey> keys;
  for (const Entry& e : keys_) {
    if (e.retired_at.empty() || courses::secondsBetween(e.retired_at, now) < kRetiredSeconds) {
      keys.push_back(e.key);
    }
  }
  return KeySet(std::move(keys));
}

}  // namespace plugin::lti
