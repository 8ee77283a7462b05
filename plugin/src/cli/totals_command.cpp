// Placeholder: `qatysu totals` is being written.
#include "plugin/cli/commands.hpp"
