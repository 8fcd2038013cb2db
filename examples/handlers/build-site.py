#!/usr/bin/env python3
"""Build handler: writes a static preview page for the prospect on stdin and prints the
prospect with its preview_url. Exit 65 (permanent) when the item has no name or url."""
import html
import json
import os
import re
import sys

try:
    prospect = json.load(sys.stdin)
    name, url = prospect["name"], prospect["url"]
except (ValueError, KeyError, TypeError) as err:
    print(f"not a prospect with a name and url: {err}", file=sys.stderr)
    sys.exit(65)

out_dir = os.path.abspath(os.environ.get("PREVIEW_DIR", "previews"))
os.makedirs(out_dir, exist_ok=True)
slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "site"
path = os.path.join(out_dir, f"{slug}.html")
with open(path, "w", encoding="utf-8") as page:
    page.write(
        "<!doctype html><meta charset=utf-8>"
        f"<title>{html.escape(name)}</title>"
        f"<h1>{html.escape(name)}</h1>"
        f"<p>A modern site for {html.escape(prospect.get('category', 'your business'))}"
        f" in {html.escape(prospect.get('city', 'your town'))}.</p>"
        f"<p>Call {html.escape(prospect.get('phone', ''))}</p>\n"
    )
prospect["preview_url"] = f"file://{path}"
print(json.dumps(prospect))
