# thread_safety.rejects_unguarded: compiles guarded.cpp (must succeed) and unguarded.cpp (must
# fail with the analysis' own diagnostics) with clang and WPED_THREAD_SAFETY_FLAGS.
# -D CXX=clang++ -D FLAGS="-W…;…" -D SOURCE_DIR=<repo> -D HERE=<tests/thread_safety>
set(base ${CXX} -std=c++17 -fsyntax-only -I${SOURCE_DIR} ${FLAGS})
execute_process(COMMAND ${base} ${HERE}/guarded.cpp
  RESULT_VARIABLE guarded_rc OUTPUT_VARIABLE guarded_out ERROR_VARIABLE guarded_out)
if(NOT guarded_rc EQUAL 0)
  message(FATAL_ERROR "the correctly locked control case does not compile:\n${guarded_out}")
endif()
execute_process(COMMAND ${base} ${HERE}/unguarded.cpp
  RESULT_VARIABLE unguarded_rc OUTPUT_VARIABLE unguarded_out ERROR_VARIABLE unguarded_out)
if(unguarded_rc EQUAL 0)
  message(FATAL_ERROR "clang accepted an unguarded access: the thread-safety analysis is off")
endif()
foreach(expected "writing variable 'value_' requires holding mutex 'mutex_'"
                 "calling function 'valueLocked' requires holding mutex 'mutex_'")
  string(FIND "${unguarded_out}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "unguarded.cpp failed, but not with \"${expected}\":\n${unguarded_out}")
  endif()
endforeach()
message(STATUS "clang rejects the unguarded access (${CXX} ${FLAGS})")
