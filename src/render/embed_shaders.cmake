# cmake -P script: turns GLSL files into one C++ header of raw string literals, so the
# renderer never loads a shader file at run time.
#   cmake -DOUTPUT=<header> -DINPUTS="<name>=<file>;..." -P embed_shaders.cmake
set(_out "// Generated from shaders/ by src/render/embed_shaders.cmake. Do not edit.\n#pragma once\n\n")
foreach(_pair IN LISTS INPUTS)
  string(REPLACE "=" ";" _parts "${_pair}")
  list(GET _parts 0 _name)
  list(GET _parts 1 _file)
  file(READ "${_file}" _src)
  if(_src MATCHES "\\)glsl\"")
    message(FATAL_ERROR "${_file} contains the raw-string terminator )glsl\"")
  endif()
  string(APPEND _out "inline constexpr const char ${_name}[] = R\"glsl(${_src})glsl\";\n\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "${_out}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
