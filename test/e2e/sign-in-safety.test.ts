import { describe, expect, inject, it } from "vitest";

/** A demo session's cookie on the embedded default, as a script would get it. */
async function demoCookie(base: string, person: string): Promise<string> {
  const body = JSON.stringify({ person, returnTo: "/" });
  const res = await fetch(`${base}/api/auth/demo`, { method: "POST", headers: { "content-type": "application/json" }, body });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

const page = (base: string, path: string, cookie?: string) =>
  fetch(`${base}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} }).then(async (r) => ({ status: r.status, html: await r.text() }));

describe("what the sign-in and rollout pages show", () => {
  it("sends a signed-in person back only to a page of Slipway, however returnTo is disguised", async () => {
    const base = inject("embeddedUrl");
    const cookie = await demoCookie(base, "amara.okafor");
    for (const disguised of ["/..//evil.example/x", "/%2e%2e//evil.example/x", "/.%2F/evil.example/x"]) {
      const { html } = await page(base, `/signin?returnTo=${encodeURIComponent(disguised)}`, cookie);
      expect(html, disguised).toContain("You are signed in as");
      expect(html, disguised).not.toMatch(/href="[^"]*evil\.example/);
    }
  });

  it("shows Slipway's own words for a sign-in error, never text from the link", async () => {
    const base = inject("embeddedUrl");
    const crafted = await page(base, `/signin?error=${encodeURIComponent("Your account is locked. Call 0800 123 456")}`);
    expect(crafted.html).not.toContain("0800 123 456");
    expect(crafted.html).toContain("Sign-in failed. Try again.");
    const known = await page(base, "/signin?error=expired");
    expect(known.html).toContain("This sign-in has expired. Start again.");
  });

  it("names a rollout's service and version in the title only for a signed-in person", async () => {
    const base = inject("embeddedUrl");
    const cookie = await demoCookie(base, "amara.okafor");
    const list = await fetch(`${base}/api/v1/rollouts?limit=1`, { headers: { cookie } });
    const rollout = ((await list.json()) as { items: Array<{ id: string; service: string }> }).items[0]!;
    const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";

    const stranger = await page(base, `/rollouts/${rollout.id}`, "slipway_session=anything-at-all-0123456789");
    expect(title(stranger.html)).not.toContain(rollout.service);
    const signedIn = await page(base, `/rollouts/${rollout.id}`, cookie);
    expect(title(signedIn.html)).toContain(rollout.service);
  });
});
