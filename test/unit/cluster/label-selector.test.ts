import { describe, expect, it } from "vitest";
import { LabelSelectorError, matchesLabels, parseLabelSelector } from "../../../server/cluster/label-selector";

describe("label selectors", () => {
  it("parses the apiserver's grammar into a canonical selector", () => {
    const s = parseLabelSelector(" tier in (web, api),app=card-api , !legacy, env!=dev, team");
    expect(s.text).toBe("app=card-api,env!=dev,!legacy,team,tier in (api,web)");
    expect(matchesLabels(s, { app: "card-api", tier: "web", team: "cards" })).toBe(true);
    expect(matchesLabels(s, { app: "card-api", tier: "web", team: "cards", legacy: "yes" })).toBe(false);
    expect(matchesLabels(s, { app: "card-api", tier: "batch", team: "cards" })).toBe(false);
    expect(parseLabelSelector("backstage.io/kubernetes-id==card-api").text).toBe("backstage.io/kubernetes-id=card-api");
  });

  it("refuses text that is not a selector before it can reach a cluster", () => {
    for (const bad of ["", "app=card api", "app=x&watch=true", "app=(x)", "app in ()", "a,", "Bad Key=x", "app=" + "x".repeat(64), "a=b\nc=d", "app=x,"]) {
      expect(() => parseLabelSelector(bad), bad).toThrow(LabelSelectorError);
    }
  });
});
