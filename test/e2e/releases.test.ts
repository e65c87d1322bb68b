import fs from "node:fs";
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { demoSignIn, pageApi, useBrowser } from "../fixtures/browser";

/**
 * Releases as people meet them on the embedded default (PGlite, demo data, simulated staging and production
 * clusters running in real time): CI registers a build and staging takes it by itself; a production rollout waits
 * for someone other than the requester and then streams to its end; a crash-looping release fails with its reason
 * and is rolled back; an Argo canary stops at its pause step until a person promotes it. Each test works on its own
 * service, because every test of this file shares the one server.
 */
describe("releases", () => {
  const browser = useBrowser();
  const shots = "/tmp/e2e-shots";
  let base: string;

  beforeAll(() => {
    base = inject("embeddedUrl");
    fs.mkdirSync(shots, { recursive: true });
  });

  const started = Date.now();
  const shot = async (page: Page, name: string) => {
    fs.mkdirSync(shots, { recursive: true });
    if (process.env.E2E_TIMING) console.log(`${((Date.now() - started) / 1000).toFixed(1)}s ${name}`);
    await page.screenshot({ path: `${shots}/releases-${name}.png`, fullPage: true });
  };

  /** The same view at a desktop and a phone width, for people to look at (/tmp/shots-ui). */
  const bothWidths = async (page: Page, name: string) => {
    fs.mkdirSync("/tmp/shots-ui", { recursive: true });
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
      await page.screenshot({ path: `/tmp/shots-ui/${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  };

  const as = async (person: string, path: string) => {
    const page = await browser.newPage();
    await demoSignIn(page, base, person, path);
    return page;
  };

  const api = pageApi;

  /** A squad's CI token, created by an admin in the portal. */
  const squadToken = async (team: string): Promise<string> => {
    const admin = await as("aisha.bello", "/");
    const created = await api(admin, "POST", "/api/v1/tokens", { name: `ci ${team} e2e`, scopes: ["releases:write"], team, expiresInDays: 1 });
    expect(created.status).toBe(201);
    await admin.close();
    return created.body.token as string;
  };

  const environment = (page: Page, title: "Staging" | "Production") => page.getByRole("region", { name: title, exact: true });
  const statusBanner = (page: Page) => page.getByRole("region", { name: "Rollout status" });
  const visible = (locator: Locator, timeout = 15_000) => locator.first().waitFor({ state: "visible", timeout });

  const auditOf = async (page: Page, rolloutId: string) => {
    const res = await api(page, "GET", `/api/v1/audit?targetType=rollout&target=${rolloutId}&limit=100`);
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ action: string; actorName: string; details: Record<string, any> }>).slice().reverse();
  };

  it("deploys a release registered with a squad token to staging by itself", async () => {
    const service = "card-tokenisation";
    const token = await squadToken("cards");
    const page = await as("priya.raman", `/services/${service}/deploys`);
    const staging = environment(page, "Staging");
    await visible(staging.getByText("Runs now"));
    const before = (await staging.locator("span.font-mono.text-2xl").first().textContent())!.trim();
    const [major, minor] = before.split(".").map(Number);
    const version = `${major}.${minor! + 7}.0`;

    const res = await fetch(`${base}/api/v1/services/${service}/releases`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        version,
        image: `registry.harbourbank.example/${service}:${version}`,
        commitSha: "0badc0ffee1234567890",
        author: "priya.raman",
        changelog: "Rotate network token keys nightly.",
      }),
    });
    expect(res.status).toBe(201);
    const registered = (await res.json()) as { autoRollouts: string[] };
    expect(registered.autoRollouts).toHaveLength(1);

    // The Deploys tab, opened before the registration, learns about it from the release list once reloaded, then
    // follows the staging rollout live until staging runs the new version.
    await page.reload();
    await visible(page.getByRole("row").filter({ hasText: version }).filter({ hasText: "Rotate network token keys nightly." }));
    await visible(staging.locator("span.font-mono.text-2xl", { hasText: version }), 20_000);
    await visible(staging.getByRole("link", { name: /deployed by continuous delivery/ }));
    // The history, refreshed with the page when the rollout ended, says how it went.
    const row = page
      .getByRole("region", { name: "Deploy history" })
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: version, exact: true }) });
    await visible(row.getByText("Succeeded", { exact: true }));
    await shot(page, "1-staging-deploys-tab");
    // Production is untouched: it still needs a checkpoint.
    expect(await environment(page, "Production").locator("span.font-mono.text-2xl").first().textContent()).not.toBe(version);

    await staging.getByRole("link", { name: /deployed by continuous delivery/ }).click();
    await page.waitForURL(`**/rollouts/${registered.autoRollouts[0]}`);
    await visible(statusBanner(page).getByText(`${version} is live in Staging`));
    await visible(page.getByText("No checkpoint"));
    await shot(page, "1-staging-rollout");
  });

  it("takes a production rollout through four-eyes approval and streams it to success, recorded in the audit trail", async () => {
    const service = "card-api";
    const amara = await as("amara.okafor", `/services/${service}/deploys`);
    const production = environment(amara, "Production");
    const stagingVersion = (await environment(amara, "Staging").locator("span.font-mono.text-2xl").first().textContent())!.trim();
    const productionVersion = (await production.locator("span.font-mono.text-2xl").first().textContent())!.trim();
    expect(stagingVersion).not.toBe(productionVersion);
    await visible(production.getByText("Checkpoint · 1 approval"));

    await production.getByRole("button", { name: "Request rollout to Production" }).click();
    const dialog = amara.getByRole("dialog");
    await visible(dialog.getByText(`Deploy ${service} to Production`));
    await visible(dialog.getByText(/1 approval from someone other than you/));
    await dialog.locator(`input[type="radio"][value="${stagingVersion}"]`).check();
    // A production request says why: without a reason the dialog says so next to the field and sends nothing.
    await dialog.getByRole("button", { name: `Request ${stagingVersion}` }).click();
    await visible(dialog.getByText("Say why you want this in Production: the approvers decide on it, and it stays in the audit trail."));
    expect(await dialog.getByLabel(/Reason/).getAttribute("aria-invalid")).toBe("true");
    expect(amara.url()).toMatch(/\/deploys$/);
    await dialog.getByLabel(/Reason/).fill("Card freeze reasons for the app team.");
    await shot(amara, "2-request-dialog");
    await dialog.getByRole("button", { name: `Request ${stagingVersion}` }).click();
    await amara.waitForURL(/\/rollouts\/[0-9a-f-]{36}$/);
    const id = amara.url().split("/").at(-1)!;

    // The requester sees the checkpoint waiting, and why she cannot approve it herself.
    await visible(statusBanner(amara).getByText("Waiting for approval to deploy to Production"));
    await visible(amara.getByText("Four-eyes: you requested this rollout, so someone else must approve it."));
    // She is told whom to ask: the approvers for cards (and James, who approves for every squad), never herself.
    await visible(statusBanner(amara).getByText("Daniel Mensah, James O'Connor or Tom Hughes"));
    expect(await amara.getByText(/Can approve: .*Amara/).count()).toBe(0);
    // A fresh 72-hour checkpoint reads "2d 23h" (never "2d 24h").
    await visible(statusBanner(amara).getByText("expires in 2d 23h"));
    const approve = amara.getByRole("button", { name: "Approve" });
    expect(await approve.isDisabled()).toBe(true);
    await visible(amara.getByText("Nothing has changed in any cluster yet"));
    await shot(amara, "2-requester-waiting");
    // The server says the same to anyone trying around the page.
    const selfApproval = await api(amara, "POST", `/api/v1/rollouts/${id}/approve`, { comment: "looks fine to me" });
    expect(selfApproval.status).toBe(403);
    // Marks this document: a reload would lose it.
    await amara.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = "still here"));

    const tom = await as("tom.hughes", "/approvals");
    const waitingForYou = tom.getByRole("region", { name: /Waiting for you/ });
    const card = waitingForYou.getByRole("article").filter({ has: tom.getByRole("link", { name: `${service} ${stagingVersion} to production` }) });
    await visible(card);
    await visible(card.getByText("amara.okafor"));
    await visible(card.getByText("“Card freeze reasons for the app team.”"));
    await shot(tom, "2-approvals-inbox");
    await card.getByRole("button", { name: "Approve" }).click();
    // No comment, no decision.
    await visible(card.getByText("Say why: approvals and rejections carry a comment."));
    await card.getByLabel("Comment").fill("Staging green, changelog reviewed.");
    await card.getByRole("button", { name: "Approve" }).click();
    // The card leaves the inbox; a confirmation stays, with the way to watch the rollout.
    const confirmation = tom.getByRole("status").filter({ hasText: `You approved ${service} ${stagingVersion} to Production.` });
    await visible(confirmation);
    await visible(confirmation.getByText("It rolls out now."));
    expect(await confirmation.getByRole("link", { name: "Watch the rollout" }).getAttribute("href")).toBe(`/rollouts/${id}`);
    await visible(tom.getByText("Nothing waits for your approval").or(waitingForYou.getByRole("article")));
    expect(await card.count()).toBe(0);
    await shot(tom, "2-approved-confirmation");

    // The requester's page, never reloaded, follows the rollout to its end.
    const banner = statusBanner(amara);
    await visible(banner.getByText(`Rolling out ${stagingVersion} to Production`).or(banner.getByText(/new pods ready/)), 15_000);
    await visible(amara.getByRole("heading", { name: /Live rollout/ }));
    await shot(amara, "2-rollout-progressing");
    await visible(banner.getByText(`${stagingVersion} is live in Production`), 30_000);
    expect(await amara.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe("still here");
    await visible(amara.getByRole("complementary", { name: "Checkpoint" }).getByText("tom.hughes"));
    await visible(amara.getByText("“Staging green, changelog reviewed.”"));
    await shot(amara, "2-rollout-succeeded");

    // The audit trail: who asked, who approved with what comment, and how the rollout went.
    const events = await auditOf(amara, id);
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["rollout.request", "checkpoint.approve", "rollout.apply_started", "rollout.applied", "rollout.succeeded"]));
    expect(actions.indexOf("rollout.request")).toBeLessThan(actions.indexOf("checkpoint.approve"));
    expect(actions.indexOf("checkpoint.approve")).toBeLessThan(actions.indexOf("rollout.applied"));
    expect(actions.indexOf("rollout.applied")).toBeLessThan(actions.indexOf("rollout.succeeded"));
    expect(events.find((e) => e.action === "rollout.request")).toMatchObject({
      actorName: "amara.okafor",
      details: { version: stagingVersion, environment: "production" },
    });
    expect(events.find((e) => e.action === "checkpoint.approve")).toMatchObject({
      actorName: "tom.hughes",
      details: { comment: "Staging green, changelog reviewed." },
    });
    expect(events.find((e) => e.action === "rollout.applied")?.details.actingAs).toMatch(/^tom\.hughes/);

    // And people read it on the audit page.
    await amara.goto(`${base}/audit?targetType=rollout&target=${id}`);
    const rows = amara.getByRole("row");
    await visible(rows.filter({ hasText: "amara.okafor" }).filter({ hasText: "rollout.request" }));
    await visible(rows.filter({ hasText: "tom.hughes" }).filter({ hasText: "checkpoint.approve" }));
    await visible(rows.filter({ hasText: "rollout-controller" }).filter({ hasText: "rollout.succeeded" }));
    await shot(amara, "2-audit");
  });

  it("shows why a crash-looping release failed and rolls it back in one click", async () => {
    // Right after the first seed the demo's CI registers an email-sender release whose pods crash-loop in staging.
    const service = "email-sender";
    const ben = await as("ben.carter", `/services/${service}/deploys`);
    const staging = environment(ben, "Staging");
    const failed = staging.getByRole("link", { name: /Last rollout failed/ });
    // The failure may still be on its way when this test starts: then the rollout is in flight in staging, and the
    // card turns into the failure by itself when it ends.
    const inFlight = staging.getByRole("link", { name: /Rolling out/ });
    await visible(failed.or(inFlight));
    await visible(failed, 45_000);
    await visible(failed.getByText(/New pods cannot start/));
    await visible(
      ben.getByRole("region", { name: "Deploy history" }).getByRole("row").filter({ hasText: "New pods cannot start" }).getByText("Failed", { exact: true }),
    );
    await shot(ben, "3-deploys-failed");
    await bothWidths(ben, "deploys-failed");
    await failed.click();
    await ben.waitForURL(/\/rollouts\//);

    const banner = statusBanner(ben);
    await visible(banner.getByText(/Rollout of .* to Staging failed/), 45_000);
    await visible(banner.getByText(/New pods cannot start: .* is CrashLoopBackOff/));
    // Beside the reason, what the crashed container wrote before it died (its previous container, from the pod).
    const lastWords = banner.getByRole("region", { name: /Last lines of .*previous container/ });
    await visible(lastWords, 30_000);
    expect(await lastWords.innerText()).toMatch(/FATAL|Error|exception/i);
    const failedVersion = (await ben.locator("h1 span.font-mono").first().textContent())!.trim();
    await shot(ben, "3-rollout-failed");
    await bothWidths(ben, "rollout-failed");

    // The failure's page leads with one action: roll back (to what ran before, never the failed release).
    const rollBack = banner.getByRole("button", { name: /^Roll back to / });
    const previous = ((await rollBack.textContent()) ?? "").replace(/^.*Roll back to\s*/, "").trim();
    expect(previous).not.toBe(failedVersion);

    // The catalogue and the service's overview say it is failing, not "rolling out".
    await ben.goto(`${base}/?q=${service}`);
    const chip = ben.getByRole("row").filter({ hasText: service }).locator('li[data-environment="staging"]').first();
    await visible(chip);
    expect(await chip.getAttribute("aria-label")).toMatch(/, failing \(The last rollout, of .* failed\)$/);
    expect(await chip.getAttribute("aria-label")).not.toMatch(/rolling out/);
    await shot(ben, "3-catalogue-failing");
    await bothWidths(ben, "catalogue-failing");
    // The catalogue points at it, and lists what is unhealthy now, filtered on the server.
    await ben.goto(`${base}/`);
    await ben.getByRole("link", { name: "Show services unhealthy now" }).click();
    await ben.waitForURL(/\?health=unhealthy$/);
    await visible(ben.getByRole("heading", { name: "Unhealthy now" }));
    await visible(ben.getByRole("row").filter({ has: ben.getByRole("link", { name: service, exact: true }) }));
    expect(await ben.getByRole("link", { name: "card-api", exact: true }).count()).toBe(0);
    await shot(ben, "3-catalogue-unhealthy");
    await bothWidths(ben, "catalogue-unhealthy-failing");
    await ben.goto(`${base}/services/${service}`);
    await visible(ben.getByRole("definition").filter({ hasText: "Failing" }));

    // The Deploys tab offers the same way back: the last good release, and nothing that never ran well there.
    await ben.goto(`${base}/services/${service}/deploys`);
    const tabRollBack = staging.getByRole("button", { name: /^Roll back to / });
    await visible(tabRollBack);
    expect(((await tabRollBack.textContent()) ?? "").replace(/^.*Roll back to\s*/, "").trim()).toBe(previous);
    await tabRollBack.click();
    const dialog = ben.getByRole("dialog");
    await visible(dialog.getByText(`Roll back ${service} in`));
    const offered = await dialog.locator("option").allTextContents();
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.some((o) => o.startsWith(failedVersion))).toBe(false);
    expect(await dialog.getByRole("combobox").inputValue()).toBe(previous);
    await shot(ben, "3-rollback-dialog");
    await bothWidths(ben, "deploys-rollback-dialog");
    await dialog.getByRole("button", { name: `Roll back to ${previous}` }).click();

    await ben.waitForURL((url) => url.pathname.startsWith("/rollouts/"));
    await visible(statusBanner(ben).getByText(`Rolled back: ${previous} runs in Staging again`), 30_000);
    await shot(ben, "3-rolled-back");

    await ben.goto(`${base}/services/${service}/deploys`);
    await visible(staging.locator("span.font-mono.text-2xl", { hasText: previous }));
    expect(await staging.getByRole("link", { name: /Last rollout failed/ }).count()).toBe(0);
    await shot(ben, "3-deploys-after-rollback");
  });

  it("pauses an Argo canary at its step until a promotion is approved, then carries on to the end", async () => {
    // The demo's CI registered a card-processing release; its staging canary stops at step 2 (pause {}).
    const service = "card-processing";
    const tom = await as("tom.hughes", `/services/${service}/deploys`);
    const inFlight = environment(tom, "Staging").getByRole("link", { name: /Rolling out/ });
    await visible(inFlight, 20_000);
    await inFlight.click();
    await tom.waitForURL(/\/rollouts\//);

    const banner = statusBanner(tom);
    await visible(banner.getByText("Canary paused: waiting for promotion"), 30_000);
    const meter = tom.getByRole("meter", { name: "Traffic to the canary" });
    await visible(meter);
    expect(await meter.getAttribute("aria-valuenow")).toBe("20");
    await visible(tom.getByText(/Paused at step 2/));
    // One thing to do: decide the promotion. No "No checkpoint" beside the promotion's approvals, and abort or full
    // promotion wait behind "More actions".
    await visible(banner.getByRole("link", { name: "Decide the promotion" }));
    expect(await tom.getByText("No checkpoint").count()).toBe(0);
    expect(await tom.getByRole("button", { name: "Abort canary" }).isVisible()).toBe(false);
    await banner.getByRole("button", { name: "More actions" }).click();
    await visible(tom.getByRole("button", { name: "Abort canary" }));
    await banner.getByRole("button", { name: "More actions" }).click();
    await shot(tom, "4-canary-paused");
    await bothWidths(tom, "rollout-canary-paused");

    // It stays there: nothing moves without a person's approval.
    await tom.waitForTimeout(3_000);
    expect(await meter.getAttribute("aria-valuenow")).toBe("20");
    await visible(banner.getByText("Canary paused: waiting for promotion"));

    const promotion = tom.locator("div", { hasText: /^Waiting for promotion to the next step/ }).last();
    await visible(promotion);
    await promotion.getByLabel("Comment").fill("Error rate flat at 20%.");
    await promotion.getByRole("button", { name: "Approve" }).click();

    // The canary goes on to 50%, then waits out its timed pause (no person needed), then takes the whole fleet.
    await tom.waitForFunction(
      () => document.querySelector('[role="meter"][aria-label="Traffic to the canary"]')?.getAttribute("aria-valuenow") === "50",
      undefined,
      { timeout: 15_000 },
    );
    await visible(banner.getByText(/Rolling out .* to Staging/));
    await visible(tom.locator('li[aria-current="step"]', { hasText: "Pause 30s" }), 15_000);
    await tom.waitForTimeout(3_000);
    await visible(banner.getByText(/Rolling out .* to Staging/));
    expect(await tom.getByText("Waiting for promotion to the next step").count()).toBe(0);
    await visible(tom.getByText(/Paused at step 4 for 30s: it carries on by itself/));
    await shot(tom, "4-canary-timed-pause");
    await visible(banner.getByText(/ is live in Staging$/), 60_000);
    await visible(tom.getByText("“Error rate flat at 20%.”"));
    await shot(tom, "4-canary-succeeded");

    const id = tom.url().split("/").at(-1)!;
    const rollout = await api(tom, "GET", `/api/v1/rollouts/${id}`);
    expect(rollout.body.checkpoints.map((c: { kind: string; stepIndex: number; state: string }) => `${c.kind} ${c.stepIndex} ${c.state}`)).toEqual([
      "promote 1 approved",
    ]);
    const events = await auditOf(tom, id);
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["checkpoint.open", "checkpoint.approve", "rollout.promoted", "rollout.succeeded"]));
    expect(events.find((e) => e.action === "checkpoint.approve")).toMatchObject({ actorName: "tom.hughes", details: { checkpoint: "promote" } });
  }, 120_000);
});
