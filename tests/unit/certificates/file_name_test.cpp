#include "certificates/file_name.hpp"
