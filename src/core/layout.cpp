// See layout.hpp for the rules.
#include "core/layout.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace gc::core {
namespace {

constexpr float kDefaultAspect = 16.0f / 9.0f;
constexpr double kTieTolerance = 1e-3;  // relative tile-area difference treated as a tie

float non_negative(float v) { return std::isfinite(v) && v > 0 ? v : 0.0f; }

struct Sanitized {
  float width, height;
  float margin, gap, top, bottom;
  float aspect;
  int max_cols, max_rows;
  float min_tile_width;
  Rect area;  // grid area
};

Sanitized sanitize(const LayoutParams& p) {
  Sanitized s{};
  s.width = non_negative(p.canvas_width);
  s.height = non_negative(p.canvas_height);
  s.margin = non_negative(p.margin);
  s.gap = non_negative(p.gap);
  s.top = non_negative(p.top_band);
  s.bottom = non_negative(p.bottom_band);
  s.aspect = std::isfinite(p.aspect) && p.aspect > 0 ? p.aspect : kDefaultAspect;
  s.max_cols = std::max(1, p.max_cols);
  s.max_rows = std::max(1, p.max_rows);
  s.min_tile_width = non_negative(p.min_tile_width);

  float top_edge = s.top > 0 ? s.top + s.margin : s.margin;
  float bottom_edge = s.bottom > 0 ? s.bottom + s.margin : s.margin;
  s.area.x = std::min(s.margin, s.width);
  s.area.y = std::min(top_edge, s.height);
  s.area.w = std::max(0.0f, s.width - 2 * s.margin);
  s.area.h = std::max(0.0f, s.height - top_edge - bottom_edge);
  return s;
}

// Largest tile of the target aspect that fits a cell of a cols x rows grid.
void tile_size(const Sanitized& s, int cols, int rows, float& w, float& h) {
  float cell_w = std::max(0.0f, (s.area.w - static_cast<float>(cols - 1) * s.gap) / cols);
  float cell_h = std::max(0.0f, (s.area.h - static_cast<float>(rows - 1) * s.gap) / rows);
  w = std::min(cell_w, cell_h * s.aspect);
  h = w / s.aspect;
}

std::size_t compute_per_page(const Sanitized& s) {
  std::size_t best = 1;
  for (int cols = 1; cols <= s.max_cols; ++cols) {
    for (int rows = 1; rows <= s.max_rows; ++rows) {
      float w = 0;
      float h = 0;
      tile_size(s, cols, rows, w, h);
      auto capacity = static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows);
      if (w >= s.min_tile_width && w > 0 && capacity > best) best = capacity;
    }
  }
  return best;
}

void choose_grid(const Sanitized& s, std::size_t count, int& best_cols, int& best_rows) {
  best_cols = 1;
  best_rows = 1;
  if (count <= 1) return;
  bool landscape = s.area.w >= s.area.h;
  double best_area = -1;
  std::size_t best_waste = 0;
  for (int cols = 1; cols <= s.max_cols; ++cols) {
    for (int rows = 1; rows <= s.max_rows; ++rows) {
      auto cells = static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows);
      if (cells < count) continue;
      float w = 0;
      float h = 0;
      tile_size(s, cols, rows, w, h);
      double area = static_cast<double>(w) * h;
      std::size_t waste = cells - count;
      bool better = false;
      if (best_area < 0) {
        better = true;
      } else if (area > best_area * (1 + kTieTolerance)) {
        better = true;
      } else if (area >= best_area * (1 - kTieTolerance)) {  // a tie on area
        if (waste != best_waste) {
          better = waste < best_waste;
        } else {
          better = landscape ? cols > best_cols : rows > best_rows;
        }
      }
      if (better) {
        best_area = area;
        best_waste = waste;
        best_cols = cols;
        best_rows = rows;
      }
    }
  }
}

}  // namespace

TileLayout compute_layout(const LayoutParams& params) {
  Sanitized s = sanitize(params);
  TileLayout out;
  out.grid_area = s.area;
  out.per_page = compute_per_page(s);
  std::size_t n = params.tile_count;
  out.page_count = n == 0 ? 1 : (n + out.per_page - 1) / out.per_page;
  out.page = std::min(params.page, out.page_count - 1);
  out.first_tile = out.page * out.per_page;
  std::size_t on_page = n > out.first_tile ? std::min(out.per_page, n - out.first_tile) : 0;

  choose_grid(s, on_page, out.cols, out.rows);
  tile_size(s, out.cols, out.rows, out.tile_width, out.tile_height);
  if (on_page == 0) return out;

  // Rows actually used (a page with fewer tiles than cells may leave whole rows empty only
  // when the grid is forced by max_cols; centre what is drawn).
  auto cols = static_cast<std::size_t>(out.cols);
  std::size_t used_rows = (on_page + cols - 1) / cols;
  float block_h = static_cast<float>(used_rows) * out.tile_height +
                  static_cast<float>(used_rows - 1) * s.gap;
  float y0 = s.area.y + (s.area.h - block_h) / 2;

  out.rects.reserve(on_page);
  for (std::size_t i = 0; i < on_page; ++i) {
    std::size_t row = i / cols;
    std::size_t col = i % cols;
    std::size_t in_row = std::min(cols, on_page - row * cols);
    float row_w = static_cast<float>(in_row) * out.tile_width +
                  static_cast<float>(in_row - 1) * s.gap;
    float x0 = s.area.x + (s.area.w - row_w) / 2;
    Rect r;
    r.x = x0 + static_cast<float>(col) * (out.tile_width + s.gap);
    r.y = y0 + static_cast<float>(row) * (out.tile_height + s.gap);
    r.w = out.tile_width;
    r.h = out.tile_height;
    out.rects.push_back(r);
  }
  return out;
}

std::vector<std::size_t> tiles_on_page(const TileLayout& layout) {
  std::vector<std::size_t> out;
  out.reserve(layout.rects.size());
  for (std::size_t i = 0; i < layout.rects.size(); ++i) out.push_back(layout.first_tile + i);
  return out;
}

std::vector<std::size_t> tiles_on_page(const LayoutParams& params) {
  return tiles_on_page(compute_layout(params));
}

const char* to_string(ViewLayout layout) { return layout == ViewLayout::kSpeaker ? "speaker" : "grid"; }

std::optional<ViewLayout> parse_view_layout(std::string_view text) {
  std::string lower;
  for (char c : text) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  if (lower == "grid") return ViewLayout::kGrid;
  if (lower == "speaker") return ViewLayout::kSpeaker;
  return std::nullopt;
}

std::size_t page_of_tile(const LayoutParams& params, std::size_t index) {
  Sanitized s = sanitize(params);
  std::size_t per_page = compute_per_page(s);
  std::size_t pages =
      params.tile_count == 0 ? 1 : (params.tile_count + per_page - 1) / per_page;
  return std::min(index / per_page, pages - 1);
}

}  // namespace gc::core
