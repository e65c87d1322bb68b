import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim, type KubeSim } from "../../server/demo/kube-sim";
import { demoSignIn, useBrowser } from "../fixtures/browser";
import { overflowingElements } from "../fixtures/overflow";
import { startSlipway, type RunningSlipway } from "../fixtures/slipway-server";

const run = promisify(execFile);
const shots = "/tmp/e2e-shots";

/** Whether a working kubectl is on PATH (then the image is changed the way an engineer would). */
async function kubectlWorks(): Promise<boolean> {
  try {
    await run("kubectl", ["version", "--client"], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

type PageState = {
  running: string | null;
  target: string | null;
  counters: Record<string, number>;
  state: string | null;
  status: string;
  replicaSets: Array<{ name: string; revision: string | null; tag: string; ready: number; desired: number }>;
  pods: Array<{ name: string; status: string; ready: string }>;
};

/** What the Runtime tab shows for one workload of one cluster, read from the page as a person sees it. */
async function readWorkload(page: Page, cluster: string, workload: string): Promise<PageState | null> {
  return page.evaluate(
    ({ cluster, workload }) => {
      const panel = document.querySelector(`section[aria-label="Cluster ${cluster}"]`);
      const article = panel?.querySelector(`article[aria-label="${workload}"]`);
      if (!article) return null;
      const label = (prefix: string) =>
        article
          .querySelector(`[aria-label^="${prefix} "]`)
          ?.getAttribute("aria-label")
          ?.slice(prefix.length + 1)
          .split(",")[0] ?? null;
      const counters: Record<string, number> = {};
      for (const cell of article.querySelectorAll('dl[aria-label="Replicas"] [data-counter]')) {
        counters[cell.getAttribute("data-counter")!] = Number(cell.querySelector("dd")?.textContent?.trim());
      }
      const statusLine = article.querySelector("p[data-state]");
      const replicaSets = [...article.querySelectorAll('ul[aria-label="ReplicaSets"] > li')].map((li) => {
        const spans = li.querySelectorAll(":scope > span");
        const [ready, desired] = (spans[3]?.textContent ?? "0/0").split("/").map(Number);
        return {
          name: li.getAttribute("data-replicaset") ?? "",
          revision: li.getAttribute("data-revision"),
          tag: spans[1]?.firstChild?.textContent?.trim() ?? "",
          ready: ready!,
          desired: desired!,
        };
      });
      const pods = [...article.querySelectorAll('table[aria-label="Pods"] tbody tr')].map((tr) => {
        const cells = [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "");
        return { name: cells[0]!, status: cells[1]!, ready: cells[2]! };
      });
      return {
        running: label("Running"),
        target: label("Rolling out"),
        counters,
        state: statusLine?.getAttribute("data-state") ?? null,
        status: statusLine?.textContent ?? "",
        replicaSets,
        pods,
      };
    },
    { cluster, workload },
  );
}

/**
 * The Runtime tab against a real Slipway: one cluster is a Kubernetes API simulator in this process (real clock),
 * the other an address nothing listens on. What the page shows is compared with what the simulator holds, and a
 * change made outside Slipway (kubectl) must reach the open page by itself.
 */
describe("runtime tab", () => {
  const browser = useBrowser();
  let sim: KubeSim;
  let slipway: RunningSlipway;
  const image = (v: string) => `registry.harbourbank.example/card-api:${v}`;

  const simGet = async <T>(url: string): Promise<T> => {
    const res = await fetch(`${sim.url}${url}`, { headers: { authorization: `Bearer ${sim.adminToken}` } });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return (await res.json()) as T;
  };
  type Pod = { metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string } };
  const simPods = async () =>
    (await simGet<{ items: Pod[] }>("/api/v1/namespaces/cards/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dcard-api")).items
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name)
      .sort();

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    sim = await startKubeSim({
      clock: "real",
      clusterName: "prod-eu",
      podReadyDelayMs: 1_200,
      podTerminationDelayMs: 400,
      // kubectl sends no bearer token to a plain-HTTP server: such requests act as the admin, as `npm run kube-sim` does.
      anonymous: { user: "kubernetes-admin", groups: ["system:masters"] },
    });
    await sim.seedWorkloads([
      { namespace: "cards", name: "card-api", image: image("1.4.0"), replicas: 3, labels: { "backstage.io/kubernetes-id": "card-api" } },
    ]);
    const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "slipway-runtime-")), "slipway.config.yaml");
    fs.writeFileSync(
      configFile,
      `environments:
  - name: production
    title: Production
    production: true
namespaceOwners:
  cards: [cards]
clusters:
  - name: prod-eu
    environment: production
    connection: { server: "${sim.url}", token: "${sim.adminToken}", insecureSkipTlsVerify: true }
  - name: prod-us
    environment: production
    timeoutSeconds: 2
    connection: { server: "http://127.0.0.1:1", token: "nobody-listens", insecureSkipTlsVerify: true }
`,
    );
    // The embedded database (PGlite in its own data directory) with the demo catalogue and demo sign-in.
    slipway = await startSlipway({ SLIPWAY_DEMO: "on", SLIPWAY_CONFIG: configFile });
  });

  afterAll(async () => {
    await slipway?.stop();
    await sim?.stop();
  });

  it("shows version, replicas, rollout status, ReplicaSets and pods, and a cluster that is down in its own panel", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, slipway.url, "amara.okafor", "/services/card-api/runtime");
    await page.waitForURL(/\/services\/card-api\/runtime$/);
    await page.getByRole("heading", { name: /Production/ }).waitFor();

    const eu = page.locator('section[aria-label="Cluster prod-eu"]');
    const us = page.locator('section[aria-label="Cluster prod-us"]');
    await eu.locator('article[aria-label="Deployment card-api"]').waitFor();

    const shown = (await readWorkload(page, "prod-eu", "Deployment card-api"))!;
    expect(shown.running).toBe("1.4.0");
    expect(shown.target).toBeNull();
    expect(shown.counters).toEqual({ desired: 3, updated: 3, ready: 3, available: 3 });
    expect(shown.state).toBe("complete");
    expect(shown.status).toContain('deployment "card-api" successfully rolled out');
    expect(shown.replicaSets).toHaveLength(1);
    expect(shown.replicaSets[0]).toMatchObject({ revision: "1", tag: "1.4.0", ready: 3, desired: 3 });
    // The pods are the simulator's pods, all running and ready.
    expect(shown.pods.map((p) => p.name).sort()).toEqual(await simPods());
    expect(shown.pods.every((p) => p.status === "Running" && p.ready === "1/1")).toBe(true);

    // The unreachable cluster: its error in its own panel, no workloads there; the other panel is unaffected.
    const alert = us.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/prod-us/);
    expect(await us.locator("article").count()).toBe(0);
    expect(await eu.getByRole("alert").count()).toBe(0);
    await page.getByText("Live", { exact: true }).waitFor();

    await page.screenshot({ path: `${shots}/runtime-desktop.png`, fullPage: true });
    expect(await overflowingElements(page)).toEqual([]);
  });

  it("follows an image change made outside Slipway, without a reload, until the rollout completes", async () => {
    const page = await browser.newPage();
    await demoSignIn(page, slipway.url, "amara.okafor", "/services/card-api/runtime");
    const workload = page.locator('section[aria-label="Cluster prod-eu"] article[aria-label="Deployment card-api"]');
    await workload.waitFor();
    await page.getByText("Live", { exact: true }).waitFor();
    const before = (await readWorkload(page, "prod-eu", "Deployment card-api"))!;
    expect(before.state).toBe("complete");
    const oldPods = new Set(before.pods.map((p) => p.name));
    let navigations = 0;
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // The change, as an engineer would make it (the clock starts when it is made, not when kubectl starts up).
    if (await kubectlWorks()) {
      const { stdout } = await run(
        "kubectl",
        ["--server", sim.url, "--insecure-skip-tls-verify", "-n", "cards", "set", "image", "deployment/card-api", `app=${image("1.5.0")}`],
        { env: { ...process.env, KUBECONFIG: "/dev/null" }, timeout: 20_000 },
      );
      expect(stdout).toContain("image updated");
    } else {
      const res = await fetch(`${sim.url}/apis/apps/v1/namespaces/cards/deployments/card-api`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${sim.adminToken}`, "content-type": "application/strategic-merge-patch+json" },
        body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: "app", image: image("1.5.0") }] } } } }),
      });
      expect(res.status).toBe(200);
    }
    const changed = Date.now();

    // The open page learns of it within about a second: a new ReplicaSet running the new version.
    const seen: PageState[] = [];
    let noticedAfter = -1;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = await readWorkload(page, "prod-eu", "Deployment card-api");
      if (state) seen.push(state);
      if (noticedAfter < 0 && state?.replicaSets.some((rs) => rs.tag === "1.5.0")) noticedAfter = Date.now() - changed;
      if (
        state?.state === "complete" &&
        state.running === "1.5.0" &&
        state.pods.length === 3 &&
        state.pods.every((p) => p.ready === "1/1" && !oldPods.has(p.name))
      )
        break;
      if (Date.now() > deadline) throw new Error(`the rollout did not complete on the page; last seen: ${JSON.stringify(state)}`);
      await page.waitForTimeout(100);
    }
    expect(noticedAfter).toBeGreaterThanOrEqual(0);
    expect(noticedAfter).toBeLessThan(2_000);

    // It moved through the rollout: progressing with the new version as the target, the new ReplicaSet growing
    // while the old one shrank.
    const progressing = seen.filter((s) => s.state === "progressing");
    expect(progressing.length).toBeGreaterThan(0);
    expect(progressing.some((s) => s.target === "1.5.0" || s.running === "1.5.0")).toBe(true);
    expect(progressing.some((s) => s.status.includes('Waiting for deployment "card-api" rollout to finish'))).toBe(true);
    const newReady = seen.map((s) => s.replicaSets.find((rs) => rs.tag === "1.5.0")?.ready ?? 0);
    const oldDesired = seen.map((s) => s.replicaSets.find((rs) => rs.tag === "1.4.0")?.desired ?? 0);
    expect(new Set(newReady).size).toBeGreaterThan(2); // e.g. 0, 1, 2, 3
    expect(new Set(oldDesired).size).toBeGreaterThan(2); // e.g. 3, 2, 1, 0
    expect(seen.some((s) => s.replicaSets.length === 2 && s.replicaSets.every((rs) => rs.desired > 0))).toBe(true);

    // The end state, as kubectl says it, and the page still the same document.
    const after = seen.at(-1)!;
    expect(after.status).toContain('deployment "card-api" successfully rolled out');
    expect(after.counters).toEqual({ desired: 3, updated: 3, ready: 3, available: 3 });
    expect(after.replicaSets.map((rs) => [rs.revision, rs.tag, rs.ready, rs.desired])).toEqual([
      ["2", "1.5.0", 3, 3],
      ["1", "1.4.0", 0, 0],
    ]);
    await expect
      .poll(async () => (await readWorkload(page, "prod-eu", "Deployment card-api"))!.pods.map((p) => p.name).sort(), { timeout: 5_000 })
      .toEqual(await simPods());
    expect(navigations).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.screenshot({ path: `${shots}/runtime-after-rollout.png`, fullPage: true });
  });

  it("fits a 390 px wide screen, in dark mode too", async () => {
    const page = await browser.newPage({ width: 390, height: 844, colorScheme: "dark" });
    await demoSignIn(page, slipway.url, "amara.okafor", "/services/card-api/runtime");
    await page.locator('section[aria-label="Cluster prod-eu"] article[aria-label="Deployment card-api"]').waitFor();
    await page.locator('section[aria-label="Cluster prod-us"]').getByRole("alert").waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    await page.screenshot({ path: `${shots}/runtime-narrow-dark.png`, fullPage: true });
    expect(await overflowingElements(page)).toEqual([]);
  });
});
