import fs from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { demoSignIn, pageApi, useBrowser } from "../fixtures/browser";
import { overflowingElements } from "../fixtures/overflow";

const shots = "/tmp/e2e-shots";

type Summary = { name: string; kind: string; title: string | null; description: string | null; team: string | null };
type ServicePage = { items: Summary[]; total: number };
type Ref = { name: string; kind: string; exists: boolean };
type Detail = Summary & {
  team: { name: string; title: string | null } | null;
  links: Array<{ url: string; title?: string }>;
  repositoryUrl: string | null;
  dependsOn: Ref[];
  dependents: Ref[];
};
type Team = { name: string; title: string | null; members: Array<{ name: string; displayName: string | null }>; services: Summary[] };
type Runtime = {
  environments: Array<{ name: string; title: string; clusters: Array<{ workloads: Array<{ runningVersion: { tag: string | null; image: string } | null }> }> }>;
};

/** The API, called from the page with its session: what the page should show. */
const api = <T>(page: Page, path: string) =>
  page.evaluate(async (p) => {
    const res = await fetch(p);
    if (!res.ok) throw new Error(`${p}: ${res.status}`);
    return res.json();
  }, path) as Promise<T>;

/** The version each environment runs, as the runtime API reports it (first workload with a running version). */
async function versionsFromApi(page: Page, service: string): Promise<Record<string, string>> {
  const runtime = await api<Runtime>(page, `/api/v1/services/${service}/runtime`);
  const out: Record<string, string> = {};
  for (const env of runtime.environments) {
    const running = env.clusters.flatMap((c) => c.workloads).find((w) => w.runningVersion)?.runningVersion;
    if (running) out[env.title] = running.tag ?? running.image;
  }
  return out;
}

const rowNames = (page: Page) => page.locator("#catalogue-results tbody tr td:first-child a").allTextContents();

describe("catalogue", () => {
  const browser = useBrowser();
  let base: string;
  let subject: Detail;

  beforeAll(async () => {
    base = inject("embeddedUrl");
    fs.mkdirSync(shots, { recursive: true });
  });

  const signedIn = async (returnTo = "/", options?: Parameters<typeof browser.newPage>[0], person = "amara.okafor") => {
    const page = await browser.newPage(options);
    await demoSignIn(page, base, person, returnTo);
    return page;
  };

  /** A service with an owner, links and dependencies in both directions, chosen from the catalogue itself. */
  const pickSubject = async (page: Page): Promise<Detail> => {
    if (subject) return subject;
    const all = await api<ServicePage>(page, "/api/v1/services?limit=200");
    for (const s of all.items) {
      const d = await api<Detail>(page, `/api/v1/services/${s.name}`);
      if (d.team && d.links.length && d.dependsOn.some((r) => r.exists) && d.dependents.length) return (subject = d);
    }
    throw new Error("no service in the demo catalogue has an owner, links and dependencies both ways");
  };

  it("narrows results as you type, and shows the running version per environment beside each service", async () => {
    const page = await signedIn("/");
    await page.locator("#catalogue-results tbody tr").first().waitFor();
    const all = await api<ServicePage>(page, "/api/v1/services?limit=50");
    expect(await page.getByText(`${all.total} services`, { exact: true }).count()).toBe(1);

    // Running versions beside each row, as the runtime API reports them.
    const first = all.items[0]!.name;
    const row = page.locator("#catalogue-results tbody tr", { has: page.locator(`a[href="/services/${first}"]`) });
    const chips = row.getByRole("list", { name: "Running versions" });
    await chips.waitFor();
    await expect
      .poll(
        async () => {
          const shown = Object.fromEntries(
            (await chips.getByRole("listitem").evaluateAll((lis) => lis.map((li) => li.getAttribute("aria-label") ?? ""))).map((l) => {
              const [env, rest] = l.split(": ");
              return [env, rest!.split(/[ ,]/)[0]];
            }),
          );
          return JSON.stringify(shown) === JSON.stringify(await versionsFromApi(page, first));
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(await page.locator('#catalogue-results ul[aria-label="Running versions"]').count()).toBe(all.items.length);
    await page.screenshot({ path: `${shots}/catalogue-desktop.png`, fullPage: false });

    // Search as you type: each keystroke narrows, no Enter needed.
    const term = first.split("-")[0]!.slice(0, 4);
    const search = page.getByRole("searchbox", { name: "Search services" });
    await search.click();
    let previous = all.total;
    for (let i = 1; i <= term.length; i++) {
      await search.pressSequentially(term[i - 1]!, { delay: 20 });
      const expected = await api<ServicePage>(page, `/api/v1/services?q=${encodeURIComponent(term.slice(0, i))}&limit=50`);
      await page.getByText(`${expected.total} ${expected.total === 1 ? "service" : "services"}`, { exact: true }).waitFor();
      await expect.poll(() => rowNames(page), { timeout: 5_000 }).toEqual(expected.items.map((s) => s.name));
      expect(expected.total).toBeLessThanOrEqual(previous);
      previous = expected.total;
    }
    expect(previous).toBeLessThan(all.total);
    expect(previous).toBeGreaterThan(0);
    await page.waitForURL((url) => url.searchParams.get("q") === term);

    // Escape clears the search and brings everything back.
    await search.press("Escape");
    await page.getByText(`${all.total} services`, { exact: true }).waitFor();
    await page.waitForURL((url) => !url.searchParams.has("q"));
  });

  it("filters by facets with counts, keeps the filter in the URL across a reload", async () => {
    const page = await signedIn("/");
    const owner = page.getByRole("group", { name: "Owner" });
    await owner.getByRole("checkbox").first().waitFor();
    const facets = await api<{ team: Array<{ value: string; label: string; count: number }> }>(page, "/api/v1/services/facets");
    // One of the owners listed without "Show more", with more than one service.
    const team = facets.team.slice(0, 6).find((t) => t.count > 1 && t.count <= 50)!;
    expect(team).toBeDefined();
    const label = owner.locator("label").filter({ hasText: new RegExp(`^${team.label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*\\d`) });
    expect(await label.count()).toBe(1);
    expect((await label.textContent())?.replace(team.label, "").trim()).toBe(String(team.count));

    await label.click();
    await page.waitForURL((url) => url.searchParams.getAll("team").includes(team.value));
    await page.getByText(`${team.count} services`, { exact: true }).waitFor();
    await expect.poll(async () => (await rowNames(page)).length, { timeout: 5_000 }).toBe(team.count);
    const owners = await page.locator("#catalogue-results tbody tr td:nth-child(2)").allTextContents();
    expect(new Set(owners.map((o) => o.trim()))).toEqual(new Set([team.value]));
    const filtered = await rowNames(page);
    // Facet counts follow the filter: other facets now count within the team.
    const within = await api<{ lifecycle: Array<{ count: number }> }>(page, `/api/v1/services/facets?team=${team.value}`);
    expect(within.lifecycle.reduce((n, v) => n + v.count, 0)).toBe(team.count);

    await page.reload();
    await page.locator("#catalogue-results tbody tr").first().waitFor();
    expect(await rowNames(page)).toEqual(filtered);
    expect(await page.getByRole("group", { name: "Owner" }).getByRole("checkbox", { checked: true }).count()).toBe(1);
    await page.getByRole("button", { name: `Remove filter Owner: ${team.label}` }).waitFor();

    // Removing the chip lifts the filter (and the URL follows).
    await page.getByRole("button", { name: `Remove filter Owner: ${team.label}` }).click();
    await page.waitForURL((url) => !url.searchParams.has("team"));
    await expect.poll(async () => (await rowNames(page)).length, { timeout: 5_000 }).toBeGreaterThan(team.count);
  });

  it("moves through results with the keyboard and opens one with Enter", async () => {
    const page = await signedIn("/");
    await page.locator("#catalogue-results tbody tr").first().waitFor();
    const names = await rowNames(page);
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("search");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    const highlighted = page.locator("#catalogue-results tbody tr[data-highlighted]");
    expect(await highlighted.count()).toBe(1);
    expect(await highlighted.getAttribute("id")).toBe("service-row-1");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/services/${names[1]}`);
    await page.getByRole("heading", { level: 1, name: names[1] }).waitFor();
  });

  it("jumps to a service with the Ctrl-K quick switcher", async () => {
    const page = await signedIn("/teams");
    const target = await pickSubject(page);
    await page.keyboard.press("Control+k");
    const box = page.getByRole("combobox", { name: "Search services, APIs, resources and teams" });
    await box.waitFor();
    await box.pressSequentially(target.name, { delay: 10 });
    await page.getByRole("option", { name: target.name, exact: true }).waitFor();
    for (let i = 0; i < 10 && (await page.getByRole("option", { selected: true }).getAttribute("aria-label")) !== target.name; i++)
      await box.press("ArrowDown");
    await box.press("Enter");
    await page.waitForURL(`${base}/services/${target.name}`);
    await page.getByRole("heading", { level: 1, name: target.name }).waitFor();
    expect(await page.getByRole("dialog").count()).toBe(0);
  });

  it("shows a service's owner, links, dependencies both ways and running version per environment", async () => {
    const page = await signedIn("/");
    const s = await pickSubject(page);
    await page.goto(`${base}/services/${s.name}`);
    await page.getByRole("heading", { level: 1, name: s.name }).waitFor();

    const owner = page.getByRole("region", { name: "Owner", exact: true });
    expect(await owner.textContent()).toContain(s.team!.title ?? s.team!.name);
    expect(await owner.locator(`a[href="/teams/${s.team!.name}"]`).count()).toBe(1);

    const links = await page
      .getByRole("region", { name: "Links", exact: true })
      .locator("a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toEqual([...s.links.map((l) => l.url), ...(s.repositoryUrl ? [s.repositoryUrl] : [])]);

    const refs = (id: string) => page.locator(`#${id} li`).evaluateAll((lis) => lis.map((li) => li.querySelector(".font-mono")?.textContent?.trim()));
    expect(await refs("depends-on")).toEqual(s.dependsOn.map((r) => r.name));
    expect(await refs("used-by")).toEqual(s.dependents.map((r) => r.name));

    const running = page.getByRole("region", { name: "Running versions", exact: true });
    await expect
      .poll(
        async () => {
          const shown: Record<string, string> = {};
          for (const row of await running.locator("[data-environment]").all()) {
            const dd = (await row.locator("dd .font-mono").textContent())?.trim();
            if (dd) shown[(await row.locator("dt").textContent())!.trim()] = dd;
          }
          const expected = await versionsFromApi(page, s.name);
          return Object.keys(expected).length > 0 && JSON.stringify(shown) === JSON.stringify(expected);
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await page.screenshot({ path: `${shots}/service-desktop.png`, fullPage: true });
  });

  it("shows a team's members and services", async () => {
    const page = await signedIn("/");
    const s = await pickSubject(page);
    const team = await api<Team>(page, `/api/v1/teams/${s.team!.name}`);
    expect(team.members.length).toBeGreaterThan(0);
    await page.goto(`${base}/teams/${team.name}`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    const members = await page
      .getByRole("region", { name: /^Members/ })
      .locator("li p")
      .allTextContents();
    expect(members).toEqual(team.members.map((m) => m.displayName ?? m.name));
    const services = await page
      .getByRole("region", { name: /^Services/ })
      .locator("tbody tr td:first-child a")
      .allTextContents();
    expect(services).toEqual(team.services.map((x) => x.name));
    // Running versions beside the team's services too.
    expect(
      await page
        .getByRole("region", { name: /^Services/ })
        .getByRole("list", { name: "Running versions" })
        .count(),
    ).toBe(team.services.length);
    await page.screenshot({ path: `${shots}/team-desktop.png`, fullPage: true });
  });

  it("renders in dark mode and at 390 px without horizontal overflow", async () => {
    const dark = await signedIn("/", { colorScheme: "dark" });
    await dark.locator("#catalogue-results tbody tr").first().waitFor();
    expect(await dark.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    const background = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = background.match(/[\d.]+/g)!.map(Number);
    expect(r! + g! + b!).toBeLessThan(120);
    await dark.screenshot({ path: `${shots}/catalogue-dark.png` });

    const s = await pickSubject(dark);
    // The longest names a catalogue holds (DNS labels of 60-odd characters), long titles and descriptions, on every
    // page a narrow screen shows them: the catalogue, the service, its owner and a service it depends on.
    const longTeam = "corporate-actions-reconciliation-settlement-operations-squad";
    const longService = "journal-reconciliation-settlement-orchestrator-replay-consumer";
    const admin = await signedIn("/", undefined, "aisha.bello");
    const yaml = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${longTeam}
  title: Corporate Actions Reconciliation and Settlement Operations Squad
  description: Reconciles corporate actions, dividends and coupon payments against custodian statements every night.
spec:
  type: team
  parent: payments-tribe
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${longService}
  title: Journal Reconciliation Settlement Orchestrator Replay Consumer
  description: Replays settlement journal entries from the reconciliation ledger into the orchestrator after an outage, in order, exactly once.
  tags: [kotlin, kafka, reconciliation, settlement, ledger]
spec:
  type: service
  lifecycle: production
  owner: group:${longTeam}
  dependsOn: [component:${s.name}]
`;
    const imported = await pageApi(admin, "POST", "/api/v1/catalogue/import", yaml, "application/yaml");
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    await admin.close();

    for (const [name, colorScheme] of [
      ["light", "light"],
      ["dark", "dark"],
    ] as const) {
      // An approver: the header then carries the approvals badge too, the widest it gets.
      const narrow = await signedIn("/", { width: 390, height: 844, colorScheme }, "tom.hughes");
      await narrow.locator("#catalogue-results tbody tr").first().waitFor();
      await narrow.locator('#catalogue-results ul[aria-label="Running versions"]').first().waitFor();
      expect(await overflowingElements(narrow)).toEqual([]);
      await narrow.screenshot({ path: `${shots}/catalogue-narrow-${name}.png`, fullPage: false });
      // The filters open from a button on a narrow screen.
      await narrow.getByRole("button", { name: /^Filters/ }).click();
      await narrow.getByRole("group", { name: "Owner" }).waitFor();
      expect(await overflowingElements(narrow)).toEqual([]);

      await narrow.goto(`${base}/services/${s.name}`);
      await narrow.getByRole("heading", { level: 1, name: s.name }).waitFor();
      await narrow.getByRole("region", { name: "Running versions" }).waitFor();
      expect(await overflowingElements(narrow)).toEqual([]);
      await narrow.screenshot({ path: `${shots}/service-narrow-${name}.png`, fullPage: true });

      await narrow.goto(`${base}/teams/${s.team!.name}`);
      await narrow.getByRole("region", { name: /^Members/ }).waitFor();
      expect(await overflowingElements(narrow)).toEqual([]);
      await narrow.screenshot({ path: `${shots}/team-narrow-${name}.png`, fullPage: true });

      await narrow.goto(`${base}/?q=${longService}`);
      await narrow.locator(`#catalogue-results a[href="/services/${longService}"]`).waitFor({ state: "attached" });
      expect(await overflowingElements(narrow)).toEqual([]);
      await narrow.goto(`${base}/services/${longService}`);
      await narrow.getByRole("heading", { level: 1, name: longService }).waitFor();
      expect(await overflowingElements(narrow)).toEqual([]);
      await narrow.screenshot({ path: `${shots}/service-long-narrow-${name}.png`, fullPage: true });
      await narrow.goto(`${base}/teams/${longTeam}`);
      await narrow.getByRole("heading", { level: 1 }).waitFor();
      await narrow.locator(`a[href="/services/${longService}"]`).first().waitFor({ state: "attached" });
      expect(await overflowingElements(narrow)).toEqual([]);
      await narrow.goto(`${base}/services/${s.name}`);
      await narrow.locator(`a[href="/services/${longService}"]`).first().waitFor({ state: "attached" });
      expect(await overflowingElements(narrow)).toEqual([]);
    }
  });
});
