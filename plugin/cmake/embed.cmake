# Script mode (cmake -P): writes OUTPUT, a C++ source holding the bytes of INPUT behind
# `std::string_view NAMESPACE::FUNCTION() noexcept`, declared in HEADER. Bytes rather than a raw
# string literal, so no content of the file can end the literal early. Used for the OpenAPI
# document (plugin/openapi/openapi.cmake) and the participants CSV format (plugin/import).
foreach(variable INPUT OUTPUT HEADER NAMESPACE FUNCTION)
  if(NOT ${variable})
    message(FATAL_ERROR "usage: cmake -DINPUT=file -DOUTPUT=file.cpp -DHEADER=h.hpp "
                        "-DNAMESPACE=ns -DFUNCTION=name -P embed.cmake")
  endif()
endforeach()

file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# Twenty bytes a line keeps the generated file readable in a diff or a debugger.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){20})" "\\1\n    " bytes "${bytes}")
get_filename_component(input_name "${INPUT}" NAME)

file(WRITE "${OUTPUT}.tmp"
"// Generated from ${input_name} by plugin/cmake/embed.cmake. Do not edit.
#include \"${HEADER}\"

namespace ${NAMESPACE} {

namespace {
constexpr unsigned char kBytes[] = {
    ${bytes}
};
}  // namespace

std::string_view ${FUNCTION}() noexcept {
  return {reinterpret_cast<const char*>(kBytes), sizeof kBytes};
}

}  // namespace ${NAMESPACE}
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
