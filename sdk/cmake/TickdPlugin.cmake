# tickd_add_plugin(<name> SOURCES <files...> [LIBRARIES <libs...>] [OUTPUT_DIR <dir>]
#                  [INSTALL_DIR <dir>])
#
# Builds an observer plugin as tickd_<name>.so: a MODULE library with hidden
# symbols (only the two entry points of TICKD_PLUGIN are exported) and every
# symbol resolved at link time, as the host loads it with RTLD_NOW | RTLD_LOCAL.
# The daemon finds it by name (`plugin: <name>`) in its plugin_dirs. With
# INSTALL_DIR (or TICKD_PLUGIN_INSTALL_DIR set), `cmake --install` puts it there.
function(tickd_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIR;INSTALL_DIR" "SOURCES;LIBRARIES" ${ARGN})
  set(target tickd_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  if(TARGET tickd::sdk)
    target_link_libraries(${target} PRIVATE tickd::sdk ${ARG_LIBRARIES})
  else()
    target_link_libraries(${target} PRIVATE tickd_sdk ${ARG_LIBRARIES})
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${target}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT TICKD_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
  if(ARG_OUTPUT_DIR)
    # Test and benchmark fixtures: built aside, never installed.
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
    return()
  endif()
  if(DEFINED TICKD_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${TICKD_PLUGIN_OUTPUT_DIR})
  endif()
  if(NOT ARG_INSTALL_DIR AND DEFINED TICKD_PLUGIN_INSTALL_DIR)
    set(ARG_INSTALL_DIR ${TICKD_PLUGIN_INSTALL_DIR})
  endif()
  if(ARG_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION ${ARG_INSTALL_DIR})
  endif()
endfunction()
