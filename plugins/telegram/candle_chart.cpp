#include "candle_chart.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace tickd::telegram {
namespace {

struct SurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextFree {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string price_label(double price) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.8g", price);
  return buf;
}

}  // namespace

std::string render_candle_chart(const std::vector<Candle>& candles, const std::string& title,
                                const ChartStyle& style) {
  std::unique_ptr<cairo_surface_t, SurfaceFree> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, style.width, style.height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cairo: no surface");
  std::unique_ptr<cairo_t, ContextFree> cr(cairo_create(surface.get()));
  cairo_t* c = cr.get();
  cairo_set_source_rgb(c, 1, 1, 1);
  cairo_paint(c);

  const double left = 10, top = 34, right = style.width - 90.0, bottom = style.height - 12.0;
  cairo_select_font_face(c, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(c, 16);
  cairo_set_source_rgb(c, 0.1, 0.1, 0.1);
  cairo_move_to(c, left, 22);
  cairo_show_text(c, title.c_str());

  if (candles.empty()) {
    cairo_move_to(c, left, style.height / 2.0);
    cairo_show_text(c, "no candles");
  } else {
    double lo = candles.front().low, hi = candles.front().high;
    for (const auto& k : candles) {
      lo = std::min(lo, k.low);
      hi = std::max(hi, k.high);
    }
    if (hi <= lo) hi = lo + (lo == 0 ? 1 : lo * 0.001);
    auto y = [&](double price) { return bottom - (price - lo) / (hi - lo) * (bottom - top); };
    const double slot = (right - left) / static_cast<double>(candles.size());
    const double body = std::max(1.0, slot * 0.7);

    cairo_set_font_size(c, 12);
    cairo_select_font_face(c, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_line_width(c, 1);
    for (int i = 0; i <= 4; ++i) {  // grid and price labels
      const double price = lo + (hi - lo) * i / 4.0;
      cairo_set_source_rgb(c, 0.88, 0.88, 0.88);
      cairo_move_to(c, left, y(price) + 0.5);
      cairo_line_to(c, right, y(price) + 0.5);
      cairo_stroke(c);
      cairo_set_source_rgb(c, 0.3, 0.3, 0.3);
      cairo_move_to(c, right + 6, y(price) + 4);
      cairo_show_text(c, price_label(price).c_str());
    }
    for (std::size_t i = 0; i < candles.size(); ++i) {
      const Candle& k = candles[i];
      const bool up = k.close >= k.open;
      if (up)
        cairo_set_source_rgb(c, 0.0, 0.63, 0.35);
      else
        cairo_set_source_rgb(c, 0.86, 0.15, 0.15);
      const double x = left + slot * (static_cast<double>(i) + 0.5);
      cairo_move_to(c, std::floor(x) + 0.5, y(k.high));
      cairo_line_to(c, std::floor(x) + 0.5, y(k.low));
      cairo_stroke(c);
      const double y0 = y(std::max(k.open, k.close)), y1 = y(std::min(k.open, k.close));
      cairo_rectangle(c, x - body / 2, y0, body, std::max(1.0, y1 - y0));
      cairo_fill(c);
    }
  }
  cairo_surface_flush(surface.get());
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), &append_png, &png) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cairo: cannot encode the PNG");
  return png;
}

}  // namespace tickd::telegram
