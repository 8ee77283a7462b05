#pragma once
// `qatysu retention apply [--dry-run]`: erases the contacts of the people whose programmes'
// retention has passed (courses/data_rights_service.hpp) and reports what it did.

#include <span>
#include <string>

#include "plugin/cli/commands.hpp"

namespace plugin::cli {

int retentionCommand(std::span<const std::string> args, CommandStorage& storage, Console& console);

}  // namespace plugin::cli
