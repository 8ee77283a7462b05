#include "certificates/renderer.hpp"
