# Font pipeline (build time). Sources come from Debian font packages:
#   Latin:    fonts-dejavu-core  -> /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
#   CJK:      fonts-wqy-microhei -> /usr/share/fonts/truetype/wqy/wqy-microhei.ttc (face 0;
#             TrueType glyf outlines, which stb_truetype reads; Noto CJK is CFF)
#   Emoji:    fonts-unifont -> /usr/share/fonts/opentype/unifont/unifont_upper.otf (plane 1)
#             and unifont.otf (plane 0): GNU Unifont 15, monochrome CFF outlines (stb_truetype
#             reads CFF; it cannot draw colour emoji fonts). Why this one: README.md, Emoji.
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
#   - The emoji font (GC_EMOJI_FONT_FILE) is fetched only once text with an emoji is shown:
#     emoji_font.py copies Unifont's emoji that no shipped font already has into one file
#     and writes the codepoints it holds as a C++ table (gc_emoji_ranges.hpp), so the atlas
#     knows which codepoints need it before it is fetched.
set(GC_LATIN_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" CACHE FILEPATH
    "Latin base font (Debian fonts-dejavu-core)")
set(GC_CJK_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" CACHE FILEPATH
    "CJK font, TrueType outlines (Debian fonts-wqy-microhei)")
set(GC_EMOJI_FONT "/usr/share/fonts/opentype/unifont/unifont_upper.otf" CACHE FILEPATH
    "Emoji font, plane 1 (Debian fonts-unifont)")
set(GC_EMOJI_FONT_PLANE0 "/usr/share/fonts/opentype/unifont/unifont.otf" CACHE FILEPATH
    "Emoji of plane 0 such as U+2728 and U+2705 (Debian fonts-unifont)")
foreach(_f GC_LATIN_FONT GC_CJK_FONT GC_EMOJI_FONT GC_EMOJI_FONT_PLANE0)
  if(NOT EXISTS "${${_f}}")
    message(FATAL_ERROR "${_f}: ${${_f}} not found. Install the Debian packages: "
                        "apt-get install fonts-dejavu-core fonts-wqy-microhei fonts-unifont python3-fonttools")
  endif()
endforeach()

set(GC_FONT_DIR "${CMAKE_BINARY_DIR}/fonts" CACHE INTERNAL "Built fonts, staged into web output directories")
set(GC_CJK_FONT_FILE "${GC_FONT_DIR}/wqy-microhei-cjk.ttf" CACHE INTERNAL "")
set(GC_LATIN_EXT_FONT_FILE "${GC_FONT_DIR}/dejavu-sans-ext.ttf" CACHE INTERNAL "")
set(GC_FALLBACK_FONT_FILES "${GC_LATIN_EXT_FONT_FILE};${GC_CJK_FONT_FILE}" CACHE INTERNAL
    "Fonts fetched after the first frame, in merge order (web/index.html data-fallback-fonts)")
set(GC_EMOJI_FONT_FILE "${GC_FONT_DIR}/unifont-emoji.otf" CACHE INTERNAL
    "Fetched once an emoji is on screen (web/index.html data-emoji-font)")
set(_gc_latin_subset "${GC_FONT_DIR}/DejaVuSans-subset.ttf")
set(GC_EMOJI_RANGES_HPP "${CMAKE_CURRENT_BINARY_DIR}/generated/gc_emoji_ranges.hpp")

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
# Emoji and the pictographic symbols around them (Unicode 15: Misc Symbols and Dingbats,
# Symbols and Pictographs, Emoticons, Transport, Supplemental Symbols and Pictographs and
# Extended-A, enclosed letters and ideographs, regional indicators, mahjong, cards). What a
# shipped font already draws stays with it (--exclude). The characters the atlas draws as
# nothing (fonts.hpp: variation selectors, ZWJ, keycap, skin tones) are not in the file.
set(_gc_emoji_unicodes "U+203C,U+2049,U+2122,U+2139,U+2194-21AA,U+231A-231B,U+2328,U+23CF,U+23E9-23FA,U+24C2,U+25AA-25FE,U+2600-27BF,U+2934-2935,U+2B05-2B55,U+3030,U+303D,U+3297,U+3299,U+1F000-1F02F,U+1F0A0-1F0FF,U+1F100-1F2FF,U+1F300-1F64F,U+1F680-1F6FF,U+1F7E0-1F7FF,U+1F900-1F9FF,U+1FA70-1FAFF")
set(_gc_emoji_skip "U+200D,U+20E3,U+FE00-FE0F,U+1F3FB-1F3FF")
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
  add_custom_command(
    OUTPUT "${GC_EMOJI_FONT_FILE}" "${GC_EMOJI_RANGES_HPP}"
    COMMAND "${_gc_fonttools_python}" "${CMAKE_CURRENT_SOURCE_DIR}/emoji_font.py"
            --source "${GC_EMOJI_FONT}" --source "${GC_EMOJI_FONT_PLANE0}"
            --exclude "${_gc_latin_subset}" --exclude "${GC_LATIN_EXT_FONT_FILE}" --exclude "${GC_CJK_FONT_FILE}"
            "--unicodes=${_gc_emoji_unicodes}" "--skip=${_gc_emoji_skip}"
            "--output=${GC_EMOJI_FONT_FILE}" "--ranges-header=${GC_EMOJI_RANGES_HPP}"
    DEPENDS "${GC_EMOJI_FONT}" "${GC_EMOJI_FONT_PLANE0}" "${_gc_latin_subset}" "${GC_LATIN_EXT_FONT_FILE}"
            "${GC_CJK_FONT_FILE}" "${CMAKE_CURRENT_SOURCE_DIR}/emoji_font.py" "${CMAKE_CURRENT_LIST_FILE}"
    COMMENT "Building the emoji font (${GC_EMOJI_FONT})"
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
  # Plane 1 only (Unifont's plane 0 file is 5 MB); the table then claims the wanted ranges.
  string(REGEX MATCHALL "U\\+1F[0-9A-F]+(-1F[0-9A-F]+)?" _gc_emoji_p1 "${_gc_emoji_unicodes}")
  set(_gc_emoji_pairs "")
  foreach(_r IN LISTS _gc_emoji_p1)
    string(REGEX MATCH "U\\+([0-9A-F]+)(-([0-9A-F]+))?" _m "${_r}")
    set(_last "${CMAKE_MATCH_3}")
    if(NOT _last)
      set(_last "${CMAKE_MATCH_1}")
    endif()
    string(APPEND _gc_emoji_pairs "0x${CMAKE_MATCH_1}, 0x${_last}, ")
  endforeach()
  file(WRITE "${GC_EMOJI_RANGES_HPP}"
       "#pragma once\nnamespace gc::platform::font_data {\n"
       "inline constexpr unsigned kEmojiFontRanges[] = {${_gc_emoji_pairs}0};\n}\n")
  add_custom_command(OUTPUT "${GC_EMOJI_FONT_FILE}"
    COMMAND "${CMAKE_COMMAND}" -E copy "${GC_EMOJI_FONT}" "${GC_EMOJI_FONT_FILE}" DEPENDS "${GC_EMOJI_FONT}" VERBATIM)
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
add_custom_target(gc_fonts DEPENDS ${GC_FALLBACK_FONT_FILES} "${GC_EMOJI_FONT_FILE}" "${GC_EMOJI_RANGES_HPP}"
                  "${GC_FONT_DATA_CPP}")
