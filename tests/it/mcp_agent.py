#!/usr/bin/env python3
"""A scripted agent driving `pipectl mcp` with the official MCP Python SDK (`mcp` on PyPI).

Run by tests/it/mcp_clients.rs in the venv scripts/test makes:

    mcp_agent.py stdio PIPECTL --config PATH mcp [ARGS...]
    mcp_agent.py http URL [TOKEN]

It lists the tools and checks each one's input schema, output schema and annotations, then
works stage `build` as an agent would: claim three items, complete the first with an output
item, fail the second for good, escalate the third with a question, and sees a finished
lease refused as a tool error. It prints one JSON document of what it saw on stdout; the
Rust test checks Redis and the audit stream against it. Any failed check exits non-zero.
"""

import asyncio
import json
import os
import sys

from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

WORKER = {
    "pipectl_audit", "pipectl_dead_list", "pipectl_find", "pipectl_saturation",
    "pipectl_seen", "pipectl_staged", "pipectl_stats", "pipectl_status",
    "pipectl_claim", "pipectl_complete", "pipectl_count", "pipectl_defer",
    "pipectl_enqueue", "pipectl_escalate", "pipectl_fail",
}


def check(cond, what):
    if not cond:
        raise SystemExit(f"mcp_agent: {what}")


def structured(result, name):
    """A successful call's structured result, also given as JSON text."""
    check(not result.is_error, f"{name} failed: {result.content}")
    value = result.structured_content
    check(isinstance(value, dict), f"{name}: no structured content")
    texts = [c.text for c in result.content if getattr(c, "type", "") == "text"]
    check(texts and json.loads(texts[0]) == value, f"{name}: text is not the JSON result")
    return value


def tool_error(result, name):
    """A failed call: a tool error (isError) whose last text is the CLI's error JSON."""
    check(result.is_error, f"{name}: expected a tool error, got {result.structured_content}")
    texts = [c.text for c in result.content if getattr(c, "type", "") == "text"]
    doc = json.loads(texts[-1])
    check({"code", "name", "message"} <= set(doc["error"]), f"{name}: {doc}")
    return doc["error"]


async def agent(client):
    seen = {"protocol": client.protocol_version}
    tools = (await client.list_tools()).tools
    names = {t.name for t in tools}
    check(names == WORKER, f"worker tools: {sorted(names)}")
    for t in tools:
        check(t.input_schema.get("type") == "object", f"{t.name}: input schema")
        check((t.output_schema or {}).get("type") == "object", f"{t.name}: output schema")
        a = t.annotations
        check(a is not None, f"{t.name}: annotations")
        hints = (a.read_only_hint, a.destructive_hint, a.idempotent_hint)
        check(all(h is not None for h in hints), f"{t.name}: hints {hints}")
        check(a.read_only_hint == (t.name in {"pipectl_audit", "pipectl_dead_list",
                                            "pipectl_find", "pipectl_saturation",
                                            "pipectl_seen", "pipectl_staged",
                                            "pipectl_stats", "pipectl_status"}),
              f"{t.name}: readOnlyHint")
        check(len(t.description or "") > 80, f"{t.name}: description")
    seen["tools"] = sorted(names)

    enq = structured(await client.call_tool("pipectl_enqueue", {
        "stage": "build",
        "items": [{"item": {"url": u}} for u in ("a.com", "b.com", "c.com")],
        "dedup_by": "url",
    }), "pipectl_enqueue")
    check(enq["enqueued"] == 3, f"enqueue: {enq}")

    claimed = structured(await client.call_tool(
        "pipectl_claim", {"stage": "build", "count": 3}), "pipectl_claim")
    leases = claimed["items"]
    check(len(leases) == 3, f"claim: {claimed}")
    check(leases[0]["item"] == {"url": "a.com"}, f"claim order: {leases}")
    tokens = [l["token"] for l in leases]
    seen["tokens"] = tokens

    done = structured(await client.call_tool("pipectl_complete", {
        "stage": "build", "token": tokens[0],
        "items": [{"item": {"url": "a2.com", "from": "a.com"}}],
    }), "pipectl_complete")
    check(done["added"] == 1 and done["to"] == "p:built", f"complete: {done}")

    failed = structured(await client.call_tool("pipectl_fail", {
        "stage": "build", "token": tokens[1], "reason": "no such site", "dead": True,
    }), "pipectl_fail")
    check(failed["dead"] is True, f"fail: {failed}")

    asked = structured(await client.call_tool("pipectl_escalate", {
        "stage": "build", "token": tokens[2], "question": "Is c.com a real shop?",
    }), "pipectl_escalate")
    check(asked["to"] == "p:staged", f"escalate: {asked}")
    seen["escalated_by"] = asked["by"]

    # A finished lease is a tool error naming the exit code, never a protocol error.
    err = tool_error(await client.call_tool(
        "pipectl_complete", {"stage": "build", "token": tokens[0]}), "complete again")
    seen["again"] = err["name"]
    # Nothing left to claim: exit code name nothing_to_do.
    err = tool_error(await client.call_tool(
        "pipectl_claim", {"stage": "build"}), "claim empty")
    seen["empty"] = err["name"]
    # A tool the profile does not have is refused (approve is for people here).
    try:
        res = await client.call_tool("pipectl_approve", {"stage": "review"})
        seen["approve"] = "tool error" if res.is_error else "ran"
    except Exception as e:  # a protocol error: the tool does not exist
        seen["approve"] = f"refused: {type(e).__name__}"
    status = structured(await client.call_tool("pipectl_status", {}), "pipectl_status")
    seen["status_stages"] = sorted(s["name"] for s in status.get("stages", []))
    return seen


async def main(argv):
    if len(argv) >= 3 and argv[1] == "stdio":
        # The server inherits this environment and directory (REDIS_URL, pipectl.toml).
        server = StdioServerParameters(command=argv[2], args=argv[3:], env=dict(os.environ),
                                       cwd=os.getcwd())
    elif len(argv) in (3, 4) and argv[1] == "http":
        headers = {"Authorization": f"Bearer {argv[3]}"} if len(argv) == 4 else {}
        server = streamable_http_client(argv[2], http_client=create_mcp_http_client(headers=headers))
    else:
        raise SystemExit(__doc__)
    async with Client(server, read_timeout_seconds=30) as client:
        seen = await agent(client)
    print(json.dumps(seen))


if __name__ == "__main__":
    asyncio.run(main(sys.argv))
