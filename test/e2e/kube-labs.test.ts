import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeLabInput } from "../../src/sim/core/permalink";
import { getKubeScenario, runKubeScenario } from "../../src/sim/kube/index";
import { axeViolations, hydrated, launch, url, watchErrors } from "./browser";

/**
 * The in-cluster labs on the Services lesson: `nat` (a StepLab with view="nat"), `chain` (view="chain")
 * and `paste` (a ManifestLab). Assertions read what the simulator produced (rewritten fields, the
 * current rule) rather than fixed step numbers, so a richer scenario does not break them.
 */
const LESSON = "/lessons/services-and-kube-proxy/";
const WAYS_IN = "/lessons/ways-in-from-outside/";
let browser: Browser;
let page: Page;
let errors: string[];

const lab = (id: string) => page.locator(`#lab-${id}`);
const current = (id: string) => lab(id).locator('.step-list [aria-current="step"]');
const position = (id: string) => lab(id).locator(".stepper .position").textContent();

/** Presses a key until the page satisfies `done` (at most `max` times); returns how many presses it took. */
async function pressUntil(key: string, done: () => Promise<boolean>, max = 80): Promise<number> {
  for (let i = 0; i < max; i++) {
    if (await done()) return i;
    await page.keyboard.press(key);
  }
  throw new Error(`pressed ${key} ${max} times without reaching the expected state`);
}

// The lesson page with labs `nat`, `chain` and `paste`.
describe("in-cluster labs", () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = watchErrors(page);
  });
  afterEach(async () => {
    await page.close();
    expect(errors).toEqual([]);
  });

  it("steps the NAT lab by keyboard: DNAT on the request, conntrack, the reversal on the reply", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await current("nat").focus();
    const start = await position("nat");
    // Forward until the destination is rewritten in place (DNAT).
    await pressUntil("ArrowRight", async () => (await lab("nat").locator(".tuple tr.rewritten th").allTextContents()).some((t) => t.startsWith("destination")));
    await expect(lab("nat").locator(".tuple tr.rewritten .tag").first().textContent()).resolves.toContain("rewritten in place");
    // Focus follows the cursor, so the keys keep working, and the live region says where we are.
    await expect(page.evaluate(() => document.activeElement?.getAttribute("aria-current"))).resolves.toBe("step");
    expect(await position("nat")).not.toBe(start);
    await expect(lab("nat").locator(".stepper .position").getAttribute("aria-live")).resolves.toBe("polite");
    // The conntrack table shows the connection, original and reply tuples.
    await pressUntil("ArrowRight", async () => (await lab("nat").locator(".dt .ct-reply").count()) > 0);
    await expect(lab("nat").locator(".dt .dt-row").last().textContent()).resolves.toMatch(/src=.*dst=.*src=.*dst=/);
    // On to the reply, where the source is rewritten back.
    await pressUntil("ArrowRight", async () => (await lab("nat").locator(".tuple tr.rewritten th").allTextContents()).some((t) => t.startsWith("source")));
    // And back again, one decision at a time.
    const here = await position("nat");
    await page.keyboard.press("ArrowLeft");
    expect(await position("nat")).not.toBe(here);
    await page.keyboard.press("Home");
    await expect(position("nat")).resolves.toBe(start);
    await page.keyboard.press("End");
    await expect(lab("nat").getByRole("button", { name: /Next/ }).isDisabled()).resolves.toBe(true);
  });

  it("walks the chain rule by rule, shows the draw, and grows the cluster", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await current("chain").focus();
    const table = lab("chain").locator(".chain-view > .dt").first();
    await pressUntil("ArrowDown", async () => (await table.locator(".dt-row.current").count()) > 0);
    const first = await table.locator(".dt-row.current").textContent();
    await page.keyboard.press("ArrowDown");
    await pressUntil("ArrowDown", async () => (await table.locator(".dt-row.current").textContent()) !== first);
    // Rules the walk tried are marked; one that did not match says why.
    await pressUntil("ArrowDown", async () => (await table.locator(".dt-row.unmatched").count()) > 0);
    await expect(table.locator(".dt-row.unmatched .visually-hidden").first().textContent()).resolves.toMatch(/not matched: \S/);
    // The random draw that picked the endpoint.
    await pressUntil("ArrowDown", async () => (await lab("chain").locator(".draws li").count()) > 0);
    await expect(lab("chain").locator(".draws li").first().textContent()).resolves.toMatch(/probability/);
    await page.waitForURL(/chain\.step=/);
    // Grow the cluster: iptables writes more rules.
    const rules = async () => Number((await lab("chain").locator(".mode-costs tbody tr").first().locator("td").first().textContent())!.replace(/,/g, ""));
    await lab("chain").getByLabel("100 Services").check();
    const small = await rules();
    await lab("chain").getByLabel("10,000 Services").check();
    expect(await rules()).toBeGreaterThan(small);
    await page.waitForURL(/chain\.services=10000/);
  });

  it("reopens the chain walker from its permalink", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await current("chain").focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowDown");
    const where = await position("chain");
    const other = await browser.newPage();
    const otherErrors = watchErrors(other);
    await other.goto(page.url());
    await hydrated(other);
    // The lab applies its URL state in an effect after hydration (Astro drops `ssr` before React has
    // committed), so wait for it rather than reading once.
    await expect.poll(() => other.locator("#lab-chain .stepper .position").textContent()).toBe(where);
    await other.close();
    expect(otherErrors).toEqual([]);
  });

  it("shows a broken manifest's problem at its line, then rules for a good one", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const editor = lab("paste").getByLabel(/Kubernetes YAML/);
    await expect(lab("paste").locator(".rules-text pre").textContent()).resolves.toContain("KUBE-SERVICES");
    await editor.fill("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [unclosed\n");
    // The first edit loads the simulator (the page opens on the example computed at build time), so
    // its verdict arrives a moment later.
    await expect.poll(() => editor.getAttribute("aria-invalid")).toBe("true");
    const problems = lab("paste").locator(".yaml-problems");
    await expect(problems.textContent()).resolves.toMatch(/Line [67], column \d+/);
    await expect(editor.getAttribute("aria-describedby")).resolves.toBe(await problems.getAttribute("id"));
    // The last good rules stay, marked as out of date.
    await expect(lab("paste").getByRole("status").textContent()).resolves.toContain("last valid input");
    await expect(lab("paste").locator(".rules-text pre").textContent()).resolves.toContain("KUBE-SERVICES");
    // A bad destination is shown at its own field.
    const dst = lab("paste").getByLabel("Destination IP:PORT");
    await dst.fill("10.96.0.15");
    await expect(dst.getAttribute("aria-invalid")).resolves.toBe("true");
    await dst.fill("10.96.0.15:80");
    // Back to a good manifest: fresh rules and a walk to step through.
    await lab("paste").getByRole("button", { name: "Back to the example" }).click();
    await expect(lab("paste").locator(".yaml-problems").count()).resolves.toBe(0);
    await expect(lab("paste").locator(".rules-text pre").textContent()).resolves.toMatch(/^\*nat|\n\*nat|-A KUBE-SERVICES/);
    await current("paste").focus();
    await pressUntil("ArrowRight", async () => (await lab("paste").locator(".chain-view .dt-row.current").count()) > 0);
  });

  it("keeps a pasted manifest in the URL and explains a broken link", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await lab("paste").getByLabel("Source IP").fill("10.4.2.200");
    await page.waitForURL(/paste\.in=1\./);
    const other = await browser.newPage();
    const otherErrors = watchErrors(other);
    await other.goto(page.url());
    await hydrated(other);
    await expect.poll(() => other.locator("#lab-paste").getByLabel("Source IP").inputValue()).toBe("10.4.2.200");
    await other.close();
    expect(otherErrors).toEqual([]);

    await page.goto(url(`${LESSON}?paste.in=1.garbage&nat.step=nowhere#lab-paste`));
    await hydrated(page);
    await expect(lab("paste").getByRole("alert").first().textContent()).resolves.toMatch(/could not be read/);
    await expect(lab("nat").getByRole("alert").first().textContent()).resolves.toMatch(/step "nowhere"/);
    await expect(lab("paste").locator(".rules-text pre").textContent()).resolves.toContain("KUBE-SERVICES");
  });

  it("fits a 390 px screen: long rules wrap inside their own box, the target in view", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url(LESSON));
    await hydrated(page);
    await current("chain").focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowDown");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // On a phone the rules start wrapped (a long rule's --to-destination would be past the edge), and the switch says so.
    await expect(lab("chain").getByLabel("Wrap long lines").first().isChecked()).resolves.toBe(true);
    const inner = await lab("chain").locator(".dt-scroll").first().evaluate((box) => box.scrollWidth - box.clientWidth);
    expect(inner).toBeLessThanOrEqual(1);
  });

  it("respects prefers-reduced-motion and passes axe", async () => {
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(url(LESSON));
    await hydrated(page);
    const transition = await lab("chain").locator(".dt-row").first().evaluate((row) => getComputedStyle(row).transitionDuration);
    expect(transition).toMatch(/^0s/);
    // Focus is drawn differently from the current-step highlight.
    await current("nat").focus();
    const styles = await current("nat").evaluate((b) => getComputedStyle(b).outlineStyle);
    expect(styles).not.toBe("none");
    expect(await axeViolations(page)).toEqual([]);
  });

  // The labs open on walks computed at build time; the simulator is a chunk of its own, fetched only
  // when the learner asks for something that was not computed then.
  it("opens a link at its seed, keeps the seed in the permalink, and explains a bad one", async () => {
    // The walk at seed 4096 draws another source port than the build-time walk at seed 0.
    const sportOf = (seed: number) => runKubeScenario("clusterip-from-pod", "default", seed).steps.find((s) => s.id === "client")!.out!.srcPort;
    const sport = sportOf(4096);
    expect(sport).not.toBe(sportOf(0));
    await page.goto(url(`${LESSON}?nat.preset=default&nat.seed=4096#lab-nat`));
    await hydrated(page);
    await expect.poll(() => lab("nat").locator("[data-lab-seed]").getAttribute("data-lab-seed")).toBe("4096");
    await current("nat").focus();
    await pressUntil("ArrowRight", async () => (await lab("nat").locator(".dt .ct-reply").count()) > 0);
    await expect(lab("nat").locator(".dt .dt-row").last().textContent()).resolves.toContain(`sport=${sport} dport=80`);
    await page.waitForURL(/nat\.seed=4096/);
    await expect(lab("nat").getByRole("alert").count()).resolves.toBe(0);

    await page.goto(url(`${LESSON}?nat.seed=banana#lab-nat`));
    await hydrated(page);
    await expect.poll(() => lab("nat").getByRole("alert").textContent()).toContain('seed "banana"');
    await expect(lab("nat").locator("[data-lab-seed]").count()).resolves.toBe(0);
    // The lab still works, at seed 0, and the bad value leaves the address.
    await current("nat").focus();
    await pressUntil("ArrowRight", async () => (await lab("nat").locator(".dt .ct-reply").count()) > 0);
    await expect(lab("nat").locator(".dt .dt-row").last().textContent()).resolves.toContain(`sport=${sportOf(0)} dport=80`);
    await page.waitForURL((u) => !u.search.includes("nat.seed"));
  });

  describe("the simulator, loaded on demand", () => {
    /** Whether the page has asked for the simulator's chunk so far. */
    const simulatorRequests = () => {
      const urls: string[] = [];
      page.on("request", (request) => {
        if (/\/_astro\/kube-simulator\.[^/]*\.js$/.test(request.url())) urls.push(request.url());
      });
      return () => urls.length > 0;
    };

    it("is not fetched to step the walks, switch presets or grow the cluster", async () => {
      const requested = simulatorRequests();
      await page.goto(url(WAYS_IN));
      await hydrated(page);
      await lab("local").getByLabel("Starting point").selectOption("node-without-endpoint");
      await expect.poll(() => lab("local").locator(".outcome-status").textContent()).toBe("DROP");
      await page.waitForURL(/local\.preset=node-without-endpoint/);
      await page.goto(url(LESSON));
      await hydrated(page);
      await current("nat").focus();
      for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
      await lab("chain").getByLabel("100 Services").check();
      await lab("chain").getByLabel("10,000 Services").check();
      await expect(lab("chain").locator(".mode-costs tbody tr").count()).resolves.toBe(3);
      expect(requested()).toBe(false);
    });

    it("is fetched for a pasted manifest, and the walk follows", async () => {
      const requested = simulatorRequests();
      await page.goto(url(LESSON));
      await hydrated(page);
      expect(requested()).toBe(false);
      const status = lab("paste").locator(".stale-note");
      await lab("paste").getByLabel("Seed (picks the random draws)").fill("5");
      await expect.poll(requested).toBe(true);
      await expect.poll(() => status.count()).toBe(0);
      await expect(lab("paste").locator(".rules-text pre").textContent()).resolves.toContain("KUBE-SERVICES");
      await expect(lab("paste").locator(".outcome-status").textContent()).resolves.toBe("delivered");
    });

    it("is fetched for a permalink carrying its own input", async () => {
      const requested = simulatorRequests();
      const input = encodeLabInput(getKubeScenario("loadbalancer-local").presets["node-without-endpoint"]);
      await page.goto(url(`${WAYS_IN}?local.in=${input}&local.step=netfilter-node-a#lab-local`));
      await hydrated(page);
      await expect.poll(() => lab("local").locator(".outcome-status").textContent()).toBe("DROP");
      expect(requested()).toBe(true);
      await expect(lab("local").getByLabel("Starting point").inputValue()).resolves.toBe("");
      await expect(lab("local").locator(".step-detail h4").textContent()).resolves.toMatch(/^3\. /);
      await expect(lab("local").getByRole("alert").count()).resolves.toBe(0);
    });
  });
});
