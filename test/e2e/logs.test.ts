import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { feedLines, generateServiceLogs, startEsSim, type EsSim, type FluentdRecord } from "../../server/demo/es-sim";
import { startKubeSim, type KubeSim } from "../../server/demo/kube-sim";
import { seriousViolations, type Violation } from "../fixtures/axe";
import { demoSignIn, useBrowser } from "../fixtures/browser";
import { startSlipway, type RunningSlipway } from "../fixtures/slipway-server";

/*
 * What an on-call engineer notices on a service's Logs tab: the lines of the moment, newest first; filters by level
 * and text that narrow what is shown (and stay in the URL); the lines around one line; older lines on demand; a live
 * tail that pauses without losing its place; a crash loop's exception, from the store and from the pod itself; a
 * plain message where no log store is configured. Slipway runs with a log store (the Elasticsearch API simulator) for
 * staging only, and a Kubernetes API simulator as the staging cluster.
 */

const shots = "/tmp/shots-logs";
const person = "tom.hughes";
const EXCEPTION = "java.lang.IllegalStateException: SMTP relay smtp.internal:587 refused the connection (421 too many connections)";

/** What the list shows: lines loaded, and the rows actually in the DOM (the list is windowed). */
async function readList(page: Page) {
  return page.evaluate(() => {
    const rows = document.querySelector('[data-testid="log-rows"]');
    const rendered = [...(rows?.querySelectorAll("[data-line-id]") ?? [])].map((el) => ({
      level: el.querySelector("[data-level]")?.getAttribute("data-level") ?? "",
      text: el.textContent ?? "",
    }));
    return { count: Number(rows?.getAttribute("data-line-count") ?? -1), rendered };
  });
}

async function waitForLines(page: Page, min = 1) {
  try {
    await page.waitForFunction((min) => Number(document.querySelector('[data-testid="log-rows"]')?.getAttribute("data-line-count") ?? 0) >= min, min, {
      timeout: 20_000,
    });
  } catch (error) {
    // Say what the page showed instead: how many lines, and any problem or status it reported.
    const shown = await page.evaluate(() => ({
      lines: document.querySelector('[data-testid="log-rows"]')?.getAttribute("data-line-count"),
      alerts: [...document.querySelectorAll('[role="alert"], [role="status"]')].map((e) => e.textContent?.trim()).filter(Boolean),
      buttons: [...document.querySelectorAll("button")].map((b) => b.textContent?.trim()).filter((t) => t && /older|Loading/i.test(t)),
    }));
    throw new Error(`fewer than ${min} lines within 20 s: ${JSON.stringify(shown)}`, { cause: error });
  }
}

function cardApiLines(now: number): FluentdRecord[] {
  const pods = ["card-api-5d8c7b6f4-abcde", "card-api-5d8c7b6f4-fghij", "card-api-5d8c7b6f4-klmno"].map((pod) => ({
    namespace: "cards",
    pod,
    container: "app",
    image: "registry.example.com/cards/card-api:1.4.0",
    labels: { "backstage.io/kubernetes-id": "card-api", app: "card-api" },
    style: "json" as const,
  }));
  // 3,000 events over the last 25 minutes: more than one page, more than a screen; before them, 8,000 older ones, so
  // the list can be paged out to 10,000 lines.
  // (From 50 minutes ago, so they stay in a one-hour range while the tests before this one run.)
  const older = generateServiceLogs({ pods, from: now - 50 * 60_000, count: 8000, ratePerSecond: 5.5, seed: 8, errorRate: 0.08 });
  const recent = generateServiceLogs({ pods, from: now - 25 * 60_000, count: 3000, ratePerSecond: 2, seed: 7, errorRate: 0.08 });
  return [...older.filter((r) => Number(r.time) < now - 26 * 60_000), ...recent];
}

function emailSenderLines(now: number): FluentdRecord[] {
  const base = {
    namespace: "notifications",
    container: "app",
    image: "registry.example.com/notifications/email-sender:2.0.0-crashloop",
    labels: { "backstage.io/kubernetes-id": "email-sender" },
  };
  const records: FluentdRecord[] = [];
  for (let restart = 0; restart < 5; restart++) {
    const t = now - (10 - restart) * 60_000;
    records.push(
      { ...base, pod: "email-sender-6b7f9d8c5-qwert", time: t, stream: "stdout", line: "Starting email-sender 2.0.0 (SMTP relay smtp.internal:587)" },
      {
        ...base,
        pod: "email-sender-6b7f9d8c5-qwert",
        time: t + 400,
        stream: "stdout",
        line: '{"level":"info","msg":"connecting to relay","relay":"smtp.internal:587"}',
      },
      {
        ...base,
        pod: "email-sender-6b7f9d8c5-qwert",
        time: t + 899,
        stream: "stdout",
        line: `ERROR [main] c.e.mail.Application - Application run failed: ${EXCEPTION}`,
      },
      { ...base, pod: "email-sender-6b7f9d8c5-qwert", time: t + 900, stream: "stderr", line: `Exception in thread "main" ${EXCEPTION}` },
      { ...base, pod: "email-sender-6b7f9d8c5-qwert", time: t + 901, stream: "stderr", line: "\tat com.example.mail.RelayClient.connect(RelayClient.java:88)" },
    );
  }
  return records;
}

describe("the Logs tab", () => {
  const browser = useBrowser();
  let es: EsSim;
  let kube: KubeSim;
  let slipway: RunningSlipway;
  const base = () => slipway.url;

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    const now = Date.now();
    es = await startEsSim({ flavour: "elasticsearch8" });
    await feedLines(es.url, [...cardApiLines(now), ...emailSenderLines(now)], { refresh: "true" });
    kube = await startKubeSim({
      clock: "real",
      clusterName: "staging-eu",
      crashAfterMs: 500,
      anonymous: { user: "kubernetes-admin", groups: ["system:masters"] },
    });
    await kube.seedWorkloads([
      {
        namespace: "cards",
        name: "card-api",
        image: "registry.example.com/cards/card-api:1.4.0",
        replicas: 2,
        labels: { "backstage.io/kubernetes-id": "card-api" },
      },
      {
        namespace: "notifications",
        name: "email-sender",
        image: "registry.example.com/notifications/email-sender:2.0.0-crashloop",
        replicas: 1,
        labels: { "backstage.io/kubernetes-id": "email-sender" },
      },
    ]);
    const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "slipway-logs-")), "slipway.config.yaml");
    fs.writeFileSync(
      configFile,
      `environments:
  - name: staging
    title: Staging
  - name: production
    title: Production
    production: true
namespaceOwners:
  cards: [cards]
  notifications: [notifications]
clusters:
  - name: staging-eu
    environment: staging
    connection: { server: "${kube.url}", token: "${kube.adminToken}", insecureSkipTlsVerify: true }
logs:
  sources:
    - environment: staging
      url: ${es.url}
      flavour: elasticsearch8
`,
    );
    slipway = await startSlipway({ SLIPWAY_DEMO: "on", SLIPWAY_CONFIG: configFile });
  }, 360_000);

  afterAll(async () => {
    await slipway?.stop();
    await kube?.stop();
    await es?.stop();
  });

  it("shows the newest lines first, windowed, and loads older ones through the cursor", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), person, "/services/card-api/logs?environment=staging&range=1h");
    await waitForLines(page, 200);
    const first = await readList(page);
    expect(first.count).toBe(200);
    // Windowed: far fewer rows in the DOM than lines loaded.
    expect(first.rendered.length).toBeGreaterThan(10);
    expect(first.rendered.length).toBeLessThan(120);
    const times = await page.$$eval('[data-testid="log-rows"] [data-line-id] time', (els) => els.map((e) => Date.parse(e.getAttribute("datetime") ?? "")));
    expect(times.slice().sort((a, b) => b - a)).toEqual(times);
    await page
      .getByRole("tab", { name: "Logs" })
      .or(page.getByRole("link", { name: "Logs" }))
      .first()
      .waitFor();

    await page.getByRole("button", { name: "Load older lines" }).click();
    await waitForLines(page, 400);
    expect((await readList(page)).count).toBe(400);

    // Scrolling to the end of 400 lines renders the last ones, still a window.
    await page.locator('[role="region"][aria-label="Log lines, newest first"]').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(300);
    const scrolled = await readList(page);
    expect(scrolled.rendered.length).toBeLessThan(120);
  });

  it("stays smooth with 10,000 lines: a bounded number of rows in the page while scrolling, down to the last line", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), person, "/services/card-api/logs?environment=staging&range=1h");
    await waitForLines(page, 200);
    for (let n = 400; n <= 10_000; n += 200) {
      await page.getByRole("button", { name: "Load older lines" }).click();
      await waitForLines(page, n);
    }
    expect((await readList(page)).count).toBe(10_000);
    // Scroll through the whole list in 120 steps, one per frame; record the longest frame and the most rows rendered.
    const result = await page.locator('[role="region"][aria-label="Log lines, newest first"]').evaluate(async (el) => {
      let longest = 0;
      let most = 0;
      let last = performance.now();
      for (let i = 1; i <= 120; i++) {
        el.scrollTop = (el.scrollHeight * i) / 120;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        most = Math.max(most, el.querySelectorAll("[data-line-id]").length);
      }
      return { longest, most };
    });
    console.info(`10,000 lines: at most ${result.most} rows in the DOM, longest frame ${Math.round(result.longest)} ms while scrolling`);
    // What keeps scrolling smooth is the bounded row count; frame times are printed, not asserted (they follow the
    // machine's load, and speed is the benchmarks' business).
    expect(result.most).toBeLessThan(150);
    // The end is reachable: scrolled to the bottom, the 10,000th line is in the DOM and ends where the list ends.
    const end = await page.evaluate(async () => {
      const el = document.querySelector<HTMLElement>('[role="region"][aria-label="Log lines, newest first"]')!;
      const list = el.querySelector<HTMLElement>('[data-testid="log-rows"]')!;
      for (let i = 0; i < 3; i++) {
        el.scrollTop = el.scrollHeight;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
      }
      const rows = [...list.querySelectorAll<HTMLElement>("[data-line-id]")];
      const bottom = Math.max(...rows.map((r) => r.offsetTop + r.offsetHeight));
      return { rows: rows.length, bottom, height: list.offsetHeight };
    });
    expect(end.rows).toBeLessThan(150);
    expect(Math.abs(end.bottom - end.height)).toBeLessThanOrEqual(1);
    await page.getByRole("button", { name: "Load older lines" }).waitFor();
  });

  it("filters by level and by text, keeps the filters in the URL, and treats query syntax as text", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), person, "/services/card-api/logs?environment=staging&range=1h");
    await waitForLines(page);
    await page.getByRole("group", { name: "Levels" }).getByRole("button", { name: "ERROR" }).click();
    await page.waitForURL(/level=error/);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="log-rows"] [data-line-id] [data-level]')];
      return rows.length > 0 && rows.every((r) => r.getAttribute("data-level") === "error");
    });

    // A word from an error line: every line shown contains it.
    const word = (await page.locator('[data-testid="log-rows"] [data-line-id]').first().textContent())!
      .match(/[A-Za-z]{6,}/g)!
      .find((w) => !/Context|ERROR|details/i.test(w))!;
    await page.getByRole("searchbox", { name: "Search the messages" }).fill(word);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(new RegExp(`q=${word}`));
    await waitForLines(page);
    const filtered = await readList(page);
    expect(filtered.rendered.every((r) => r.text.toLowerCase().includes(word.toLowerCase()))).toBe(true);

    // Lucene and JSON fragments are searched as text: no error, and nothing matches.
    for (const hostile of ["message:* OR kubernetes.namespace_name:secrets", '{"match_all":{}}', "*", '" OR 1=1 --']) {
      const res = await page.evaluate(async (q) => {
        const r = await fetch(`/api/v1/services/card-api/logs?environment=staging&q=${encodeURIComponent(q)}`);
        return { status: r.status, body: await r.json() };
      }, hostile);
      expect(res.status, hostile).toBe(200);
      expect(res.body.errors, hostile).toEqual([]);
      expect(
        res.body.lines.every((l: { pod: string }) => l.pod.startsWith("card-api-")),
        hostile,
      ).toBe(true);
    }
    const refused = await page.evaluate(async () => (await fetch("/api/v1/services/card-api/logs?environment=staging&pod=Bad_Pod!")).status);
    expect(refused).toBe(400);
  });

  it("shows the lines around a line, from the same pod", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), person, "/services/card-api/logs?environment=staging&range=1h");
    await waitForLines(page);
    const row = page.locator('[data-testid="log-rows"] [data-line-id]').nth(3);
    await row.hover();
    await row.getByRole("button", { name: "Context" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Lines around this one").waitFor();
    const anchor = dialog.locator('[aria-current="true"]');
    await anchor.waitFor();
    const around = await dialog.locator("[data-level]").count();
    expect(around).toBeGreaterThan(5);
    // Every line is from the anchor's pod and container.
    const pods = await dialog.locator("[data-level] span[title]").evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute("title")))]);
    expect(pods).toHaveLength(1);
    await page.keyboard.press("Escape");
  });

  it("opens a chart point's link: environment, window, pod and container from the URL", async () => {
    const page = await browser.newPage();
    const to = new Date();
    const from = new Date(to.getTime() - 20 * 60_000);
    const url = `/services/card-api/logs?environment=staging&from=${from.toISOString()}&to=${to.toISOString()}&pod=card-api-5d8c7b6f4-fghij&container=app`;
    await demoSignIn(page, base(), person, url);
    await waitForLines(page);
    expect(await page.getByRole("combobox", { name: "Pod" }).inputValue()).toBe("card-api-5d8c7b6f4-fghij");
    expect(await page.getByRole("combobox", { name: "Time range" }).inputValue()).toBe("custom");
    const lines = await page.evaluate(
      async (u) => (await (await fetch(u)).json()).lines as Array<{ pod: string; timestamp: string }>,
      `/api/v1/services/card-api/logs?environment=staging&from=${from.toISOString()}&to=${to.toISOString()}&pod=card-api-5d8c7b6f4-fghij&container=app`,
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.pod === "card-api-5d8c7b6f4-fghij" && Date.parse(l.timestamp) >= from.getTime())).toBe(true);
  });

  it("tails live, and a paused tail resumes where it stopped", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), person, "/services/card-api/logs?environment=staging&range=15m");
    await waitForLines(page);
    await page.getByRole("button", { name: "Live tail" }).click();
    await page.getByText("Live", { exact: true }).waitFor();
    const line = (text: string): FluentdRecord => ({
      namespace: "cards",
      pod: "card-api-5d8c7b6f4-abcde",
      container: "app",
      image: "registry.example.com/cards/card-api:1.4.0",
      labels: { "backstage.io/kubernetes-id": "card-api" },
      time: Date.now(),
      line: text,
    });
    await page.waitForTimeout(1500);
    const started = Date.now();
    await feedLines(es.url, [line("tail-marker-one arrived")]);
    await page.getByText("tail-marker-one arrived").waitFor({ timeout: 10_000 });
    const delay = Date.now() - started;

    await page.getByRole("button", { name: "Pause tail" }).click();
    await feedLines(es.url, [line("tail-marker-two while paused")]);
    await page.waitForTimeout(2500);
    expect(await page.getByText("tail-marker-two while paused").count()).toBe(0);
    await page.getByRole("button", { name: "Resume tail" }).click();
    await page.getByText("tail-marker-two while paused").waitFor({ timeout: 10_000 });
    expect(delay, "a line reaches the browser within a few seconds of being written").toBeLessThan(6_000);
  });

  it("explains email-sender's crash loop: the exception from the store, and the previous container's last lines", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), person, "/services/email-sender/logs?environment=staging&range=1h&level=error");
    await waitForLines(page);
    await page.getByText(EXCEPTION).first().waitFor();

    await page.getByRole("radio", { name: "Pod output" }).click();
    await page.getByRole("checkbox", { name: /Previous container/ }).check();
    await page.getByRole("region", { name: "Pod output, oldest first" }).waitFor({ timeout: 20_000 });
    const text = await page.getByRole("region", { name: "Pod output, oldest first" }).textContent();
    expect(text).toMatch(/error|exception|fatal|panic/i);
    await page.screenshot({ path: `${shots}/email-sender-pod-output.png`, fullPage: false });
  });

  it("says how to configure a log store where none is, and downloads the view as NDJSON", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), person, "/services/card-api/logs?environment=production");
    await page.getByText("No log source is configured for production").waitFor();
    await page.getByText("logs.sources").first().waitFor();

    const ndjson = await page.evaluate(async () => {
      const r = await fetch("/api/v1/services/card-api/logs/export?environment=staging&level=warn");
      return { type: r.headers.get("content-type"), disposition: r.headers.get("content-disposition"), text: await r.text() };
    });
    expect(ndjson.type).toContain("application/x-ndjson");
    expect(ndjson.disposition).toMatch(/attachment; filename="card-api-staging-logs-/);
    const rows = ndjson.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r: { level?: string; _slipway?: unknown }) => r._slipway !== undefined || r.level === "warn")).toBe(true);
  });

  it.each([
    { colorScheme: "light", width: 1440 },
    { colorScheme: "light", width: 390 },
    { colorScheme: "dark", width: 1440 },
    { colorScheme: "dark", width: 390 },
  ] as const)("has no serious or critical axe violations ($colorScheme, $width px)", async ({ colorScheme, width }) => {
    const page = await browser.newPage({ width, height: 900, colorScheme });
    await demoSignIn(page, base(), person, "/services/card-api/logs?environment=staging&range=1h");
    await waitForLines(page);
    // One line expanded, so its JSON view is checked too.
    await page.locator('[data-testid="log-rows"] [data-line-id]').first().getByRole("button", { name: "Show details" }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}/card-api-${colorScheme}-${width}.png` });
    const found: Record<string, Violation[]> = { list: await seriousViolations(page) };

    await page.goto(`${base()}/services/card-api/logs?environment=production`);
    await page.getByText("No log source is configured for production").waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${shots}/not-configured-${colorScheme}-${width}.png`, fullPage: true });
    found.notConfigured = await seriousViolations(page);

    await page.goto(`${base()}/services/card-api/logs?environment=staging&range=1h`);
    await waitForLines(page);
    const row = page.locator('[data-testid="log-rows"] [data-line-id]').nth(2);
    await row.hover();
    await row.getByRole("button", { name: "Context" }).click();
    await page.getByRole("dialog").locator('[aria-current="true"]').waitFor();
    await page.screenshot({ path: `${shots}/context-${colorScheme}-${width}.png` });
    found.context = await seriousViolations(page);
    expect(found).toEqual({ list: [], notConfigured: [], context: [] });
  });
});

describe("the Logs tab on the embedded default", () => {
  const browser = useBrowser();

  it("opens for email-sender, with its lines or a plain reason why there are none", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, inject("embeddedUrl"), person, "/services/email-sender/logs");
    await page.locator('[data-testid="log-rows"], :text("No log source is configured")').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${shots}/embedded-email-sender.png` });
    const configured = (await page.locator('[data-testid="log-rows"]').count()) > 0;
    if (configured) {
      // The demo feeds the store: the crash loop's error is among the error lines.
      await page.goto(`${inject("embeddedUrl")}/services/email-sender/logs?range=1h&level=error&level=fatal`);
      await waitForLines(page);
      expect((await readList(page)).rendered.length).toBeGreaterThan(0);
    }
  });
});
