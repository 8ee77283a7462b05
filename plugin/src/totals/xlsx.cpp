// Placeholder: totals exports are being written.
#include "plugin/totals/exports.hpp"
