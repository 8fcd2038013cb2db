"""pipectl handler kit for Python: no dependencies, one file. Copy it next to your handler.

    from pipectl_handler import serve, Retry, Dead, Defer, Review

    def handle(item, ctx):
        if "url" not in item:
            raise Dead("no url")
        return {**item, "preview_url": build(item["url"])}

    serve(handle)

`handle(item, ctx)` gets the item decoded (a JSON value; a `str` for other text; `bytes`
for anything else) and `ctx` (`ctx.stage`, `ctx.attempt`, `ctx.note`, `ctx.queue`, and
`ctx.cost`, a dict you may fill: it is reported with the answer). It returns:

- `None`: pass the item on unchanged;
- a value: the item is replaced by it (`bytes` are written as they are, anything else as
  JSON);
- a list: fan out, one output item per element (`[]` drops the item; to replace the item
  with a JSON array, return `[that_array]`);

or raises `Retry(reason, after=None)`, `Dead(reason)`, `Defer(after, item=...)` or
`Review(question, item=...)` (`after` a duration such as "30s", "1d", or seconds). Any other
exception is a retry, its traceback on stderr (pipectl keeps it with the item's reason).

Under `mode = "stream"` (PIPECTL_MODE=stream) `serve` answers requests until stdin ends;
with one process per item it reads the one item on stdin and answers with stdout, the exit
code and $PIPECTL_CONTROL, so the same handler runs both ways. print() inside `handle`
goes to stderr: stdout belongs to the protocol. Protocol: docs/handler-stream.md.
"""

import base64
import json
import os
import sys
import traceback

__all__ = ["serve", "Retry", "Dead", "Defer", "Review", "Context"]

_KEEP = object()


class Retry(Exception):
    """A failure that may pass: retried after the stage's backoff (or `after`)."""

    def __init__(self, reason="", after=None):
        super().__init__(reason)
        self.reason, self.after = str(reason), after


class Dead(Exception):
    """A permanent failure: the item goes to the dead letters with this reason."""

    def __init__(self, reason=""):
        super().__init__(reason)
        self.reason = str(reason)


class Defer(Exception):
    """Not a failure: look at the item again after `after`, optionally as `item`."""

    def __init__(self, after, item=_KEEP):
        super().__init__(after)
        self.after, self.item = after, item


class Review(Exception):
    """Ask a person (the stage's escalate_to): `question`, optionally about `item`."""

    def __init__(self, question, item=_KEEP):
        super().__init__(question)
        self.question, self.item = str(question), item


class Context:
    def __init__(self, stage, queue, attempt, note):
        self.stage, self.queue, self.attempt, self.note = stage, queue, attempt, note
        self.cost = {}


def _dumps(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _duration(after):
    if isinstance(after, (int, float)) and not isinstance(after, bool):
        return "%dms" % round(after * 1000)
    return str(after)


def _from_bytes(data):
    """The item as `handle` sees it: JSON when the bytes are exactly its compact form."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    try:
        value = json.loads(text)
        if _dumps(value) == text:
            return value
    except ValueError:
        pass
    return text


def _encoded(value):
    if isinstance(value, (bytes, bytearray)):
        try:
            return {"item_text": bytes(value).decode("utf-8")}
        except UnicodeDecodeError:
            return {"item_base64": base64.b64encode(bytes(value)).decode("ascii")}
    return {"item": value}


def _decoded(request):
    if "item" in request:
        return request["item"]
    if "item_text" in request:
        return request["item_text"]
    return base64.b64decode(request.get("item_base64", ""))


def _answer(handle, item, ctx):
    """What handle said, as a response (without its id)."""
    try:
        result = handle(item, ctx)
    except Retry as e:
        answer = {"retry": e.reason}
        if e.after is not None:
            answer["after"] = _duration(e.after)
    except Dead as e:
        answer = {"dead": e.reason}
    except Defer as e:
        answer = {"defer": _duration(e.after)}
        if e.item is not _KEEP:
            answer["items"] = [_encoded(e.item)]
    except Review as e:
        answer = {"review": e.question}
        if e.item is not _KEEP:
            answer["items"] = [_encoded(e.item)]
    except Exception as e:  # the handler's bug or a passing failure: retried
        traceback.print_exc(file=sys.stderr)
        answer = {"retry": "%s: %s" % (type(e).__name__, e)}
    else:
        if result is None:
            answer = {"ok": True}
        elif isinstance(result, list):
            answer = {"ok": True, "items": [_encoded(v) for v in result]}
        else:
            answer = {"ok": True, "items": [_encoded(result)]}
    if ctx.cost:
        answer["cost"] = ctx.cost
    return answer


def _serve_stream(handle, proto):
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        request = json.loads(line)
        ctx = Context(
            request.get("stage"),
            request.get("queue"),
            request.get("attempt"),
            request.get("note"),
        )
        answer = {"id": request["id"]}
        answer.update(_answer(handle, _decoded(request), ctx))
        try:
            out = _dumps(answer)
        except (TypeError, ValueError) as e:
            out = _dumps({"id": request["id"], "retry": "cannot write the answer as JSON: %s" % e})
        proto.write(out.encode("utf-8") + b"\n")
        proto.flush()


def _serve_once(handle, proto):
    """One process per item: the exec contract (stdout, exit 75/65, $PIPECTL_CONTROL)."""
    env = os.environ
    try:
        attempt = int(env.get("PIPECTL_ATTEMPT", "1"))
    except ValueError:
        attempt = 1
    ctx = Context(env.get("PIPECTL_STAGE"), env.get("PIPECTL_QUEUE"), attempt, env.get("PIPECTL_NOTE"))
    answer = _answer(handle, _from_bytes(sys.stdin.buffer.read()), ctx)

    def control(verb, value):
        path = env.get("PIPECTL_CONTROL")
        if path:
            with open(path, "w", encoding="utf-8") as f:
                f.write(_dumps({verb: value}))

    for verb in ("defer", "review"):
        if verb in answer:
            control(verb, answer[verb])
    if "retry" in answer:
        print(answer["retry"], file=sys.stderr)
        sys.exit(75)
    if "dead" in answer:
        print(answer["dead"], file=sys.stderr)
        sys.exit(65)
    items = answer.get("items")
    if items is None:
        return
    if not items and "ok" in answer:
        control("drop", True)
        return
    for entry in items:
        if "item" in entry:
            proto.write(_dumps(entry["item"]).encode("utf-8"))
        elif "item_text" in entry:
            proto.write(entry["item_text"].encode("utf-8"))
        else:
            proto.write(base64.b64decode(entry["item_base64"]))
        proto.write(b"\n")
    proto.flush()


def serve(handle):
    """Runs `handle` on pipectl's items: all of them (stream mode) or the one on stdin."""
    sys.stdout.flush()
    # stdout is the protocol's: whatever else writes to it (print) goes to stderr.
    proto = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        if os.environ.get("PIPECTL_MODE") == "stream":
            _serve_stream(handle, proto)
        else:
            _serve_once(handle, proto)
    except BrokenPipeError:
        pass
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        try:
            proto.close()
        except OSError:
            pass
