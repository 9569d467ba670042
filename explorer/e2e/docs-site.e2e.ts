// The documentation site as built, in Debian's Chromium: the grouped navigation is on
// screen, code is coloured by the classes Pygments wrote at build time, the call-path
// diagram loads, and no page asks another host for anything. Prints a JSON report and
// writes the screenshots; an exception (exit status 1) when the site cannot be read.
//
//   node --experimental-strip-types e2e/docs-site.e2e.ts http://127.0.0.1:8001 ../docs

import { chromium } from "playwright-core";

const [base, shots] = process.argv.slice(2);
if (!base || !shots) throw new Error("usage: docs-site.e2e.ts BASE_URL SCREENSHOT_DIR");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const report: Record<string, unknown> = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const origin = new URL(base).origin;
  const foreign: string[] = [];
  const failed: string[] = [];
  const problems: string[] = [];
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith("data:")) foreign.push(url);
  });
  page.on("requestfailed", (request) => failed.push(request.url()));
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });

  await page.goto(`${base}/quickstart/`, { waitUntil: "networkidle" });
  report.title = await page.title();
  // The grouped navigation, as the reader sees it (visible labels of the primary sidebar).
  report.groups = await page
    .locator(".md-sidebar--primary .md-nav__item--section > .md-nav__link")
    .evaluateAll((links) =>
      links
        .filter((link) => (link as HTMLElement).offsetParent !== null)
        .map((link) => (link.textContent ?? "").trim()),
    );
  // Highlighting: a Python string and a keyword have colours of their own, unlike plain code.
  const colour = (selector: string): Promise<string | null> =>
    page.evaluate((css) => {
      const element = document.querySelector(css);
      return element ? getComputedStyle(element).color : null;
    }, selector);
  report.colours = {
    plain: await colour(".highlight code"),
    string: await colour(".highlight .s2"),
    keyword: await colour(".highlight .kn"),
  };
  await page.screenshot({ path: `${shots}/site-quickstart.png` });

  await page.goto(`${base}/calls/`, { waitUntil: "networkidle" });
  const diagram = page.locator('img[src$="call-path.svg"]');
  await diagram.scrollIntoViewIfNeeded();
  report.diagram = await diagram.evaluate((image) => ({
    width: (image as HTMLImageElement).naturalWidth,
    shown: (image as HTMLImageElement).getBoundingClientRect().width,
    alt: (image as HTMLImageElement).alt,
  }));
  await page.screenshot({ path: `${shots}/site-calls.png` });

  // The API reference renders from docstrings; search (built at build time) answers.
  await page.goto(`${base}/api/`, { waitUntil: "networkidle" });
  report.apiHeadings = await page.locator(".doc-heading").count();
  await page.locator(".md-search__input").click();
  await page.keyboard.type("INNER_MIDDLEWARE");
  await page.locator(".md-search-result__item").first().waitFor({ timeout: 15000 });
  report.searchResults = await page.locator(".md-search-result__item").count();

  report.foreign = foreign;
  report.failed = failed;
  report.problems = problems;
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
