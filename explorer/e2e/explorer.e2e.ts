// End to end, in Debian's Chromium (playwright-core, no browser download): log in, open
// /mcp/, create a book through a form, find it in a list, get a validation error next to
// its field, and check keyboard use and labels. Prints a JSON report; any failed
// expectation throws (exit status 1).
//
//   node --experimental-strip-types e2e/explorer.e2e.ts http://127.0.0.1:8000 docs/explorer.png

import { chromium, type Page } from "playwright-core";

const [base, screenshot] = process.argv.slice(2);
if (!base || !screenshot) throw new Error("usage: explorer.e2e.ts BASE_URL SCREENSHOT.png");

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
  const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
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

  // 4. See it listed: search for it with books_list, shown as a table.
  await openTool(page, "books_list");
  await page.getByLabel("Search").fill("Dispossessed");
  await page.getByRole("button", { name: "Call tool" }).click();
  await page.locator(".output table.results").waitFor();
  report.listed = await page.locator(".output table.results tbody tr td").allTextContents();
  report.headers = await page.locator(".output table.results thead th").allTextContents();

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
  report.pageErrors = problems;
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
