# nas_add_plugin(NAME KIND <space|search|hardware|accuracy> SOURCES ... [LIBRARIES ...])
#
# Builds one nasctl plugin as a loadable module named nasctl-<kind>-<name>.so.
#
# Inside the nasctl tree it lands in the build tree's plugin folder and
# installs to <prefix>/lib/nasctl/plugins, beside the binary's other plugins.
# Out of tree (after find_package(nasctl)) it is built in the caller's build
# folder (CMAKE_LIBRARY_OUTPUT_DIRECTORY when set) and `cmake --install`
# copies it into NASCTL_PLUGIN_INSTALL_DIR, the plugin folder of the nasctl
# installation found (override it with -DNASCTL_PLUGIN_INSTALL_DIR=...).
#
# Why the RPATH work below: nasctl dlopen()s plugins, and the dynamic loader
# resolves a plugin's own dependencies (libnasctl-predict.so,
# libnasctl-torch.so, LibTorch...) through the plugin's RUNPATH only; the
# nasctl executable's RUNPATH does not apply to them. So every installed
# plugin must find its libraries by itself.
function(nas_add_plugin NAME)
  cmake_parse_arguments(ARG "" "KIND" "SOURCES;LIBRARIES" ${ARGN})
  set(kinds space search hardware accuracy)
  if(NOT ARG_KIND IN_LIST kinds)
    message(FATAL_ERROR "nas_add_plugin(${NAME}): KIND must be one of ${kinds}, got '${ARG_KIND}'; fix: e.g. KIND hardware")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "nas_add_plugin(${NAME}): SOURCES is empty; fix: list the plugin's .cpp files after SOURCES")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "nas_add_plugin(${NAME}): unexpected arguments '${ARG_UNPARSED_ARGUMENTS}'; fix: use KIND, SOURCES and LIBRARIES only")
  endif()
  string(MAKE_C_IDENTIFIER "nasctl_${ARG_KIND}_${NAME}" target)
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE nasctl::sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    OUTPUT_NAME "nasctl-${ARG_KIND}-${NAME}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    # Libraries outside the install prefix (a LibTorch unpacked in /opt, the
    # nasctl prefix itself when building out of tree) stay reachable.
    INSTALL_RPATH_USE_LINK_PATH ON)
  # Never unmapped once loaded: an exception thrown by plugin code (or by a
  # library only the plugin pulls in, such as nasctl-predict) must stay
  # printable after the objects that owned the library are gone, which is
  # exactly when a CLI reports it. A command-line process loses nothing by
  # keeping a few libraries mapped until exit.
  target_link_options(${target} PRIVATE -Wl,-z,nodelete)

  # nasctl_sdk is the SDK's real target: it exists only inside the nasctl tree.
  if(TARGET nasctl_sdk)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${NASCTL_PLUGIN_OUTPUT_DIR}")
    # From <prefix>/lib/nasctl/plugins back to <prefix>/lib, relative, so the
    # installed tree can be moved as a whole.
    file(RELATIVE_PATH to_libdir "${CMAKE_INSTALL_PREFIX}/${NASCTL_PLUGIN_SUBDIR}" "${CMAKE_INSTALL_FULL_LIBDIR}")
    string(REGEX REPLACE "/$" "" to_libdir "${to_libdir}")
    set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/${to_libdir}")
    install(TARGETS ${target} LIBRARY DESTINATION "${NASCTL_PLUGIN_SUBDIR}")
    # For nasctl_program: the tests run the binary with every plugin.
    set_property(GLOBAL APPEND PROPERTY NASCTL_IN_TREE_PLUGINS ${target})
  elseif(NASCTL_PLUGIN_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION "${NASCTL_PLUGIN_INSTALL_DIR}")
  endif()
  set(NASCTL_LAST_PLUGIN_TARGET ${target} PARENT_SCOPE)
endfunction()
