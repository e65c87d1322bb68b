import "server-only";
import { randomUUID } from "node:crypto";
import { stringify } from "yaml";
import type { DbTx } from "../../shared/db";
import { Prisma } from "../../shared/generated/prisma/client";
import { ValidationError } from "../../shared/errors";
import type { ImportError, ImportResult, ServiceKind } from "../types";
import type { Descriptor } from "./descriptor-schemas";
import { parseEntityRef } from "./entity-ref";
import { parseDescriptors, type ParsedDescriptor } from "./parse-descriptors";

type Of<K extends Descriptor["kind"]> = ParsedDescriptor & { descriptor: Extract<Descriptor, { kind: K }> };

const serviceKindOf = { Component: "component", API: "api", Resource: "resource" } as const;

/** Where a descriptor says which tier a service is: our annotation, or a `tier` label ("1", "tier-1"). */
export function tierOf(d: Descriptor): number | null {
  const raw = d.metadata.annotations?.["slipway.io/tier"] ?? d.metadata.labels?.["tier"];
  const match = raw ? /^(?:tier[-_ ]?)?(\d)$/i.exec(raw.trim()) : null;
  return match ? Number(match[1]) : null;
}

export function repositoryUrlOf(d: Descriptor): string | null {
  const source = d.metadata.annotations?.["backstage.io/source-location"];
  if (source?.startsWith("url:")) return source.slice(4).replace(/\/tree\/[^/]+\/?$/, "");
  const slug = d.metadata.annotations?.["github.com/project-slug"];
  if (slug && /^[\w.-]+\/[\w.-]+$/.test(slug)) return `https://github.com/${slug}`;
  const gitlab = d.metadata.annotations?.["gitlab.com/project-slug"];
  if (gitlab && /^[\w./-]+$/.test(gitlab)) return `https://gitlab.com/${gitlab}`;
  return null;
}

type Resolved = {
  groups: Of<"Group">[];
  users: Of<"User">[];
  systems: Array<Of<"System"> | Of<"Domain">>;
  services: Array<Of<"Component"> | Of<"API"> | Of<"Resource">>;
  /** group name -> parent group name, from `parent` and from other groups' `children`. */
  parents: Map<string, string>;
  /** memberships the import states, as group name -> person names. */
  membersOfGroup: Map<string, Set<string>>;
  groupsOfUser: Map<string, Set<string>>;
  owners: Map<ParsedDescriptor, string>;
  edges: Map<ParsedDescriptor, Array<{ relation: string; targetKind: string; targetName: string }>>;
};

/** Checks every document and every reference; returns what to write, or every error found. */
async function resolve(db: DbTx, descriptors: ParsedDescriptor[], errors: ImportError[]): Promise<Resolved> {
  const seen = new Map<string, ParsedDescriptor>();
  const r: Resolved = {
    groups: [],
    users: [],
    systems: [],
    services: [],
    parents: new Map(),
    membersOfGroup: new Map(),
    groupsOfUser: new Map(),
    owners: new Map(),
    edges: new Map(),
  };
  for (const p of descriptors) {
    const d = p.descriptor;
    const key = `${d.kind.toLowerCase()}:${d.metadata.name}`;
    const first = seen.get(key);
    if (first) {
      errors.push({ document: p.document, line: p.lineOf(["metadata", "name"]), message: `${key} is also defined in document ${first.document}` });
      continue;
    }
    seen.set(key, p);
    if (d.kind === "Group") r.groups.push(p as Of<"Group">);
    else if (d.kind === "User") r.users.push(p as Of<"User">);
    else if (d.kind === "System" || d.kind === "Domain") r.systems.push(p as Of<"System"> | Of<"Domain">);
    else r.services.push(p as Of<"Component"> | Of<"API"> | Of<"Resource">);
  }

  // References to groups and users must resolve in this import or in the catalogue.
  const wantedGroups = new Map<string, Array<{ p: ParsedDescriptor; path: Array<string | number> }>>();
  const wantedUsers = new Map<string, Array<{ p: ParsedDescriptor; path: Array<string | number> }>>();
  const want = (map: typeof wantedGroups, name: string, p: ParsedDescriptor, path: Array<string | number>) => {
    const list = map.get(name) ?? [];
    list.push({ p, path });
    map.set(name, list);
  };
  const ref = (p: ParsedDescriptor, path: Array<string | number>, value: string, def: string, allowed: string[]) => {
    const parsed = parseEntityRef(value, def, allowed);
    if ("error" in parsed) {
      errors.push({ document: p.document, line: p.lineOf(path), message: `${path.join(".")}: ${parsed.error}` });
      return undefined;
    }
    return parsed;
  };
  const addMember = (group: string, user: string) => {
    r.membersOfGroup.set(group, (r.membersOfGroup.get(group) ?? new Set()).add(user));
    r.groupsOfUser.set(user, (r.groupsOfUser.get(user) ?? new Set()).add(group));
  };

  for (const p of [...r.services, ...r.systems]) {
    const owner = ref(p, ["spec", "owner"], p.descriptor.spec.owner, "group", ["group", "user"]);
    if (owner?.kind === "user") {
      errors.push({
        document: p.document,
        line: p.lineOf(["spec", "owner"]),
        message: "spec.owner: Slipway needs a group (squad) as owner so there is a team to reach; a person cannot own a service",
      });
    } else if (owner) {
      r.owners.set(p, owner.name);
      want(wantedGroups, owner.name, p, ["spec", "owner"]);
    }
  }
  for (const p of r.groups) {
    const { parent, children, members } = p.descriptor.spec;
    if (parent) {
      const g = ref(p, ["spec", "parent"], parent, "group", ["group"]);
      if (g) {
        r.parents.set(p.descriptor.metadata.name, g.name);
        want(wantedGroups, g.name, p, ["spec", "parent"]);
      }
    }
    children.forEach((c, i) => {
      const g = ref(p, ["spec", "children", i], c, "group", ["group"]);
      if (g) {
        r.parents.set(g.name, p.descriptor.metadata.name);
        want(wantedGroups, g.name, p, ["spec", "children", i]);
      }
    });
    members?.forEach((m, i) => {
      const u = ref(p, ["spec", "members", i], m, "user", ["user"]);
      if (u) {
        addMember(p.descriptor.metadata.name, u.name);
        want(wantedUsers, u.name, p, ["spec", "members", i]);
      }
    });
  }
  for (const p of r.users) {
    p.descriptor.spec.memberOf?.forEach((m, i) => {
      const g = ref(p, ["spec", "memberOf", i], m, "group", ["group"]);
      if (g) {
        addMember(g.name, p.descriptor.metadata.name);
        want(wantedGroups, g.name, p, ["spec", "memberOf", i]);
      }
    });
  }
  for (const p of r.services) {
    const d = p.descriptor;
    const edges: Array<{ relation: string; targetKind: string; targetName: string }> = [];
    const add = (relation: string, list: string[] | undefined, field: string, def: string, allowed: string[]) =>
      list?.forEach((value, i) => {
        const t = ref(p, ["spec", field, i], value, def, allowed);
        if (t && !edges.some((e) => e.relation === relation && e.targetKind === t.kind && e.targetName === t.name)) {
          edges.push({ relation, targetKind: t.kind, targetName: t.name });
        }
      });
    if (d.kind === "Component" || d.kind === "Resource") add("dependsOn", d.spec.dependsOn, "dependsOn", "component", ["component", "resource"]);
    if (d.kind === "Component") {
      add("providesApi", d.spec.providesApis, "providesApis", "api", ["api"]);
      add("consumesApi", d.spec.consumesApis, "consumesApis", "api", ["api"]);
    }
    r.edges.set(p, edges);
  }

  const importedGroups = new Set(r.groups.map((g) => g.descriptor.metadata.name));
  const importedUsers = new Set(r.users.map((u) => u.descriptor.metadata.name));
  const missingGroups = [...wantedGroups.keys()].filter((n) => !importedGroups.has(n));
  const missingUsers = [...wantedUsers.keys()].filter((n) => !importedUsers.has(n));
  const knownGroups = await inChunks(missingGroups, lookupChunk, (names) => db.team.findMany({ where: { name: { in: names } }, select: { name: true } }));
  const knownUsers = await inChunks(missingUsers, lookupChunk, (names) => db.person.findMany({ where: { name: { in: names } }, select: { name: true } }));
  const known = (list: Array<{ name: string }>) => new Set(list.map((x) => x.name));
  const report = (map: typeof wantedGroups, names: string[], have: Set<string>, what: string) => {
    for (const name of names.filter((n) => !have.has(n))) {
      for (const { p, path } of map.get(name)!) {
        errors.push({
          document: p.document,
          line: p.lineOf(path),
          message: `${path.join(".")}: ${what} "${name}" is neither in this import nor in the catalogue`,
        });
      }
    }
  };
  report(wantedGroups, missingGroups, known(knownGroups), "group");
  report(wantedUsers, missingUsers, known(knownUsers), "user");

  // People are matched to sign-ins by email, so an email can belong to one person only.
  const emails = new Map<string, ParsedDescriptor>();
  for (const p of r.users) {
    const email = p.descriptor.spec.profile?.email?.toLowerCase();
    if (!email) continue;
    const other = emails.get(email);
    if (other)
      errors.push({
        document: p.document,
        line: p.lineOf(["spec", "profile", "email"]),
        message: `spec.profile.email: ${email} is also the email of document ${other.document}`,
      });
    emails.set(email, p);
  }
  if (emails.size) {
    const taken = await inChunks([...emails.keys()], lookupChunk, (chunk) =>
      db.person.findMany({ where: { email: { in: chunk } }, select: { name: true, email: true } }),
    );
    for (const t of taken) {
      const p = emails.get(t.email!)!;
      if (p.descriptor.metadata.name !== t.name) {
        errors.push({
          document: p.document,
          line: p.lineOf(["spec", "profile", "email"]),
          message: `spec.profile.email: ${t.email} already belongs to user "${t.name}"`,
        });
      }
    }
  }
  return r;
}

type Counts = ImportResult;

/*
 * Postgres takes at most 65,535 bind parameters a statement, and a round trip per row made a 16,000-service import
 * take minutes on the embedded database. Services and their edges go as one jsonb parameter per chunk of rows
 * (thousands of bind parameters are slow to bind and plan, on PGlite most of all); other lookups in chunks.
 */
const lookupChunk = 5_000;
const rowChunk = 2_000;

/** One jsonb parameter holding many values or rows, for `jsonb_array_elements_text` or `jsonb_to_recordset`. */
const jsonb = (value: unknown) => Prisma.sql`${JSON.stringify(value)}::jsonb`;

async function inChunks<T, R>(items: T[], size: number, run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await run(items.slice(i, i + size))));
  return results;
}

type ExistingService = { id: string; kind: string; name: string; sourceHash: string | null; team: string | null };

/** The services an import names that the catalogue already holds, by `kind:name`. */
async function findExistingServices(tx: DbTx, services: Resolved["services"]): Promise<Map<string, ExistingService>> {
  const byKind = new Map<ServiceKind, string[]>();
  for (const s of services) {
    const kind = serviceKindOf[s.descriptor.kind];
    const names = byKind.get(kind) ?? [];
    names.push(s.descriptor.metadata.name);
    byKind.set(kind, names);
  }
  const found = new Map<string, ExistingService>();
  for (const [kind, names] of byKind) {
    const rows = await inChunks(
      names,
      rowChunk,
      (chunk) =>
        tx.$queryRaw<ExistingService[]>`
        SELECT s.id::text, s.kind, s.name, s.source_hash AS "sourceHash", t.name AS team
        FROM service s LEFT JOIN team t ON t.id = s.team_id
        WHERE s.kind = ${kind} AND s.name IN (SELECT jsonb_array_elements_text(${jsonb(chunk)}))`,
    );
    for (const row of rows) found.set(`${row.kind}:${row.name}`, row);
  }
  return found;
}

/** Notes the facet values of these services (as manual_service_facet_keys has them), to add or take away. */
function recordFacetKeys(tx: DbTx, ids: string[], delta: 1 | -1): Promise<number> {
  const list = Prisma.sql`SELECT jsonb_array_elements_text(${jsonb(ids)})::uuid`;
  return tx.$executeRaw`
    INSERT INTO import_facet_delta (id, kind, facet, value, delta)
    SELECT id, kind, 'total', '', ${delta}::int FROM service WHERE id IN (${list})
    UNION ALL SELECT id, kind, 'team', coalesce(team_id::text, ''), ${delta}::int FROM service WHERE id IN (${list})
    UNION ALL SELECT id, kind, 'tier', coalesce(tier::text, ''), ${delta}::int FROM service WHERE id IN (${list})
    UNION ALL SELECT id, kind, 'lifecycle', lifecycle, ${delta}::int FROM service WHERE id IN (${list})
    UNION ALL SELECT DISTINCT s.id, s.kind, 'tag', t, ${delta}::int FROM service s CROSS JOIN LATERAL unnest(coalesce(s.tags, '{}')) AS t
      WHERE s.id IN (${list})`;
}

/** What the row trigger would have added up, one upsert per count row: singles, and pairs of one service's values. */
async function applyFacetDeltas(tx: DbTx): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO service_facet_count (kind, facet, value, count)
    SELECT kind, facet, value, sum(delta)::int FROM import_facet_delta GROUP BY 1, 2, 3 HAVING sum(delta) <> 0
    ON CONFLICT (kind, facet, value) DO UPDATE SET count = service_facet_count.count + EXCLUDED.count`;
  await tx.$executeRaw`
    INSERT INTO service_facet_pair_count (kind, facet, value, other_facet, other_value, count)
    SELECT a.kind, a.facet, a.value, b.facet, b.value, sum(a.delta)::int
    FROM import_facet_delta a JOIN import_facet_delta b ON b.id = a.id AND b.delta = a.delta AND b.facet <> a.facet
    WHERE a.facet <> 'total' AND b.facet <> 'total'
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(a.delta) <> 0
    ON CONFLICT (kind, facet, value, other_facet, other_value) DO UPDATE SET count = service_facet_pair_count.count + EXCLUDED.count`;
  await tx.$executeRaw`DELETE FROM import_facet_delta`;
}

async function write(tx: DbTx, r: Resolved, existingServices: Map<string, ExistingService>): Promise<Counts> {
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  const tally = (existing: { sourceHash: string | null } | undefined, hash: string) => {
    if (!existing) counts.created++;
    else if (existing.sourceHash === hash) counts.unchanged++;
    else counts.updated++;
    return !existing || existing.sourceHash !== hash;
  };

  // Groups first: everything else points at them.
  const existingTeams = new Map(
    (await tx.team.findMany({ where: { name: { in: r.groups.map((g) => g.descriptor.metadata.name) } }, select: { name: true, sourceHash: true } })).map(
      (t) => [t.name, t],
    ),
  );
  for (const p of r.groups) {
    const d = p.descriptor;
    if (!tally(existingTeams.get(d.metadata.name), p.hash)) continue;
    const fields = {
      title: d.metadata.title ?? d.spec.profile?.displayName ?? null,
      description: d.metadata.description ?? null,
      type: d.spec.type,
      email: d.spec.profile?.email ?? null,
      pictureUrl: d.spec.profile?.picture ?? null,
      chatChannel: d.metadata.annotations?.["slipway.io/chat-channel"] ?? null,
      links: d.metadata.links ?? [],
      sourceHash: p.hash,
    };
    await tx.team.upsert({ where: { name: d.metadata.name }, create: { name: d.metadata.name, ...fields }, update: fields });
  }
  const groupNames = new Set<string>([...r.owners.values(), ...r.parents.keys(), ...r.parents.values(), ...r.membersOfGroup.keys()]);
  const teamIds = new Map((await tx.team.findMany({ where: { name: { in: [...groupNames] } }, select: { id: true, name: true } })).map((t) => [t.name, t.id]));
  for (const [child, parent] of r.parents) {
    if (child === parent) continue;
    await tx.team.update({ where: { name: child }, data: { parentId: teamIds.get(parent) ?? null } });
  }

  const existingPeople = new Map(
    (await tx.person.findMany({ where: { name: { in: r.users.map((u) => u.descriptor.metadata.name) } }, select: { name: true, sourceHash: true } })).map(
      (x) => [x.name, x],
    ),
  );
  for (const p of r.users) {
    const d = p.descriptor;
    if (!tally(existingPeople.get(d.metadata.name), p.hash)) continue;
    const fields = {
      displayName: d.spec.profile?.displayName ?? d.metadata.title ?? null,
      email: d.spec.profile?.email?.toLowerCase() ?? null,
      pictureUrl: d.spec.profile?.picture ?? null,
      sourceHash: p.hash,
    };
    await tx.person.upsert({ where: { name: d.metadata.name }, create: { name: d.metadata.name, ...fields }, update: fields });
  }

  // Memberships: an imported group with `members`, or an imported user with `memberOf`, states its whole set.
  const personNames = new Set<string>([...r.groupsOfUser.keys(), ...r.users.map((u) => u.descriptor.metadata.name)]);
  const personIds = new Map(
    (await tx.person.findMany({ where: { name: { in: [...personNames] } }, select: { id: true, name: true } })).map((x) => [x.name, x.id]),
  );
  for (const p of r.groups) {
    if (!p.descriptor.spec.members) continue;
    const teamId = teamIds.get(p.descriptor.metadata.name) ?? (await tx.team.findUnique({ where: { name: p.descriptor.metadata.name } }))!.id;
    teamIds.set(p.descriptor.metadata.name, teamId);
    const keep = [...(r.membersOfGroup.get(p.descriptor.metadata.name) ?? [])].map((n) => personIds.get(n)!).filter(Boolean);
    await tx.membership.deleteMany({ where: { teamId, personId: { notIn: keep } } });
  }
  for (const p of r.users) {
    if (!p.descriptor.spec.memberOf) continue;
    const personId = personIds.get(p.descriptor.metadata.name)!;
    const keep = [...(r.groupsOfUser.get(p.descriptor.metadata.name) ?? [])].map((n) => teamIds.get(n)!).filter(Boolean);
    await tx.membership.deleteMany({ where: { personId, teamId: { notIn: keep } } });
  }
  const pairs = [...r.membersOfGroup].flatMap(([group, people]) =>
    [...people].map((person) => ({ teamId: teamIds.get(group)!, personId: personIds.get(person)! })),
  );
  await inChunks(
    pairs.filter((x) => x.teamId && x.personId),
    lookupChunk,
    async (data) => [await tx.membership.createMany({ data, skipDuplicates: true })],
  );

  const existingSystems = new Map(
    (
      await tx.system.findMany({
        where: { OR: r.systems.map((s) => ({ kind: s.descriptor.kind.toLowerCase(), name: s.descriptor.metadata.name })) },
        select: { kind: true, name: true, sourceHash: true },
      })
    ).map((x) => [`${x.kind}:${x.name}`, x]),
  );
  for (const p of r.systems) {
    const d = p.descriptor;
    const kind = d.kind.toLowerCase();
    if (!tally(existingSystems.get(`${kind}:${d.metadata.name}`), p.hash)) continue;
    const parent = d.kind === "System" ? d.spec.domain : d.spec.subdomainOf;
    const fields = {
      title: d.metadata.title ?? null,
      description: d.metadata.description ?? null,
      ownerTeamId: teamIds.get(r.owners.get(p)!) ?? null,
      parentName: parent ? ((parseEntityRef(parent, "domain", ["domain"]) as { name?: string }).name ?? null) : null,
      sourceHash: p.hash,
    };
    await tx.system.upsert({ where: { kind_name: { kind, name: d.metadata.name } }, create: { kind, name: d.metadata.name, ...fields }, update: fields });
  }

  const changed: Array<{ p: (typeof r.services)[number]; existing: ExistingService | undefined }> = [];
  for (const p of r.services) {
    const existing = existingServices.get(`${serviceKindOf[p.descriptor.kind]}:${p.descriptor.metadata.name}`);
    if (tally(existing, p.hash)) changed.push({ p, existing });
  }
  if (!changed.length) return counts;
  const savedIds = new Map<string, string>();
  // The facet counts move once per count row for the whole import (see the manual_deferred_facet_counts migration).
  await tx.$executeRaw`SELECT set_config('slipway.defer_facet_counts', 'on', true)`;
  await tx.$executeRaw`CREATE TEMPORARY TABLE IF NOT EXISTS import_facet_delta (id uuid, kind text, facet text, value text, delta int) ON COMMIT DROP`;
  const replacedIds = changed.flatMap(({ existing }) => (existing ? [existing.id] : []));
  await inChunks(replacedIds, rowChunk, async (chunk) => [await recordFacetKeys(tx, chunk, -1)]);
  // One upsert per chunk; updated_at is set here because Prisma's @updatedAt is filled in by the client.
  await inChunks(changed, rowChunk, async (chunk) => {
    const rows = chunk.map(({ p, existing }) => {
      const d = p.descriptor;
      const system = d.spec.system ? parseEntityRef(d.spec.system, "system", ["system"]) : undefined;
      return {
        id: existing?.id ?? randomUUID(),
        kind: serviceKindOf[d.kind],
        name: d.metadata.name,
        title: d.metadata.title ?? null,
        description: d.metadata.description ?? null,
        type: d.spec.type,
        lifecycle: d.kind === "Resource" ? "production" : d.spec.lifecycle,
        tier: tierOf(d),
        tags: d.metadata.tags ?? [],
        links: d.metadata.links ?? [],
        annotations: d.metadata.annotations ?? {},
        system_name: system && !("error" in system) ? system.name : null,
        repository_url: repositoryUrlOf(d),
        definition: d.kind === "API" ? (typeof d.spec.definition === "string" ? d.spec.definition : stringify(d.spec.definition)) : null,
        team_id: teamIds.get(r.owners.get(p)!) ?? null,
        source_hash: p.hash,
      };
    });
    const saved = await tx.$queryRaw<Array<{ id: string; kind: string; name: string }>>`
      INSERT INTO service (id, kind, name, title, description, type, lifecycle, tier, tags, links, annotations, system_name, repository_url,
        definition, team_id, source_hash, updated_at)
      SELECT id, kind, name, title, description, type, lifecycle, tier,
        ARRAY(SELECT t FROM jsonb_array_elements_text(tags) WITH ORDINALITY AS e(t, i) ORDER BY i), links, annotations,
        system_name, repository_url, definition, team_id, source_hash, now()
      FROM jsonb_to_recordset(${jsonb(rows)}) AS x(id uuid, kind text, name text, title text, description text, type text, lifecycle text,
        tier int, tags jsonb, links jsonb, annotations jsonb, system_name text, repository_url text, definition text, team_id uuid, source_hash text)
      ON CONFLICT (kind, name) DO UPDATE SET title = excluded.title, description = excluded.description, type = excluded.type,
        lifecycle = excluded.lifecycle, tier = excluded.tier, tags = excluded.tags, links = excluded.links, annotations = excluded.annotations,
        system_name = excluded.system_name, repository_url = excluded.repository_url, definition = excluded.definition,
        team_id = excluded.team_id, source_hash = excluded.source_hash, updated_at = excluded.updated_at
      RETURNING id::text, kind, name`;
    for (const row of saved) savedIds.set(`${row.kind}:${row.name}`, row.id);
    return [];
  });
  await inChunks([...savedIds.values()], rowChunk, async (chunk) => [await recordFacetKeys(tx, chunk, 1)]);
  await applyFacetDeltas(tx);
  await tx.$executeRaw`SELECT set_config('slipway.defer_facet_counts', 'off', true)`;

  // A changed descriptor states its whole set of dependencies.
  await inChunks(replacedIds, rowChunk, async (chunk) => [
    await tx.$executeRaw`DELETE FROM dependency WHERE service_id IN (SELECT jsonb_array_elements_text(${jsonb(chunk)})::uuid)`,
  ]);
  const edges = changed.flatMap(({ p }) => {
    const serviceId = savedIds.get(`${serviceKindOf[p.descriptor.kind]}:${p.descriptor.metadata.name}`)!;
    return (r.edges.get(p) ?? []).map((e) => ({ serviceId, ...e }));
  });
  await inChunks(edges, rowChunk, async (chunk) => [
    await tx.$executeRaw`
      INSERT INTO dependency (service_id, relation, target_kind, target_name)
      SELECT "serviceId", relation, "targetKind", "targetName"
      FROM jsonb_to_recordset(${jsonb(chunk)}) AS x("serviceId" uuid, relation text, "targetKind" text, "targetName" text)`,
  ]);
  return counts;
}

export type ImportPlan = {
  resolved: Resolved;
  existingServices: Map<string, ExistingService>;
  /** Squads whose services the import creates or changes (current and new owners); null for unowned. */
  teams: Array<string | null>;
  /** Whether the import touches the organisation (groups, users, systems, domains). */
  organisation: boolean;
  documents: number;
};

/**
 * Checks an import of Backstage descriptors: any invalid document rejects the whole import with every error
 * found (document, line, message). Runs inside the caller's transaction so the plan and the write see one state.
 */
export async function planImport(tx: DbTx, text: string): Promise<ImportPlan> {
  const { descriptors, errors, count } = parseDescriptors(text);
  if (!descriptors.length && !errors.length) {
    throw new ValidationError("The import holds no descriptors.", [{ document: 1, line: 1, message: "no YAML documents found" }]);
  }
  const resolved = await resolve(tx, descriptors, errors);
  if (errors.length) {
    errors.sort((a, b) => a.document - b.document || a.line - b.line);
    const documents = new Set(errors.map((e) => e.document)).size;
    throw new ValidationError(`${documents} of ${count} documents ${documents === 1 ? "is" : "are"} invalid; nothing was imported.`, errors);
  }
  const existingServices = await findExistingServices(tx, resolved.services);
  const teams = new Set<string | null>([...resolved.services.map((s) => resolved.owners.get(s) ?? null), ...[...existingServices.values()].map((c) => c.team)]);
  return {
    resolved,
    existingServices,
    teams: [...teams],
    organisation: resolved.groups.length + resolved.users.length + resolved.systems.length > 0,
    documents: count,
  };
}

/** Upserts everything the plan holds by entity reference; the caller's transaction makes it all or nothing. */
export async function applyImport(tx: DbTx, plan: ImportPlan): Promise<ImportResult> {
  return write(tx, plan.resolved, plan.existingServices);
}
