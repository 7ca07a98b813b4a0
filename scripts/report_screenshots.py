#!/usr/bin/env python3
"""Screenshots of each chart type of report.html, for docs/ and the README.

Runs the main job's scenario (datasets/ordos-park) into a temporary folder, cuts the
report into one page per section (same stylesheet), renders each page with headless
Chromium at 1280 px and writes docs/report-<section>.png.

    python3 scripts/report_screenshots.py [--binary .build/release/flexdispatch] [--out docs]
"""
import argparse, os, re, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--binary", default=os.path.join(root, ".build/release/flexdispatch"))
ap.add_argument("--out", default=os.path.join(root, "docs"))
ap.add_argument("--chromium", default="chromium")
a = ap.parse_args()
if not os.path.exists(a.binary):
    sys.exit(f"{a.binary} is missing: run `swift build -c release` first")
work = tempfile.mkdtemp(prefix="fd-shots-")
subprocess.run([a.binary, "run", os.path.join(root, "datasets/ordos-park"), "--out", f"{work}/run", "--no-db", "--quiet"],
               check=True)
html = open(f"{work}/run/report.html", encoding="utf-8").read()
head, body = html.split("<body>", 1)
sections = re.findall(r"<section>.*?</section>", body, re.S)
for section in sections:
    title = re.search(r"<h2>(.*?)</h2>", section).group(1)
    name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    # Height: the charts' viewBox heights at the page's 1180 px drawing width, plus text.
    heights = [float(h) for h in re.findall(r'viewBox="0 0 [\d.]+ ([\d.]+)"', section)]
    height = int(sum(heights) + 60 * len(heights) + 120)
    page = f"{work}/{name}.html"
    open(page, "w", encoding="utf-8").write(head + "<body>" + section + "</body></html>")
    png = os.path.join(a.out, f"report-{name}.png")
    subprocess.run([a.chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={work}/profile", f"--window-size=1280,{height}", f"--screenshot={png}",
                    "file://" + page], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"{png} ({height} px)")
