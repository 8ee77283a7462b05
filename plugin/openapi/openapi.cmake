# api: embeds plugin/openapi/openapi.json into plugin_api. The C++ source is regenerated
# at build time whenever the document (or this recipe) changes.
set(QATYSU_OPENAPI_JSON ${CMAKE_CURRENT_LIST_DIR}/openapi.json)
set(QATYSU_OPENAPI_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/openapi_document.cpp)
add_custom_command(
  OUTPUT ${QATYSU_OPENAPI_CPP}
  COMMAND ${CMAKE_COMMAND} -DINPUT=${QATYSU_OPENAPI_JSON} -DOUTPUT=${QATYSU_OPENAPI_CPP}
          -P ${CMAKE_CURRENT_LIST_DIR}/embed.cmake
  DEPENDS ${QATYSU_OPENAPI_JSON} ${CMAKE_CURRENT_LIST_DIR}/embed.cmake
  COMMENT "Embedding the OpenAPI document"
  VERBATIM)
target_sources(plugin_api PRIVATE ${QATYSU_OPENAPI_CPP})
