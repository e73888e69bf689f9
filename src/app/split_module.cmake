# Splits the linked module in two (src/app/CMakeLists.txt, issue 12). Run after the link:
#   cmake -DWASM_SPLIT=... -DDIR=<www> -DKEEP=<join-path.funcs> -DOUT=<build dir> -P split_module.cmake
# In DIR the link left groupcall.wasm.orig (the whole module, with names) and an instrumented
# groupcall.wasm (Emscripten's -sSPLIT_MODULE). Both move to OUT (groupcall.orig.wasm,
# groupcall.instrumented.wasm: tests/bench/split-profile.mjs runs the latter); DIR gets
# groupcall.wasm (the functions KEEP names) and groupcall.deferred.wasm (the rest).
foreach(var WASM_SPLIT DIR KEEP OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "split_module.cmake: ${var} is not set")
  endif()
endforeach()
file(RENAME "${DIR}/groupcall.wasm.orig" "${OUT}/groupcall.orig.wasm")
file(RENAME "${DIR}/groupcall.wasm" "${OUT}/groupcall.instrumented.wasm")
execute_process(
  COMMAND "${WASM_SPLIT}" "${OUT}/groupcall.orig.wasm" --split --enable-mutable-globals
          --export-prefix=% "--keep-funcs=@${KEEP}"
          -o1 "${DIR}/groupcall.wasm" -o2 "${DIR}/groupcall.deferred.wasm"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "wasm-split failed (${rc}):\n${out}${err}")
endif()
# A name the build no longer has (code changed since join-path.funcs was written): that
# function's successor lands in the deferred half. Said here; the kiosk test fails if the
# join then has to load that half early.
# (KEEP's comment lines, which start with #, are names no module has: not counted.)
string(REGEX MATCHALL "function [^#\n][^\n]* does not exist" missing "${out}${err}")
list(LENGTH missing n_missing)
if(n_missing GREATER 0)
  message(WARNING "${n_missing} functions named in ${KEEP} are not in this build: regenerate the list with "
                  "`node tests/bench/split-profile.mjs` (tests/bench/README.md, \"the join path's half of the module\").")
endif()
