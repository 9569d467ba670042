// The official MCP Tasks client (@modelcontextprotocol/ext-tasks on @modelcontextprotocol/client
// v2, pinned in package.json) against live servers speaking 2026-07-28 with the Tasks extension:
// node --experimental-strip-types tasks.ts URL_A URL_B
// URL_A and URL_B are two server processes on one database. Prints one JSON line with what it
// saw; exits non-zero on any failure.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import {
  DispatchError,
  JsonRpcResponseError,
  TaskCancelledError,
  TaskFailedError,
  createApplicationInputHandler,
  createTaskSessionEndpointId,
  createTaskSessionFromClient,
  resultFromTaskOutcome,
} from "@modelcontextprotocol/ext-tasks/client";
import type {
  ApplicationElicitResult,
  ApplicationInputRequest,
  DispatchOptions,
  JsonRpcResponse,
  RawClientDispatch,
  TaskEnabledSession,
  TaskOutcome,
  ToolExecution,
} from "@modelcontextprotocol/ext-tasks/client";
import { taskId } from "@modelcontextprotocol/ext-tasks/core";
import type { JsonValue } from "@modelcontextprotocol/ext-tasks/core";

const PROTOCOL_VERSION = "2026-07-28";
const CLIENT_INFO = { name: "drf-mcp-interop-ts-tasks", version: "1.0.0" };
const CLIENT_CAPABILITIES = { elicitation: { form: {} } };

type JsonObject = { readonly [key: string]: JsonValue };
type Execution = ToolExecution<unknown>;
type TaskBacked = Extract<Execution, { kind: "task" }>;
type ToolResult = { content?: Array<{ type: string; text?: string }>; isError?: boolean };
type Elicited = { message: string; inputId?: string; scope: string; delivery: string };

/** What ``run`` throws (undefined when it returns). */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function check(condition: boolean, message: string): void {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

function textOf(result: unknown): string {
  const content = (result as ToolResult).content ?? [];
  return content.map((block) => block.text ?? "").join("");
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function asTask(execution: Execution, what: string): TaskBacked {
  check(execution.kind === "task", `${what} is a task, got ${execution.kind}`);
  return execution as TaskBacked;
}

// The package's RawClientDispatch: it hands over a framed request ({method, params} with the
// 2026-07-28 `_meta` envelope) for tools/call and tasks/*; the host owns the HTTP exchange.
// `seen` records each method sent; `outstanding` the input request keys of every
// input_required task snapshot the server returned.
function rawDispatchTo(url: string, seen: string[], outstanding: string[][]): RawClientDispatch {
  let nextId = 1;
  return async (request: JsonValue, options: DispatchOptions = {}): Promise<JsonRpcResponse> => {
    check(isObject(request), "framed request is an object");
    const message = request as JsonObject;
    const method = String(message.method);
    const params = isObject(message.params) ? message.params : {};
    const name = method === "tools/call" ? params.name : params.taskId;
    const id = nextId++;
    seen.push(method);
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      "MCP-Protocol-Version": PROTOCOL_VERSION,
      "Mcp-Method": method,
      ...(typeof name === "string" ? { "Mcp-Name": name } : {}),
      ...(options.context?.headers ?? {}),
    };
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify({ jsonrpc: "2.0", id, ...message }),
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      // Only an observation is safe to send again (a lost tools/call may have made a task).
      throw new DispatchError(`POST ${method} failed`, method === "tasks/get", { cause: error });
    }
    const body = await response.text();
    // A JSON body, or an SSE stream of one-line `data:` messages (the server's framing).
    const messages = (response.headers.get("content-type") ?? "").includes("text/event-stream")
      ? body
          .split(/\r?\n/)
          .filter((line) => line.startsWith("data:"))
          .map((line) => JSON.parse(line.slice(5)) as JsonObject)
      : body
        ? [JSON.parse(body) as JsonObject]
        : [];
    const answer = messages.find((candidate) => candidate.id === id);
    if (answer === undefined) {
      throw new DispatchError(`${method}: HTTP ${response.status} without a response: ${body}`);
    }
    if (isObject(answer.error)) {
      const error = answer.error as { code: number; message: string; data?: JsonValue };
      return { kind: "error", error };
    }
    const result = answer.result;
    if (isObject(result) && result.status === "input_required" && isObject(result.inputRequests)) {
      outstanding.push(Object.keys(result.inputRequests).sort());
    }
    return { kind: "result", result };
  };
}

type Opened = {
  session: TaskEnabledSession;
  client: Client;
  seen: string[];
  outstanding: string[][];
};

async function openSession(
  url: string,
  endpointId: string,
  elicited: Elicited[],
  answer: (request: ApplicationInputRequest) => ApplicationElicitResult,
): Promise<Opened> {
  const client = new Client(CLIENT_INFO, {
    capabilities: CLIENT_CAPABILITIES,
    versionNegotiation: { mode: { pin: PROTOCOL_VERSION } },
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  check(client.getProtocolEra() === "modern", "the client negotiated the modern era");
  check(client.getNegotiatedProtocolVersion() === PROTOCOL_VERSION, "pinned to 2026-07-28");
  const seen: string[] = [];
  const outstanding: string[][] = [];
  const session = createTaskSessionFromClient(client, {
    endpointId,
    rawDispatch: rawDispatchTo(url, seen, outstanding),
    v2RequestFraming: {
      protocolVersion: PROTOCOL_VERSION,
      clientInfo: CLIENT_INFO,
      clientCapabilities: CLIENT_CAPABILITIES,
    },
    maxInputRounds: 5,
    onInputRequest: createApplicationInputHandler({
      elicitation: (request, context) => {
        elicited.push({
          message: String(request.params?.message),
          inputId: context.inputId,
          scope: context.scope,
          delivery: context.delivery,
        });
        return answer(request);
      },
      sampling: () => {
        throw new Error("no sampling expected");
      },
      roots: () => ({ roots: [] }),
    }),
    onError: (error) => {
      console.error("ext-tasks background error:", error);
    },
  });
  return { session, client, seen, outstanding };
}

async function settled(execution: Execution): Promise<TaskOutcome<unknown>> {
  const { outcome } = await execution.settle();
  return outcome;
}

async function main(): Promise<void> {
  const [urlA, urlB] = process.argv.slice(2);
  // Both processes serve one deployment (one database and cache): one logical endpoint, so a
  // reference serialized through A is in scope for a session on B.
  const endpointId = await createTaskSessionEndpointId("drf-mcp-interop", { app: "tests" });
  const elicited: Elicited[] = [];
  let nameCount = 0;
  const answer = (request: ApplicationInputRequest): ApplicationElicitResult => {
    const schema = request.params?.requestedSchema as { properties?: Record<string, unknown> };
    if (schema?.properties?.name !== undefined) {
      nameCount += 1;
      return { action: "accept", content: { name: `name${nameCount}`, confirm: true } };
    }
    return { action: "accept", content: { confirm: true } };
  };
  const a = await openSession(urlA, endpointId, elicited, answer);
  check(a.session.capabilities.execution, "the session found the Tasks extension (execution)");
  check(a.session.capabilities.cancellation, "the session can cancel");
  check(a.session.capabilities.inputResponses, "the session can answer input requests");

  // (7) A tool that is never a task comes back immediate.
  const greet = await a.session.callTool("greet", { name: "Ada" });
  check(greet.kind === "immediate", `greet is immediate, got ${greet.kind}`);
  const greeting = textOf(resultFromTaskOutcome(await settled(greet)));
  check(greeting === "Hello, Ada!", `greet text: ${greeting}`);
  // A task-capable tool that answers at once (no defer) is immediate too.
  const quick = await a.session.callTool("slow_compute", { seconds: 0, label: "zero" });
  check(quick.kind === "immediate", `slow_compute 0 s is immediate, got ${quick.kind}`);
  const quickText = textOf(resultFromTaskOutcome(await settled(quick)));
  check(quickText === "Computed zero in 0 s.", `slow_compute 0 s text: ${quickText}`);

  // (1) A task-capable tool becomes a task, and the client polls it to its result.
  const slow = asTask(
    await a.session.callTool("slow_compute", { seconds: 1, label: "pi" }),
    "slow_compute",
  );
  const events: string[] = [];
  const slowSettled = await slow.settle({
    onEvent: (event) => {
      events.push(event.type === "task" ? event.task.status : `outcome:${event.outcome.status}`);
    },
  });
  const computed = textOf(resultFromTaskOutcome(slowSettled.outcome));
  check(computed === "Computed pi in 1 s.", `slow_compute text: ${computed}`);
  check(a.seen.includes("tasks/get"), "the client polled with tasks/get");

  // (2) One elicitation inside a task, answered through onInputRequest (tasks/update).
  const confirm = asTask(
    await a.session.callTool("confirm_delete", { filename: "notes.txt" }),
    "confirm_delete",
  );
  const deleted = textOf(resultFromTaskOutcome(await settled(confirm)));
  check(deleted === "Deleted notes.txt.", `confirm_delete text: ${deleted}`);
  check(elicited.length === 1, `one elicitation so far, got ${elicited.length}`);
  check(elicited[0].message === "Delete notes.txt?", `asked: ${elicited[0].message}`);
  check(elicited[0].scope === "task", `asked in the task scope: ${elicited[0].scope}`);
  check(elicited[0].delivery === "task-update", `delivered by polling: ${elicited[0].delivery}`);
  check(a.seen.includes("tasks/update"), "the answer went back with tasks/update");

  // (3) Two questions outstanding at once, both answered.
  const multi = asTask(await a.session.callTool("multi_input", {}), "multi_input");
  const both = textOf(resultFromTaskOutcome(await settled(multi)));
  check(both === "Got name1 and name2." || both === "Got name2 and name1.", `multi: ${both}`);
  check(elicited.length === 3, `three elicitations in all, got ${elicited.length}`);
  const keys = elicited
    .slice(1)
    .map((entry) => entry.inputId)
    .sort();
  check(JSON.stringify(keys) === '["first","second"]', `input keys: ${keys}`);
  const together = a.outstanding.some((k) => JSON.stringify(k) === '["first","second"]');
  check(together, `both questions outstanding in one snapshot: ${JSON.stringify(a.outstanding)}`);

  // (4) Cancelling a long task ends it with the cancelled outcome, on the server too.
  const long = asTask(
    await a.session.callTool("slow_compute", { seconds: 30, label: "long" }),
    "long slow_compute",
  );
  const cancelStarted = Date.now();
  await long.cancel();
  const cancelledOutcome = await settled(long);
  check(cancelledOutcome.status === "cancelled", `cancelled outcome: ${cancelledOutcome.status}`);
  const threw = thrownBy(() => resultFromTaskOutcome(cancelledOutcome));
  check(threw instanceof TaskCancelledError, "resultFromTaskOutcome throws TaskCancelledError");
  let serverStatus = "";
  const controller = a.session.task(long.handle.taskId);
  for (let i = 0; i < 50 && serverStatus !== "cancelled"; i++) {
    serverStatus = (await controller.snapshot()).status;
    if (serverStatus !== "cancelled") await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cancelMs = Date.now() - cancelStarted;
  check(serverStatus === "cancelled", `server-side status after cancel: ${serverStatus}`);
  check(cancelMs < 5000, `cancelled within a few seconds (${cancelMs} ms)`);

  // (5a) A tool error inside a task: the task completes, its result is a tool error.
  const failing = asTask(await a.session.callTool("failing_job", {}), "failing_job");
  const failingOutcome = await settled(failing);
  check(failingOutcome.status === "completed", `failing_job outcome: ${failingOutcome.status}`);
  const toolError = resultFromTaskOutcome(failingOutcome) as ToolResult;
  check(toolError.isError === true, "failing_job result is a tool error (isError)");
  check(textOf(toolError).includes("The job failed"), `failing_job text: ${textOf(toolError)}`);

  // (5b) A JSON-RPC error inside a task: the failed outcome, code -32603.
  const broken = asTask(await a.session.callTool("protocol_error_job", {}), "protocol_error_job");
  const brokenOutcome = await settled(broken);
  check(brokenOutcome.status === "failed", `protocol_error_job outcome: ${brokenOutcome.status}`);
  const failure = thrownBy(() => resultFromTaskOutcome(brokenOutcome));
  check(failure instanceof TaskFailedError, "resultFromTaskOutcome throws TaskFailedError");
  const failedError = failure as TaskFailedError;
  check(failedError.code === -32603, `failure code: ${failedError.code}`);

  // (6) Created through server A, serialized, resumed and settled through server B.
  const roaming = asTask(
    await a.session.callTool("slow_compute", { seconds: 2, label: "roaming" }),
    "roaming slow_compute",
  );
  const reference = roaming.serializeReference();
  await roaming.detach(); // A stops driving it; the remote task goes on.
  const stored = JSON.stringify(reference);
  const b = await openSession(urlB, endpointId, elicited, answer);
  const resumed = asTask(await b.session.resumeTask(JSON.parse(stored)), "the resumed call");
  check(resumed.handle.taskId === reference.taskId, "resumed the same task id");
  const roamed = textOf(resultFromTaskOutcome(await settled(resumed)));
  check(roamed === "Computed roaming in 2 s.", `roaming text: ${roamed}`);
  check(b.seen.length > 0 && b.seen.every((m) => m === "tasks/get"), `B saw: ${b.seen}`);
  const methodsOnB = [...new Set(b.seen)];

  // (8) Task controllers on B: cancelling a finished task is an idempotent ack, and an unknown
  // task id is a JSON-RPC error -32602.
  await b.session.task(reference.taskId).cancel();
  const finished = await b.session.task(reference.taskId).snapshot();
  check(finished.status === "completed", `a finished task stays completed: ${finished.status}`);
  let unknown: unknown;
  try {
    await b.session.task(taskId("no-such-task")).snapshot();
  } catch (error) {
    unknown = error;
  }
  check(unknown instanceof JsonRpcResponseError, `unknown task id: ${String(unknown)}`);
  const unknownCode = (unknown as JsonRpcResponseError).code;
  check(unknownCode === -32602, `unknown task id code: ${unknownCode}`);

  await a.session.close();
  await b.session.close();
  await a.client.close();
  await b.client.close();
  console.log(
    JSON.stringify({
      ok: true,
      protocolVersion: PROTOCOL_VERSION,
      greet: { kind: greet.kind, text: greeting },
      quick: { kind: quick.kind, text: quickText },
      slow: { kind: slow.kind, text: computed, events },
      confirm: { kind: confirm.kind, text: deleted },
      multi: { kind: multi.kind, text: both },
      elicited,
      outstanding: a.outstanding,
      cancel: { outcome: cancelledOutcome.status, serverStatus, ms: cancelMs },
      failing: {
        outcome: failingOutcome.status,
        isError: toolError.isError,
        text: textOf(toolError),
      },
      protocolError: { outcome: brokenOutcome.status, code: failedError.code },
      resume: {
        generation: reference.generation,
        originalOperation: reference.originalOperation,
        endpointScoped: reference.endpointId === endpointId,
        text: roamed,
        methodsOnB,
      },
      methodsOnA: [...new Set(a.seen)],
      controller: { finished: finished.status, unknownCode },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
