#!/bin/sh
# A source handler: prints prospects as NDJSON. A real one would query a maps/search API;
# this one reads a local fixture so the example runs offline.
exec cat "${DISCOVER_FIXTURE:-./businesses.ndjson}"
