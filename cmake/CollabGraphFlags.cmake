# Compile flags for CollabGraph's own targets. Everything goes through the interface target
# collabgraph_flags, never through global variables, so that a parent project that adds us with
# add_subdirectory() keeps its own flags.
add_library(collabgraph_flags INTERFACE)
target_compile_options(collabgraph_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wimplicit-fallthrough -Werror)

if(COLLABGRAPH_SANITIZE)
  string(REPLACE "," ";" _cg_sanitizers "${COLLABGRAPH_SANITIZE}")
  foreach(_s IN LISTS _cg_sanitizers)
    if(NOT _s MATCHES "^(address|undefined|leak|thread)$")
      message(FATAL_ERROR "COLLABGRAPH_SANITIZE: unknown sanitizer '${_s}'")
    endif()
  endforeach()
  target_compile_options(collabgraph_flags INTERFACE
    -fsanitize=${COLLABGRAPH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  # GCC's -Wmaybe-uninitialized is unreliable with the sanitizers' instrumentation once the
  # code is optimised (the sanitizer build is -O1): g++ 12 reports libstdc++'s own std::regex
  # and std::function members as "may be used uninitialized". The optimised builds without
  # sanitizers keep the warning, as an error.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(collabgraph_flags INTERFACE -Wno-maybe-uninitialized)
  endif()
  target_link_options(collabgraph_flags INTERFACE -fsanitize=${COLLABGRAPH_SANITIZE})
endif()
