#include "certificates/zip_stream.hpp"
