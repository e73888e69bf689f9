# cmake -DPAGE=<staged index.html> -DSCRIPT=<web/early.js> -P inline_script.cmake
#
# Issue 12 (time to video): index.html's early script (web/early.js: a kiosk's socket, the
# camera, the .wasm compile and config.json, asked for while the page loads) is written into
# the page itself, so it runs as the parser reaches it instead of after a request of its own
# (100-170 ms later with two pages loading on this machine). The page's CSP allows no inline
# script, so the script's SHA-256 is added to its script-src: that exact text and nothing
# else may run inline. Fails the build if the page has no `<script src="early.js"></script>`
# or no script-src to extend.
foreach(_var PAGE SCRIPT)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "inline_script.cmake: -D${_var}=... is required")
  endif()
endforeach()

file(READ "${PAGE}" _page)
file(READ "${SCRIPT}" _script)
set(_tag "<script src=\"early.js\"></script>")
string(FIND "${_page}" "${_tag}" _at)
if(_at EQUAL -1)
  message(FATAL_ERROR "inline_script.cmake: ${PAGE} has no ${_tag}")
endif()
string(FIND "${_script}" "</script" _closing)
if(NOT _closing EQUAL -1)
  message(FATAL_ERROR "inline_script.cmake: ${SCRIPT} contains \"</script\"; it cannot be inlined")
endif()

# The CSP source is 'sha256-' + base64 of the digest of exactly the text between the tags.
string(SHA256 _hex "${_script}")
set(_b64_alphabet "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
set(_b64 "")
# 32 bytes: ten groups of three, then two bytes with one '=' of padding.
foreach(_group RANGE 0 10)
  math(EXPR _offset "${_group} * 6")
  if(_group LESS 10)
    string(SUBSTRING "${_hex}" ${_offset} 6 _chunk)
    set(_digits 4)
  else()
    string(SUBSTRING "${_hex}" ${_offset} 4 _chunk)
    set(_chunk "${_chunk}00")
    set(_digits 3)
  endif()
  math(EXPR _value "0x${_chunk}")
  foreach(_shift 18 12 6 0)
    if(_digits GREATER 0)
      math(EXPR _index "(${_value} >> ${_shift}) & 63")
      string(SUBSTRING "${_b64_alphabet}" ${_index} 1 _char)
      string(APPEND _b64 "${_char}")
      math(EXPR _digits "${_digits} - 1")
    endif()
  endforeach()
endforeach()
string(APPEND _b64 "=")

string(FIND "${_page}" "script-src 'self'" _csp)
if(_csp EQUAL -1)
  message(FATAL_ERROR "inline_script.cmake: ${PAGE} has no \"script-src 'self'\" to extend")
endif()
# Exactly one place each: the policy's first script-src, the tag (the page's comments
# may mention either).
string(LENGTH "script-src 'self'" _csp_length)
math(EXPR _csp_end "${_csp} + ${_csp_length}")
string(SUBSTRING "${_page}" 0 ${_csp_end} _head)
string(SUBSTRING "${_page}" ${_csp_end} -1 _rest)
set(_page "${_head} 'sha256-${_b64}'${_rest}")
string(FIND "${_page}" "${_tag}" _at)
string(LENGTH "${_tag}" _tag_length)
math(EXPR _tag_end "${_at} + ${_tag_length}")
string(SUBSTRING "${_page}" 0 ${_at} _head)
string(SUBSTRING "${_page}" ${_tag_end} -1 _rest)
set(_page "${_head}<script>${_script}</script>${_rest}")
file(WRITE "${PAGE}" "${_page}")
