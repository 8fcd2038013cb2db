#!/usr/bin/env python3
"""A local stand-in for an SMS/email provider: POST /send with a bearer token appends the
prospect to outbox.ndjson and answers it back with a contacted_at stamp.
Usage: outreach-server.py PORT OUTBOX   (the token comes from $OUTREACH_TOKEN)"""
import datetime
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, OUTBOX = int(sys.argv[1]), sys.argv[2]
TOKEN = os.environ["OUTREACH_TOKEN"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.answer(401, b"bad token")
        if self.path != "/send":
            return self.answer(404, b"no such endpoint")
        prospect = json.loads(body)
        prospect["contacted_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat()
        with open(OUTBOX, "a", encoding="utf-8") as out:
            out.write(json.dumps(prospect) + "\n")
        self.answer(200, json.dumps(prospect).encode())

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
