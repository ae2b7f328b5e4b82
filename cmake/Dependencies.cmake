# Finds nasctl's dependencies. On Debian 12 every one is a package (see
# scripts/install-deps.sh). Machines without a package registry (the GPU
# machine) can point NASCTL_EXTRA_PREFIX at a folder holding the header-only
# libraries (TOML++, CLI11, nlohmann-json) and libcsv; they are then used
# from there, TOML++ in its header-only mode.
set(NASCTL_EXTRA_PREFIX "" CACHE PATH "Extra prefix with include/ (and lib/) for dependencies missing here")
if(NASCTL_EXTRA_PREFIX)
  list(APPEND CMAKE_PREFIX_PATH "${NASCTL_EXTRA_PREFIX}")
endif()

find_package(Boost 1.74 REQUIRED CONFIG)
find_package(spdlog REQUIRED)
find_package(Threads REQUIRED)
find_package(Torch REQUIRED)

find_package(tomlplusplus QUIET)
if(NOT tomlplusplus_FOUND)
  find_path(NASCTL_TOMLPP_INCLUDE toml++/toml.h PATHS "${NASCTL_EXTRA_PREFIX}/include" REQUIRED)
  add_library(tomlplusplus::tomlplusplus INTERFACE IMPORTED)
  target_include_directories(tomlplusplus::tomlplusplus INTERFACE "${NASCTL_TOMLPP_INCLUDE}")
  target_compile_definitions(tomlplusplus::tomlplusplus INTERFACE TOML_HEADER_ONLY=1)
  message(STATUS "TOML++: header-only from ${NASCTL_TOMLPP_INCLUDE}")
endif()

find_package(nlohmann_json QUIET)
if(NOT nlohmann_json_FOUND)
  find_path(NASCTL_JSON_INCLUDE nlohmann/json.hpp PATHS "${NASCTL_EXTRA_PREFIX}/include" REQUIRED)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  target_include_directories(nlohmann_json::nlohmann_json INTERFACE "${NASCTL_JSON_INCLUDE}")
endif()

find_package(CLI11 QUIET)
if(NOT CLI11_FOUND)
  find_path(NASCTL_CLI11_INCLUDE CLI/CLI.hpp PATHS "${NASCTL_EXTRA_PREFIX}/include" REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE "${NASCTL_CLI11_INCLUDE}")
endif()

# libcsv (C, RFC 4180 parsing) has no CMake package.
find_path(NASCTL_CSV_INCLUDE csv.h PATHS "${NASCTL_EXTRA_PREFIX}/include" REQUIRED)
find_library(NASCTL_CSV_LIBRARY NAMES csv PATHS "${NASCTL_EXTRA_PREFIX}/lib" REQUIRED)
if(NOT TARGET nasctl_csv_dep)
  add_library(nasctl_csv_dep INTERFACE)
  target_include_directories(nasctl_csv_dep INTERFACE "${NASCTL_CSV_INCLUDE}")
  target_link_libraries(nasctl_csv_dep INTERFACE "${NASCTL_CSV_LIBRARY}")
endif()

# ONNX export (sdk/toolkits/onnx) is optional: the GPU machine's LibTorch comes without
# libonnx, and nasctl must build there. Debian's libonnx-dev (1.12) ships the
# CMake package; its targets name protobuf::libprotobuf without finding it, so
# Protobuf is found first. NASCTL_WITH_ONNX=OFF (or
# -DCMAKE_DISABLE_FIND_PACKAGE_ONNX=ON) builds without it; the `format`
# "onnx" of the command plugin and `nasctl export` then say how to get it.
option(NASCTL_WITH_ONNX "Export sub-networks as ONNX models (needs libonnx-dev)" ON)
if(NASCTL_WITH_ONNX)
  find_package(Protobuf QUIET)
  if(Protobuf_FOUND)
    find_package(ONNX QUIET)
  endif()
  if(Protobuf_FOUND AND ONNX_FOUND AND TARGET onnx_proto)
    message(STATUS "ONNX ${ONNX_VERSION}: ONNX export enabled")
  else()
    message(STATUS "ONNX: not found (install libonnx-dev): ONNX export disabled, TorchScript export only")
    # A normal variable shadows the cached option from here on, so every
    # later `if(NASCTL_WITH_ONNX)` sees what this build really has.
    set(NASCTL_WITH_ONNX OFF)
  endif()
endif()
