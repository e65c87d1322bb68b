import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { seriousViolations, type Violation } from "../fixtures/axe";
import { demoSignIn, useBrowser } from "../fixtures/browser";

/*
 * What a reader notices: every page is usable with a screen reader, a keyboard and low vision (axe-core finds no
 * serious or critical violation in light and dark, wide and phone-sized), a missing page says so with a real 404,
 * an over-long search explains its limit, and the tab has an icon.
 */

const person = "tom.hughes"; // a cards approver: the approvals inbox has something in it

/** Loads a page and lets client components hydrate and streamed sections arrive (live pages never go network-idle). */
async function open(page: Page, url: string): Promise<number> {
  const response = await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 10_000 }).catch(() => undefined);
  await page.waitForTimeout(400);
  return response?.status() ?? 0;
}

async function sessionCookie(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

describe("accessibility, not-found pages, search limit and icon", () => {
  const browser = useBrowser();
  const base = () => inject("embeddedUrl");

  const layouts = [
    { colorScheme: "light", width: 1440 },
    { colorScheme: "light", width: 390 },
    { colorScheme: "dark", width: 1440 },
    { colorScheme: "dark", width: 390 },
  ] as const;

  it.each(layouts)("has no serious or critical axe violations on any page ($colorScheme, $width px)", async ({ colorScheme, width }) => {
    const page = await browser.newPage({ width, height: 900, colorScheme });
    await demoSignIn(page, base(), person, "/");
    const rollouts = await page.evaluate(async () => (await fetch("/api/v1/rollouts?service=card-processing")).json());
    const rolloutId = rollouts.items?.[0]?.id as string | undefined;
    expect(rolloutId, "the demo has a card-processing rollout").toBeTruthy();

    const paths = [
      "/",
      "/services/card-api",
      "/services/card-api/runtime",
      "/services/card-api/deploys",
      "/teams/cards",
      "/teams",
      "/approvals",
      "/audit",
      "/settings/tokens",
      `/rollouts/${rolloutId}`,
      "/services/no-such-service",
      "/no-such-page",
    ];
    const found: Record<string, Violation[]> = {};
    for (const path of paths) {
      await open(page, `${base()}${path}`);
      const violations = await seriousViolations(page);
      if (violations.length) found[path] = violations;
    }
    // The sign-in page, signed out.
    await page.context().clearCookies();
    await open(page, `${base()}/signin`);
    const signIn = await seriousViolations(page);
    if (signIn.length) found["/signin"] = signIn;

    expect(found).toEqual({});
  });

  it("answers 404 for missing services, APIs, resources, teams and rollouts, naming what is missing", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), person, "/");
    const cookie = await sessionCookie(page);
    const status = async (path: string) => (await fetch(`${base()}${path}`, { headers: { cookie }, redirect: "manual" })).status;

    expect(await status("/services/card-api")).toBe(200);
    expect(await status("/teams/cards")).toBe(200);
    for (const path of [
      "/services/no-such-service",
      "/services/no-such-service/runtime",
      "/services/no-such-service/deploys",
      "/apis/no-such-api",
      "/resources/no-such-resource",
      "/teams/no-such-team",
      "/rollouts/00000000-0000-4000-8000-000000000000",
      "/rollouts/not-a-rollout-id",
      "/no/such/page",
    ]) {
      expect({ path, status: await status(path) }).toEqual({ path, status: 404 });
    }

    const heading = async (path: string) => {
      expect(await open(page, `${base()}${path}`)).toBe(404);
      return (await page.getByRole("heading", { level: 1 }).innerText()).trim();
    };
    expect(await heading("/services/no-such-service")).toBe("There is no service named “no-such-service”");
    expect(await heading("/services/no-such-service/runtime")).toBe("There is no service named “no-such-service”");
    expect(await heading("/apis/no-such-api")).toBe("There is no API named “no-such-api”");
    expect(await heading("/teams/no-such-team")).toBe("There is no team named “no-such-team”");
    expect(await heading("/rollouts/00000000-0000-4000-8000-000000000000")).toBe("There is no rollout with the id “00000000-0000-4000-8000-000000000000”");

    // An unknown address is not about the catalogue.
    expect(await heading("/no/such/page")).toBe("This page does not exist");
    expect(await page.locator("main").innerText()).not.toMatch(/catalogue/i);
  });

  it("explains the search length limit instead of showing “Bad Request”", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, base(), person, "/");
    const long = "card ".repeat(240); // 1,200 characters
    // Typed again until the page has hydrated: text typed before that is not seen by React.
    await expect
      .poll(
        async () => {
          await page.getByRole("searchbox", { name: "Search services" }).fill(long);
          return page.getByText("Search text is limited to 200 characters").isVisible();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    expect(await page.locator("main").innerText()).not.toMatch(/bad request/i);
    expect(await page.getByRole("searchbox", { name: "Search services" }).getAttribute("aria-invalid")).toBe("true");

    // Shortening it shows results again.
    await page.getByRole("searchbox", { name: "Search services" }).fill("card");
    await page.getByRole("link", { name: "card-api" }).first().waitFor();

    // The API keeps its 400 problem, with a detail a person can read.
    const res = await fetch(`${base()}/api/v1/services?q=${encodeURIComponent(long)}`, { headers: { cookie: await sessionCookie(page) } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect((await res.json()).detail).toMatch(/Search text is limited to 200 characters/);
  });

  it("has a favicon, signed in or not", async () => {
    const res = await fetch(`${base()}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/image\//);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);

    // The sign-in page (signed out) links an icon that loads.
    const page = await browser.newPage();
    await page.goto(`${base()}/signin`);
    const href = await page.locator('link[rel~="icon"]').first().getAttribute("href");
    expect(href).toBeTruthy();
    const icon = await fetch(new URL(href!, base()), { redirect: "manual" });
    expect(icon.status).toBe(200);
  });
});
