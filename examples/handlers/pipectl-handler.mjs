// pipectl handler kit for Node: no dependencies, one file. Copy it next to your handler.
//
//   import { serve, Retry, Dead, Defer, Review } from "./pipectl-handler.mjs";
//   serve(async (item, ctx) => {
//     if (!item.url) throw new Dead("no url");
//     return { ...item, preview_url: await build(item.url) };
//   });
//
// It mirrors pipectl_handler.py. `handle(item, ctx)` (may be async) gets the item decoded
// (a JSON value; a string for other text; a Buffer for anything else) and `ctx`
// (`ctx.stage`, `ctx.attempt`, `ctx.note`, `ctx.queue`, and `ctx.cost`, an object you may
// fill: it is reported with the answer). It returns:
//   undefined (or null) — pass the item on unchanged;
//   a value — the item is replaced by it (a Buffer is written as it is, anything else as JSON);
//   an array — fan out, one output item per element ([] drops the item; to replace the
//              item with an array, return [thatArray]);
// or throws Retry(reason, {after}), Dead(reason), Defer(after, {item}) or
// Review(question, {item}) (`after` a duration such as "30s", "1d", or seconds). Any other
// error is a retry, its stack on stderr.
//
// Under mode = "stream" (PIPECTL_MODE=stream) serve() answers requests until stdin ends;
// several at once when the stage's in_flight allows (answers go out as they are ready).
// With one process per item it reads the one item on stdin and answers with stdout, the
// exit code and $PIPECTL_CONTROL. console.log() goes to stderr: stdout belongs to the
// protocol. Protocol: docs/handler-stream.md.

import { writeFileSync, readFileSync, writeSync } from "node:fs";
import { createInterface } from "node:readline";

const KEEP = Symbol("keep");

export class Retry extends Error {
  constructor(reason = "", { after } = {}) {
    super(String(reason));
    this.reason = String(reason);
    this.after = after;
  }
}

export class Dead extends Error {
  constructor(reason = "") {
    super(String(reason));
    this.reason = String(reason);
  }
}

export class Defer extends Error {
  constructor(after, { item = KEEP } = {}) {
    super(String(after));
    this.after = after;
    this.item = item;
  }
}

export class Review extends Error {
  constructor(question, { item = KEEP } = {}) {
    super(String(question));
    this.question = String(question);
    this.item = item;
  }
}

const duration = (after) => (typeof after === "number" ? `${Math.round(after * 1000)}ms` : String(after));

function encoded(value) {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    const buf = Buffer.from(value);
    const text = buf.toString("utf8");
    return Buffer.from(text, "utf8").equals(buf) ? { item_text: text } : { item_base64: buf.toString("base64") };
  }
  return { item: value };
}

function decoded(request) {
  if ("item" in request) return request.item;
  if ("item_text" in request) return request.item_text;
  return Buffer.from(request.item_base64 ?? "", "base64");
}

function fromBytes(buf) {
  const text = buf.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(buf)) return buf;
  try {
    const value = JSON.parse(text);
    if (JSON.stringify(value) === text) return value;
  } catch {}
  return text;
}

async function answer(handle, item, ctx) {
  let out;
  try {
    const result = await handle(item, ctx);
    if (result === undefined || result === null) out = { ok: true };
    else if (Array.isArray(result)) out = { ok: true, items: result.map(encoded) };
    else out = { ok: true, items: [encoded(result)] };
  } catch (e) {
    if (e instanceof Retry) {
      out = { retry: e.reason };
      if (e.after !== undefined) out.after = duration(e.after);
    } else if (e instanceof Dead) out = { dead: e.reason };
    else if (e instanceof Defer) {
      out = { defer: duration(e.after) };
      if (e.item !== KEEP) out.items = [encoded(e.item)];
    } else if (e instanceof Review) {
      out = { review: e.question };
      if (e.item !== KEEP) out.items = [encoded(e.item)];
    } else {
      process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
      out = { retry: `${e && e.name ? e.name : "Error"}: ${e && e.message !== undefined ? e.message : e}` };
    }
  }
  if (Object.keys(ctx.cost).length) out.cost = ctx.cost;
  return out;
}

const context = (stage, queue, attempt, note) => ({ stage, queue, attempt, note, cost: {} });

// stdout is the protocol's: writes go straight to fd 1, whole lines, in order.
const emit = (bytes) => {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(1, bytes, off);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
    }
  }
};

async function serveStream(handle) {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const running = new Set();
  for await (const line of lines) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    const ctx = context(request.stage, request.queue, request.attempt, request.note);
    const job = answer(handle, decoded(request), ctx).then((out) => {
      let text;
      try {
        text = JSON.stringify({ id: request.id, ...out });
      } catch (e) {
        text = JSON.stringify({ id: request.id, retry: `cannot write the answer as JSON: ${e.message}` });
      }
      emit(Buffer.from(text + "\n", "utf8"));
    });
    running.add(job);
    job.finally(() => running.delete(job));
  }
  await Promise.all(running);
}

async function serveOnce(handle) {
  const env = process.env;
  const attempt = Number.parseInt(env.PIPECTL_ATTEMPT ?? "1", 10) || 1;
  const ctx = context(env.PIPECTL_STAGE, env.PIPECTL_QUEUE, attempt, env.PIPECTL_NOTE);
  const out = await answer(handle, fromBytes(readFileSync(0)), ctx);
  const control = (verb, value) => {
    if (env.PIPECTL_CONTROL) writeFileSync(env.PIPECTL_CONTROL, JSON.stringify({ [verb]: value }));
  };
  for (const verb of ["defer", "review"]) if (verb in out) control(verb, out[verb]);
  if ("retry" in out) {
    process.stderr.write(out.retry + "\n");
    process.exitCode = 75;
    return;
  }
  if ("dead" in out) {
    process.stderr.write(out.dead + "\n");
    process.exitCode = 65;
    return;
  }
  if (!out.items) return;
  if (!out.items.length && out.ok) return control("drop", true);
  for (const entry of out.items) {
    if ("item" in entry) emit(Buffer.from(JSON.stringify(entry.item) + "\n", "utf8"));
    else if ("item_text" in entry) emit(Buffer.from(entry.item_text + "\n", "utf8"));
    else emit(Buffer.concat([Buffer.from(entry.item_base64, "base64"), Buffer.from("\n")]));
  }
}

/** Runs `handle` on pipectl's items: all of them (stream mode) or the one on stdin. */
export function serve(handle) {
  console.log = console.info = console.debug = console.error;
  const run = process.env.PIPECTL_MODE === "stream" ? serveStream : serveOnce;
  return run(handle).catch((e) => {
    process.stderr.write(`pipectl-handler: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
