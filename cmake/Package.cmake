# The install side of nasctl: a prefix that works wherever it is copied.
#
#   bin/nasctl                      finds the rest relative to itself
#   lib/libnasctl-*.so              core libraries and the SDK
#   lib/nasctl/plugins/*.so         built-in plugins (searched first)
#   include/nasctl/                 SDK and core headers
#   share/nasctl/data/              data tables the plugins ship with
#   lib/cmake/nasctl/               the CMake package, so out-of-tree plugins do
#                                     find_package(nasctl REQUIRED)
#                                     nas_add_plugin(myboard KIND hardware SOURCES myboard.cpp)
#
# Included at the end of the top-level CMakeLists.txt, when every target exists.
include(CMakePackageConfigHelpers)

# Installed binaries find libnasctl-*.so through $ORIGIN (set globally with
# CMAKE_INSTALL_RPATH; plugins get their own in nas_add_plugin). Libraries
# outside the prefix and outside the system's default paths (a LibTorch
# unpacked somewhere, as on GPU machines) must stay reachable too, so every
# installed binary also keeps its link directories in its RUNPATH. System
# directories are never added, so on Debian the RUNPATH stays $ORIGIN only.
function(nasctl_keep_link_rpath dir)
  get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(EXECUTABLE|SHARED_LIBRARY|MODULE_LIBRARY)$")
      set_target_properties(${target} PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
    endif()
  endforeach()
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    nasctl_keep_link_rpath("${subdir}")
  endforeach()
endfunction()
nasctl_keep_link_rpath("${PROJECT_SOURCE_DIR}")

set(NASCTL_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/nasctl")
set(NASCTL_EXECUTABLE_PATH "${CMAKE_INSTALL_BINDIR}/nasctl")
# Only a search hint for find_package(Torch) in the installed config: a path
# outside the prefix, harmless where it does not exist.
set(NASCTL_TORCH_DIR_HINT "${Torch_DIR}")

install(EXPORT nasctlTargets NAMESPACE nasctl:: DESTINATION "${NASCTL_CMAKE_DIR}")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/nasctlConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/nasctlConfig.cmake"
  INSTALL_DESTINATION "${NASCTL_CMAKE_DIR}"
  PATH_VARS NASCTL_PLUGIN_SUBDIR NASCTL_EXECUTABLE_PATH NASCTL_DATA_SUBDIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/nasctlConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/nasctlConfig.cmake"
              "${PROJECT_BINARY_DIR}/nasctlConfigVersion.cmake"
        DESTINATION "${NASCTL_CMAKE_DIR}")
