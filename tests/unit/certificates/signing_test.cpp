#include "certificates/signing.hpp"
