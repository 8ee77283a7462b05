// `qatysu certificates verify-offline`: the QR payload checked against the published key.
#include <boost/json.hpp>
#include <fstream>
#include <stdexcept>

#include "certificates/signing.hpp"
#include "courses/text.hpp"
#include "plugin/cli/args.hpp"
#include "plugin/cli/certificate_commands.hpp"

namespace plugin::cli {

namespace {

constexpr const char* kUsage =
    "Usage: qatysu certificates verify-offline PAYLOAD --public-key FILE\n"
    "\n"
    "Checks the text of a certificate's QR code with no network and no database.\n"
    "  PAYLOAD           the QR code's text (quote it: it holds '#' and '&'), or - to read it\n"
    "                    from standard input\n"
    "  --public-key FILE the JSON from GET /api/v1/certificates/public-key, or the bare key\n"
    "\n"
    "Prints VALID and what the certificate says, or INVALID and why.\n"
    "Exit status: 0 valid, 1 not valid, 2 usage error or unreadable key file.\n";

// Far more than a key file or a QR code can hold; guards against being pointed at a large file.
constexpr std::size_t kMaxInputBytes = 64 * 1024;

class KeyFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string readAll(std::istream& in) {
  std::string text;
  char buffer[4096];
  while (in && text.size() <= kMaxInputBytes) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

// The public key from the file: the published JSON document, or the key alone on one line.
std::string readPublicKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw KeyFileError("cannot read the public key file " + path);
  const std::string text(courses::trim(readAll(in), courses::kAsciiWhitespace));
  if (text.size() > kMaxInputBytes)
    throw KeyFileError("the public key file " + path + " is too large");
  if (!text.starts_with('{')) {
    if (text.empty()) throw KeyFileError("the public key file " + path + " is empty");
    return text;
  }
  boost::system::error_code error;
  const boost::json::value document = boost::json::parse(text, error);
  const auto* object = error ? nullptr : document.if_object();
  if (object == nullptr) throw KeyFileError("the public key file " + path + " is not valid JSON");
  if (const auto* algorithm = object->if_contains("algorithm")) {
    if (!algorithm->is_string() || algorithm->get_string() != "Ed25519") {
      throw KeyFileError("the public key file " + path + " is not for Ed25519");
    }
  }
  const auto* key = object->if_contains("public_key");
  if (key == nullptr || !key->is_string() || key->get_string().empty()) {
    throw KeyFileError("the public key file " + path + " has no \"public_key\"");
  }
  return std::string(key->get_string());
}

void printField(std::ostream& out, std::string_view label, std::string_view value) {
  out << "  " << label;
  for (std::size_t i = label.size(); i < 8; ++i) out << ' ';
  out << ' ' << value << '\n';
}

}  // namespace

int verifyOfflineCommand(std::span<const std::string> args, Console& console) {
  static const OptionSpec kOptions[] = {{"--public-key", true}};
  std::string payload;
  std::string public_key;
  try {
    const ParsedArgs parsed = parseArgs(args, kOptions);
    if (parsed.help) {
      console.out << kUsage;
      return kExitOk;
    }
    if (parsed.positional.size() != 1) {
      throw UsageError(parsed.positional.empty() ? "missing PAYLOAD" : "one PAYLOAD only");
    }
    const auto key_file = parsed.value("--public-key");
    if (!key_file) throw UsageError("missing --public-key FILE");
    payload = parsed.positional[0];
    if (payload == "-") payload = readAll(console.in);
    public_key = readPublicKey(*key_file);
  } catch (const UsageError& error) {
    console.err << "qatysu certificates verify-offline: " << error.what() << "\n\n" << kUsage;
    return kExitUsage;
  } catch (const KeyFileError& error) {
    console.err << "qatysu certificates verify-offline: " << error.what() << '\n';
    return kExitUsage;
  }

  const certificates::OfflineVerification result = certificates::verifyOffline(payload, public_key);
  if (!result.valid) {
    console.out << "INVALID: " << result.problem << '\n';
    return kExitFailure;
  }
  const certificates::SignedFields& fields = *result.fields;
  console.out << "VALID: signed by the key " << public_key << '\n';
  printField(console.out, "Serial", fields.serial);
  printField(console.out, "Name", fields.full_name);
  printField(console.out, "Course", fields.course_title);
  printField(console.out, "Hours", fields.hours);
  printField(console.out, "Dates", fields.starts_on + " – " + fields.ends_on);
  printField(console.out, "Issuer", fields.issuer);
  // A signature cannot be withdrawn; only the service knows whether the certificate was revoked.
  console.out << "Whether it has been revoked since, only the verification page can tell:\n  "
              << result.verify_url << '\n';
  return kExitOk;
}

}  // namespace plugin::cli
