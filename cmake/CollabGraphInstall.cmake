include(CMakePackageConfigHelpers)

install(TARGETS collabgraph
  EXPORT CollabGraphTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/collabgraph DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(COLLABGRAPH_BUILD_TOOLS)
  install(TARGETS collabgraph_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(_cg_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/CollabGraph)
install(EXPORT CollabGraphTargets NAMESPACE collabgraph:: DESTINATION ${_cg_cmake_dir})
configure_package_config_file(cmake/CollabGraphConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/CollabGraphConfig.cmake INSTALL_DESTINATION ${_cg_cmake_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/CollabGraphConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/CollabGraphConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/CollabGraphConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/FindLibdeflate.cmake DESTINATION ${_cg_cmake_dir})
