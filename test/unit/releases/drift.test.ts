import { describe, expect, it } from "vitest";
import { environmentDrift, sameImage } from "../../../components/releases/drift";
import type { ReleaseView } from "../../../components/releases/types";

const digest = `sha256:${"a".repeat(64)}`;
const release = { version: "1.4.0", image: "registry.example/card-api:1.4.0", digest: null } as ReleaseView;
const cluster = (name: string, image: string | null, error: unknown = null) => ({
  cluster: name,
  error,
  workloads: [{ workload: { name: "card-api", namespace: "cards" }, runningVersion: image ? { image, digest: null } : null }],
});

describe("drift between the deploy history and the live cluster", () => {
  it("is silent when the clusters run the recorded release, by reference or by digest", () => {
    expect(environmentDrift(release, [cluster("prod-eu-1", "registry.example/card-api:1.4.0")], false)).toBeNull();
    expect(sameImage({ image: `registry.example/card-api:1.4.0@${digest}`, digest }, { image: "registry.example/card-api:1.4.0", digest })).toBe(true);
    expect(
      sameImage({ image: "registry.example/card-api:1.4.0", digest }, { image: "registry.example/card-api:1.4.0", digest: `sha256:${"b".repeat(64)}` }),
    ).toBe(false);
  });

  it("lists each cluster that runs something else, with the recorded release beside it", () => {
    const drift = environmentDrift(
      release,
      [cluster("prod-eu-1", "registry.example/card-api:1.4.0"), cluster("prod-us-1", "registry.example/card-api:1.3.9")],
      false,
    );
    expect(drift).toEqual({
      recorded: { version: "1.4.0", image: "registry.example/card-api:1.4.0", digest: null },
      workloads: [{ cluster: "prod-us-1", namespace: "cards", workload: "card-api", liveImage: "registry.example/card-api:1.3.9" }],
    });
    expect(environmentDrift(null, [cluster("prod-eu-1", "registry.example/card-api:1.3.9")], false)?.recorded).toBeNull();
  });

  it("says nothing while a rollout is in flight or when a cluster did not answer", () => {
    expect(environmentDrift(release, [cluster("prod-us-1", "registry.example/card-api:1.3.9")], true)).toBeNull();
    expect(environmentDrift(release, [cluster("prod-us-1", "registry.example/card-api:1.3.9", { message: "timeout" })], false)).toBeNull();
  });
});
