import { describe, expect, inject, it } from "vitest";
import { seriousViolations } from "../fixtures/axe";
import { demoSignIn, useBrowser } from "../fixtures/browser";

/**
 * On-call at 3 a.m.: email-sender's Metrics tab in staging shows the demo's crash-looping release as a marker on every
 * chart; the range is in the URL; hovering one chart moves the crosshair on all; a marker leads to its rollout.
 */
describe("the Metrics tab", () => {
  const browser = useBrowser();
  const base = () => inject("embeddedUrl");

  it("draws every panel with the deploys on them, keeps the range in the URL, shares the crosshair and leads to a rollout", async () => {
    const page = await browser.newPage({ width: 1440, height: 1600 });
    await demoSignIn(page, base(), "amara.okafor", "/services/email-sender/metrics?environment=staging&range=3h");
    await page.waitForURL(/\/services\/email-sender\/metrics/);
    const panels = page.locator('section[aria-label="Requests"], section[aria-label="Error ratio"], section[aria-label="Latency"]');
    await expect.poll(() => panels.count(), { timeout: 30_000 }).toBe(3);
    // Each chart drew lines (recharts' paths), and the demo says its data is generated.
    await expect.poll(() => page.locator("section[aria-label] .recharts-line-curve").count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
    await page.getByText("Demo data").waitFor();

    // The demo's CI rolled email-sender's crash-looping release out to staging at start: it is a marker, and a link.
    const deploys = page.locator('section[aria-label="Deploys in this range"] a');
    await expect.poll(() => deploys.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.locator(".recharts-reference-line").count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);

    // The range lives in the URL.
    await page.getByLabel("Time range").selectOption("24h");
    await page.waitForURL(/range=24h/);
    await expect.poll(() => page.locator("section[aria-label] .recharts-line-curve").count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(6);

    // Hovering one chart shows the tooltip on every chart of the tab (a shared crosshair).
    const first = page.locator('section[aria-label="Requests"] .recharts-surface').first();
    const box = (await first.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    await expect
      .poll(() => page.locator(".recharts-tooltip-wrapper-visible, .recharts-tooltip-wrapper[style*='visibility: visible']").count(), { timeout: 5_000 })
      .toBeGreaterThanOrEqual(3);

    expect(await seriousViolations(page)).toEqual([]);

    const href = await deploys.first().getAttribute("href");
    await deploys.first().click();
    await page.waitForURL((url) => url.pathname === href);
    await page.getByText("email-sender", { exact: false }).first().waitFor();
  });

  it("answers the API with panels, markers and the step, and refuses a query language", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), "isabel.fernandes");
    const view = await page.evaluate(async () => {
      const res = await fetch("/api/v1/services/email-sender/metrics?environment=staging&width=600");
      return { status: res.status, body: (await res.json()) as { panels: Array<{ id: string }>; markers: unknown[]; step: number } };
    });
    expect(view.status).toBe(200);
    expect(view.body.panels.map((p) => p.id)).toEqual(expect.arrayContaining(["request-rate", "error-ratio", "latency", "restarts"]));
    expect(view.body.step).toBeGreaterThanOrEqual(15);
    const injected = await page.evaluate(async () => (await fetch("/api/v1/services/email-sender/metrics?environment=staging%22})%20or%20vector(42)")).status);
    expect(injected).toBe(400);
  });
});
