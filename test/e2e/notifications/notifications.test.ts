import { beforeAll, describe, expect, inject, it } from "vitest";
import { demoSignIn, pageApi, useBrowser } from "../../fixtures/browser";

/**
 * On the embedded default the notification worker posts to a loopback Slack: when a production checkpoint opens, an
 * approver of the owning squad finds the message, with them mentioned, on the Slack view, and its button opens the
 * checkpoint. An admin sees the delivery in the log. Works on apns (the notifications squad), which no other e2e
 * file touches.
 */
describe("notifications on the embedded default", () => {
  const browser = useBrowser();
  let base: string;
  beforeAll(() => {
    base = inject("embeddedUrl");
  });
  const as = async (person: string, path: string) => {
    const page = await browser.newPage();
    await demoSignIn(page, base, person, path);
    return page;
  };

  it("shows the squad's approver the checkpoint message in Slack, with a working link, and the admin its delivery", async () => {
    const service = "apns";
    const version = `9.${Date.now() % 1000}.0`;
    const admin = await as("aisha.bello", "/");
    const token = await pageApi(admin, "POST", "/api/v1/tokens", {
      name: "ci notifications e2e",
      scopes: ["releases:write"],
      team: "notifications",
      expiresInDays: 1,
    });
    expect(token.status).toBe(201);
    const registered = await fetch(`${base}/api/v1/services/${service}/releases`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.body.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        version,
        image: `registry.harbourbank.example/${service}:${version}`,
        commitSha: "0badc0ffee1234567890",
        author: "hannah.kowalski",
      }),
    });
    expect(registered.status).toBe(201);

    const hannah = await as("hannah.kowalski", `/services/${service}/deploys`);
    const requested = await pageApi(hannah, "POST", "/api/v1/rollouts", { service, environment: "production", version, reason: "APNs certificate rotation" });
    expect(requested.status).toBe(201);
    const rolloutId = requested.body.id as string;

    // The worker posts within a second or two; the delivery log says when.
    const summary = `${service} ${version} to production awaits approval`;
    await expect
      .poll(
        async () => {
          const log = await pageApi(admin, "GET", "/api/v1/notifications/deliveries?limit=50");
          return (log.body.deliveries as Array<{ summary: string; state: string }>).some((d) => d.summary.includes(summary) && d.state === "delivered");
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(true);
    const ravi = await as("ravi.patel", "/notifications/slack");
    const message = ravi.getByRole("article").filter({ hasText: summary });
    await message.first().waitFor({ state: "visible" });
    await expect(message.getByText("#squad-notifications").count()).resolves.toBeGreaterThan(0);
    await expect(message.getByText("mentions you").count()).resolves.toBe(1);
    await expect(message.getByText(/@Ravi Patel/).count()).resolves.toBeGreaterThan(0);
    // The link is SLIPWAY_PUBLIC_URL's (here http://localhost:<port>), as Slack would have it: followed in a browser
    // not yet signed in there, it asks who you are and then opens the checkpoint.
    const link = message.getByRole("link", { name: "Review checkpoint" });
    expect(new URL((await link.getAttribute("href"))!).pathname).toBe(`/rollouts/${rolloutId}`);
    await link.click();
    await ravi.waitForURL((url) => url.pathname === `/rollouts/${rolloutId}` || url.pathname === "/signin");
    if (new URL(ravi.url()).pathname === "/signin") {
      await ravi.locator(`form:has(input[name="person"][value="ravi.patel"]) button`).first().click();
      await ravi.waitForURL(`**/rollouts/${rolloutId}`);
    }
    await ravi.getByText("APNs certificate rotation").first().waitFor({ state: "visible" });

    await admin.goto(`${base}/notifications`);
    const row = admin.getByRole("row").filter({ hasText: summary });
    await row.first().waitFor({ state: "visible" });
    await expect(row.getByText("delivered").count()).resolves.toBe(1);
    await expect(row.getByRole("button", { name: "Resend" }).count()).resolves.toBe(1);
    for (const page of [admin, hannah, ravi]) await page.close();
  });
});
