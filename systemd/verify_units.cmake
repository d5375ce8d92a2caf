# Run by ctest: configures the units with the built binaries' paths and runs
# `systemd-analyze --user verify` on them; any output on stderr (even a warning) fails.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(WPED_INSTALLED_PATH ${WPED})
set(WPECTL_INSTALLED_PATH ${WPECTL})
configure_file(${SERVICE_IN} ${WORK_DIR}/wped.service @ONLY)
configure_file(${SOCKET_IN} ${WORK_DIR}/wped.socket @ONLY)
# --user mode needs a runtime directory (the test may run outside a login session).
file(MAKE_DIRECTORY ${WORK_DIR}/run)
file(CHMOD ${WORK_DIR}/run DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
set(ENV{XDG_RUNTIME_DIR} ${WORK_DIR}/run)
# verify looks up every man: page of Documentation=; it finds the built ones here.
foreach(section 1 5 8)
  file(GLOB pages ${MAN_DIR}/*.${section})
  if(pages)
    file(COPY ${pages} DESTINATION ${WORK_DIR}/man/man${section})
  endif()
endforeach()
set(ENV{MANPATH} ${WORK_DIR}/man)
execute_process(
  COMMAND ${ANALYZE} --user verify ${WORK_DIR}/wped.socket ${WORK_DIR}/wped.service
  WORKING_DIRECTORY ${WORK_DIR}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT "${err}" STREQUAL "")
  message(FATAL_ERROR "systemd-analyze verify failed (exit ${rc}):\n${err}${out}")
endif()
message(STATUS "systemd-analyze verify: clean")
