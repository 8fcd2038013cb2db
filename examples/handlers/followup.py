#!/usr/bin/env python3
"""Follow-up handler: a prospect whose tracking pixel was hit (its url is listed in the
pixel-hits file) is warm and moves on; any other is deferred a day through the control file
pipectl names in $PIPECTL_CONTROL (a deferral is not a failure and uses no attempt)."""
import json
import os
import sys

prospect = json.load(sys.stdin)
hits_file = os.environ.get("PIXEL_HITS", "pixel-hits.txt")
try:
    with open(hits_file, encoding="utf-8") as f:
        hits = {line.strip() for line in f if line.strip()}
except FileNotFoundError:
    hits = set()

if prospect.get("url") in hits:
    prospect["warm"] = True
    print(json.dumps(prospect))
else:
    prospect["followup_checks"] = prospect.get("followup_checks", 0) + 1
    with open(os.environ["PIPECTL_CONTROL"], "w", encoding="utf-8") as control:
        control.write("defer 1d\n")
    print(json.dumps(prospect))
