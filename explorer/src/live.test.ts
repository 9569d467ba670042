// A streamed call: the SSE body read event by event, progress and log lines shown as they
// come, and the server's questions answered with a JSON-RPC response.

import { afterEach, describe, expect, it, vi } from "vitest";

import { LiveView, logLine, progressText, question } from "./live";
import { EventStream, Rpc, RpcError } from "./rpc";

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe("EventStream", () => {
  it("gives each event's data once it is complete, across chunks", () => {
    const events = new EventStream();
    expect(events.push('event: message\ndata: {"a"')).toEqual([]);
    expect(events.push(":1}\n\nevent: message\r\ndata: 2\r\n\r\n: comment\n\ndata:3\n")).toEqual([
      '{"a":1}',
      "2",
    ]);
    expect(events.push("\n")).toEqual(["3"]);
  });
});

describe("the live view", () => {
  it("shows progress as a bar with its percentage, and log lines", () => {
    const live = new LiveView();
    live.notify("notifications/progress", { progressToken: "t", progress: 1, total: 4 });
    live.notify("notifications/progress", { progress: 3, total: 4, message: "Checked 3" });
    live.notify("notifications/message", { level: "info", data: "due soon" });
    live.notify("notifications/message", { level: "warning", logger: "lib", data: { n: 1 } });
    const bar = live.element.querySelector("progress") as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([3, 4]);
    expect(live.element.querySelector(".progress-text")?.textContent).toBe("Checked 3 (75%)");
    expect([...live.element.querySelectorAll(".log li")].map((l) => l.textContent)).toEqual([
      "info: due soon",
      'warning lib: {"n":1}',
    ]);
    expect(progressText({ progress: 2 })).toBe("Working");
    expect(logLine({ data: "x" })).toBe("info: x");
  });

  it("asks the server's question and settles with the answer", async () => {
    const asked = question({
      message: "Renew 2 loans?",
      requestedSchema: {
        type: "object",
        properties: { days: { type: "integer", title: "Days to add", default: 14 } },
        required: ["days"],
      },
    });
    document.body.append(asked.element);
    expect(asked.element.querySelector(".question-text")?.textContent).toBe("Renew 2 loans?");
    const days = asked.element.querySelector('[name="days"]') as HTMLInputElement;
    expect(days.value).toBe("14");
    days.value = "";
    asked.element.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(days.getAttribute("aria-invalid")).toBe("true"); // required: not sent empty
    days.value = "7";
    asked.element.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(await asked.answer).toEqual({ action: "accept", content: { days: 7 } });
    expect(document.querySelector(".answered")?.textContent).toContain("accept");

    const declined = question({ message: "Sure?", requestedSchema: { type: "object" } });
    const decline = [...declined.element.querySelectorAll("button")].find(
      (b) => b.textContent === "Decline",
    );
    decline?.click();
    expect(await declined.answer).toEqual({ action: "decline" });
  });
});

describe("a streamed call", () => {
  it("hands notifications over as they come, answers requests, and returns the response", async () => {
    const posted: unknown[] = [];
    const encoder = new TextEncoder();
    const events = [
      { jsonrpc: "2.0", method: "notifications/progress", params: { progress: 1, total: 2 } },
      { jsonrpc: "2.0", id: "q1", method: "elicitation/create", params: { message: "Sure?" } },
      { jsonrpc: "2.0", id: "q2", method: "sampling/createMessage", params: {} },
      { jsonrpc: "2.0", id: 1, result: { content: [], isError: false } },
    ];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        const message = JSON.parse(init.body) as { method?: string };
        if (!message.method) {
          posted.push(message);
          return new Response(null, { status: 202 });
        }
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const e of events) {
              const text = `event: message\ndata: ${JSON.stringify(e)}\n\n`;
              controller.enqueue(encoder.encode(text.slice(0, 10)));
              controller.enqueue(encoder.encode(text.slice(10)));
            }
            controller.close();
          },
        });
        return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
      }),
    );
    const rpc = new Rpc({
      endpoint: "/mcp/",
      csrfToken: "t",
      user: null,
      loginUrl: null,
      serverName: "s",
    });
    const seen: string[] = [];
    const result = await rpc.call(
      "tools/call",
      { name: "x" },
      {},
      {
        notification: (method) => seen.push(method),
        request: async (method) => {
          if (method !== "elicitation/create") throw new RpcError(-32601, "Not answered here.");
          return { action: "accept", content: { ok: true } };
        },
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(result).toEqual({ content: [], isError: false });
    expect(seen).toEqual(["notifications/progress"]);
    expect(posted).toEqual([
      { jsonrpc: "2.0", id: "q1", result: { action: "accept", content: { ok: true } } },
      {
        jsonrpc: "2.0",
        id: "q2",
        error: { code: -32601, message: "Not answered here." },
      },
    ]);
  });
});
