// A small SVG writer for the report's plots: the few elements a scatter or
// line plot needs, with coordinates printed at a fixed 2 decimals and text
// escaped, so the same data always gives the same bytes. Styling is left to
// CSS classes (the report's <style>), which keeps every element short when a
// plot holds ten thousand points.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nasctl::report {

// Text for XML/HTML character data and attribute values: & < > " ' escaped.
std::string xml_escape(std::string_view text);

// A coordinate or length as written into the SVG: fixed 2 decimals, never
// "-0.00" (so a point at the origin prints the same from either side).
std::string svg_number(double value);

enum class Anchor { Start, Middle, End };

class Svg {
 public:
  // `label` becomes the <svg>'s aria-label (what the plot shows, for screen
  // readers and for tests that look a plot up by name).
  Svg(double width, double height, std::string_view label);

  void line(double x1, double y1, double x2, double y2, std::string_view css_class);
  void rect(double x, double y, double width, double height, std::string_view css_class);
  // A marker; a non-empty `title` becomes its <title> child, which browsers
  // show as a tooltip.
  void circle(double cx, double cy, double r, std::string_view css_class, std::string_view title = {});
  void polyline(const std::vector<std::pair<double, double>>& points, std::string_view css_class);
  // `rotate` in degrees about (x, y); 0 for none.
  void text(double x, double y, std::string_view content, Anchor anchor, std::string_view css_class,
            double rotate = 0.0);
  void open_group(std::string_view css_class);
  void close_group();

  // The whole <svg> element. Throws std::logic_error if a group is still open.
  std::string str() const;

 private:
  void attribute(std::string_view name, std::string_view value);
  void attribute(std::string_view name, double value);

  double width_;
  double height_;
  std::string label_;
  std::string body_;
  int open_groups_ = 0;
};

}  // namespace nasctl::report
