#include "nasctl/report/svg.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace nasctl::report {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_number(double value) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  std::string s = buf;
  if (s == "-0.00") return "0.00";
  return s;
}

Svg::Svg(double width, double height, std::string_view label) : width_(width), height_(height), label_(label) {}

void Svg::attribute(std::string_view name, std::string_view value) {
  body_ += ' ';
  body_ += name;
  body_ += "=\"";
  body_ += xml_escape(value);
  body_ += '"';
}

void Svg::attribute(std::string_view name, double value) { attribute(name, svg_number(value)); }

void Svg::line(double x1, double y1, double x2, double y2, std::string_view css_class) {
  body_ += "<line";
  attribute("class", css_class);
  attribute("x1", x1);
  attribute("y1", y1);
  attribute("x2", x2);
  attribute("y2", y2);
  body_ += "/>\n";
}

void Svg::rect(double x, double y, double width, double height, std::string_view css_class) {
  body_ += "<rect";
  attribute("class", css_class);
  attribute("x", x);
  attribute("y", y);
  attribute("width", width);
  attribute("height", height);
  body_ += "/>\n";
}

void Svg::circle(double cx, double cy, double r, std::string_view css_class, std::string_view title) {
  body_ += "<circle";
  attribute("class", css_class);
  attribute("cx", cx);
  attribute("cy", cy);
  attribute("r", r);
  if (title.empty()) {
    body_ += "/>\n";
    return;
  }
  body_ += "><title>";
  body_ += xml_escape(title);
  body_ += "</title></circle>\n";
}

void Svg::polyline(const std::vector<std::pair<double, double>>& points, std::string_view css_class) {
  std::string coordinates;
  for (const auto& [x, y] : points) {
    if (!coordinates.empty()) coordinates += ' ';
    coordinates += svg_number(x) + "," + svg_number(y);
  }
  body_ += "<polyline";
  attribute("class", css_class);
  attribute("points", coordinates);
  body_ += "/>\n";
}

void Svg::text(double x, double y, std::string_view content, Anchor anchor, std::string_view css_class, double rotate) {
  body_ += "<text";
  attribute("class", css_class);
  attribute("x", x);
  attribute("y", y);
  if (anchor != Anchor::Start) attribute("text-anchor", anchor == Anchor::Middle ? "middle" : "end");
  if (rotate != 0.0) attribute("transform", "rotate(" + svg_number(rotate) + " " + svg_number(x) + " " + svg_number(y) + ")");
  body_ += '>';
  body_ += xml_escape(content);
  body_ += "</text>\n";
}

void Svg::open_group(std::string_view css_class) {
  body_ += "<g";
  attribute("class", css_class);
  body_ += ">\n";
  ++open_groups_;
}

void Svg::close_group() {
  if (open_groups_ == 0) throw std::logic_error("Svg::close_group: no group is open");
  body_ += "</g>\n";
  --open_groups_;
}

std::string Svg::str() const {
  if (open_groups_ != 0) throw std::logic_error("Svg::str: a group is still open");
  const std::string w = svg_number(width_), h = svg_number(height_);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " +
         h + "\" role=\"img\" aria-label=\"" + xml_escape(label_) + "\">\n" + body_ + "</svg>\n";
}

}  // namespace nasctl::report
