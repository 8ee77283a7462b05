#include "plugin/certify/maker.hpp"
