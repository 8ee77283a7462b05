// Placeholder: the totals routes are being written.
#include "handlers.hpp"
