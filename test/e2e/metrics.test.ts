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
    await page.getByText("Demo data", { exact: true }).waitFor();

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

  it("opens the Logs tab from a chart point: an error spike leads to that minute's error lines and the exception", async () => {
    const page = await browser.newPage({ width: 1440, height: 1600 });
    await demoSignIn(page, base(), "amara.okafor", "/services/email-sender/metrics?environment=staging&range=1h");
    await page.waitForURL(/\/services\/email-sender\/metrics/);

    // A point of a metrics panel: the Logs tab for that environment around that moment (at least a minute either side).
    const ratio = page.locator('section[aria-label="Error ratio"] .recharts-surface').first();
    await page.locator('section[aria-label="Error ratio"] .recharts-line-curve').first().waitFor({ timeout: 30_000 });
    const ratioBox = (await ratio.boundingBox())!;
    // Hover first: the chart picks the point under the pointer (its tooltip), then the click opens that point's logs.
    await page.mouse.move(ratioBox.x + ratioBox.width * 0.6, ratioBox.y + ratioBox.height * 0.5);
    await page.mouse.move(ratioBox.x + ratioBox.width * 0.6 + 2, ratioBox.y + ratioBox.height * 0.5);
    await page.mouse.click(ratioBox.x + ratioBox.width * 0.6 + 2, ratioBox.y + ratioBox.height * 0.5);
    await page.waitForURL(/\/services\/email-sender\/logs\?/);
    let url = new URL(page.url());
    expect(url.searchParams.get("environment")).toBe("staging");
    const half = (Date.parse(url.searchParams.get("to")!) - Date.parse(url.searchParams.get("from")!)) / 2;
    expect(half).toBeGreaterThanOrEqual(60_000);
    await page.locator('[data-testid="log-rows"], :text("No lines match")').first().waitFor({ timeout: 20_000 });
    await page.goBack();

    // The error lines the log store counted, per minute, drawn beside the panels; its highest point is the spike.
    let counted: { points: Array<[number, number]> } | null = null;
    page.on("response", (r) => {
      if (r.url().includes("/logs/error-rate"))
        void r.json().then(
          (body: { points: Array<[number, number]> }) => (counted = body),
          () => undefined,
        );
    });
    await page.reload();
    const errors = page.locator('section[aria-label="Error log lines per minute"]');
    const curve = errors.locator(".recharts-line-curve").first();
    await curve.waitFor({ timeout: 60_000 });
    await expect.poll(() => counted, { timeout: 20_000 }).not.toBeNull();
    const points = counted!.points;
    const top = points.reduce((best, p, i) => (p[1] > points[best]![1] ? i : best), 0);
    expect(points[top]![1]).toBeGreaterThan(0);
    // The curve spans the first to the last point: the spike's x follows from its index.
    const box = (await curve.boundingBox())!;
    const spikeX = box.x + (top / (points.length - 1)) * box.width;
    await page.mouse.move(spikeX - 2, box.y + box.height / 2);
    await page.mouse.move(spikeX, box.y + box.height / 2);
    await page.mouse.click(spikeX, box.y + box.height / 2);
    await page.waitForURL(/\/services\/email-sender\/logs\?/);
    url = new URL(page.url());
    expect(url.searchParams.getAll("level")).toEqual(["error", "fatal"]);
    expect(Date.parse(url.searchParams.get("to")!) - Date.parse(url.searchParams.get("from")!)).toBe(120_000);
    // That minute's error lines, with the exception the service died of among them.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="log-rows"]')?.getAttribute("data-line-count") ?? 0) > 0, null, {
      timeout: 20_000,
    });
    expect(await page.locator('[data-testid="log-rows"]').textContent()).toMatch(/Exception|Error:/);
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
