# Compare emsdk-version.txt with the emcc that configures this build, and say what differs.
file(READ "${CMAKE_SOURCE_DIR}/emsdk-version.txt" _gc_want)
string(STRIP "${_gc_want}" _gc_want)
# Ask the compiler this build really uses (Debian's toolchain file names em++.py under
# /usr/share/emscripten; an emsdk names em++).
set(_gc_emcc "${CMAKE_CXX_COMPILER}")
execute_process(COMMAND "${_gc_emcc}" --version OUTPUT_VARIABLE _gc_out ERROR_VARIABLE _gc_err
                RESULT_VARIABLE _gc_rc)
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" _gc_have "${_gc_out}")
if(NOT _gc_rc EQUAL 0 OR NOT _gc_have)
  message(FATAL_ERROR "emsdk-version.txt wants Emscripten ${_gc_want}, but '${_gc_emcc} --version' "
                      "failed (${_gc_rc}): ${_gc_err}")
elseif(NOT _gc_have VERSION_EQUAL _gc_want)
  message(FATAL_ERROR "Emscripten version mismatch: emsdk-version.txt says ${_gc_want}, "
                      "'emcc --version' reports ${_gc_have} (${_gc_emcc}). Install ${_gc_want} "
                      "(Debian 12: apt-get install emscripten) or update emsdk-version.txt deliberately.")
else()
  message(STATUS "Emscripten ${_gc_have} matches emsdk-version.txt")
endif()
