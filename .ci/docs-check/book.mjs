// Opens every page of the built user guide (mdBook's output) in Debian's headless
// Chromium, served over loopback HTTP as a web host would serve it, and fails on any
// console error, page error or failed request, and on any internal link whose page
// or #anchor does not exist. Also runs the book's search once.
//
// Usage: node book.mjs BOOK_DIR
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile, readdir, stat } from "node:fs/promises";
import { extname, join, normalize, relative } from "node:path";

const root = process.argv[2];
if (!root) {
  console.error("usage: node book.mjs BOOK_DIR");
  process.exit(2);
}
const types = {
  ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2", ".woff": "font/woff",
  ".ttf": "font/ttf", ".ico": "image/x-icon", ".txt": "text/plain",
};
const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
  let file = join(root, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404);
    response.end("not found");
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

async function pages(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await pages(path)));
    else if (entry.name.endsWith(".html") && entry.name !== "404.html" && entry.name !== "toc.html") found.push(path);
  }
  return found;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
});
const problems = [];
const anchors = new Map(); // page URL -> Set of ids
const links = []; // [from page, href]
try {
  const list = await pages(root);
  for (const file of list) {
    const url = base + relative(root, file).split("/").map(encodeURIComponent).join("/");
    const page = await browser.newPage();
    page.on("console", (m) => { if (m.type() === "error") problems.push(`${url}: console: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`${url}: page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`${url}: request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => { if (r.status() >= 400 && r.url().startsWith(base)) problems.push(`${url}: ${r.status()} ${r.url()}`); });
    await page.goto(url, { waitUntil: "load" });
    anchors.set(url, new Set(await page.$$eval("[id]", (els) => els.map((e) => e.id))));
    for (const href of await page.$$eval("a[href]", (as) => as.map((a) => a.href))) links.push([url, href]);
    await page.close();
  }
  // Search, once: mdBook's index loads and finds a word every chapter has.
  const page = await browser.newPage();
  page.on("pageerror", (e) => problems.push(`search: page error: ${e.message}`));
  await page.goto(base + "index.html", { waitUntil: "load" });
  await page.keyboard.press("s");
  await page.keyboard.type("collection");
  const hits = await page.waitForSelector("#mdbook-searchresults li, #searchresults li", { timeout: 10000 })
    .then(() => true, () => false);
  if (!hits) problems.push("search: no results for \"collection\"");
  await page.close();

  let internal = 0;
  for (const [from, href] of links) {
    if (!href.startsWith(base)) continue;
    internal += 1;
    const [target, hash] = href.split("#");
    const page_url = target.endsWith("/") ? target + "index.html" : target;
    if (!anchors.has(page_url)) {
      // A link to a file that is not a page (an image, a source file): it must exist.
      const path = join(root, decodeURIComponent(new URL(page_url).pathname));
      try { await stat(path); } catch { problems.push(`${from}: broken link ${href}`); }
      continue;
    }
    if (hash && !anchors.get(page_url).has(decodeURIComponent(hash))) problems.push(`${from}: no #${hash} in ${page_url}`);
  }
  console.log(`${list.length} pages opened in Chromium, ${internal} internal links checked, search works: ${hits}`);
} finally {
  await browser.close();
  server.close();
}
if (problems.length > 0) {
  for (const p of [...new Set(problems)]) console.error(p);
  process.exit(1);
}
