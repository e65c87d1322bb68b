import { beforeEach, describe, expect, it } from "vitest";
import * as importRoute from "../../../app/api/v1/catalogue/import/route";
import { importCatalogue } from "../../../server/catalogue";
import { call, tokenFor, type Caller } from "../../fixtures/api";
import { asSystem, useTestDatabase } from "../../fixtures/database";

/** The documented maximum: 20,000 documents in one import, here all components of one squad. */
const maxDocuments = 20_000;

const squad = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: scale-squad }
spec: { type: team, children: [], members: [scale.person] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: scale.person }
spec: { profile: { email: scale.person@example.com }, memberOf: [scale-squad] }
`;

function component(i: number, overrides: { description?: string; owner?: string; lifecycle?: string; tag?: string } = {}): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc-${i}
  title: Service ${i}
  description: ${overrides.description ?? `Handles part ${i} of the bank`}
  tags: [scale, ${overrides.tag ?? `shard-${i % 50}`}]
  annotations: { slipway.io/tier: "${i % 4}" }
spec:
  type: service
  lifecycle: ${overrides.lifecycle ?? "production"}
  owner: ${overrides.owner ?? "scale-squad"}
  dependsOn: [component:svc-${(i + 1) % maxDocuments}]
`;
}

const components = (n: number, edit: (i: number) => string = (i) => component(i)) => Array.from({ length: n }, (_, i) => edit(i)).join("---\n");

describe("importing the documented maximum of 20,000 components", () => {
  const db = useTestDatabase();
  let token: Caller;

  beforeEach(async () => {
    await importCatalogue(squad, asSystem, db.current().prisma);
    token = await tokenFor(db.current(), { team: "scale-squad" }, ["catalogue:write"]);
  });

  const post = (body: string) =>
    call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller: token, body, contentType: "application/yaml" });

  it("imports them all in one request, and a re-import counts them unchanged", { timeout: 120_000 }, async () => {
    const text = components(maxDocuments);
    let started = performance.now();
    const first = await post(text);
    const firstMs = performance.now() - started;
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: maxDocuments, updated: 0, unchanged: 0 });
    expect(await db.current().prisma.service.count()).toBe(maxDocuments);
    expect(await db.current().prisma.dependency.count()).toBe(maxDocuments);
    const svc = await db.current().prisma.service.findUniqueOrThrow({ where: { kind_name: { kind: "component", name: "svc-123" } }, include: { team: true } });
    expect(svc).toMatchObject({ title: "Service 123", tier: 3, tags: ["scale", "shard-23"], team: { name: "scale-squad" } });

    started = performance.now();
    const edit = (i: number) => component(i, { description: `Edited ${i}`, lifecycle: "deprecated", tag: "moved" });
    const edited = components(maxDocuments, (i) => (i % 1000 === 0 ? edit(i) : component(i)));
    const second = await post(edited);
    const secondMs = performance.now() - started;
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ created: 0, updated: 20, unchanged: maxDocuments - 20 });
    const svc5000 = await db.current().prisma.service.findUniqueOrThrow({ where: { kind_name: { kind: "component", name: "svc-5000" } } });
    expect(svc5000.description).toBe("Edited 5000");
    // The facet counts the list's filters show moved with the edits, as a recount from the services finds them.
    const counts = async () => {
      const single = await db.current().prisma.$queryRaw<unknown[]>`
        SELECT kind, facet, value, count FROM service_facet_count WHERE count <> 0 ORDER BY 1, 2, 3`;
      const pairs = await db.current().prisma.$queryRaw<unknown[]>`
        SELECT kind, facet, value, other_facet, other_value, count FROM service_facet_pair_count WHERE count <> 0 ORDER BY 1, 2, 3, 4, 5`;
      return { single, pairs };
    };
    const kept = await counts();
    expect(kept.single).toContainEqual({ kind: "component", facet: "lifecycle", value: "deprecated", count: 20 });
    expect(kept.single).toContainEqual({ kind: "component", facet: "total", value: "", count: maxDocuments });
    await db.current().prisma.$executeRaw`SELECT manual_rebuild_service_facet_counts()`;
    expect(kept).toEqual(await counts());
    console.info(`20,000-component import on ${process.env.SLIPWAY_TEST_DB}: ${Math.round(firstMs)} ms, re-import ${Math.round(secondMs)} ms`);
  });

  it("rejects the whole import when any one document is invalid, writing nothing", { timeout: 120_000 }, async () => {
    for (const bad of [maxDocuments - 1, 7_777]) {
      const text = components(maxDocuments, (i) => (i === bad ? component(i, { owner: "no-such-squad" }) : component(i)));
      const response = await post(text);
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ document: bad + 1, message: expect.stringMatching(/no-such-squad/) })]);
      expect(await db.current().prisma.service.count()).toBe(0);
      expect(await db.current().prisma.dependency.count()).toBe(0);
    }
  });
});
