# cmake --install build --prefix P gives
#   P/bin/acc
#   P/include/ac/*.h
#   P/lib/libac.a, P/lib/libac.so
#   P/lib/pkgconfig/libac.pc
#   P/lib/cmake/acc/: accConfig.cmake, accConfigVersion.cmake, the exported
#     targets (acc::acc, acc::ac, acc::ac_static) and AccFunctions.cmake.
# An installed acc finds P/include (../include from its own directory) by itself.
include(CMakePackageConfigHelpers)

set_target_properties(ac_shared PROPERTIES EXPORT_NAME ac)
install(TARGETS acc EXPORT accTargets RUNTIME DESTINATION bin)
install(TARGETS ac_static ac_shared EXPORT accTargets
  ARCHIVE DESTINATION lib
  LIBRARY DESTINATION lib
  INCLUDES DESTINATION include)
install(DIRECTORY runtime/include/ac DESTINATION include)

install(EXPORT accTargets NAMESPACE acc:: DESTINATION lib/cmake/acc)
configure_package_config_file(cmake/accConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/accConfig.cmake
  INSTALL_DESTINATION lib/cmake/acc)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/accConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/accConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/accConfigVersion.cmake
  cmake/AccFunctions.cmake
  DESTINATION lib/cmake/acc)

configure_file(cmake/libac.pc.in ${CMAKE_CURRENT_BINARY_DIR}/libac.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/libac.pc DESTINATION lib/pkgconfig)
