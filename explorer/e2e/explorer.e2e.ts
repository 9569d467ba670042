// End to end, in Debian's Chromium (playwright-core, no browser download): log in, open
// /mcp/, search the tools, create a book through a form, find it in a list, get a
// validation error next to its field, choose a loan's book among completion's values, and
// answer a tool's question while its progress and log come in; check keyboard use, labels,
// the layout at 1280 px (nothing wider than the page, the result beside the form) and axe's
// accessibility rules. Prints a JSON report; any failed expectation throws (exit status 1).
// Takes SCREENSHOT.png (a validation error) and SCREENSHOT-live.png (a question, live).
//
//   node --experimental-strip-types e2e/explorer.e2e.ts http://127.0.0.1:8000 docs/explorer.png

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { chromium, type Page } from "playwright-core";

const [base, screenshot] = process.argv.slice(2);
if (!base || !screenshot) throw new Error("usage: explorer.e2e.ts BASE_URL SCREENSHOT.png");
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);
const WIDTH = 1280;

/** axe-core's serious and critical violations on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window)))
    await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    type Result = {
      violations: { id: string; impact?: string; help: string; nodes: { target: string[] }[] }[];
    };
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<Result> } }).axe;
    const { violations } = await axe.run(document);
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
      );
  });
}

/** Elements wider than their box (their content overflows sideways) in the tool list, and
 * the document's width. */
async function overflow(page: Page): Promise<{ document: number; toolList: string[] }> {
  return page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    toolList: [...document.querySelectorAll<HTMLElement>(".tool-list, .tool-list *")]
      .filter((el) => el.scrollWidth > el.clientWidth && el.clientWidth > 0)
      .map(
        (el) => `${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}>${el.clientWidth}`,
      ),
  }));
}

/** Where the form and the result panel are. */
async function layout(page: Page): Promise<Record<string, number>> {
  const form = await page.locator(".tool-form").boundingBox();
  const output = await page.locator(".tool-detail .output").boundingBox();
  expect(form && output, "the form and the result panel are shown");
  return {
    formLeft: form!.x,
    formRight: form!.x + form!.width,
    formTop: form!.y,
    formBottom: form!.y + form!.height,
    outputLeft: output!.x,
    outputTop: output!.y,
  };
}

/** The names of the tools the list shows. */
async function shownTools(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("button.tool")]
      .filter((b) => b.checkVisibility())
      .map((b) => b.dataset.tool ?? ""),
  );
}

function expect(condition: unknown, message: string): void {
  if (!condition) throw new Error(`Expectation failed: ${message}`);
}

async function openTool(page: Page, name: string): Promise<void> {
  await page.locator(`button.tool[data-tool="${name}"]`).click();
  await page.locator("#tool-title").waitFor();
  expect((await page.locator(".tool-name code").textContent()) === name, `${name} is open`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const report: Record<string, unknown> = {};
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: 1000 } });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(String(error)));

  // 1. Anonymous: the explorer loads and offers to log in (DRF's login page).
  await page.goto(`${base}/mcp/`);
  await page.getByText("Not logged in").waitFor();
  await page.getByRole("link", { name: "Log in" }).click();
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password").fill("alice-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${base}/mcp/`);
  await page.getByText("Logged in as").waitFor();
  report.user = await page.locator(".who strong").textContent();
  report.version = await page.locator(".protocol-version").textContent();
  report.groups = await page.locator(".tool-list h2").allTextContents();
  report.readOnlyBadge = await page
    .locator('button.tool[data-tool="books_list"] .badge')
    .first()
    .textContent();
  report.destructiveBadge = await page
    .locator('button.tool[data-tool="books_destroy"] .badge')
    .first()
    .textContent();
  report.overflowToolList = await overflow(page);
  report.axeToolList = await axeViolations(page);

  // 1b. The search box filters the tool list by name, title and description.
  report.toolCount = (await shownTools(page)).length;
  await page.getByLabel("Search tools").fill("loan");
  report.searchLoan = await shownTools(page);
  report.searchGroups = await page.locator(".tool-list section.group:visible h2").allTextContents();
  report.searchCount = await page.locator(".search-count").textContent();
  await page.getByLabel("Search tools").fill("zzz-no-such-tool");
  report.searchNone = await shownTools(page);
  await page.getByLabel("Search tools").fill("");
  report.searchCleared = (await shownTools(page)).length;

  // 2. Keyboard: open a tool with Enter; the first field gets the focus; labels everywhere.
  await page.locator('button.tool[data-tool="books_create"]').focus();
  await page.keyboard.press("Enter");
  await page.locator("#tool-title").waitFor();
  report.focusedLabel = await page.evaluate(() => {
    const active = document.activeElement as HTMLInputElement | null;
    return active?.labels?.[0]?.textContent ?? null;
  });
  report.unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll(".tool-form input, .tool-form select, .tool-form textarea")]
      .filter((el) => !(el as HTMLInputElement).labels?.length)
      .map((el) => (el as HTMLInputElement).name),
  );

  // 3. Create a book through the form (typed on the keyboard, submitted with Enter).
  await page.keyboard.type("The Dispossessed");
  await page.getByLabel("Author", { exact: false }).first().fill("1");
  await page.getByLabel("Isbn").fill("9780061054884");
  await page.getByLabel("Genre").selectOption({ label: "history" });
  await page.getByLabel("Published").fill("1974-05-01");
  await page.getByLabel("Isbn").press("Enter");
  await page.locator(".output .status.ok").waitFor();
  report.created = await page.locator(".output .readable").textContent();
  report.authorRole = await page.locator(".tool-form [name=author]").getAttribute("role");
  report.layoutWide = await layout(page);

  // 4. See it listed: search for it with books_list, shown as a table.
  await openTool(page, "books_list");
  await page.getByLabel("Search", { exact: true }).fill("Dispossessed");
  await page.getByRole("button", { name: "Call tool" }).click();
  await page.locator(".output table.results").waitFor();
  report.listed = await page.locator(".output table.results tbody tr td").allTextContents();
  report.headers = await page.locator(".output table.results thead th").allTextContents();
  report.overflowWithTable = await overflow(page);

  // 5. A validation error, shown next to its field: the same ISBN again, and no title.
  await openTool(page, "books_create");
  await page.getByLabel("Title").fill("");
  await page.getByLabel("Author", { exact: false }).first().fill("1");
  await page.getByLabel("Isbn").fill("9780061054884");
  await page.getByLabel("Published").fill("1974-05-01");
  await page.getByRole("button", { name: "Call tool" }).click();
  await page.locator(".output .status.error").waitFor();
  const isbn = page.getByLabel("Isbn");
  report.isbnInvalid = await isbn.getAttribute("aria-invalid");
  const describedBy = (await isbn.getAttribute("aria-describedby")) ?? "";
  const errorId = describedBy.split(" ").find((id) => id.endsWith("-error")) ?? "";
  report.isbnError = await page.locator(`[id="${errorId}"]`).textContent();
  const title = page.getByLabel("Title");
  report.titleError = await page
    .locator(`[id="${(await title.getAttribute("aria-describedby"))?.split(" ").pop()}"]`)
    .textContent();
  report.focusAfterError = await page.evaluate(
    () => (document.activeElement as HTMLInputElement | null)?.name ?? null,
  );
  report.errorSummary = await page.locator(".output .error-summary").textContent();
  report.errorReadable = await page.locator(".output .readable").textContent();
  // List markers are not text: count the lists that number their items (0., 1., ...).
  report.numberedLists = await page.evaluate(
    () =>
      [...document.querySelectorAll(".output li")].filter(
        (li) => getComputedStyle(li).display === "list-item" && li.closest("ol"),
      ).length,
  );
  report.axeFormErrors = await axeViolations(page);
  await page.screenshot({ path: screenshot, fullPage: false });

  // 6. Tabs by keyboard, and the call history.
  await page.getByRole("tab", { name: "Tools" }).focus();
  await page.keyboard.press("ArrowLeft"); // wraps round to History
  report.selectedTab = await page.locator('[role="tab"][aria-selected="true"]').textContent();
  report.history = await page.locator("table.history tbody tr td:nth-child(2)").allTextContents();

  // 7. Copy as curl and client config show what they copy.
  await page.getByRole("tab", { name: "Tools" }).click();
  await page.getByRole("button", { name: "Copy as curl" }).click();
  report.curl = await page.locator(".tool-form .copied").textContent();
  await page.getByRole("button", { name: "Copy client config" }).click();
  report.config = await page.locator("header .copied").textContent();

  // 8. Resources and prompts tabs.
  await page.getByRole("tab", { name: "Resources" }).click();
  await page.getByRole("button", { name: "drf://books" }).click();
  report.resource = (await page.locator("#panel-resources pre").first().textContent())?.slice(
    0,
    40,
  );
  await page.getByRole("tab", { name: "Prompts" }).click();
  await page.locator("#panel-prompts summary code").first().waitFor();
  report.prompts = await page.locator("#panel-prompts summary code").allTextContents();

  // 9. A relation: loans_create's book is chosen among the ids completion/complete gives.
  await page.reload();
  await openTool(page, "loans_create");
  const book = page.getByRole("combobox", { name: "Book" });
  await book.waitFor();
  await book.focus();
  const choices = page.getByRole("listbox", { name: "Book choices" });
  await choices.waitFor();
  report.bookOptions = await choices.getByRole("option").allTextContents();
  await book.pressSequentially("1");
  await page.waitForFunction(() => {
    const options = [...document.querySelectorAll('[role="listbox"] [role="option"]')];
    return options.length > 0 && options.every((o) => o.textContent?.startsWith("1"));
  });
  report.bookOptionsFor1 = await choices.getByRole("option").allTextContents();
  await book.press("ArrowDown");
  await book.press("ArrowDown");
  report.activeOption = await page
    .locator(`[id="${await book.getAttribute("aria-activedescendant")}"]`)
    .textContent();
  await choices.getByRole("option", { name: "12", exact: true }).click();
  report.bookValue = await book.inputValue();
  report.bookExpanded = await book.getAttribute("aria-expanded");
  const due = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
  await page.getByLabel("Due").fill(due);
  await page.getByRole("button", { name: "Call tool" }).click();
  await page.locator(".output .status.ok").waitFor();
  const loan = JSON.parse((await page.locator(".output details.raw pre").textContent()) ?? "{}");
  report.loanBook = loan.structuredContent?.book;

  // 10. Live progress and log lines, and a question (elicitation) answered in the page.
  await openTool(page, "loans_renew");
  await page.getByRole("button", { name: "Call tool" }).click();
  const asked = page.locator(".output form.question");
  await asked.waitFor();
  report.question = await asked.locator(".question-text").textContent();
  report.runningWhileAsked =
    (await page.locator(".output .status").first().textContent()) === "Calling…";
  report.progressWhileAsked = await page.locator(".output .progress-text").textContent();
  report.progressBar = await page
    .locator(".output progress")
    .evaluate((bar: HTMLProgressElement) => [bar.value, bar.max]);
  report.logWhileAsked = await page.locator(".output ul.log li").allTextContents();
  report.questionFocus = await page.evaluate(
    () => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? null,
  );
  report.axeQuestion = await axeViolations(page);
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-live.png"), fullPage: false });
  await asked.getByLabel("Days to add").fill("7");
  await asked.getByRole("button", { name: "Accept" }).click();
  await page.locator(".output .status.ok").waitFor();
  const renewed = JSON.parse((await page.locator(".output details.raw pre").textContent()) ?? "{}");
  report.renewed = JSON.parse(renewed.content?.[0]?.text ?? "{}");
  report.progressAfter = await page.locator(".output .progress-text").textContent();
  report.answered = await page.locator(".output .answered").textContent();
  report.axeResult = await axeViolations(page);
  report.layoutLive = await layout(page);
  report.overflowLive = await overflow(page);
  // Declined: the tool renews nothing.
  await page.getByRole("button", { name: "Call tool" }).click();
  await asked.waitFor();
  await asked.getByRole("button", { name: "Decline" }).click();
  await page.locator(".output .status.ok").waitFor();
  const declined = JSON.parse(
    (await page.locator(".output details.raw pre").textContent()) ?? "{}",
  );
  report.declined = JSON.parse(declined.content?.[0]?.text ?? "{}");

  // 11. Narrow screens: the result goes below the form, and nothing is wider than the page.
  await page.setViewportSize({ width: 800, height: 1000 });
  report.layoutNarrow = await layout(page);
  await openTool(page, "books_list"); // the longest tool names, their badges in a narrow column
  report.overflowNarrow = await overflow(page);
  report.pageErrors = problems;
} finally {
  await browser.close();
  console.log(JSON.stringify(report)); // what was seen, up to a failure too
}
