# nas_add_plugin(NAME KIND <space|search|hardware|accuracy> SOURCES ... [LIBRARIES ...])
#
# Builds one nasctl plugin as a loadable module named nasctl-<kind>-<name>.so.
# In the nasctl tree it lands in the build tree's plugin folder and installs
# beside the nasctl binary's plugins; out of tree (find_package(nasctl)) it
# is built in the caller's build folder and installed to
# NASCTL_PLUGIN_INSTALL_DIR when that is set.
function(nas_add_plugin NAME)
  cmake_parse_arguments(ARG "" "KIND" "SOURCES;LIBRARIES" ${ARGN})
  set(kinds space search hardware accuracy)
  if(NOT ARG_KIND IN_LIST kinds)
    message(FATAL_ERROR "nas_add_plugin(${NAME}): KIND must be one of ${kinds}, got '${ARG_KIND}'")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "nas_add_plugin(${NAME}): SOURCES is empty")
  endif()
  string(MAKE_C_IDENTIFIER "nasctl_${ARG_KIND}_${NAME}" target)
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE nasctl::sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "nasctl-${ARG_KIND}-${NAME}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED NASCTL_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${NASCTL_PLUGIN_OUTPUT_DIR}")
  endif()
  if(DEFINED NASCTL_PLUGIN_SUBDIR)
    install(TARGETS ${target} LIBRARY DESTINATION "${NASCTL_PLUGIN_SUBDIR}")
  elseif(DEFINED NASCTL_PLUGIN_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION "${NASCTL_PLUGIN_INSTALL_DIR}")
  endif()
  set(NASCTL_LAST_PLUGIN_TARGET ${target} PARENT_SCOPE)
endfunction()
