"""Helpers of browser_test.sh.

inject REPORT PROBE: writes PROBE, the report with a script that measures
  what the browser drew and clicks the front table's first header twice.
check DOM RUN_DIR PNG: compares the probe's findings with the run's CSVs and
  looks for the first run's colour in the screenshot; exit 1 on a mismatch.
"""
import csv
import json
import re
import struct
import sys
import zlib

PROBE = r"""<script>
(function () {
  var all = function (q) { return Array.prototype.slice.call(document.querySelectorAll(q)); };
  var r = {};
  var svgs = all('svg');
  r.svgs = svgs.length;
  r.svgs_drawn = svgs.filter(function (s) { var b = s.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length;
  var pts = all('figure.front-plot circle.pt');
  r.points = pts.length;
  r.points_drawn = pts.filter(function (c) { var b = c.getBBox(); return b.width > 0 && b.height > 0; }).length;
  r.front = all('figure.front-plot circle.pt.front').length;
  r.feasible = all('figure.front-plot circle.pt.feasible').length;
  r.infeasible = all('figure.front-plot circle.pt.infeasible').length;
  r.titled = pts.filter(function (c) { var t = c.querySelector('title'); return t && t.textContent.length > 0; }).length;
  r.front_titles = all('figure.front-plot circle.pt.front title').map(function (t) { return t.textContent; });
  r.front_fill = getComputedStyle(document.querySelector('circle.pt.front')).fill;
  r.constraint_dash = getComputedStyle(document.querySelector('line.constraint')).strokeDasharray;
  r.rows = all('table.sortable tbody tr').length;
  var firstColumn = function () { return all('table.sortable tbody tr').map(function (tr) { return parseFloat(tr.cells[0].textContent); }); };
  var th = document.querySelector('table.sortable th');
  th.click();
  r.after_one_click = firstColumn();
  th.click();
  r.after_two_clicks = firstColumn();
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
})();
</script>
"""


def inject(report, probe):
    html = open(report, encoding="utf-8").read()
    at = html.rindex("</body>")
    open(probe, "w", encoding="utf-8").write(html[:at] + PROBE + html[at:])


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB/RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, "unexpected PNG format %s" % (header,)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        previous = line
    return width, height, rows


def check(dom, run_dir, png):
    failures = []

    def expect(what, got, want):
        status = "ok" if got == want else "MISMATCH"
        print("%-58s %s (expected %s) %s" % (what, got, want, status))
        if got != want:
            failures.append(what)

    found = re.search(r'<pre id="probe">(.*?)</pre>', open(dom, encoding="utf-8").read(), re.S)
    if not found:
        print("the probe left no result: the page's scripts did not run")
        return 1
    r = json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    rows = list(csv.DictReader(open(run_dir + "/evaluations.csv")))
    front = list(csv.DictReader(open(run_dir + "/pareto.csv")))
    infeasible = sum(1 for row in rows if row["feasible"] == "false")
    expect("plots (svg elements) drawn with a non-empty box", r["svgs_drawn"], r["svgs"])
    expect("plots in the report (front + hypervolume)", r["svgs"], 2)
    expect("points in the front plot = evaluations", r["points"], len(rows))
    expect("points drawn with a non-empty box", r["points_drawn"], len(rows))
    expect("front points = pareto.csv rows", r["front"], len(front))
    expect("infeasible points = infeasible evaluations", r["infeasible"], infeasible)
    expect("feasible points off the front", r["feasible"], len(rows) - infeasible - len(front))
    expect("points with a tooltip (<title>)", r["titled"], len(rows))
    expect("front tooltips naming a pareto.csv architecture",
           sum(1 for t in r["front_titles"] if any("\n" + row["arch"] + "\n" in t for row in front)), len(front))
    expect("front point fill from the stylesheet (run colour)", r["front_fill"], "rgb(31, 95, 168)")
    expect("constraint line dashed", r["constraint_dash"], "6px, 4px")
    expect("front table rows = pareto.csv rows", r["rows"], len(front))
    indices = [float(row["index"]) for row in front]
    expect("one click on '#' sorts the table ascending", r["after_one_click"], sorted(indices))
    expect("a second click sorts it descending", r["after_two_clicks"], sorted(indices, reverse=True))

    width, height, pixels = png_pixels(png)
    blue = sum(1 for line in pixels for (red, green, b) in line
               if abs(red - 31) < 40 and abs(green - 95) < 40 and abs(b - 168) < 40)
    print("%-58s %dx%d, %d pixels of the run's colour" % ("screenshot " + png, width, height, blue))
    if width != 1280 or blue < 200:
        failures.append("screenshot")
    if failures:
        print("FAILED: " + ", ".join(failures))
        return 1
    print("the report rendered in %s as written" % "headless Chromium")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "inject":
        inject(sys.argv[2], sys.argv[3])
        sys.exit(0)
    sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
