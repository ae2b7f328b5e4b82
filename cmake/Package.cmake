# Installs a CMake package so out-of-tree plugins can do:
#   find_package(nasctl REQUIRED)
#   nas_add_plugin(myboard KIND hardware SOURCES myboard.cpp)
include(CMakePackageConfigHelpers)
set(NASCTL_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/nasctl")
install(EXPORT nasctlTargets NAMESPACE nasctl:: DESTINATION "${NASCTL_CMAKE_DIR}")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/nasctlConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/nasctlConfig.cmake"
  INSTALL_DESTINATION "${NASCTL_CMAKE_DIR}"
  PATH_VARS NASCTL_PLUGIN_SUBDIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/nasctlConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/nasctlConfig.cmake"
              "${PROJECT_BINARY_DIR}/nasctlConfigVersion.cmake"
        DESTINATION "${NASCTL_CMAKE_DIR}")
