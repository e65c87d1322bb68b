import { describe, expect, it } from "vitest";
import { demoComponents, demoVersions, demoWorkloads } from "../../../server/demo/demo-clusters";

const minor = (v: string) => Number(v.split(".")[1]);

describe("the demo clusters' workloads", () => {
  it("run every demo component in its squad's namespace, production one or two releases behind staging", () => {
    const components = demoComponents();
    expect(components).toHaveLength(40);
    const staging = demoWorkloads(components, "staging");
    const production = demoWorkloads(components, "production");
    for (const [i, c] of components.entries()) {
      expect(staging[i]).toMatchObject({
        name: c.name,
        namespace: c.annotations!["backstage.io/kubernetes-namespace"],
        labels: { "backstage.io/kubernetes-id": c.name },
      });
      expect(staging[i]!.image).toBe(`registry.harbourbank.example/${c.name}:${demoVersions(c.name).staging}`);
      const behind = minor(demoVersions(c.name).staging) - minor(demoVersions(c.name).production);
      expect([1, 2]).toContain(behind);
      expect(production[i]!.image).toMatch(new RegExp(`^registry\\.harbourbank\\.example/${c.name}:\\d+\\.\\d+\\.\\d+$`));
    }
    expect(staging.filter((w) => w.kind === "Rollout").map((w) => w.name)).toEqual(["card-processing", "payments-gateway"]);
    expect(staging.find((w) => w.kind === "Rollout")!.canarySteps).toEqual([
      { setWeight: 20 },
      { pause: {} },
      { setWeight: 50 },
      { pause: { duration: "30s" } },
    ]);
  });
});
