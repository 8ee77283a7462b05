# qatysu_embed_file(TARGET INPUT HEADER NAMESPACE FUNCTION): compiles the bytes of INPUT into
# TARGET behind `std::string_view NAMESPACE::FUNCTION() noexcept` (declared in HEADER). The source
# is regenerated at build time whenever the file (or the recipe) changes.
set(QATYSU_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed.cmake)
function(qatysu_embed_file target input header namespace function)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/generated/${function}.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DHEADER=${header}
            -DNAMESPACE=${namespace} -DFUNCTION=${function} -P ${QATYSU_EMBED_SCRIPT}
    DEPENDS ${input} ${QATYSU_EMBED_SCRIPT}
    COMMENT "Embedding ${input}"
    VERBATIM)
  target_sources(${target} PRIVATE ${output})
endfunction()
