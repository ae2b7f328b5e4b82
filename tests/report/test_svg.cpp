// The SVG writer and the axes: exact bytes for known elements, escaping of
// text that would otherwise break the XML, and tick values people read.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "nasctl/report/axes.hpp"
#include "nasctl/report/svg.hpp"

using namespace nasctl::report;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("xml_escape escapes the five characters that end text or attributes") {
  CHECK(xml_escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  CHECK(xml_escape("{'ks': [3, 5]}") == "{&#39;ks&#39;: [3, 5]}");
  CHECK(xml_escape("plain") == "plain");
}

TEST_CASE("coordinates are printed with two decimals, and minus zero as zero") {
  CHECK(svg_number(3.14159) == "3.14");
  CHECK(svg_number(-0.001) == "0.00");
  CHECK(svg_number(-2.5) == "-2.50");
  CHECK(svg_number(1e6) == "1000000.00");
}

TEST_CASE("a circle with a title is one element with the title escaped inside") {
  Svg svg(100, 50, "a <plot>");
  svg.circle(10, 20.5, 3, "pt front r0", "#1 {'ks': [3]}\nacc = 0.7 & more");
  const std::string s = svg.str();
  CHECK(s.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100.00\" height=\"50.00\" viewBox=\"0 0 100.00 50.00\" "
                "role=\"img\" aria-label=\"a &lt;plot&gt;\">\n",
                0) == 0);
  CHECK(s.find("<circle class=\"pt front r0\" cx=\"10.00\" cy=\"20.50\" r=\"3.00\"><title>#1 {&#39;ks&#39;: [3]}\nacc = 0.7 "
               "&amp; more</title></circle>\n") != std::string::npos);
  CHECK(s.substr(s.size() - 7) == "</svg>\n");
}

TEST_CASE("each drawing call writes exactly one element of its kind") {
  Svg svg(200, 100, "counts");
  svg.open_group("run r1");
  for (int i = 0; i < 7; ++i) svg.circle(i, i, 2, "pt feasible r1");
  svg.line(0, 0, 10, 10, "grid");
  svg.line(0, 5, 10, 5, "grid");
  svg.rect(1, 2, 3, 4, "frame");
  svg.polyline({{0, 0}, {1.5, 2}, {3, -1}}, "staircase r1");
  svg.text(5, 6, "x < y", Anchor::Middle, "axis-title", -90);
  svg.close_group();
  const std::string s = svg.str();
  CHECK(count(s, "<circle ") == 7);
  CHECK(count(s, "<line ") == 2);
  CHECK(count(s, "<rect ") == 1);
  CHECK(count(s, "<g ") == 1);
  CHECK(count(s, "</g>") == 1);
  CHECK(s.find("points=\"0.00,0.00 1.50,2.00 3.00,-1.00\"") != std::string::npos);
  CHECK(s.find("<text class=\"axis-title\" x=\"5.00\" y=\"6.00\" text-anchor=\"middle\" transform=\"rotate(-90.00 5.00 "
               "6.00)\">x &lt; y</text>") != std::string::npos);
}

TEST_CASE("unbalanced groups are a programming error, not a broken file") {
  Svg svg(10, 10, "g");
  CHECK_THROWS_AS(svg.close_group(), std::logic_error);
  svg.open_group("a");
  CHECK_THROWS_AS(svg.str(), std::logic_error);
}

TEST_CASE("a scale maps its data interval onto its pixels, a y axis upwards") {
  const Scale x{0.0, 10.0, 100.0, 300.0};
  CHECK(svg_number(x(0.0)) == "100.00");
  CHECK(svg_number(x(2.5)) == "150.00");
  CHECK(svg_number(x(10.0)) == "300.00");
  const Scale y{0.0, 4.0, 400.0, 0.0};
  CHECK(svg_number(y(1.0)) == "300.00");
  const Scale padded = padded_scale({2.0, 12.0, NAN}, 0.0, 100.0);
  CHECK(padded.lo == doctest::Approx(1.5));
  CHECK(padded.hi == doctest::Approx(12.5));
}

TEST_CASE("ticks fall on 1, 2 or 5 times a power of ten, labelled short") {
  std::vector<std::string> labels;
  for (double t : nice_ticks(-0.05, 1.05)) labels.push_back(tick_label(t, 0.2));
  CHECK(labels == std::vector<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1.0"});
  labels.clear();
  const auto macs = nice_ticks(1.9e8, 4.1e8);
  for (double t : macs) labels.push_back(tick_label(t, macs[1] - macs[0]));
  CHECK(labels == std::vector<std::string>{"200M", "250M", "300M", "350M", "400M"});
  CHECK(tick_label(2500000, 500000) == "2.5M");
  CHECK(tick_label(15, 5) == "15");
  CHECK(tick_label(0.0, 2e13) == "0");
  CHECK(nice_ticks(1.0, 1.0).empty());
}
