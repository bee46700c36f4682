#!/usr/bin/env python3
"""Checks the generated docs site (run by .ci/docs.sh).

1. Links: every internal href/src in every HTML page resolves to a file of the site (and #fragments to an id).
2. Rendering: headless Chromium opens the home page, an API page and the gallery; each screenshot must not be blank
   (enough distinct colours, not one flat colour) and each rendered DOM must contain the page's expected text.

Usage: docs_check.py SITE_DIR BASE_URL SCREENSHOT_DIR
"""
import html.parser, os, subprocess, sys, tempfile, urllib.parse
from PIL import Image, ImageStat

site, base, shots = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("preconnect", "dns-prefetch")):
                self.links.append(a[key])


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def check_links():
    pages, errors, checked = {}, [], 0
    for root, _, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(root, name)
                pages[os.path.normpath(path)] = parse(path)
    for path, page in sorted(pages.items()):
        for link in page.links:
            url = urllib.parse.urlsplit(link)
            if url.scheme or link.startswith("//"):
                continue  # external (none are required; not fetched)
            checked += 1
            target = path if not url.path else os.path.normpath(
                os.path.join(site, url.path.lstrip("/")) if url.path.startswith("/")
                else os.path.join(os.path.dirname(path), urllib.parse.unquote(url.path)))
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            if not os.path.isfile(target):
                errors.append(f"{os.path.relpath(path, site)}: broken link '{link}' (no file {os.path.relpath(target, site)})")
            elif url.fragment and target.endswith(".html") and target in pages and url.fragment not in pages[target].ids:
                errors.append(f"{os.path.relpath(path, site)}: link '{link}' points at no id '{url.fragment}'")
    print(f"links: {checked} internal links in {len(pages)} pages, {len(errors)} broken")
    return errors


CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--virtual-time-budget=5000"]


def check_render(name, page, expected):
    errors = []
    url = f"{base}/{page}"
    shot = os.path.join(shots, name + ".png")
    with tempfile.TemporaryDirectory() as profile:
        flags = CHROMIUM + [f"--user-data-dir={profile}"]
        subprocess.run(flags + ["--window-size=1280,1600", f"--screenshot={os.path.abspath(shot)}", url],
                       check=True, capture_output=True, timeout=120)
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(CHROMIUM + [f"--user-data-dir={profile}", "--dump-dom", url],
                             check=True, capture_output=True, text=True, timeout=120).stdout
    for text in expected:
        if text not in dom:
            errors.append(f"{page}: the rendered page does not contain '{text}'")
    img = Image.open(shot).convert("RGB")
    colours = len(img.getcolors(maxcolors=1 << 20) or [])
    spread = max(ImageStat.Stat(img).stddev)
    if colours < 50 or spread < 10:
        errors.append(f"{page}: the screenshot {shot} looks blank ({colours} colours, channel std {spread:.1f})")
    print(f"render: {page}: {img.width}x{img.height}, {colours} colours, channel std {spread:.1f}, {len(dom)} bytes of DOM -> {shot}")
    return errors


os.makedirs(shots, exist_ok=True)
errors = check_links()
errors += check_render("home", "index.html", ["<title>Mirage", "Getting started", "Gallery"])
errors += check_render("api-imagedatagenerator", "api/Mirage.Generation.ImageDataGenerator.html",
                       ["ImageDataGenerator", "GetRandomTransform", "ApplyTransform"])
errors += check_render("gallery", "gallery/index.html",
                       ["Gallery", "Rotation", "fill_mode: wrap", "CLAHE", "color_jitter", 'src="images/rotation.png"'])
for e in errors:
    print("FAIL " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
