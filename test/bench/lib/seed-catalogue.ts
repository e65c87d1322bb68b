/**
 * Seeds a realistic bank catalogue into an empty, migrated database with a handful of set-based statements: the rows
 * are generated here (deterministically, from BENCH_SEED) and sent as arrays that Postgres unnests.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import * as words from "./words";

export type SeedOptions = { services: number; teams: number; people?: number; seed?: number };

/** What the load picks its requests from, read back from the database (so a kept database can be benchmarked again). */
export type CatalogueSample = {
  serviceNames: string[];
  /** Services many others depend on: their detail pages carry the most edges. */
  platformServiceNames: string[];
  squadNames: string[];
  /** Departments and tribes. */
  groupNames: string[];
  /** Tags by how many services carry them, most used first. */
  tags: Array<{ tag: string; count: number }>;
  /** Words of service names by how many names contain them, most used first. */
  nameWords: Array<{ word: string; count: number }>;
  /** Sort keys of random rows, for cursors deep into the list. */
  rows: Array<{ id: string; name: string; tier: number | null; updatedAt: Date }>;
};

/** mulberry32: small, fast, seedable. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof rng>;

function weighted<T>(items: T[], weights: number[]): (r: Random) => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w));
  return (r) => {
    const x = r() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const titleCase = (name: string) =>
  name
    .split("-")
    .filter((w) => !/^\d+$/.test(w))
    .map((w) => (w.length <= 3 && !["api", "web"].includes(w) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)))
    .join(" ");

/**
 * Noun weights by band (very common, common, less common, rare), decaying gently inside a band: at 100,000 services a
 * very common word lands in a few thousand names, a rare one in a handful.
 */
function nounPicker() {
  const bands = [
    { size: 50, share: 0.62 },
    { size: 80, share: 0.31 },
    { size: 50, share: 0.069 },
    { size: words.nouns.length - 180, share: 0.001 },
  ];
  const weights: number[] = [];
  for (const band of bands) {
    const raw = Array.from({ length: band.size }, (_, i) => 1 / (i + 4) ** 0.8);
    const total = raw.reduce((a, b) => a + b, 0);
    for (const w of raw) weights.push((w / total) * band.share);
  }
  return weighted(words.nouns, weights);
}

const regions = ["eu", "uk", "us", "apac", "de", "ch", "nl", "global"];

function unique(taken: Set<string>, make: () => string, fallback: (base: string, n: number) => string): string {
  for (let attempt = 0; attempt < 6; attempt++) {
    const name = make();
    if (!taken.has(name) && name.length <= 63) {
      taken.add(name);
      return name;
    }
  }
  const base = make().slice(0, 56);
  for (let n = 2; ; n++) {
    const name = fallback(base, n);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

export async function seedCatalogue(client: pg.Client, options: SeedOptions): Promise<{ timings: Record<string, number> }> {
  const r = rng(options.seed ?? 42);
  const noun = nounPicker();
  const timings: Record<string, number> = {};
  // Bulk load: with session_replication_role = replica neither foreign-key checks nor the facet trigger fire (the
  // trigger is quadratic inside one big transaction: every row updates the same few counter rows, whose version chain
  // grows with each row), and the secondary indexes are rebuilt once at the end from their own definitions.
  await client.query("SET session_replication_role = replica");
  await client.query("SET maintenance_work_mem = '512MB'");
  const dropped = await dropSecondaryIndexes(client, ["service", "dependency", "membership", "person", "team"]);
  const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      timings[label] = Math.round(performance.now() - started);
    }
  };

  // ---- teams: departments, tribes under them, squads under the tribes
  const teamCount = Math.max(options.teams, 50);
  const departmentCount = Math.min(words.departments.length, Math.max(2, Math.round(teamCount / 250)));
  const tribeCount = Math.max(4, Math.round(teamCount / 50) - departmentCount);
  const teamNames = new Set<string>();
  type TeamRow = { id: string; name: string; title: string; type: string; parent: string | null; description: string };
  const teams: TeamRow[] = [];
  for (const name of words.departments.slice(0, departmentCount)) {
    teamNames.add(name);
    teams.push({ id: randomUUID(), name, title: titleCase(name), type: "department", parent: null, description: `The ${titleCase(name)} department.` });
  }
  const departments = teams.slice();
  for (let i = 0; i < tribeCount; i++) {
    const name = unique(
      teamNames,
      () => `${noun(r)}-tribe`,
      (b, n) => `${b}-${n}`,
    );
    const parent = departments[i % departments.length]!;
    teams.push({ id: randomUUID(), name, title: titleCase(name), type: "tribe", parent: parent.id, description: `A tribe of ${parent.title}.` });
  }
  const tribes = teams.slice(departments.length);
  const squadFormats: Array<() => string> = [
    () => `${noun(r)}-${noun(r)}`,
    () => `${noun(r)}-${pick(r, words.suffixes)}-squad`,
    () => `${noun(r)}-${noun(r)}-team`,
    () => `${pick(r, regions)}-${noun(r)}-squad`,
  ];
  while (teams.length < teamCount) {
    const name = unique(
      teamNames,
      () => pick(r, squadFormats)(),
      (b, n) => `${b}-${n}`,
    );
    const parent = pick(r, tribes);
    teams.push({
      id: randomUUID(),
      name,
      title: titleCase(name),
      type: "team",
      parent: parent.id,
      description: `Squad in the ${parent.title} tribe that looks after ${titleCase(name).toLowerCase()} services.`,
    });
  }
  const squads = teams.filter((t) => t.type === "team");

  await timed("teams", () =>
    client.query(
      `INSERT INTO team (id, name, title, description, type, email, chat_channel, links, parent_id, created_at, updated_at)
       SELECT id, name, title, description, type, name || '@bank.example', '#team-' || name,
         jsonb_build_array(jsonb_build_object('url', 'https://wiki.bank.example/teams/' || name, 'title', 'Team wiki')),
         parent_id, now() - interval '900 days', now() - (random() * interval '300 days')
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[])
         AS x(id, name, title, description, type, parent_id)`,
      [
        teams.map((t) => t.id),
        teams.map((t) => t.name),
        teams.map((t) => t.title),
        teams.map((t) => t.description),
        teams.map((t) => t.type),
        teams.map((t) => t.parent),
      ],
    ),
  );

  // ---- people and memberships: everyone in one squad, some in a second team; one lead per squad
  const peopleCount = options.people ?? teamCount * 10;
  const personNames = new Set<string>();
  const people: Array<{ id: string; name: string; display: string }> = [];
  for (let i = 0; i < peopleCount; i++) {
    const first = pick(r, words.firstNames);
    const last = pick(r, words.lastNames);
    const name = unique(
      personNames,
      () => `${first}.${last}`,
      (b, n) => `${b}${n}`,
    );
    people.push({ id: randomUUID(), name, display: `${first[0]!.toUpperCase()}${first.slice(1)} ${last[0]!.toUpperCase()}${last.slice(1)}` });
  }
  const memberships: Array<{ team: string; person: string; role: string }> = [];
  const seenMembership = new Set<string>();
  const leads = new Set<string>();
  const addMembership = (team: TeamRow, person: string) => {
    const key = `${team.id}/${person}`;
    if (seenMembership.has(key)) return;
    seenMembership.add(key);
    const role = leads.has(team.id) ? (r() < 0.1 ? "product-owner" : "member") : "lead";
    leads.add(team.id);
    memberships.push({ team: team.id, person, role });
  };
  people.forEach((p, i) => {
    addMembership(squads[i % squads.length]!, p.id);
    if (r() < 0.15) addMembership(r() < 0.2 ? pick(r, tribes) : pick(r, squads), p.id);
  });
  await timed("people", async () => {
    await client.query(
      `INSERT INTO person (id, name, display_name, email, created_at, updated_at)
       SELECT id, name, display, name || '@bank.example', now() - interval '800 days', now() - (random() * interval '200 days')
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, name, display)`,
      [people.map((p) => p.id), people.map((p) => p.name), people.map((p) => p.display)],
    );
    await client.query(`INSERT INTO membership (team_id, person_id, role) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])`, [
      memberships.map((m) => m.team),
      memberships.map((m) => m.person),
      memberships.map((m) => m.role),
    ]);
  });

  // ---- services
  const squadWeight = squads.map(() => 0.2 + r() ** 3 * 8);
  const owner = weighted(squads, squadWeight);
  const tagWeights = words.tags.map((_, i) => 1 / (i + 3) ** 0.9);
  const tag = weighted(words.tags, tagWeights);
  const nameFormats = weighted<() => string>(
    [
      () => `${noun(r)}-${noun(r)}-${pick(r, words.suffixes)}`,
      () => `${noun(r)}-${pick(r, words.suffixes)}`,
      () => `${noun(r)}-${noun(r)}-${pick(r, words.suffixes)}-${pad(Math.floor(r() * 1000), 3)}`,
      () => `${pick(r, regions)}-${noun(r)}-${pick(r, words.suffixes)}`,
      () => `${noun(r)}-${noun(r)}`,
      () => `${noun(r)}-${noun(r)}-${noun(r)}-${pick(r, words.suffixes)}`,
    ],
    [35, 20, 15, 10, 10, 10],
  );
  const serviceNames = new Set<string>();
  const n = options.services;
  const cols = {
    id: [] as string[],
    name: [] as string[],
    title: [] as Array<string | null>,
    description: [] as Array<string | null>,
    type: [] as string[],
    lifecycle: [] as string[],
    tier: [] as Array<number | null>,
    tags: [] as string[],
    team: [] as Array<string | null>,
    teamName: [] as string[],
    system: [] as string[],
    updated: [] as number[],
    created: [] as number[],
  };
  const now = Date.now();
  const day = 86_400_000;
  for (let i = 0; i < n; i++) {
    const name = unique(
      serviceNames,
      () => nameFormats(r)(),
      (b, k) => `${b}-${k}`,
    );
    const team = r() < 0.01 ? null : owner(r);
    const nameWords = name.split("-").filter((w) => !/^\d+$/.test(w));
    const tierRoll = r();
    const lifecycleRoll = r();
    const tagSet = new Set<string>();
    const tagCount = Math.floor(r() * 5);
    while (tagSet.size < tagCount) tagSet.add(tag(r));
    const updated = now - Math.floor(r() ** 1.5 * 730 * day);
    cols.id.push(randomUUID());
    cols.name.push(name);
    cols.title.push(r() < 0.05 ? null : titleCase(name));
    cols.description.push(
      r() < 0.03
        ? null
        : `${pick(r, words.verbs)} ${nameWords.slice(0, 2).join(" ")} ${pick(r, words.objects)} for ${pick(r, words.audiences)}` +
            (tagSet.size && r() < 0.3 ? ` (${[...tagSet][0]}).` : "."),
    );
    cols.type.push(r() < 0.8 ? "service" : r() < 0.5 ? "website" : "library");
    cols.lifecycle.push(lifecycleRoll < 0.8 ? "production" : lifecycleRoll < 0.92 ? "experimental" : "deprecated");
    cols.tier.push(tierRoll < 0.15 ? 1 : tierRoll < 0.5 ? 2 : tierRoll < 0.9 ? 3 : null);
    cols.tags.push([...tagSet].join(","));
    cols.team.push(team?.id ?? null);
    cols.teamName.push(team?.name ?? "unowned");
    cols.system.push(team ? `${team.name}-system` : "");
    cols.updated.push(updated);
    cols.created.push(updated - Math.floor(r() * 400 * day));
  }

  await timed("services", () =>
    client.query(
      `INSERT INTO service (id, kind, name, title, description, type, lifecycle, tier, tags, links, annotations,
         system_name, repository_url, team_id, created_at, updated_at)
       SELECT id, 'component', name, title, description, type, lifecycle, tier, string_to_array(tags, ','),
         jsonb_build_array(
           jsonb_build_object('url', 'https://git.bank.example/' || team_name || '/' || name, 'title', 'Repository', 'type', 'repository'),
           jsonb_build_object('url', 'https://runbooks.bank.example/' || name, 'title', 'Runbook', 'icon', 'docs'),
           jsonb_build_object('url', 'https://grafana.bank.example/d/' || name, 'title', 'Dashboard', 'icon', 'dashboard')),
         jsonb_build_object(
           'backstage.io/source-location', 'url:https://git.bank.example/' || team_name || '/' || name,
           'pagerduty.com/service-id', upper(substr(md5(name), 1, 7)),
           'bank.example/cost-centre', 'CC-' || (abs(hashtext(team_name)) % 9000 + 1000)::text),
         nullif(system_name, ''), 'https://git.bank.example/' || team_name || '/' || name, team_id,
         to_timestamp(created / 1000.0), to_timestamp(updated / 1000.0)
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
         $9::uuid[], $10::text[], $11::text[], $12::float8[], $13::float8[])
         AS x(id, name, title, description, type, lifecycle, tier, tags, team_id, team_name, system_name, created, updated)`,
      [
        cols.id,
        cols.name,
        cols.title,
        cols.description,
        cols.type,
        cols.lifecycle,
        cols.tier,
        cols.tags,
        cols.team,
        cols.teamName,
        cols.system,
        cols.created,
        cols.updated,
      ],
    ),
  );

  // ---- dependencies: ~3 per service; a quarter of the edges point at a few hundred platform services
  const platformCount = Math.max(10, Math.round(n / 300));
  const platform = new Set<number>();
  while (platform.size < Math.min(platformCount, n)) platform.add(Math.floor(r() * n));
  const platformList = [...platform];
  const dep = { service: [] as string[], target: [] as string[] };
  for (let i = 0; i < n; i++) {
    const count = Math.floor(r() * 7); // 0..6, mean 3
    const targets = new Set<number>();
    for (let k = 0; k < count; k++) {
      const t = r() < 0.25 ? pick(r, platformList) : Math.floor(r() * n);
      if (t !== i) targets.add(t);
    }
    for (const t of targets) {
      dep.service.push(cols.id[i]!);
      dep.target.push(cols.name[t]!);
    }
  }
  await timed("dependencies", () =>
    client.query(
      `INSERT INTO dependency (service_id, relation, target_kind, target_name)
       SELECT service_id, 'dependsOn', 'component', target_name FROM unnest($1::uuid[], $2::text[]) AS x(service_id, target_name)`,
      [dep.service, dep.target],
    ),
  );

  await timed("indexes", () => restoreIndexes(client, dropped, timings));
  await timed("facet_counts", () => rebuildFacetCounts(client));
  await client.query("RESET session_replication_role");
  await timed("vacuum_analyze", () => client.query("VACUUM ANALYZE"));

  return { timings };
}

export async function readCatalogue(client: pg.Client): Promise<CatalogueSample> {
  const names = await client.query<{ name: string }>(`SELECT name FROM service WHERE kind = 'component'`);
  const serviceNames = names.rows.map((r) => r.name);
  const counts = new Map<string, number>();
  for (const name of serviceNames) {
    for (const w of new Set(name.split("-"))) if (/^[a-z]{2,}$/.test(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const platform = await client.query<{ name: string }>(
    `SELECT target_name AS name FROM dependency WHERE target_kind = 'component' GROUP BY 1 ORDER BY count(*) DESC LIMIT 300`,
  );
  const teams = await client.query<{ name: string; type: string }>(`SELECT name, type FROM team`);
  const tags = await client.query<{ tag: string; count: number }>(
    `SELECT value AS tag, count FROM service_facet_count WHERE kind = 'component' AND facet = 'tag' AND count > 0 ORDER BY count DESC`,
  );
  const rows = await client.query<{ id: string; name: string; tier: number | null; updated_at: Date }>(
    `SELECT id, name, tier, updated_at FROM service WHERE kind = 'component' ORDER BY random() LIMIT 500`,
  );
  return {
    serviceNames,
    platformServiceNames: platform.rows.map((r) => r.name),
    squadNames: teams.rows.filter((t) => t.type === "team").map((t) => t.name),
    groupNames: teams.rows.filter((t) => t.type !== "team").map((t) => t.name),
    tags: tags.rows,
    nameWords: [...counts.entries()].map(([word, count]) => ({ word, count })).sort((a, b) => b.count - a.count),
    rows: rows.rows.map((r) => ({ id: r.id, name: r.name, tier: r.tier, updatedAt: r.updated_at })),
  };
}

type IndexDef = { name: string; def: string };

/** Drops every index that backs no constraint (the app's unique indexes included) and returns their definitions. */
async function dropSecondaryIndexes(client: pg.Client, tables: string[]): Promise<IndexDef[]> {
  const { rows } = await client.query<IndexDef>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  for (const r of rows) await client.query(`DROP INDEX "${r.name}"`);
  return rows;
}

async function restoreIndexes(client: pg.Client, indexes: IndexDef[], timings: Record<string, number>): Promise<void> {
  for (const r of indexes) {
    const started = performance.now();
    await client.query(r.def);
    const ms = Math.round(performance.now() - started);
    if (ms >= 1000) timings[`index:${r.name}`] = ms;
  }
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public' AND indexname = ANY($1::text[])`, [
    indexes.map((i) => i.name),
  ]);
  if (rows[0]!.n !== indexes.length) throw new Error("seed: not every index dropped for the bulk load was re-created");
}

/** Exactly what the row trigger `manual_service_facets` accumulates (the migration's rebuild function). */
async function rebuildFacetCounts(client: pg.Client): Promise<void> {
  await client.query("SELECT manual_rebuild_service_facet_counts()");
}
