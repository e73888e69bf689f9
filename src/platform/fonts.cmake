# Font pipeline (build time). Sources come from Debian font packages:
#   Latin:    fonts-dejavu-core  -> /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
#   CJK:      fonts-wqy-microhei -> /usr/share/fonts/truetype/wqy/wqy-microhei.ttc (face 0;
#             TrueType glyf outlines, which stb_truetype reads; Noto CJK is CFF)
# Subsetting uses fontTools (Debian python3-fonttools). Hinting and OpenType layout tables are
# dropped: stb_truetype uses neither.
#   - The Latin base subset (ASCII, Latin-1, Latin Extended-A, general punctuation, a few
#     symbols) is embedded in the Wasm (gc_font_data.cpp) so the first frame has text. It
#     is kept that small on purpose: ~19 KB of the .wasm's gzip size, where DejaVu's Greek,
#     Cyrillic and Latin Extended-B inside it made ~56 KB (tests/bench/run).
#   - Two fallback fonts are files fetched after the first paint (GC_FALLBACK_FONT_FILES, in
#     merge order): the rest of DejaVu Sans (Latin Extended-B and Additional, e.g.
#     Vietnamese; IPA, Greek, Cyrillic, symbols) and WenQuanYi Micro Hei's CJK (Unified
#     Ideographs U+4E00-9FFF, CJK and full-width punctuation, kana, bopomofo).
set(GC_LATIN_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" CACHE FILEPATH
    "Latin base font (Debian fonts-dejavu-core)")
set(GC_CJK_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" CACHE FILEPATH
    "CJK font, TrueType outlines (Debian fonts-wqy-microhei)")
foreach(_f GC_LATIN_FONT GC_CJK_FONT)
  if(NOT EXISTS "${${_f}}")
    message(FATAL_ERROR "${_f}: ${${_f}} not found. Install the Debian packages: "
                        "apt-get install fonts-dejavu-core fonts-wqy-microhei python3-fonttools")
  endif()
endforeach()

set(GC_FONT_DIR "${CMAKE_BINARY_DIR}/fonts" CACHE INTERNAL "Built fonts, staged into web output directories")
set(GC_CJK_FONT_FILE "${GC_FONT_DIR}/wqy-microhei-cjk.ttf" CACHE INTERNAL "")
set(GC_LATIN_EXT_FONT_FILE "${GC_FONT_DIR}/dejavu-sans-ext.ttf" CACHE INTERNAL "")
set(GC_FALLBACK_FONT_FILES "${GC_LATIN_EXT_FONT_FILE};${GC_CJK_FONT_FILE}" CACHE INTERNAL
    "Fonts fetched after the first frame, in merge order (web/index.html data-fallback-fonts)")
set(_gc_latin_subset "${GC_FONT_DIR}/DejaVuSans-subset.ttf")

set(_gc_fonttools_python "")
foreach(_py /usr/bin/python3 python3)
  find_program(_gc_py_path NAMES ${_py} NO_CACHE)
  if(_gc_py_path)
    execute_process(COMMAND "${_gc_py_path}" -c "import fontTools.subset" RESULT_VARIABLE _rc
                    OUTPUT_QUIET ERROR_QUIET)
    if(_rc EQUAL 0)
      set(_gc_fonttools_python "${_gc_py_path}")
      break()
    endif()
  endif()
  unset(_gc_py_path)
endforeach()

# What the embedded Latin subset keeps (also compiled in as font_data::kLatinTtfRanges).
set(_gc_latin_unicodes "U+0020-017F,U+2000-206F,U+20AC,U+2190-2193,U+2212,U+25B2-25BC,U+25CF,U+2713-2717,U+FFFD")
# What the fetched fallback fonts add (fontTools skips what a font does not have).
set(_gc_latin_ext_unicodes "U+0180-036F,U+0370-03FF,U+0400-052F,U+1E00-1EFF,U+2070-209F,U+20A0-20CF,U+2100-23FF,U+2460-27BF")
set(_gc_cjk_unicodes "U+3000-303F,U+3040-30FF,U+3100-312F,U+4E00-9FFF,U+FF00-FFEF")
set(_gc_subset_flags --no-hinting --layout-features= --drop-tables+=FFTM --name-IDs=* --name-languages=*)

file(MAKE_DIRECTORY "${GC_FONT_DIR}")
if(_gc_fonttools_python)
  message(STATUS "Fonts: subsetting with fontTools (${_gc_fonttools_python})")
  add_custom_command(
    OUTPUT "${_gc_latin_subset}"
    COMMAND "${_gc_fonttools_python}" -m fontTools.subset "${GC_LATIN_FONT}" "--unicodes=${_gc_latin_unicodes}"
            ${_gc_subset_flags} "--output-file=${_gc_latin_subset}"
    DEPENDS "${GC_LATIN_FONT}" "${CMAKE_CURRENT_LIST_FILE}"
    COMMENT "Subsetting the Latin base font (${GC_LATIN_FONT})"
    VERBATIM)
  add_custom_command(
    OUTPUT "${GC_LATIN_EXT_FONT_FILE}"
    COMMAND "${_gc_fonttools_python}" -m fontTools.subset "${GC_LATIN_FONT}" "--unicodes=${_gc_latin_ext_unicodes}"
            ${_gc_subset_flags} "--output-file=${GC_LATIN_EXT_FONT_FILE}"
    DEPENDS "${GC_LATIN_FONT}" "${CMAKE_CURRENT_LIST_FILE}"
    COMMENT "Subsetting the Latin fallback font (${GC_LATIN_FONT})"
    VERBATIM)
  add_custom_command(
    OUTPUT "${GC_CJK_FONT_FILE}"
    COMMAND "${_gc_fonttools_python}" -m fontTools.subset "${GC_CJK_FONT}" --font-number=0
            "--unicodes=${_gc_cjk_unicodes}" ${_gc_subset_flags} "--output-file=${GC_CJK_FONT_FILE}"
    DEPENDS "${GC_CJK_FONT}" "${CMAKE_CURRENT_LIST_FILE}"
    COMMENT "Subsetting the CJK font (${GC_CJK_FONT})"
    VERBATIM)
else()
  message(WARNING "Fonts: python3 with fontTools not found (apt-get install python3-fonttools); "
                  "shipping the full fonts (about 5 MB more)")
  add_custom_command(OUTPUT "${_gc_latin_subset}"
    COMMAND "${CMAKE_COMMAND}" -E copy "${GC_LATIN_FONT}" "${_gc_latin_subset}" DEPENDS "${GC_LATIN_FONT}" VERBATIM)
  add_custom_command(OUTPUT "${GC_LATIN_EXT_FONT_FILE}"
    COMMAND "${CMAKE_COMMAND}" -E copy "${GC_LATIN_FONT}" "${GC_LATIN_EXT_FONT_FILE}" DEPENDS "${GC_LATIN_FONT}" VERBATIM)
  # stb_truetype reads face 0 of a .ttc directly.
  add_custom_command(OUTPUT "${GC_CJK_FONT_FILE}"
    COMMAND "${CMAKE_COMMAND}" -E copy "${GC_CJK_FONT}" "${GC_CJK_FONT_FILE}" DEPENDS "${GC_CJK_FONT}" VERBATIM)
endif()

set(GC_FONT_DATA_CPP "${CMAKE_CURRENT_BINARY_DIR}/generated/gc_font_data.cpp")
set(GC_FONT_DATA_HPP "${CMAKE_CURRENT_BINARY_DIR}/generated/gc_font_data.hpp")
add_custom_command(
  OUTPUT "${GC_FONT_DATA_CPP}" "${GC_FONT_DATA_HPP}"
  COMMAND "${CMAKE_COMMAND}" "-DINPUT=${_gc_latin_subset}" "-DOUTPUT=${GC_FONT_DATA_CPP}"
          "-DHEADER=${GC_FONT_DATA_HPP}" -DNAMESPACE=gc::platform::font_data -DSYMBOL=kLatinTtf
          "-DRANGES=${_gc_latin_unicodes}"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/bin2cpp.cmake"
  DEPENDS "${_gc_latin_subset}" "${CMAKE_CURRENT_SOURCE_DIR}/bin2cpp.cmake" "${CMAKE_CURRENT_LIST_FILE}"
  COMMENT "Embedding the Latin base font"
  VERBATIM)
add_custom_target(gc_fonts DEPENDS ${GC_FALLBACK_FONT_FILES} "${GC_FONT_DATA_CPP}")
