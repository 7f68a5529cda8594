// Reads a PNG back with cairo and counts the chart's candle colours.
#pragma once

#include <cairo.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace tickd::telegram::test {

struct PngPixels {
  int width = 0;
  int height = 0;
  long green = 0;  // up candles
  long red = 0;    // down candles
};

inline PngPixels count_candle_pixels(const std::string& png) {
  struct Reader {
    const std::string* data;
    std::size_t pos = 0;
  } reader{&png};
  auto read = [](void* closure, unsigned char* out, unsigned int length) {
    auto* r = static_cast<Reader*>(closure);
    if (r->pos + length > r->data->size()) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(out, r->data->data() + r->pos, length);
    r->pos += length;
    return CAIRO_STATUS_SUCCESS;
  };
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read, &reader);
  PngPixels out;
  if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
    cairo_surface_flush(s);
    out.width = cairo_image_surface_get_width(s);
    out.height = cairo_image_surface_get_height(s);
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char* data = cairo_image_surface_get_data(s);
    for (int y = 0; y < out.height; ++y)
      for (int x = 0; x < out.width; ++x) {
        std::uint32_t px;
        std::memcpy(&px, data + y * stride + x * 4, 4);
        const int r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
        if (g > 120 && r < 60 && b < 140) ++out.green;
        if (r > 180 && g < 80 && b < 80) ++out.red;
      }
  }
  cairo_surface_destroy(s);
  return out;
}

}  // namespace tickd::telegram::test
