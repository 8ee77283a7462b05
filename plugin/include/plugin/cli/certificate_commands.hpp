#pragma once
// `qatysu certificates …`: work on certificates that needs no database and no server.

#include <span>
#include <string>

#include "plugin/cli/commands.hpp"

namespace plugin::cli {

/// `qatysu certificates render --input FILE --out DIR [--jobs N] [--key FILE] [--base-url URL]`:
/// renders one PDF per row of a CSV or JSON list (the fields of the API's certificate), reports
/// bad rows by line number, shows progress on long runs.
int renderCertificatesCommand(std::span<const std::string> args, Console& console);

/// `qatysu certificates verify-offline PAYLOAD --public-key FILE`: checks a QR payload against
/// the published public key (the JSON from /api/v1/certificates/public-key, or the bare key).
/// Exit 0 when valid, 1 when not, 2 on a usage error.
int verifyOfflineCommand(std::span<const std::string> args, Console& console);

}  // namespace plugin::cli
