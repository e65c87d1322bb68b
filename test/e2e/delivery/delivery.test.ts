import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { seriousViolations } from "../../fixtures/axe";
import { demoSignIn, useBrowser } from "../../fixtures/browser";
import { overflowingElements } from "../../fixtures/overflow";

/*
 * A squad lead opens their squad's page and reads how well it ships: the four figures with their bands, the weekly
 * trend, and, one click away, the production rollouts behind a figure. The same on a service's page. Readable and
 * axe-clean at desktop and phone widths, in light and dark.
 */

const visible = (locator: ReturnType<Page["locator"]>, timeout = 10_000) => locator.first().waitFor({ state: "visible", timeout });
const shots = process.env.SLIPWAY_E2E_SHOTS;
const shot = async (page: Page, name: string) => {
  if (shots) await page.screenshot({ path: `${shots}/delivery-${name}.png`, fullPage: true });
};

describe("delivery figures on squad and service pages", () => {
  const browser = useBrowser();
  const base = () => inject("embeddedUrl");

  it("shows a squad its four keys with bands, and the failures behind the rate a click away", async () => {
    const page = await browser.newPage({ width: 1440, height: 1000 });
    await demoSignIn(page, base(), "tom.hughes", "/teams/cards");
    const delivery = page.getByRole("region", { name: "Delivery" });
    await visible(delivery);
    for (const label of ["Deployment frequency", "Lead time for changes", "Change failure rate", "Time to restore"]) {
      await visible(delivery.getByText(label, { exact: true }));
    }
    // The demo's Cards squad ships several times a day: elite frequency, read from the figure's own entry.
    const frequency = delivery.locator("div", { has: page.getByText("Deployment frequency", { exact: true }) }).last();
    await visible(frequency.getByText("Elite", { exact: false }));
    expect(await frequency.innerText()).toMatch(/a day/);
    // The trend is drawn, and its numbers are there as a table too.
    await visible(delivery.locator(".recharts-surface"), 15_000);
    await delivery.getByText("The trend as a table").click();
    expect(await delivery.getByRole("table", { name: "Delivery figures by week" }).getByRole("row").count()).toBeGreaterThan(4);
    await shot(page, "team-1440");

    // 90 days: the window is in the address, so a view can be shared.
    await delivery.getByRole("link", { name: "90 days" }).click();
    await page.waitForURL(/days=90/);
    await visible(page.getByRole("region", { name: "Delivery" }).getByText("Deploys to production in the last 90 days", { exact: false }));

    // The failures behind the change failure rate, each a link to its rollout, with what restored it.
    await page.getByRole("link", { name: /The failures behind change failure rate/ }).click();
    await page.waitForURL(/\/teams\/cards\/delivery\?days=90&figure=failures/);
    const list = page.getByRole("region", { name: /Production deploys that failed or were rolled back/ });
    await visible(list);
    const first = list.getByRole("listitem").first();
    expect(await first.innerText()).toMatch(/failed|rolled back/);
    expect(await first.innerText()).toMatch(/restored after|not restored yet/);
    expect(await first.getByRole("link").first().getAttribute("href")).toMatch(/^\/rollouts\/[0-9a-f-]{36}$/);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "failures-1440");
    await first.getByRole("link").first().click();
    await page.waitForURL(/\/rollouts\//);
  });

  it("shows a service's figures on its overview", async () => {
    const page = await browser.newPage({ width: 1440, height: 1000 });
    await demoSignIn(page, base(), "tom.hughes", "/services/card-api");
    const delivery = page.getByRole("region", { name: "Delivery" });
    await visible(delivery);
    await visible(delivery.getByText(/production deploys?$/));
    await visible(delivery.getByRole("link", { name: /The deploys behind deployment frequency/ }));
  });

  it.each([
    { colorScheme: "light", width: 1440 },
    { colorScheme: "dark", width: 1440 },
    { colorScheme: "light", width: 390 },
    { colorScheme: "dark", width: 390 },
  ] as const)("is readable and axe-clean ($colorScheme, $width px)", async ({ colorScheme, width }) => {
    const page = await browser.newPage({ width, height: 900, colorScheme });
    await demoSignIn(page, base(), "tom.hughes", "/teams/payments-core");
    await visible(page.getByRole("region", { name: "Delivery" }));
    await visible(page.locator(".recharts-surface"), 15_000);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await overflowingElements(page)).toEqual([]);
    await shot(page, `team-${colorScheme}-${width}`);
    await page.goto(`${base()}/services/card-api/delivery?days=90&figure=lead-time`);
    await visible(page.getByRole("region", { name: /Successful production deploys/ }));
    expect(await seriousViolations(page)).toEqual([]);
    expect(await overflowingElements(page)).toEqual([]);
    await shot(page, `service-lead-${colorScheme}-${width}`);
  });
});
