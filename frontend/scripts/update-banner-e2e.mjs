// Driven by tests/release/test_update_banner.py: a phone keeps the PWA open while a new release is deployed.
// Protocol on stdio: prints "running <version>" once the old build is open and controlled by its service worker,
// then waits for a line ("deployed") on stdin; prints "updated <version>" at the end. Any failure exits non-zero.
// Env: BASE_URL, OLD_VERSION, NEW_VERSION, SCREENSHOT (path of the banner screenshot), CHROMIUM_PATH.
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const { BASE_URL, OLD_VERSION, NEW_VERSION, SCREENSHOT } = process.env;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function footerVersion(page) {
  const footer = page.locator("footer", { hasText: " · v" });
  await footer.waitFor({ timeout: 20_000 });
  return (await footer.textContent()).split(" · v").pop().trim();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`pageerror: ${err.message}`));
  page.on("console", (msg) => console.error(`console.${msg.type()}: ${msg.text()}`));
  await page.goto("/login");
  // A returning user: the app was installed before, so this page is controlled by the old build's worker.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  await page.locator("[data-testid=splash]").waitFor({ state: "detached", timeout: 20_000 });
  const before = await footerVersion(page);
  if (before !== OLD_VERSION) throw new Error(`expected the old build v${OLD_VERSION}, footer says v${before}`);
  // The login form autofocuses its username field, and the banner waits while someone types: leave the field.
  await page.evaluate(() => document.activeElement?.blur());
  console.log(`running ${before}`);

  if ((await lines.next()).value !== "deployed") throw new Error("the test did not deploy");
  const banner = page.getByRole("alert").filter({ hasText: "Versi baru tersedia" });
  await banner.waitFor({ timeout: 30_000 });
  // The new build's service worker is installed and waiting: "Perbarui" activates it rather than a hard reload.
  await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting, null, {
    timeout: 30_000,
  });
  await page.waitForFunction((v) => document.body.innerText.includes(`(v${v})`), NEW_VERSION, { timeout: 30_000 });
  await page.screenshot({ path: SCREENSHOT });
  const text = await banner.innerText();
  if (!text.includes(`v${NEW_VERSION}`) || !text.includes(`v${OLD_VERSION}`))
    throw new Error(`banner should name both versions: ${JSON.stringify(text)}`);

  await Promise.all([page.waitForEvent("load", { timeout: 30_000 }), banner.getByRole("button", { name: "Perbarui" }).click()]);
  await page.waitForFunction(
    (v) => [...document.querySelectorAll("footer")].some((f) => f.textContent.endsWith(`v${v}`)),
    NEW_VERSION,
    { timeout: 30_000 },
  );
  const after = await footerVersion(page);
  // On a loaded machine the reload can beat the new worker's activation (the app reloads after ACTIVATE_TIMEOUT_MS
  // whatever happened): the page then comes from the network, already the new build, and the worker finishes
  // activating a moment later, controlling the next load. Wait for that instead of sampling once.
  const inControl = async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return !reg?.waiting && reg?.active?.state === "activated";
  };
  const claimed = await page.waitForFunction(inControl, null, { timeout: 15_000 }).then(() => true, () => false);
  if (!claimed) {
    const active = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return { waiting: !!reg?.waiting, controlled: navigator.serviceWorker.controller !== null };
    });
    throw new Error(`new worker not in control: ${JSON.stringify(active)}`);
  }
  await page.waitForTimeout(1500); // a banner would come back within one check interval if the build were stale
  if (await banner.count()) throw new Error("the banner is still shown after the update");
  console.log(`updated ${after}`);
} finally {
  await browser.close();
}
