import { describe, expect, it } from "vitest";
import { freezeInForce, type FreezeView } from "../../../server/releases";

const now = new Date("2026-12-06T12:00:00Z");
const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
const freeze = (id: string, over: Partial<FreezeView>): FreezeView => ({
  id,
  service: null,
  environment: null,
  reason: "release week",
  createdBy: "Ana Lima",
  startsAt: at(-1),
  endsAt: at(2),
  ...over,
});

describe("which freeze a page shows for a service in an environment", () => {
  it("shows nothing for a freeze that is only scheduled, or for another service or environment", () => {
    const freezes = [
      freeze("later", { startsAt: at(1), endsAt: at(5) }),
      freeze("other-service", { service: "ledger" }),
      freeze("other-env", { environment: "staging" }),
    ];
    expect(freezeInForce(freezes, "card-api", "production", now)).toBeNull();
  });

  it("prefers a global freeze, then the one that ends last, as the server's check does", () => {
    const freezes = [
      freeze("service-long", { service: "card-api", endsAt: at(10) }),
      freeze("global-short", { endsAt: at(1) }),
      freeze("global-long", { environment: "production", endsAt: at(3) }),
    ];
    expect(freezeInForce(freezes, "card-api", "production", now)?.id).toBe("global-long");
    expect(freezeInForce(freezes.slice(0, 1), "card-api", "production", now)?.id).toBe("service-long");
  });
});
