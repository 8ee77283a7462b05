# The web app (plugin/web): Preact pages bundled by Vite, npm packages pinned by package-lock.json.
# The sources are copied into the build tree and built there, so several build directories never
# share a node_modules, and the source tree stays clean; plugin/import/participants_csv.json, which
# the import page reads, is copied beside them as in the source tree. The result lands in
# <build>/share/qatysu/web (index.html, assets/ with .gz beside each file), which qatysu-server in
# <build>/bin serves by default.
option(QATYSU_BUILD_WEB "Build the web app with node and npm" ON)
if(NOT QATYSU_BUILD_WEB)
  return()
endif()

find_program(QATYSU_NPM npm REQUIRED)
find_program(QATYSU_NODE node REQUIRED)

set(web_source ${CMAKE_CURRENT_SOURCE_DIR}/web)
set(web_work ${CMAKE_CURRENT_BINARY_DIR}/web)
set(QATYSU_WEB_OUT ${CMAKE_BINARY_DIR}/share/qatysu/web CACHE INTERNAL "The built web app")

# npm ci only when the lock file changes.
add_custom_command(
  OUTPUT ${web_work}/npm-ci.stamp
  COMMAND ${CMAKE_COMMAND} -E make_directory ${web_work}
  COMMAND ${CMAKE_COMMAND} -E copy ${web_source}/package.json ${web_source}/package-lock.json ${web_work}/
  COMMAND ${QATYSU_NPM} ci --no-audit --no-fund --loglevel=error
  COMMAND ${CMAKE_COMMAND} -E touch ${web_work}/npm-ci.stamp
  DEPENDS ${web_source}/package.json ${web_source}/package-lock.json
  WORKING_DIRECTORY ${web_work}
  COMMENT "web: npm ci (package-lock.json)"
  VERBATIM)

file(GLOB_RECURSE web_files CONFIGURE_DEPENDS
  ${web_source}/src/* ${web_source}/scripts/* ${web_source}/test/*)
set(web_csv_format ${CMAKE_CURRENT_SOURCE_DIR}/import/participants_csv.json)
add_custom_command(
  OUTPUT ${QATYSU_WEB_OUT}/index.html
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${web_work}/src ${web_work}/scripts ${web_work}/test
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${web_source}/src ${web_work}/src
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${web_source}/scripts ${web_work}/scripts
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${web_source}/test ${web_work}/test
  COMMAND ${CMAKE_COMMAND} -E copy ${web_source}/index.html ${web_source}/vite.config.js ${web_work}/
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/import
  COMMAND ${CMAKE_COMMAND} -E copy ${web_csv_format} ${CMAKE_CURRENT_BINARY_DIR}/import/
  COMMAND ${CMAKE_COMMAND} -E env QATYSU_WEB_OUT=${QATYSU_WEB_OUT} ${QATYSU_NPM} run --silent build
  DEPENDS ${web_work}/npm-ci.stamp ${web_files} ${web_source}/index.html ${web_source}/vite.config.js
          ${web_csv_format}
  WORKING_DIRECTORY ${web_work}
  COMMENT "web: vite build into ${QATYSU_WEB_OUT}"
  VERBATIM)
add_custom_target(web ALL DEPENDS ${QATYSU_WEB_OUT}/index.html)
set(QATYSU_WEB_WORK ${web_work} CACHE INTERNAL "Where the web app is built (its node_modules)")
