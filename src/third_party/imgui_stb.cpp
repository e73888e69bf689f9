// The one copy of stb_rect_pack and stb_truetype in the program (Dear ImGui's copies of
// them, imstb_*.h), shared by imgui_draw.cpp and src/platform/font_builder.cpp, which
// both pack and rasterise glyphs. ImGui compiles its own static copy unless told not to
// (IMGUI_DISABLE_STB_*_IMPLEMENTATION, src/cmake/ImGui.cmake); two copies cost the .wasm
// ~5 KB gzipped (measured: 360,894 against 356,053 bytes).
#include <imgui.h>
#include <imgui_internal.h>

// As imgui_draw.cpp configures its own copy: ImGui's allocator and maths.
#define STBRP_ASSERT(x) do { IM_ASSERT(x); } while (0)
#define STBRP_SORT ImQsort
#define STB_RECT_PACK_IMPLEMENTATION
#include "imstb_rectpack.h"

#define STBTT_malloc(x, u) ((void)(u), IM_ALLOC(x))
#define STBTT_free(x, u) ((void)(u), IM_FREE(x))
#define STBTT_assert(x) do { IM_ASSERT(x); } while (0)
#define STBTT_fmod(x, y) ImFmod(x, y)
#define STBTT_sqrt(x) ImSqrt(x)
#define STBTT_pow(x, y) ImPow(x, y)
#define STBTT_fabs(x) ImFabs(x)
#define STBTT_ifloor(x) ((int)ImFloor(x))
#define STBTT_iceil(x) ((int)ImCeil(x))
#define STB_TRUETYPE_IMPLEMENTATION
#include "imstb_truetype.h"
