#include "handlers.hpp"
