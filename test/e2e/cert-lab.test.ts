import type { Page, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The certificate-validation lab in a real browser: samples by click, the walk by keyboard with its live region,
 * a permalink, then the paste box — a good chain (a sample's own PEM), the same chain for the wrong host, a chain
 * broken in itself (the expired-intermediate sample's PEM, with the failing check and certificate), garbage, a private
 * key and ~1 MB pastes — each message at its field while the lab keeps working, and nothing fetched from another
 * origin. Also at phone width.
 */
const LESSON = "/lessons/validating-a-certificate-chain/";
let page: Page;
let requests: string[] = [];

const lab = () => page.locator("#lab-certs");
const live = () => lab().locator(".cert-now");
const position = () => lab().locator(".stepper .position");
const chainBox = () => lab().getByLabel("Certificate chain (PEM, leaf first, then intermediates)");
const rootsBox = () => lab().getByLabel(/^Trust anchors/);
/** The message a field's aria-describedby points at. */
const messageAt = async (box: ReturnType<typeof chainBox>) => page.locator(`[id="${await box.getAttribute("aria-describedby")}"]`);
const verify = () => lab().getByRole("button", { name: "Verify" });

/** Text shaped like a PKCS#8 private key (not a real key): the lab must refuse it before reading it. */
const PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgevZzL1gdAFr88hb2\nOF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r\n1RTwjmYSi9R/zpBnuQ4EiMnCqfMPWyhHGqgZ8vHMI6kKK4lWiDtcxpqN\n-----END PRIVATE KEY-----\n";

async function open(path = LESSON): Promise<void> {
  requests = [];
  page.on("request", (r: Request) => requests.push(r.url()));
  await page.goto(url(path));
  await hydrated(page);
  await lab().scrollIntoViewIfNeeded();
  await expect.poll(() => lab().locator(".stepper button").count()).toBe(4);
}

function offSite(): string[] {
  const origin = new URL(url("/")).origin;
  return requests.filter((r) => !r.startsWith(origin) && !r.startsWith("data:") && !r.startsWith("blob:"));
}

describe("certificate lab", () => {
  useBrowser({ width: 1280, height: 900 }, (_b, p) => (page = p));

  it("walks a sample check by check from the keyboard, announcing each step", async () => {
    await open();
    await expect(live().getAttribute("aria-live")).resolves.toBe("polite");
    await expect(position().textContent()).resolves.toMatch(/^Step 1 of \d+$/);
    await lab().getByRole("button", { name: "Next ›" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => position().textContent()).toMatch(/^Step 2 of/);
    await page.keyboard.press("End");
    await expect.poll(() => live().textContent()).toContain("verdict");
    await expect(lab().locator(".outcome").textContent()).resolves.toContain("SUCCESS");
    await page.keyboard.press("Home");
    await expect.poll(() => position().textContent()).toMatch(/^Step 1 of/);
    for (const key of ["ArrowRight", "ArrowLeft", "Home", "End"]) {
      await expect(lab().locator(`.stepper button[aria-keyshortcuts="${key}"]`).count()).resolves.toBe(1);
    }
  });

  it("shows a broken sample's failure with the certificate, the field and the rule, in words", async () => {
    await open();
    await lab().getByRole("button", { name: /expired/i }).first().click();
    await lab().getByRole("button", { name: "End »" }).click();
    await expect.poll(() => lab().locator(".outcome").textContent()).toContain("FAILURE");
    await lab().getByRole("button", { name: "‹ Back" }).click();
    const failed = lab().locator(".cert-results li.bad").first();
    await expect(failed.textContent()).resolves.toContain("✗ Fail");
    await expect(failed.textContent()).resolves.toMatch(/notAfter|notBefore/);
    await expect(failed.textContent()).resolves.toContain("RFC 5280");
    await expect(lab().locator(".cert-card.current .cert-badge").count()).resolves.toBeGreaterThan(0);
    await expect(lab().locator(".cert-command").textContent()).resolves.toContain("openssl verify");
    // The address is a permalink to the sample and step on screen.
    await expect.poll(() => page.evaluate(() => window.location.search)).toMatch(/certs\.sample=[^&]*expired/);
  });

  it("opens on a permalink, and explains a bad one in the lab", async () => {
    await open(`${LESSON}?certs.sample=valid&certs.step=3#lab-certs`);
    await expect.poll(() => position().textContent()).toMatch(/^Step 3 of/);
    await open(`${LESSON}?certs.sample=%3Cb%3Enope&certs.step=999#lab-certs`);
    await expect.poll(() => lab().locator("[role=alert]").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("is not one of this lab's samples")]));
    await expect(position().textContent()).resolves.toMatch(/^Step 1 of/);
  });

  it("verifies a pasted chain in the page: good, broken, garbage and a private key, each message at its field", async () => {
    await open();
    expect(requests.some((r) => /cert-lab-verify/.test(r))).toBe(false);
    // A good chain: the valid sample's own PEM, copied into the box by the lab.
    await lab().getByRole("button", { name: "Copy into the paste box" }).click();
    await verify().click();
    await expect.poll(() => lab().locator(".cert-sample-about").textContent(), { timeout: 15_000 }).toContain("Your pasted chain");
    await lab().getByRole("button", { name: "End »" }).click();
    await expect.poll(() => lab().locator(".outcome").textContent()).toContain("SUCCESS");
    // Broken: the same chain checked for another host.
    await lab().getByLabel(/Host name or IP address/).fill("not-this-site.example");
    await verify().click();
    await lab().getByRole("button", { name: "End »" }).click();
    await expect.poll(() => lab().locator(".outcome").textContent(), { timeout: 15_000 }).toContain("FAILURE");
    // Broken in itself: the expired-intermediate sample's PEM, pasted and verified in the page, fails validity on
    // certificate 1, and the step before the verdict says which certificate and which field.
    await lab().getByRole("button", { name: "Expired intermediate" }).click();
    await lab().getByRole("button", { name: "Copy into the paste box" }).click();
    await verify().click();
    await expect.poll(() => lab().locator(".cert-sample-about").textContent(), { timeout: 15_000 }).toContain("Your pasted chain");
    await lab().getByRole("button", { name: "End »" }).click();
    await expect.poll(() => lab().locator(".outcome").textContent()).toContain("FAILURE");
    await expect(lab().locator(".cert-message").textContent()).resolves.toMatch(/certificate 1 \(CN=Packet Lab Retired Issuing CA, O=Packet Lab\) expired/);
    await lab().getByRole("button", { name: "‹ Back" }).click();
    await expect.poll(() => live().textContent()).toContain("Validity period, ✗ failed");
    const failing = lab().locator(".cert-results li.bad");
    await expect(failing.count()).resolves.toBe(1);
    await expect(failing.textContent()).resolves.toContain("certificate 1 (an intermediate)");
    await expect(failing.textContent()).resolves.toContain("notAfter");
    await expect(lab().locator(".cert-card.current .cert-card-title").allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringContaining("certificate 1 (an intermediate)")]));
    // Garbage: the message at the chain box, the walk still there and still stepping.
    await chainBox().fill("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n");
    await verify().click();
    await expect.poll(() => chainBox().getAttribute("aria-invalid"), { timeout: 15_000 }).toBe("true");
    const described = (await chainBox().getAttribute("aria-describedby"))!;
    await expect(page.locator(`[id="${described}"]`).getAttribute("role")).resolves.toBe("alert");
    await expect(page.locator(`[id="${described}"]`).textContent()).resolves.not.toBe("");
    await lab().getByRole("button", { name: "« Start" }).click();
    await expect.poll(() => position().textContent()).toMatch(/^Step 1 of/);
    // A private key is refused before anything reads it.
    await chainBox().fill(PRIVATE_KEY);
    await verify().click();
    await expect.poll(() => page.locator(`[id="${described}"]`).textContent()).toContain("private key");
    // A typed fix clears the message.
    await chainBox().fill("");
    await expect.poll(() => chainBox().getAttribute("aria-invalid")).toBe(null);
    expect(offSite()).toEqual([]);
    expect(await page.evaluate(() => window.location.search)).not.toContain("BEGIN");
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("certificate lab, ~1 MB pastes", () => {
  useBrowser({ width: 1280, height: 900 }, (_b, p) => (page = p));

  it("refuses a ~1 MB chain and a >1 MB trust store at their fields, each in that box's words, and keeps working", async () => {
    await open();
    await lab().getByRole("button", { name: "Copy into the paste box" }).click();
    // About 1 MB in the chain box: four times the chain limit, refused before any parsing.
    await chainBox().fill(`-----BEGIN CERTIFICATE-----\n${"A".repeat(1024 * 1024)}\n-----END CERTIFICATE-----\n`);
    await verify().click();
    await expect.poll(() => chainBox().getAttribute("aria-invalid"), { timeout: 15_000 }).toBe("true");
    await expect((await messageAt(chainBox())).textContent()).resolves.toMatch(/^chain: 1025 KB of text; the limit is 256 KB \(a certificate chain is a few KB\)$/);
    // The lab keeps working: the walk still steps, and Verify works again once the box holds a chain.
    await lab().getByRole("button", { name: "Next ›" }).click();
    await expect.poll(() => position().textContent()).toMatch(/^Step 2 of/);
    await lab().getByRole("button", { name: "Valid chain (ECDSA P-256)" }).click();
    await lab().getByRole("button", { name: "Copy into the paste box" }).click();
    await expect.poll(() => chainBox().getAttribute("aria-invalid")).toBe(null);
    // Over 1 MB in the trust-anchor box: its limit is higher, and its message speaks of a root store, not a chain.
    await rootsBox().fill("A".repeat(1100 * 1024));
    await verify().click();
    await expect.poll(() => rootsBox().getAttribute("aria-invalid"), { timeout: 15_000 }).toBe("true");
    const roots = await (await messageAt(rootsBox())).textContent();
    expect(roots).toMatch(/^roots: 1100 KB of text; the limit is 1024 KB \(Mozilla's whole root store/);
    expect(roots).not.toContain("chain");
    await expect(chainBox().getAttribute("aria-invalid")).resolves.toBe(null);
    // Emptied, the box falls back to the samples' root and the chain verifies.
    await rootsBox().fill("");
    await verify().click();
    await expect.poll(() => lab().locator(".cert-sample-about").textContent(), { timeout: 15_000 }).toContain("Your pasted chain");
    await lab().getByRole("button", { name: "End »" }).click();
    await expect.poll(() => lab().locator(".outcome").textContent()).toContain("SUCCESS");
  });
});

describe("certificate lab at phone width", () => {
  useBrowser({ width: 390, height: 844 }, (_b, p) => (page = p));

  it("fits 390 px without horizontal scrolling", async () => {
    await open();
    await lab().getByRole("button", { name: "End »" }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
