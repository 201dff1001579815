// Opens each `dynaschema docs --format html` page in Debian's headless Chromium,
// fails on any console error or page error, checks the aggregate view shows the
// expected partitions, and saves a full-page screenshot beside the page.
//
// Usage: node check.mjs PAGE.html[:PARTITION[=ITEMS][,...]] ...
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
  ],
});
let failed = false;
try {
  for (const arg of process.argv.slice(2)) {
    const [page_path, expected = ""] = arg.split(":");
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
    page.on("requestfailed", (request) =>
      errors.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
    );
    await page.goto(pathToFileURL(page_path).href, { waitUntil: "load" });
    const cells = await page.$$eval(
      'table.aggregate[data-index="table"] td.partition',
      (cells) => cells.map((c) => [c.textContent, c.rowSpan]),
    );
    const partitions = cells.map(([name]) => name);
    const rows = Object.fromEntries(cells);
    const missing = expected
      .split(",")
      .filter((p) => p)
      .map((p) => p.split("="))
      .filter(([name, count]) => !(name in rows) || (count && rows[name] !== Number(count)))
      .map(([name, count]) => (count ? `${name} with ${count} items` : name));
    const screenshot = page_path.replace(/\.html$/, ".png");
    await page.screenshot({ path: screenshot, fullPage: true });
    if (errors.length > 0 || missing.length > 0 || partitions.length === 0) {
      failed = true;
      console.error(`${page_path}: FAILED`);
      for (const e of errors) console.error(`  ${e}`);
      if (partitions.length === 0) console.error("  the aggregate view shows no partition");
      for (const p of missing) console.error(`  partition ${p} is not shown (shown: ${partitions.join(", ")})`);
    } else {
      console.log(
        `${page_path}: no console errors; ${partitions.length} partitions shown; screenshot ${screenshot}`,
      );
    }
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
