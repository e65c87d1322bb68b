import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { getService, getTeam, importCatalogue } from "../../../server/catalogue";
import { ValidationError } from "../../../server/shared/errors";
import { asSystem, useTestDatabase } from "../../fixtures/database";

const example = fs.readFileSync("test/fixtures/catalogue/backstage-example.yaml", "utf8");
const invalid = fs.readFileSync("test/fixtures/catalogue/invalid-example.yaml", "utf8");
const documentCount = example.split(/^---$/m).filter((d) => /^kind:/m.test(d)).length;

describe("Backstage descriptor import", () => {
  const db = useTestDatabase();

  it("imports groups, users, systems, components, APIs and resources, and they show up", async () => {
    const result = await importCatalogue(example, asSystem, db.current().prisma);
    expect(result).toEqual({ created: documentCount, updated: 0, unchanged: 0 });

    const lookup = await getService("artist-lookup", "component", db.current().prisma);
    expect(lookup.team?.name).toBe("team-a");
    expect(lookup.lifecycle).toBe("experimental");
    expect(lookup.repositoryUrl).toBe("https://github.com/acme-corp/artist-lookup");
    expect(lookup.dependsOn).toEqual([expect.objectContaining({ kind: "resource", name: "artists-db", exists: true })]);
    expect(lookup.dependents.map((d) => d.name)).toEqual(["artist-web"]);

    // The three forms of an owner reference resolve to the same kind of thing.
    expect((await getService("playback-order", "component", db.current().prisma)).team?.name).toBe("team-b");

    const archiveApi = await getService("wayback-archive", "api", db.current().prisma);
    expect(archiveApi.providers.map((p) => p.name)).toEqual(["wayback-archive"]);
    expect(archiveApi.consumers.map((p) => p.name)).toEqual(["wayback-search"]);

    const teamA = await getTeam("team-a", db.current().prisma);
    expect(teamA.parent?.name).toBe("acme-corp");
    expect(teamA.services.map((s) => s.name)).toContain("artist-lookup");
    expect(teamA.members.length).toBeGreaterThan(0);
    const acme = await getTeam("acme-corp", db.current().prisma);
    expect(acme.children.map((c) => c.name).sort()).toEqual(["team-a", "team-b"]);
  });

  it("counts a repeated import as unchanged and an edited document as updated", async () => {
    await importCatalogue(example, asSystem, db.current().prisma);
    expect(await importCatalogue(example, asSystem, db.current().prisma)).toEqual({ created: 0, updated: 0, unchanged: documentCount });

    const edited = example.replace("description: Artist Lookup", "description: Finds artists by name");
    expect(await importCatalogue(edited, asSystem, db.current().prisma)).toEqual({ created: 0, updated: 1, unchanged: documentCount - 1 });
    expect((await getService("artist-lookup", "component", db.current().prisma)).description).toBe("Finds artists by name");
  });

  it("rejects a catalogue with invalid documents whole, naming each document and line", async () => {
    const error = await importCatalogue(invalid, asSystem, db.current().prisma).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const { errors } = (error as ValidationError).extensions as { errors: Array<{ document: number; line: number; message: string }> };
    expect(new Set(errors.map((e) => e.document))).toEqual(new Set([2, 4]));
    const nameError = errors.find((e) => e.document === 2)!;
    expect(nameError.message).toMatch(/metadata\.name/);
    expect(invalid.split("\n")[nameError.line - 1]).toContain("Bad_Name!");
    expect(errors.find((e) => e.document === 4)!.message).toMatch(/spec\.owner/);
    // Nothing was written, not even the valid documents.
    expect(await db.current().prisma.team.count()).toBe(0);
    expect(await db.current().prisma.service.count()).toBe(0);
  });

  it("keeps a service with the largest name, title, description and tags its descriptor allows, and rejects a 21st tag", async () => {
    // Every indexed column at its limit: the catalogue's covering indexes hold entries of at most 2,704 bytes.
    const tags = Array.from({ length: 20 }, (_, i) => `${String.fromCharCode(97 + i)}${"x1y2z3".repeat(10)}`.slice(0, 63));
    const largest = (name: string, tagList: string[]) => `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ledger-squad
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  title: "${"Übergröße ".repeat(20)}"
  description: "${"Reconciles settlement journal entries against the general ledger, nightly and on demand. ".repeat(60).slice(0, 5000)}"
  tags: [${tagList.join(", ")}]
spec:
  type: service
  lifecycle: production
  owner: ledger-squad
`;
    const name = `z${"9".repeat(62)}`;
    expect(await importCatalogue(largest(name, tags), asSystem, db.current().prisma)).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const kept = await getService(name, "component", db.current().prisma);
    expect(kept.tags).toEqual(tags);
    expect(kept.description).toHaveLength(5000);

    const error = await importCatalogue(largest("one-tag-too-many", [...tags, "extra"]), asSystem, db.current().prisma).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const { errors } = (error as ValidationError).extensions as { errors: Array<{ message: string }> };
    expect(errors.map((e) => e.message).join(" ")).toMatch(/at most 20 tags/);
  });

  it("rejects references to owners that exist nowhere, and malformed YAML, with lines", async () => {
    const yaml = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: lonely
spec:
  type: service
  lifecycle: production
  owner: group:nobody
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: [unclosed
`;
    const error = (await importCatalogue(yaml, asSystem, db.current().prisma).catch((e: unknown) => e)) as ValidationError;
    const { errors } = error.extensions as { errors: Array<{ document: number; line: number; message: string }> };
    expect(errors[0]).toMatchObject({ document: 1, line: 8 });
    expect(errors[0]!.message).toMatch(/group "nobody" is neither in this import nor in the catalogue/);
    expect(errors.some((e) => e.document === 2 && /YAML/.test(e.message))).toBe(true);
  });

  it("resolves owners against groups already in the catalogue", async () => {
    await importCatalogue(example, asSystem, db.current().prisma);
    const yaml = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: new-thing, annotations: { slipway.io/tier: "1" } }
spec: { type: service, lifecycle: production, owner: team-b }
`;
    expect(await importCatalogue(yaml, asSystem, db.current().prisma)).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const service = await getService("new-thing", "component", db.current().prisma);
    expect(service.team?.name).toBe("team-b");
    expect(service.tier).toBe(1);
  });
});
