import fs from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { getService, importCatalogue, listServices, listTeams, parseServiceQuery, quickSearch, serviceFacets } from "../../../server/catalogue";
import { BadRequestError, NotFoundError } from "../../../server/shared/errors";
import { asSystem, useTestDatabase } from "../../fixtures/database";

const demo = fs.readFileSync("server/demo/seed/catalog.yaml", "utf8");

describe("browsing the catalogue", () => {
  const db = useTestDatabase();
  const list = (q: Record<string, string | string[]>) => listServices(parseServiceQuery(q), db.current().prisma);
  const facets = (q: Record<string, string | string[]>) => serviceFacets(parseServiceQuery(q), db.current().prisma);
  /** Every page of a query, following nextCursor, as the names in the order they came. */
  const pageAll = async (q: Record<string, string>): Promise<string[]> => {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ ...q, ...(cursor ? { cursor } : {}) });
      names.push(...page.items.map((s) => s.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return names;
  };

  beforeEach(async () => {
    await importCatalogue(demo, asSystem, db.current().prisma);
  });

  it("pages through every service exactly once, in name order", async () => {
    const all = await list({ limit: "200" });
    const names = await pageAll({ limit: "7" });
    expect(names).toEqual(all.items.map((s) => s.name));
    expect(names).toEqual([...names].sort());
    expect(all.total).toBe(names.length);
    expect(all.totalIsLowerBound).toBe(false);
  });

  it("pages with every sort order without losing or repeating a row", async () => {
    for (const sort of ["-name", "updated", "tier"]) {
      const seen = await pageAll({ limit: "5", sort });
      expect(new Set(seen).size, sort).toBe(seen.length);
      expect(seen.length, sort).toBe((await list({})).total);
    }
  });

  it("pages through search results in any other order without losing or repeating a match", async () => {
    for (const q of ["card", "ca", "payments"]) {
      const matches = (await list({ q, limit: "200" })).items.map((s) => s.name).sort();
      for (const sort of ["name", "-name", "updated", "tier"]) {
        const seen = await pageAll({ q, sort, limit: "3" });
        expect([...seen].sort(), `${q} ${sort}`).toEqual(matches);
        expect(seen, `${q} ${sort}`).toEqual((await list({ q, sort, limit: "200" })).items.map((s) => s.name));
      }
    }
  });

  it("pages through search results in relevance order: exact name, name prefix, name or title, then description", async () => {
    for (const q of ["card", "ca", "payments"]) {
      const all = await list({ q, limit: "200" });
      expect(all.items.length, q).toBeGreaterThan(3);
      const seen = await pageAll({ q, limit: "3" });
      expect(seen, q).toEqual(all.items.map((s) => s.name));
      expect(seen.length, q).toBe(all.total);
      const rank = (s: { name: string; title: string | null }) =>
        s.name === q ? 0 : s.name.startsWith(q) ? 1 : `${s.name} ${s.title ?? ""}`.toLowerCase().includes(q) ? 2 : 3;
      const ranks = all.items.map(rank);
      expect(ranks, q).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it("finds services by name prefix, title, description and tag, best matches first", async () => {
    const byName = await list({ q: "card" });
    expect(byName.items[0]!.name).toBe("card-api");
    expect(byName.items.map((s) => s.name)).toEqual(expect.arrayContaining(["card-processing", "cards"]));

    const short = await list({ q: "ca" });
    expect(short.items.map((s) => s.name)).toContain("cards");

    // Several words cannot be a name: the title match comes first, then services whose text has every word.
    const words = await list({ q: "card transactions" });
    const everyWord = (s: { name: string; title: string | null; description: string | null; tags: string[] }) =>
      ["card", "transactions"].every((w) => `${s.name} ${s.title} ${s.description} ${s.tags.join(" ")}`.toLowerCase().includes(w));
    expect(words.items.length).toBeGreaterThan(0);
    expect(words.total).toBe(words.items.length);
    expect(words.items.every(everyWord)).toBe(true);
    expect(words.items.map((s) => s.name)).toContain("card-processing");
    const titled = await list({ q: "card processing" });
    expect(titled.items[0]!.name).toBe("card-processing");

    const byTag = await list({ q: "kafka" });
    expect(byTag.items.length).toBeGreaterThan(0);
    expect(byTag.items.every((s) => s.tags.includes("kafka") || `${s.title} ${s.description}`.toLowerCase().includes("kafka"))).toBe(true);
  });

  it("treats search input literally: quotes, LIKE wildcards and tsquery syntax are just text", async () => {
    for (const q of ["%", "_", "' OR 1=1 --", "a & b | !c", "card:* <-> x", "\\", "漢字"]) {
      const page = await list({ q });
      expect(page.items.length, q).toBeLessThanOrEqual(page.total);
    }
    expect((await list({ q: "%" })).total).toBe(0);
  });

  it("counts a common word as 500+ and still pages through every match once, best first, past the counting cap", async () => {
    // 3,301 matches of "abacus", more than a search counts (500), in every rank: the exact name, 700 name prefixes,
    // 500 titles, 2,100 descriptions. Past the cap, matches are read by walking the covering name index, and past
    // 2,000 description-only matches ("feeds") by walking names.
    await db.current().prisma.$executeRawUnsafe(`
      INSERT INTO service (id, kind, name, title, description, updated_at)
      SELECT gen_random_uuid(), 'component', x.name, x.title, x.description, now() FROM (
        SELECT 'abacus' AS name, 'Abacus' AS title, NULL AS description
        UNION ALL SELECT 'abacus-' || lpad(i::text, 4, '0'), NULL, NULL FROM generate_series(1, 700) i
        UNION ALL SELECT 'post-' || lpad(i::text, 4, '0'), 'General abacus poster ' || i, NULL FROM generate_series(1, 500) i
        UNION ALL SELECT 'misc-' || lpad(i::text, 4, '0'), NULL, 'Feeds the abacus.' FROM generate_series(1, 2100) i) x`);
    const rank = (name: string) => (name === "abacus" ? 0 : name.startsWith("abacus") ? 1 : name.startsWith("post-") ? 2 : name.startsWith("misc-") ? 3 : 4);

    const first = await list({ q: "abacus" });
    expect(first.total).toBe(500);
    expect(first.totalIsLowerBound).toBe(true);
    expect(first.items[0]?.name).toBe("abacus");
    // Facets count the same 500 matches: no value shows more than the total.
    const searchFacets = await facets({ q: "abacus" });
    expect(searchFacets.countsAreLowerBounds).toBe(true);
    expect(searchFacets.lifecycle.reduce((n, l) => n + l.count, 0)).toBe(500);
    const seen = await pageAll({ q: "abacus", limit: "100" });
    expect(seen.length).toBe(3301);
    expect(new Set(seen).size).toBe(3301);
    const ranks = seen.map(rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const r of [1, 2, 3]) {
      const names = seen.filter((n) => rank(n) === r);
      expect(names, `rank ${r} in name order`).toEqual([...names].sort());
    }

    // A substring of names and titles that is no name's prefix, and the same word in name order.
    const infix = await pageAll({ q: "bacus", limit: "100" });
    expect(infix.length).toBe(1201);
    expect(infix).toEqual([...seen.filter((n) => rank(n) <= 2)].sort());
    const byName = await pageAll({ q: "abacus", sort: "name", limit: "100" });
    expect(byName).toEqual([...seen].sort());
    expect(await pageAll({ q: "abacus", sort: "-name", limit: "100" })).toEqual([...byName].reverse());
    // Only descriptions: more than the cap, and more than are read and sorted, in name order.
    expect(await list({ q: "feeds" })).toMatchObject({ total: 500, totalIsLowerBound: true });
    expect(await pageAll({ q: "feeds", limit: "100" })).toEqual(seen.filter((n) => rank(n) === 3));

    // Under the cap a count is exact, and fewer substring matches are read through the trigram index.
    expect(await list({ q: "poster" })).toMatchObject({ total: 500, totalIsLowerBound: false });
    expect(await pageAll({ q: "poster", limit: "100" })).toEqual(seen.filter((n) => rank(n) === 2));
    // Other orders, past 2,000 matches and under: every match once.
    for (const q of ["abacus", "poster"]) {
      const updated = await pageAll({ q, sort: "updated", limit: "100" });
      expect([...updated].sort(), q).toEqual(q === "abacus" ? [...seen].sort() : seen.filter((n) => rank(n) === 2));
    }
  });

  it("filters by facets and counts each facet under the other facets' filters", async () => {
    const everything = await facets({});
    const tier1 = everything.tier.find((t) => t.value === "1")!;
    expect(tier1.count).toBeGreaterThan(0);

    const filtered = await list({ tier: "1", limit: "200" });
    expect(filtered.total).toBe(tier1.count);
    expect(filtered.items.every((s) => s.tier === 1)).toBe(true);

    const cards = await list({ team: "cards", tier: "1", limit: "200" });
    expect(cards.items.every((s) => s.team === "cards" && s.tier === 1)).toBe(true);

    // With tier=1 selected, the team facet counts tier-1 services only, while the tier facet is unaffected.
    const withTier = await facets({ tier: "1" });
    const teamSum = withTier.team.reduce((n, t) => n + t.count, 0);
    expect(teamSum).toBe(tier1.count);
    expect(withTier.tier).toEqual(everything.tier);

    const total = (await list({})).total;
    expect(everything.lifecycle.reduce((n, l) => n + l.count, 0)).toBe(total);
  });

  it("keeps facet counts exact through updates and deletes", async () => {
    const before = await facets({});
    const prod = before.lifecycle.find((l) => l.value === "production")!.count;
    await db.current().prisma.service.update({
      where: { kind_name: { kind: "component", name: "cards" } },
      data: { lifecycle: "deprecated" },
    });
    await db.current().prisma.service.delete({ where: { kind_name: { kind: "component", name: "feed" } } });
    const after = await facets({});
    const wasProd = (await getService("cards", "component", db.current().prisma)).lifecycle === "deprecated";
    expect(wasProd).toBe(true);
    expect(after.lifecycle.find((l) => l.value === "production")!.count).toBeLessThan(prod);
    expect((await list({})).total).toBe((await list({ limit: "200" })).items.length);
  });

  it("counts the other facets exactly under one filter, and the list under two, through imports, updates and deletes", async () => {
    const filters: Array<Record<string, string | string[]>> = [
      { tier: "1" },
      { tier: ["2", "none"] },
      { lifecycle: "production" },
      { tag: "kafka" },
      { team: "cards" },
      { team: ["cards", "payments-core"] },
    ];
    const pairs: Array<Record<string, string | string[]>> = [
      { tier: "1", lifecycle: "production" },
      { team: ["cards", "payments-core"], tag: "kafka" },
      { tier: ["2", "none"], tag: "pci" },
      { lifecycle: "deprecated", team: "payments-core" },
      { team: "cards", tier: ["1", "2"] },
    ];
    // What a person would count by hand from the filtered list.
    const byHand = async (filter: Record<string, string | string[]>) => {
      const { items } = await list({ ...filter, limit: "200" });
      const counts: Record<string, Record<string, number>> = { team: {}, tier: {}, lifecycle: {}, tag: {} };
      const add = (facet: string, value: string) => (counts[facet]![value] = (counts[facet]![value] ?? 0) + 1);
      for (const s of items) {
        add("team", s.team ?? "");
        add("tier", s.tier === null ? "none" : String(s.tier));
        add("lifecycle", s.lifecycle);
        for (const tag of new Set(s.tags)) add("tag", tag);
      }
      return counts;
    };
    const check = async (when: string) => {
      for (const filter of filters) {
        const own = Object.keys(filter)[0]!;
        const [shown, expected] = await Promise.all([facets(filter), byHand(filter)]);
        expect(shown.countsAreLowerBounds, `${when} ${JSON.stringify(filter)}`).toBe(false);
        for (const facet of ["team", "tier", "lifecycle", "tag"] as const) {
          if (facet === own) continue;
          const counts = Object.fromEntries(shown[facet].filter((v) => v.count > 0).map((v) => [v.value, v.count]));
          expect(counts, `${when} ${JSON.stringify(filter)} ${facet}`).toEqual(expected[facet]);
        }
      }
      // Under two filters a list's total comes from the pair counts: it is what the list holds.
      const totals: number[] = [];
      for (const filter of pairs) {
        const { items, total, totalIsLowerBound } = await list({ ...filter, limit: "200" });
        expect({ total, totalIsLowerBound }, `${when} ${JSON.stringify(filter)}`).toEqual({ total: items.length, totalIsLowerBound: false });
        totals.push(total);
      }
      expect(totals.filter((n) => n > 0).length, when).toBeGreaterThanOrEqual(2);
    };
    await check("after the import");

    const prisma = db.current().prisma;
    const payments = await prisma.team.findUniqueOrThrow({ where: { name: "payments-core" } });
    await prisma.service.update({
      where: { kind_name: { kind: "component", name: "card-processing" } },
      data: { tier: null, lifecycle: "deprecated", tags: ["kafka", "kafka", "pci", "go"], teamId: payments.id },
    });
    await prisma.service.update({ where: { kind_name: { kind: "component", name: "cards" } }, data: { teamId: null, tags: [] } });
    await prisma.service.delete({ where: { kind_name: { kind: "component", name: "feed" } } });
    await check("after updates and a delete");

    // A repeated tag in a descriptor is kept once, as the tag filter sees it.
    const repeated = [
      "apiVersion: backstage.io/v1alpha1",
      "kind: Component",
      "metadata: { name: card-tokens, tags: [kafka, pci, kafka] }",
      "spec: { type: service, lifecycle: production, owner: cards }",
    ].join("\n");
    await importCatalogue(repeated, asSystem, prisma);
    expect((await getService("card-tokens", "component", prisma)).tags).toEqual(["kafka", "pci"]);
    await check("after an import with a repeated tag");
  });

  it("rejects an invalid query or cursor with a clear error", async () => {
    expect(() => parseServiceQuery({ limit: "0" })).toThrow(BadRequestError);
    expect(() => parseServiceQuery({ tier: "gold" })).toThrow(BadRequestError);
    await expect(list({ cursor: "not-a-cursor" })).rejects.toThrow(/cursor is not valid/);
    // A cursor of one order passed to another is refused the same way, not a server error.
    const byName = (await list({ limit: "2" })).nextCursor!;
    await expect(list({ q: "card", cursor: byName })).rejects.toThrow(BadRequestError);
    await expect(list({ sort: "updated", cursor: byName })).rejects.toThrow(/cursor is not valid/);
    const byUpdate = (await list({ limit: "2", sort: "updated" })).nextCursor!;
    expect((await list({ limit: "2", sort: "updated", cursor: byUpdate })).items).toHaveLength(2);
  });

  it("returns a service with owner contact, links and both directions of dependencies", async () => {
    const service = await getService("card-processing", "component", db.current().prisma);
    expect(service.team).toMatchObject({ name: "cards" });
    expect(service.team?.email).toMatch(/@/);
    expect(service.links.length).toBeGreaterThan(0);
    expect(service.dependsOn.length).toBeGreaterThan(0);
    expect(service.annotations["backstage.io/kubernetes-id"]).toBe("card-processing");
    await expect(getService("no-such-service", "component", db.current().prisma)).rejects.toThrow(NotFoundError);
  });

  it("names dependencies the catalogue does not hold yet, next to the ones it does", async () => {
    await importCatalogue(
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: statement-renderer }
spec: { type: service, lifecycle: experimental, owner: cards, dependsOn: [component:card-api, component:pdf-farm, resource:s3-statements], consumesApis: [future-api] }
`,
      asSystem,
      db.current().prisma,
    );
    const service = await getService("statement-renderer", "component", db.current().prisma);
    expect(service.dependsOn.map((d) => [d.kind, d.name, d.exists])).toEqual([
      ["component", "card-api", true],
      ["component", "pdf-farm", false],
      ["resource", "s3-statements", false],
    ]);
    expect(service.dependsOn[0]).toMatchObject({ team: "cards", lifecycle: expect.any(String) });
    expect(service.apis.consumes).toEqual([{ kind: "api", name: "future-api", title: null, exists: false }]);
    // And the service it depends on lists it among its dependents.
    const cardApi = await getService("card-api", "component", db.current().prisma);
    expect(cardApi.dependents.map((d) => d.name)).toContain("statement-renderer");
  });

  it("lists teams with counts, and the quick switcher finds services and teams", async () => {
    const teams = await listTeams({}, db.current().prisma);
    const cards = teams.items.find((t) => t.name === "cards")!;
    expect(cards.serviceCount).toBeGreaterThan(0);
    expect(cards.memberCount).toBeGreaterThan(0);

    const hits = await quickSearch("card", db.current().prisma);
    // Shortest prefix match first: typing "card" and pressing Enter opens "cards".
    expect(hits.services.map((s) => s.name).slice(0, 2)).toEqual(["cards", "card-api"]);
    expect(hits.teams.map((t) => t.name)).toContain("cards");
  });
});
