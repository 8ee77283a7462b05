#include "certificates/fonts.hpp"
