import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";

/**
 * The `slipway` command as CI runs it: the real bin (linked onto PATH as npm links it) in a child process, against
 * the embedded default Slipway with its simulated staging and production clusters. Works on `statements` (squad
 * accounts), which no other end-to-end test touches.
 */
const root = process.cwd();
const service = "statements";

/** A demo session, as a script gets one: cookie header and CSRF token. */
async function signIn(base: string, person: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/auth/demo`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ person }) });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  return { cookie, csrf: /slipway_csrf=([^;]+)/.exec(cookie)![1]! };
}

async function asPerson(base: string, session: { cookie: string; csrf: string }, method: string, url: string, body: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

type Run = { code: number | null; stdout: string; stderr: string };

describe("slipway, the CLI for CI", () => {
  let base: string;
  let binDir: string;
  let squadToken: string;
  let personalToken: string;
  const version = `9.${Date.now() % 1_000_000}.0`;

  /** Runs a command line through bash with the linked bin on PATH, as a CI step does. */
  const sh = (script: string, env: Record<string, string>, onStderr?: (text: string) => void): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn("bash", ["-c", script], {
        cwd: os.tmpdir(),
        env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}`, SLIPWAY_URL: base, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        onStderr?.(stderr);
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    base = inject("embeddedUrl");
    // npm links a package's bin as a symlink in node_modules/.bin; do the same onto a PATH of our own.
    binDir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-cli-bin-"));
    fs.symlinkSync(path.join(root, "bin/slipway.mjs"), path.join(binDir, "slipway"));

    const admin = await signIn(base, "aisha.bello");
    const squad = await asPerson(base, admin, "POST", "/api/v1/tokens", {
      name: "ci accounts cli e2e",
      scopes: ["releases:write"],
      team: "accounts",
      expiresInDays: 1,
    });
    expect(squad.status, JSON.stringify(squad.body)).toBe(201);
    squadToken = squad.body.token as string;
    const sofia = await signIn(base, "sofia.rossi");
    const personal = await asPerson(base, sofia, "POST", "/api/v1/tokens", { name: "sofia cli e2e", scopes: ["releases:write"], expiresInDays: 1 });
    expect(personal.status, JSON.stringify(personal.body)).toBe(201);
    personalToken = personal.body.token as string;
  });

  it("is `npx slipway` in this repository", () => {
    const result = spawnSync("npx", ["--no-install", "slipway", "--version"], { cwd: root, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^slipway \d+\.\d+\.\d+$/);
  });

  it("registers a release with a squad token in a CI script and waits for staging to run it: exit 0", async () => {
    const script = [
      "set -euo pipefail",
      "slipway whoami",
      `slipway release register --service ${service} --version ${version} --image registry.harbourbank.example/${service}:${version} \\`,
      `  --commit 0badc0ffee1234567890 --changelog "Statements list interest separately."`,
      `slipway rollout status --service ${service} --environment staging --version ${version} --wait --timeout 3m`,
      `echo "staging runs ${version}"`,
    ].join("\n");
    const result = await sh(script, { SLIPWAY_TOKEN: squadToken });
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout.trim().split("\n");
    expect(out[0]).toBe(`Token "ci accounts cli e2e" of accounts (scopes: releases:write) at ${base}`);
    expect(out[1]).toBe(`Registered ${service} ${version} (registry.harbourbank.example/${service}:${version}).`);
    expect(out[2]).toMatch(
      new RegExp(`^staging: rollout [0-9a-f-]{36} (approved|applying|progressing); follow it with: slipway rollout status [0-9a-f-]{36} --wait$`),
    );
    expect(out[3]).toMatch(new RegExp(`^${service} ${version.replace(/\./g, "\\.")} is live in staging in \\d+s\\.$`));
    expect(out[4]).toBe(`staging runs ${version}`);
    // Not a terminal: progress is plain, timestamped lines a CI log keeps, ending with the success.
    const progress = result.stderr.trim().split("\n");
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress)
      expect(line).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ${service} ${version.replace(/\./g, "\\.")} to staging: `));
    expect(progress.at(-1)).toMatch(/: succeeded$/);
    expect(result.stderr).not.toContain("\x1b[");

    // Registering the same build again changes nothing and starts nothing.
    const again = await sh(
      `slipway release register --service ${service} --version ${version} --image registry.harbourbank.example/${service}:${version} --commit 0badc0ffee1234567890 --json`,
      { SLIPWAY_TOKEN: squadToken },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, autoRollouts: [], release: { version } });
  });

  it("fails a production request with a squad token in one line and exit 1, naming who may ask", async () => {
    const result = await sh(`slipway rollout request --service ${service} --environment production --version ${version} --reason "Ship it"`, {
      SLIPWAY_TOKEN: squadToken,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^slipway: Forbidden \(HTTP 403\): A production rollout is requested by a person \(signed in, or with a personal token\)[^\n]*\n$/,
    );

    const typo = await sh(`slipway rollout status --service ${service} --wiat`, { SLIPWAY_TOKEN: squadToken });
    expect(typo).toMatchObject({
      code: 2,
      stdout: "",
      stderr: 'slipway: unknown option --wiat for "slipway rollout status" (see slipway rollout status --help)\n',
    });

    const badToken = await sh("slipway whoami", { SLIPWAY_TOKEN: "slw_not_a_real_token" });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(/^slipway: Unauthorized \(HTTP 401\): [^\n]+\n$/);
  });

  it("requests production with a personal token, times out waiting (exit 7), and exits 5 when an approver rejects it", async () => {
    const requested = await sh(
      `slipway rollout request --service ${service} --environment production --version ${version} --reason "Interest shown separately on statements." --json`,
      { SLIPWAY_TOKEN: personalToken },
    );
    expect(requested.code, requested.stderr).toBe(0);
    const rollout = JSON.parse(requested.stdout) as { id: string; state: string; requestedBy: string };
    // A personal token acts for the person who created it.
    expect(rollout).toMatchObject({ state: "awaiting_approval", requestedBy: expect.stringContaining("sofia.rossi") });

    const impatient = await sh(`slipway rollout status ${rollout.id} --wait --timeout 2s`, { SLIPWAY_TOKEN: personalToken });
    expect(impatient.code).toBe(7);
    expect(impatient.stderr.trim().split("\n").at(-1)).toBe(
      `slipway: timed out after 2s: ${service} ${version} to production: awaiting approval, waiting for approval (0 of 1) (rollout ${rollout.id})`,
    );

    // A CI job waits for the decision; the approver rejects it in the meantime.
    let waiting!: () => void;
    const isWaiting = new Promise<void>((resolve) => (waiting = resolve));
    const waiter = sh(`slipway rollout status ${rollout.id} --wait`, { SLIPWAY_TOKEN: personalToken }, (text) => {
      if (text.includes("waiting for approval")) waiting();
    });
    await isWaiting;
    const jack = await signIn(base, "jack.thompson");
    const rejected = await asPerson(base, jack, "POST", `/api/v1/rollouts/${rollout.id}/reject`, { comment: "Not during statement generation." });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    const result = await waiter;
    expect(result.code).toBe(5);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      `slipway: ${service} ${version} to production was rejected by jack.thompson: Not during statement generation.`,
    );
  });
});
