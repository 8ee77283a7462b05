# Script mode (cmake -P): writes OUTPUT, a C++ source holding the bytes of INPUT (the OpenAPI
# document), behind plugin::api::openApiDocument(). Bytes rather than a raw string literal, so no
# content of the document can end the literal early.
if(NOT INPUT OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DINPUT=openapi.json -DOUTPUT=file.cpp -P embed.cmake")
endif()

file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# Twenty bytes a line keeps the generated file readable in a diff or a debugger.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){20})" "\\1\n    " bytes "${bytes}")

file(WRITE "${OUTPUT}.tmp"
"// Generated from plugin/openapi/openapi.json by plugin/openapi/embed.cmake. Do not edit.
#include \"plugin/api/openapi.hpp\"

namespace plugin::api {

namespace {
constexpr unsigned char kDocument[] = {
    ${bytes}
};
}  // namespace

std::string_view openApiDocument() noexcept {
  return {reinterpret_cast<const char*>(kDocument), sizeof kDocument};
}

}  // namespace plugin::api
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
