#!/usr/bin/env python3
"""Build handler: writes a static preview page for a prospect and passes the prospect on
with its preview_url. A prospect without a name or url is dead-lettered (permanent).

It runs warm (`mode = "stream"` in pipectl.toml): one process serves every item, through
the handler kit next to it (pipectl_handler.py); the same file also runs as one process
per item."""
import html
import os
import re

from pipectl_handler import Dead, serve

OUT_DIR = os.path.abspath(os.environ.get("PREVIEW_DIR", "previews"))


def build(prospect, ctx):
    try:
        name, url = prospect["name"], prospect["url"]
    except (KeyError, TypeError) as err:
        raise Dead(f"not a prospect with a name and url: missing {err}")
    os.makedirs(OUT_DIR, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", str(url).lower()).strip("-") or "site"
    path = os.path.join(OUT_DIR, f"{slug}.html")
    with open(path, "w", encoding="utf-8") as page:
        page.write(
            "<!doctype html><meta charset=utf-8>"
            f"<title>{html.escape(name)}</title>"
            f"<h1>{html.escape(name)}</h1>"
            f"<p>A modern site for {html.escape(prospect.get('category', 'your business'))}"
            f" in {html.escape(prospect.get('city', 'your town'))}.</p>"
            f"<p>Call {html.escape(prospect.get('phone', ''))}</p>\n"
        )
    return {**prospect, "preview_url": f"file://{path}"}


serve(build)
