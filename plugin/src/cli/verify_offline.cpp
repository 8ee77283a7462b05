#include "plugin/cli/certificate_commands.hpp"
