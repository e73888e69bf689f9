# Font pipeline (build time). Sources come from Debian font packages:
#   Latin base: fonts-dejavu-core  -> /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
#   CJK:        fonts-wqy-microhei -> /usr/share/fonts/truetype/wqy/wqy-microhei.ttc (face 0;
#               TrueType glyf outlines, which stb_truetype reads; Noto CJK is CFF)
# Subsetting uses fontTools (Debian python3-fonttools). Hinting and OpenType layout tables are
# dropped: stb_truetype uses neither.
#   - The Latin subset is embedded in the Wasm (gc_font_data.cpp) so the first frame has text.
#   - The CJK subset (CJK Unified Ideographs U+4E00-9FFF, CJK and full-width punctuation,
#     kana, bopomofo) is a file fetched after the first paint: GC_FONT_DIR/wqy-microhei-cjk.ttf.
# Without fontTools the full fonts are used (bigger, same behaviour).
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

# What the Latin subset keeps: ASCII, Latin-1, Latin Extended-A/B, Greek, Cyrillic, general
# punctuation, currency, arrows, minus, geometric shapes, check marks, U+FFFD.
set(_gc_latin_unicodes "U+0020-024F,U+0370-03FF,U+0400-04FF,U+2000-206F,U+20A0-20CF,U+2190-21FF,U+2212,U+25A0-25FF,U+2713-2717,U+FFFD")
set(_gc_cjk_unicodes "U+3000-303F,U+3040-30FF,U+3100-312F,U+4E00-9FFF,U+FF00-FFEF")
set(_gc_subset_flags --no-hinting --layout-features= --drop-tables+=FFTM --name-IDs=* --name-languages=*)

file(MAKE_DIRECTORY "${GC_FONT_DIR}")
if(_gc_fonttools_python)
  message(STATUS "Fonts: subsetting with fontTools (${_gc_fonttools_python})")
  add_custom_command(
    OUTPUT "${_gc_latin_subset}"
    COMMAND "${_gc_fonttools_python}" -m fontTools.subset "${GC_LATIN_FONT}" "--unicodes=${_gc_latin_unicodes}"
            ${_gc_subset_flags} "--output-file=${_gc_latin_subset}"
    DEPENDS "${GC_LATIN_FONT}"
    COMMENT "Subsetting the Latin base font (${GC_LATIN_FONT})"
    VERBATIM)
  add_custom_command(
    OUTPUT "${GC_CJK_FONT_FILE}"
    COMMAND "${_gc_fonttools_python}" -m fontTools.subset "${GC_CJK_FONT}" --font-number=0
            "--unicodes=${_gc_cjk_unicodes}" ${_gc_subset_flags} "--output-file=${GC_CJK_FONT_FILE}"
    DEPENDS "${GC_CJK_FONT}"
    COMMENT "Subsetting the CJK font (${GC_CJK_FONT})"
    VERBATIM)
else()
  message(WARNING "Fonts: python3 with fontTools not found (apt-get install python3-fonttools); "
                  "shipping the full fonts (about 5 MB more)")
  add_custom_command(OUTPUT "${_gc_latin_subset}"
    COMMAND "${CMAKE_COMMAND}" -E copy "${GC_LATIN_FONT}" "${_gc_latin_subset}" DEPENDS "${GC_LATIN_FONT}" VERBATIM)
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
          -P "${CMAKE_CURRENT_SOURCE_DIR}/bin2cpp.cmake"
  DEPENDS "${_gc_latin_subset}" "${CMAKE_CURRENT_SOURCE_DIR}/bin2cpp.cmake"
  COMMENT "Embedding the Latin base font"
  VERBATIM)
add_custom_target(gc_fonts DEPENDS "${GC_CJK_FONT_FILE}" "${GC_FONT_DATA_CPP}")
