import fs from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { demoSignIn, pageApi, useBrowser } from "../fixtures/browser";

/**
 * The release screens as a first-time user meets them, at a desktop width and a phone width, for people to look
 * at (/tmp/shots-ui). Each view also checks the one thing it must say, so a broken screen fails here too.
 */
describe("release screens at 1440 and 390 px", () => {
  const browser = useBrowser();
  const dir = "/tmp/shots-ui";
  let base: string;
  beforeAll(() => {
    base = inject("embeddedUrl");
    fs.mkdirSync(dir, { recursive: true });
  });

  const widths = [1440, 390] as const;
  const shot = (page: Page, name: string, width: number) => page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  const as = async (person: string, path: string, width: number) => {
    const page = await browser.newPage({ width, height: width > 500 ? 900 : 844 });
    await demoSignIn(page, base, person, path);
    return page;
  };
  const visible = (page: Page, text: string | RegExp, timeout = 20_000) => page.getByText(text).first().waitFor({ state: "visible", timeout });

  it("a production checkpoint: the requester's page, the approver's page and the inbox confirmation", async () => {
    const service = "three-ds-challenge";
    const amara = await as("amara.okafor", `/services/${service}/deploys`, 1440);
    const status = await pageApi(amara, "GET", `/api/v1/services/${service}/deploys`);
    expect(status.status).toBe(200);
    const staging = (status.body.environments as Array<{ environment: string; running: { version: string } | null }>).find((e) => e.environment === "staging")!;
    const created = await pageApi(amara, "POST", "/api/v1/rollouts", {
      service,
      environment: "production",
      version: staging.running!.version,
      reason: "3DS challenge copy update.",
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const width of widths) {
      const page = width === 1440 ? amara : await as("amara.okafor", `/rollouts/${id}`, width);
      await page.goto(`${base}/rollouts/${id}`);
      await visible(page, /Can approve:/);
      await visible(page, /expires in 2d 23h/);
      await shot(page, "rollout-requester-waiting", width);
      const tom = await as("tom.hughes", `/rollouts/${id}`, width);
      await tom.getByRole("link", { name: "Review and decide" }).waitFor({ state: "visible", timeout: 20_000 });
      await shot(tom, "rollout-approver-waiting", width);
      await tom.goto(`${base}/approvals`);
      await shot(tom, "approvals-inbox", width);
      await tom.close();
    }
    await amara.goto(`${base}/services/${service}/deploys`);
    await shot(amara, "deploys-checkpoint-waiting", 1440);
    const tom = await as("tom.hughes", "/approvals", 390);
    const card = tom.getByRole("article").filter({ has: tom.getByRole("link", { name: new RegExp(`^${service} `) }) });
    await card.getByLabel("Comment").fill("Copy change only, staging green.");
    await card.getByRole("button", { name: "Approve" }).click();
    await visible(tom, `You approved ${service} ${staging.running!.version} to Production.`);
    await shot(tom, "approvals-confirmation", 390);
  }, 120_000);

  it("the catalogue, the deploys tab and a failed or canary rollout", async () => {
    for (const width of widths) {
      const ben = await as("ben.carter", "/", width);
      await shot(ben, "catalogue", width);
      await ben.goto(`${base}/?health=unhealthy`);
      await visible(ben, "Unhealthy now");
      await shot(ben, "catalogue-unhealthy", width);
      await ben.goto(`${base}/services/email-sender/deploys`);
      await visible(ben, "Runs now");
      await shot(ben, "deploys-email-sender", width);
      const failed = ben.getByRole("link", { name: /Last rollout failed/ });
      if (await failed.count()) {
        await failed.first().click();
        await ben.waitForURL(/\/rollouts\//);
        await visible(ben, /failed/);
        await shot(ben, "rollout-failed", width);
      }
      const tom = await as("tom.hughes", "/services/card-processing/deploys", width);
      await visible(tom, "Runs now");
      await shot(tom, "deploys-card-processing", width);
      const inFlight = tom.getByRole("link", { name: /Rolling out/ });
      if (await inFlight.count()) {
        await inFlight.first().click();
        await tom.waitForURL(/\/rollouts\//);
        await tom.waitForTimeout(2_000);
        await shot(tom, "rollout-canary", width);
      }
      await ben.close();
      await tom.close();
    }
  }, 120_000);
});
