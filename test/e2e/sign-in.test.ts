import { describe, expect, inject, it } from "vitest";
import { demoSignIn, useBrowser } from "../fixtures/browser";

describe("signing in", () => {
  const browser = useBrowser();

  it("signs in through the OpenID provider (code + PKCE), links the person by email and maps groups to roles", async () => {
    const sso = inject("ssoUrl");
    const page = await browser.newPage();
    await page.goto(`${sso}/teams`);
    // Not signed in: the sign-in page, offering single sign-on and no demo people.
    await page.waitForURL(/\/signin/);
    expect(await page.locator('input[name="person"]').count()).toBe(0);
    await page.getByRole("link", { name: /single sign-on/i }).click();

    // The provider's own login and consent forms.
    await page.waitForURL((url) => url.port !== new URL(sso).port);
    await page.fill('input[name="login"]', "tom.hughes");
    await page.fill('input[name="password"]', "any-password");
    await page.click('button[type="submit"]');
    await page.click('button[type="submit"]:has-text("Continue")');

    await page.waitForURL(`${sso}/teams`);
    const me = await page.evaluate(async () => (await fetch("/api/v1/me")).json());
    expect(me).toMatchObject({ kind: "person", name: "tom.hughes", email: "tom.hughes@harbourbank.example", signInMethod: "oidc" });
    expect(me.roles).toEqual(expect.arrayContaining(["viewer", "engineer", "approver"]));
    expect(me.roles).not.toContain("admin");
    expect(me.approverTeams).toEqual(["cards"]);
    expect(me.teams).toContain("cards");

    const audit = await page.evaluate(async () => (await fetch("/api/v1/audit?action=auth.sign_in")).json());
    expect(audit.items[0]).toMatchObject({ actorType: "system", targetId: "tom.hughes", details: { method: "oidc" } });
  });

  it("has no demo sign-in when single sign-on is configured", async () => {
    const sso = inject("ssoUrl");
    const res = await fetch(`${sso}/api/auth/demo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ person: "aisha.bello" }),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("lets anyone become a demo person on the embedded default, and sign out again", async () => {
    const base = inject("embeddedUrl");
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/signin/);
    await page.getByText("Demo mode: anyone can become anyone.").waitFor();
    await demoSignIn(page, base, "amara.okafor", "/");
    const me = await page.evaluate(async () => (await fetch("/api/v1/me")).json());
    expect(me).toMatchObject({ name: "amara.okafor", signInMethod: "demo", teams: ["cards"] });

    // The header shows who is signed in; signing out from its menu ends the session.
    const account = page.getByRole("button", { name: /^Account menu for / });
    await account.click();
    await page
      .getByRole("menuitem", { name: "Sign out" })
      .or(page.getByRole("button", { name: "Sign out" }))
      .first()
      .click();
    await page.waitForURL(/\/signin/);
    expect(await page.evaluate(async () => (await fetch("/api/v1/me")).status)).toBe(401);
    await page.goto(`${base}/teams`);
    await page.waitForURL(/\/signin\?returnTo=%2Fteams/);
  });

  it("sends security headers with every page", async () => {
    const base = inject("embeddedUrl");
    const res = await fetch(`${base}/signin`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });
});
