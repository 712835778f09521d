# fuzz.cmake - libFuzzer targets for every parser of capsim (CAPSIM_FUZZ=ON).
#
# Each tests/fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput and becomes
# the executable fuzz_<name>, built with -fsanitize=fuzzer,address,undefined.
# The library is compiled a second time, from the same sources as capsim_lib,
# into capsim_fuzz_lib with -fsanitize=fuzzer-no-link,address,undefined so
# that libFuzzer sees coverage inside the parsers, not only in the targets.
# Run them with scripts/fuzz.sh (docs/fuzzing.md).
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR
    "CAPSIM_FUZZ=ON needs clang (libFuzzer), but the C compiler is "
    "${CMAKE_C_COMPILER_ID} (${CMAKE_C_COMPILER}). Configure a fresh build "
    "directory with: CC=clang cmake -S . -B build-fuzz -DCAPSIM_FUZZ=ON "
    "-DCAPSIM_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug")
endif()

set(CAPSIM_FUZZ_SAN -fsanitize=address,undefined
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1)

# The library's own warnings are gcc's business (CAPSIM_WERROR); clang finds
# a few others, which must not stop the fuzz build.
set(CAPSIM_FUZZ_LIB_WARNINGS ${CAPSIM_WARNINGS})
list(REMOVE_ITEM CAPSIM_FUZZ_LIB_WARNINGS -Werror)

add_library(capsim_fuzz_lib STATIC ${CAPSIM_LIB_SOURCES}
            ${CMAKE_BINARY_DIR}/plot_templates.c)
target_include_directories(capsim_fuzz_lib PUBLIC ${CMAKE_SOURCE_DIR}/src
                           ${CSV_INCLUDE_DIR})
target_compile_options(capsim_fuzz_lib PRIVATE ${CAPSIM_FUZZ_LIB_WARNINGS}
                       -fsanitize=fuzzer-no-link ${CAPSIM_FUZZ_SAN})
target_compile_definitions(capsim_fuzz_lib PUBLIC
  CAPSIM_VERSION="${PROJECT_VERSION}")
target_link_libraries(capsim_fuzz_lib PUBLIC PkgConfig::GSL PkgConfig::YAML
                      ${CSV_LIBRARY} m)

file(GLOB CAPSIM_FUZZ_TARGETS CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
foreach(src ${CAPSIM_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE ${CAPSIM_WARNINGS}
                         -fsanitize=fuzzer ${CAPSIM_FUZZ_SAN})
  target_compile_definitions(${name} PRIVATE
    CAPSIM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(${name} PRIVATE capsim_fuzz_lib)
endforeach()
