# What `cmake --install` lays out (and CPack packs into a .deb):
#   bin/tickd, bin/tickd-plugin-host and bin/tickd-child-guard, lib/tickd/plugins/*.so (by
#   tickd_add_plugin), /etc/tickd/tickd.yaml,
#   the systemd unit, the SDK headers and its CMake package (find_package(tickd CONFIG)).
include(CMakePackageConfigHelpers)

install(TARGETS tickd tickd-plugin-host tickd-child-guard RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# /etc/tickd for a /usr install (and the .deb, which CPack stages under <dir>/usr),
# <prefix>/etc/tickd for any other prefix. Decided at install time, because
# CPack installs with a prefix of its own.
install(CODE "
  if(CMAKE_INSTALL_PREFIX MATCHES \"/usr/?$\")
    set(tickd_etc \"\${CMAKE_INSTALL_PREFIX}/../etc/tickd\")
  else()
    set(tickd_etc \"\${CMAKE_INSTALL_PREFIX}/etc/tickd\")
  endif()
  file(INSTALL DESTINATION \"\${tickd_etc}\" TYPE FILE FILES \"${CMAKE_SOURCE_DIR}/config/tickd.yaml\")
")
# The Python SDK, importable by the system's python3 (Debian's dist-packages).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/sdk/python/tickd DESTINATION lib/python3/dist-packages
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(FILES ${CMAKE_SOURCE_DIR}/systemd/tickd.service DESTINATION lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The SDK: headers, the tickd::sdk target, and the tickd_add_plugin() helper.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/sdk/include/tickd DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS tickd_sdk EXPORT tickdTargets)
# The example plugin with its FakeHost unit test, to copy and start from.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/sdk/examples/ DESTINATION ${CMAKE_INSTALL_DATADIR}/tickd/examples)
set(TICKD_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tickd)
install(EXPORT tickdTargets NAMESPACE tickd:: DESTINATION ${TICKD_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/sdk/cmake/tickdConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/tickdConfig.cmake INSTALL_DESTINATION ${TICKD_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/tickdConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/tickdConfig.cmake ${CMAKE_BINARY_DIR}/tickdConfigVersion.cmake
              ${CMAKE_SOURCE_DIR}/sdk/cmake/TickdPlugin.cmake
        DESTINATION ${TICKD_CMAKE_DIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tickd)
set(CPACK_PACKAGE_CONTACT "tickd maintainers <tickd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Real-time market data daemon with observer plugins")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/cmake/debian/conffiles)
include(CPack)
