#pragma once
// `qatysu lti platform add|list|disable|enable` (the LTI platforms, courses/lti.hpp) and
// `qatysu lti keys rotate|show` (the tool's signing keys, plugin/lti/tool_keys.hpp).

#include <functional>
#include <span>
#include <string>

#include "plugin/cli/commands.hpp"

namespace plugin::cli {

/// `storage` is opened only by the platform subcommands (the keys need no database).
int ltiCommand(std::span<const std::string> args, const std::function<CommandStorage&()>& storage,
               Console& console);

}  // namespace plugin::cli
