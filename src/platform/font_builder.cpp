#include "font_builder.hpp"

#include <cstring>

#include <imgui_internal.h>

// Dear ImGui's stb_rect_pack and stb_truetype: declarations only; the one implementation is
// src/third_party/imgui_stb.cpp, which ImGui's own builder uses too (so ImGui's
// ImFontAtlasBuildPackCustomRects can pack into this file's packer context).
#include "imstb_rectpack.h"
#include "imstb_truetype.h"

namespace gc::platform {

struct FontFile::Info {
  stbtt_fontinfo info{};
};

FontFile::~FontFile() = default;

std::unique_ptr<FontFile> FontFile::load(std::vector<unsigned char> bytes) {
  std::unique_ptr<FontFile> f(new FontFile());
  f->bytes_ = std::move(bytes);
  f->info_ = std::make_unique<Info>();
  const int offset = f->bytes_.empty() ? -1 : stbtt_GetFontOffsetForIndex(f->bytes_.data(), 0);
  if (offset < 0 || !stbtt_InitFont(&f->info_->info, f->bytes_.data(), offset)) return nullptr;
  return f;
}

bool FontFile::has(std::uint32_t codepoint) const {
  return stbtt_FindGlyphIndex(&info_->info, static_cast<int>(codepoint)) != 0;
}

void GlyphCache::clear() {
  entries_.clear();
  fonts_.clear();
  baked_.clear();
  last_size_px_ = 0;
}

std::uint64_t GlyphCache::key(const ImFontConfig& font, int glyph) {
  std::size_t slot = 0;
  while (slot < fonts_.size() && (fonts_[slot].first != font.Name || fonts_[slot].second != font.FontDataSize)) ++slot;
  if (slot == fonts_.size()) fonts_.emplace_back(font.Name, font.FontDataSize);
  return (static_cast<std::uint64_t>(slot) << 32) | static_cast<std::uint32_t>(glyph);
}

namespace {

// ImGui's ImFontBuildSrcData (imgui_draw.cpp): one source font's glyphs.
struct SrcData {
  stbtt_fontinfo FontInfo;
  stbtt_pack_range PackRange;
  stbrp_rect* Rects;
  stbtt_packedchar* PackedChars;
  const ImWchar* SrcRanges;
  int DstIndex;
  int GlyphsHighest;
  int GlyphsCount;
  ImBitVector GlyphsSet;
  ImVector<int> GlyphsList;
  ImVector<int> GlyphIndex;            // stbtt glyph index per GlyphsList entry
  ImVector<std::uint64_t> CacheKey;    // per GlyphsList entry
};

struct DstData {
  int SrcCount;
  int GlyphsHighest;
  int GlyphsCount;
  ImBitVector GlyphsSet;
};

void unpack_bit_vector(const ImBitVector* in, ImVector<int>* out) {
  const ImU32* it_begin = in->Storage.begin();
  const ImU32* it_end = in->Storage.end();
  for (const ImU32* it = it_begin; it < it_end; it++)
    if (ImU32 entries_32 = *it)
      for (ImU32 bit_n = 0; bit_n < 32; bit_n++)
        if (entries_32 & (static_cast<ImU32>(1) << bit_n)) out->push_back(static_cast<int>(((it - it_begin) << 5) + bit_n));
}

}  // namespace

// ImFontAtlasBuildWithStbTruetype (imgui_draw.cpp, Dear ImGui 1.90.1), with steps 4 and 8
// taking a glyph's box and bitmap from the cache where it has them.
bool build_with_cache(ImFontAtlas* atlas) {
  GlyphCache& cache = *static_cast<GlyphCache*>(atlas->UserData);
  const std::uint64_t build = ++cache.builds_;
  IM_ASSERT(atlas->ConfigData.Size > 0);
  ImFontAtlasBuildInit(atlas);

  atlas->TexID = (ImTextureID) nullptr;
  atlas->TexWidth = atlas->TexHeight = 0;
  atlas->TexUvScale = ImVec2(0.0f, 0.0f);
  atlas->TexUvWhitePixel = ImVec2(0.0f, 0.0f);
  atlas->ClearTexData();

  ImVector<SrcData> src_tmp_array;
  ImVector<DstData> dst_tmp_array;
  src_tmp_array.resize(atlas->ConfigData.Size);
  dst_tmp_array.resize(atlas->Fonts.Size);
  std::memset(static_cast<void*>(src_tmp_array.Data), 0, static_cast<std::size_t>(src_tmp_array.size_in_bytes()));
  std::memset(static_cast<void*>(dst_tmp_array.Data), 0, static_cast<std::size_t>(dst_tmp_array.size_in_bytes()));

  // 1. The fonts.
  for (int src_i = 0; src_i < atlas->ConfigData.Size; src_i++) {
    SrcData& src_tmp = src_tmp_array[src_i];
    ImFontConfig& cfg = atlas->ConfigData[src_i];
    src_tmp.DstIndex = -1;
    for (int output_i = 0; output_i < atlas->Fonts.Size && src_tmp.DstIndex == -1; output_i++)
      if (cfg.DstFont == atlas->Fonts[output_i]) src_tmp.DstIndex = output_i;
    if (src_tmp.DstIndex == -1) return false;
    const int font_offset = stbtt_GetFontOffsetForIndex(static_cast<unsigned char*>(cfg.FontData), cfg.FontNo);
    if (font_offset < 0 || !stbtt_InitFont(&src_tmp.FontInfo, static_cast<unsigned char*>(cfg.FontData), font_offset))
      return false;
    DstData& dst_tmp = dst_tmp_array[src_tmp.DstIndex];
    src_tmp.SrcRanges = cfg.GlyphRanges ? cfg.GlyphRanges : atlas->GetGlyphRangesDefault();
    for (const ImWchar* src_range = src_tmp.SrcRanges; src_range[0] && src_range[1]; src_range += 2)
      src_tmp.GlyphsHighest = ImMax(src_tmp.GlyphsHighest, static_cast<int>(src_range[1]));
    dst_tmp.SrcCount++;
    dst_tmp.GlyphsHighest = ImMax(dst_tmp.GlyphsHighest, src_tmp.GlyphsHighest);
  }

  // 2. Which font has each requested codepoint (the first that has it).
  int total_glyphs_count = 0;
  for (int src_i = 0; src_i < src_tmp_array.Size; src_i++) {
    SrcData& src_tmp = src_tmp_array[src_i];
    DstData& dst_tmp = dst_tmp_array[src_tmp.DstIndex];
    src_tmp.GlyphsSet.Create(src_tmp.GlyphsHighest + 1);
    if (dst_tmp.GlyphsSet.Storage.empty()) dst_tmp.GlyphsSet.Create(dst_tmp.GlyphsHighest + 1);
    for (const ImWchar* src_range = src_tmp.SrcRanges; src_range[0] && src_range[1]; src_range += 2)
      for (unsigned int codepoint = src_range[0]; codepoint <= src_range[1]; codepoint++) {
        if (dst_tmp.GlyphsSet.TestBit(static_cast<int>(codepoint))) continue;
        if (!stbtt_FindGlyphIndex(&src_tmp.FontInfo, static_cast<int>(codepoint))) continue;
        src_tmp.GlyphsCount++;
        dst_tmp.GlyphsCount++;
        src_tmp.GlyphsSet.SetBit(static_cast<int>(codepoint));
        dst_tmp.GlyphsSet.SetBit(static_cast<int>(codepoint));
        total_glyphs_count++;
      }
  }

  // 3. As flat lists.
  for (int src_i = 0; src_i < src_tmp_array.Size; src_i++) {
    SrcData& src_tmp = src_tmp_array[src_i];
    src_tmp.GlyphsList.reserve(src_tmp.GlyphsCount);
    unpack_bit_vector(&src_tmp.GlyphsSet, &src_tmp.GlyphsList);
    src_tmp.GlyphsSet.Clear();
  }
  for (int dst_i = 0; dst_i < dst_tmp_array.Size; dst_i++) dst_tmp_array[dst_i].GlyphsSet.Clear();
  dst_tmp_array.clear();

  ImVector<stbrp_rect> buf_rects;
  ImVector<stbtt_packedchar> buf_packedchars;
  buf_rects.resize(total_glyphs_count);
  buf_packedchars.resize(total_glyphs_count);
  std::memset(static_cast<void*>(buf_rects.Data), 0, static_cast<std::size_t>(buf_rects.size_in_bytes()));
  std::memset(static_cast<void*>(buf_packedchars.Data), 0, static_cast<std::size_t>(buf_packedchars.size_in_bytes()));

  // 4. Each glyph's box: the cached bitmap's, or stb_truetype's.
  int total_surface = 0;
  int buf_rects_out_n = 0;
  int buf_packedchars_out_n = 0;
  for (int src_i = 0; src_i < src_tmp_array.Size; src_i++) {
    SrcData& src_tmp = src_tmp_array[src_i];
    if (src_tmp.GlyphsCount == 0) continue;
    src_tmp.Rects = &buf_rects[buf_rects_out_n];
    src_tmp.PackedChars = &buf_packedchars[buf_packedchars_out_n];
    buf_rects_out_n += src_tmp.GlyphsCount;
    buf_packedchars_out_n += src_tmp.GlyphsCount;

    ImFontConfig& cfg = atlas->ConfigData[src_i];
    const float font_size = cfg.SizePixels * cfg.RasterizerDensity;
    src_tmp.PackRange.font_size = font_size;
    src_tmp.PackRange.first_unicode_codepoint_in_range = 0;
    src_tmp.PackRange.array_of_unicode_codepoints = src_tmp.GlyphsList.Data;
    src_tmp.PackRange.num_chars = src_tmp.GlyphsList.Size;
    src_tmp.PackRange.chardata_for_range = src_tmp.PackedChars;
    src_tmp.PackRange.h_oversample = static_cast<unsigned char>(cfg.OversampleH);
    src_tmp.PackRange.v_oversample = static_cast<unsigned char>(cfg.OversampleV);

    const float scale = (cfg.SizePixels > 0.0f) ? stbtt_ScaleForPixelHeight(&src_tmp.FontInfo, font_size)
                                                : stbtt_ScaleForMappingEmToPixels(&src_tmp.FontInfo, -font_size);
    const int padding = atlas->TexGlyphPadding;
    src_tmp.GlyphIndex.resize(src_tmp.GlyphsList.Size);
    src_tmp.CacheKey.resize(src_tmp.GlyphsList.Size);
    for (int glyph_i = 0; glyph_i < src_tmp.GlyphsList.Size; glyph_i++) {
      const int glyph = stbtt_FindGlyphIndex(&src_tmp.FontInfo, src_tmp.GlyphsList[glyph_i]);
      src_tmp.GlyphIndex[glyph_i] = glyph;
      src_tmp.CacheKey[glyph_i] = cache.key(cfg, glyph);
      const auto hit = cache.entries_.find(src_tmp.CacheKey[glyph_i]);
      stbrp_rect& r = src_tmp.Rects[glyph_i];
      if (hit != cache.entries_.end() && hit->second.font_size == font_size &&
          hit->second.h_oversample == cfg.OversampleH && hit->second.v_oversample == cfg.OversampleV) {
        r.w = static_cast<stbrp_coord>(hit->second.w + padding);
        r.h = static_cast<stbrp_coord>(hit->second.h + padding);
      } else {
        int x0, y0, x1, y1;
        stbtt_GetGlyphBitmapBoxSubpixel(&src_tmp.FontInfo, glyph, scale * cfg.OversampleH, scale * cfg.OversampleV, 0, 0,
                                        &x0, &y0, &x1, &y1);
        r.w = static_cast<stbrp_coord>(x1 - x0 + padding + cfg.OversampleH - 1);
        r.h = static_cast<stbrp_coord>(y1 - y0 + padding + cfg.OversampleV - 1);
      }
      total_surface += r.w * r.h;
    }
  }

  const int surface_sqrt = static_cast<int>(ImSqrt(static_cast<float>(total_surface))) + 1;
  atlas->TexHeight = 0;
  if (atlas->TexDesiredWidth > 0)
    atlas->TexWidth = atlas->TexDesiredWidth;
  else
    atlas->TexWidth = (surface_sqrt >= 4096 * 0.7f)   ? 4096
                      : (surface_sqrt >= 2048 * 0.7f) ? 2048
                      : (surface_sqrt >= 1024 * 0.7f) ? 1024
                                                      : 512;

  // 5. Pack ImGui's own rectangles first (top left), 6. then every font's glyphs.
  const int TEX_HEIGHT_MAX = 1024 * 32;
  stbtt_pack_context spc = {};
  stbtt_PackBegin(&spc, nullptr, atlas->TexWidth, TEX_HEIGHT_MAX, 0, atlas->TexGlyphPadding, nullptr);
  ImFontAtlasBuildPackCustomRects(atlas, spc.pack_info);
  for (int src_i = 0; src_i < src_tmp_array.Size; src_i++) {
    SrcData& src_tmp = src_tmp_array[src_i];
    if (src_tmp.GlyphsCount == 0) continue;
    stbrp_pack_rects(static_cast<stbrp_context*>(spc.pack_info), src_tmp.Rects, src_tmp.GlyphsCount);
    for (int glyph_i = 0; glyph_i < src_tmp.GlyphsCount; glyph_i++)
      if (src_tmp.Rects[glyph_i].was_packed)
        atlas->TexHeight = ImMax(atlas->TexHeight, src_tmp.Rects[glyph_i].y + src_tmp.Rects[glyph_i].h);
  }

  // 7. The texture.
  atlas->TexHeight = (atlas->Flags & ImFontAtlasFlags_NoPowerOfTwoHeight) ? (atlas->TexHeight + 1)
                                                                          : ImUpperPowerOfTwo(atlas->TexHeight);
  atlas->TexUvScale = ImVec2(1.0f / atlas->TexWidth, 1.0f / atlas->TexHeight);
  atlas->TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(atlas->TexWidth * atlas->TexHeight));
  std::memset(atlas->TexPixelsAlpha8, 0, static_cast<std::size_t>(atlas->TexWidth * atlas->TexHeight));
  spc.pixels = atlas->TexPixelsAlpha8;
  spc.height = atlas->TexHeight;

  // 8. Each glyph: copied from the cache, or rasterised (as stbtt_PackFontRangesRenderIntoRects
  // does, one glyph at a time) and then kept.
  cache.baked_.clear();
  cache.last_rasterised_ = cache.last_reused_ = 0;
  const int stride = atlas->TexWidth;
  for (int src_i = 0; src_i < src_tmp_array.Size; src_i++) {
    ImFontConfig& cfg = atlas->ConfigData[src_i];
    SrcData& src_tmp = src_tmp_array[src_i];
    if (src_tmp.GlyphsCount == 0) continue;
    const float font_size = src_tmp.PackRange.font_size;
    const int pad = atlas->TexGlyphPadding;
    unsigned char multiply_table[256];
    if (cfg.RasterizerMultiply != 1.0f) ImFontAtlasBuildMultiplyCalcLookupTable(multiply_table, cfg.RasterizerMultiply);
    for (int glyph_i = 0; glyph_i < src_tmp.GlyphsCount; glyph_i++) {
      stbrp_rect& r = src_tmp.Rects[glyph_i];
      if (!r.was_packed || r.w == 0 || r.h == 0) continue;
      stbtt_packedchar& bc = src_tmp.PackedChars[glyph_i];
      GlyphCache::Entry& e = cache.entries_[src_tmp.CacheKey[glyph_i]];
      const bool hit = e.build != 0 && e.font_size == font_size && e.h_oversample == cfg.OversampleH &&
                       e.v_oversample == cfg.OversampleV;
      if (hit) {
        r.x += pad;
        r.y += pad;
        r.w -= pad;
        r.h -= pad;
        for (int row = 0; row < e.h && e.w > 0; ++row)
          std::memcpy(spc.pixels + r.x + (r.y + row) * stride, e.pixels.data() + row * e.w, static_cast<std::size_t>(e.w));
        bc.x0 = static_cast<unsigned short>(r.x);
        bc.y0 = static_cast<unsigned short>(r.y);
        bc.x1 = static_cast<unsigned short>(r.x + r.w);
        bc.y1 = static_cast<unsigned short>(r.y + r.h);
        bc.xadvance = e.xadvance;
        bc.xoff = e.xoff;
        bc.yoff = e.yoff;
        bc.xoff2 = e.xoff2;
        bc.yoff2 = e.yoff2;
        ++cache.last_reused_;
      } else {
        stbtt_pack_range one = src_tmp.PackRange;
        one.array_of_unicode_codepoints = &src_tmp.GlyphsList[glyph_i];
        one.num_chars = 1;
        one.chardata_for_range = &bc;
        stbtt_PackFontRangesRenderIntoRects(&spc, &src_tmp.FontInfo, &one, 1, &r);  // pads r as above
        if (cfg.RasterizerMultiply != 1.0f)
          ImFontAtlasBuildMultiplyRectAlpha8(multiply_table, atlas->TexPixelsAlpha8, r.x, r.y, r.w, r.h, stride);
        e.font_size = font_size;
        e.h_oversample = cfg.OversampleH;
        e.v_oversample = cfg.OversampleV;
        e.w = r.w;
        e.h = r.h;
        e.xadvance = bc.xadvance;
        e.xoff = bc.xoff;
        e.yoff = bc.yoff;
        e.xoff2 = bc.xoff2;
        e.yoff2 = bc.yoff2;
        e.pixels.resize(static_cast<std::size_t>(e.w) * static_cast<std::size_t>(e.h));
        for (int row = 0; row < e.h; ++row)
          std::memcpy(e.pixels.data() + row * e.w, spc.pixels + r.x + (r.y + row) * stride, static_cast<std::size_t>(e.w));
        ++cache.last_rasterised_;
      }
      e.build = build;
      cache.baked_.insert(static_cast<std::uint32_t>(src_tmp.GlyphsList[glyph_i]));
    }
    src_tmp.Rects = nullptr;
  }
  stbtt_PackEnd(&spc);
  buf_rects.clear();
  // The cache keeps this build's glyphs only.
  for (auto it = cache.entries_.begin(); it != cache.entries_.end();)
    it = it->second.build == build ? std::next(it) : cache.entries_.erase(it);
  cache.last_size_px_ = atlas->ConfigData[0].SizePixels * atlas->ConfigData[0].RasterizerDensity;

  // 9. The glyphs for ImGui, as its builder registers them.
  for (int src_i = 0; src_i < src_tmp_array.Size; src_i++) {
    SrcData& src_tmp = src_tmp_array[src_i];
    ImFontConfig& cfg = atlas->ConfigData[src_i];
    ImFont* dst_font = cfg.DstFont;
    const float font_scale = stbtt_ScaleForPixelHeight(&src_tmp.FontInfo, cfg.SizePixels);
    int unscaled_ascent, unscaled_descent, unscaled_line_gap;
    stbtt_GetFontVMetrics(&src_tmp.FontInfo, &unscaled_ascent, &unscaled_descent, &unscaled_line_gap);
    const float ascent = ImTrunc(unscaled_ascent * font_scale + ((unscaled_ascent > 0.0f) ? +1 : -1));
    const float descent = ImTrunc(unscaled_descent * font_scale + ((unscaled_descent > 0.0f) ? +1 : -1));
    ImFontAtlasBuildSetupFont(atlas, dst_font, &cfg, ascent, descent);
    const float font_off_x = cfg.GlyphOffset.x;
    const float font_off_y = cfg.GlyphOffset.y + IM_ROUND(dst_font->Ascent);
    const float inv_rasterization_scale = 1.0f / cfg.RasterizerDensity;
    for (int glyph_i = 0; glyph_i < src_tmp.GlyphsCount; glyph_i++) {
      const int codepoint = src_tmp.GlyphsList[glyph_i];
      const stbtt_packedchar& pc = src_tmp.PackedChars[glyph_i];
      stbtt_aligned_quad q;
      float unused_x = 0.0f, unused_y = 0.0f;
      stbtt_GetPackedQuad(src_tmp.PackedChars, atlas->TexWidth, atlas->TexHeight, glyph_i, &unused_x, &unused_y, &q, 0);
      const float x0 = q.x0 * inv_rasterization_scale + font_off_x;
      const float y0 = q.y0 * inv_rasterization_scale + font_off_y;
      const float x1 = q.x1 * inv_rasterization_scale + font_off_x;
      const float y1 = q.y1 * inv_rasterization_scale + font_off_y;
      dst_font->AddGlyph(&cfg, static_cast<ImWchar>(codepoint), x0, y0, x1, y1, q.s0, q.t0, q.s1, q.t1,
                         pc.xadvance * inv_rasterization_scale);
    }
  }
  src_tmp_array.clear_destruct();
  ImFontAtlasBuildFinish(atlas);
  return true;
}

bool GlyphCache::build(ImFontAtlas& atlas) {
  static ImFontBuilderIO io;
  io.FontBuilder_Build = build_with_cache;
  // For this call only: ImGui builds the atlas again by itself when its pixels are asked
  // for after they were freed (a WebGL context restored); that build is ImGui's own.
  const ImFontBuilderIO* const before = atlas.FontBuilderIO;
  atlas.FontBuilderIO = &io;
  atlas.UserData = this;
  const bool ok = atlas.Build();
  atlas.FontBuilderIO = before;
  atlas.UserData = nullptr;
  return ok;
}

}  // namespace gc::platform
