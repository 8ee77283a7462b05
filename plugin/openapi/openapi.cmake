# api: embeds plugin/openapi/openapi.json into plugin_api, behind plugin::api::openApiDocument().
qatysu_embed_file(plugin_api ${CMAKE_CURRENT_LIST_DIR}/openapi.json plugin/api/openapi.hpp
                  plugin::api openApiDocument)
