import "server-only";
import fs from "node:fs";
import path from "node:path";

/**
 * Request paths to the app's route templates ("/api/v1/services/[name]/logs"), so /metrics counts requests per route
 * and never per raw path: a label value per service name or rollout id would grow without bound. The templates come
 * from the build's own list (`app-path-routes-manifest.json`) and, where the sources are present (development,
 * tests), from the app directory.
 */

export type RouteTable = { match(pathname: string): string; templates: readonly string[] };

type Segment = { kind: "static"; text: string } | { kind: "dynamic" } | { kind: "catch-all"; optional: boolean };
type Compiled = { template: string; segments: Segment[] };

/** Paths Next.js serves itself, by prefix. */
const nextPrefixes = ["/_next/static", "/_next/image", "/_next/data", "/_next"];

function compile(template: string): Compiled {
  const segments: Segment[] = template
    .split("/")
    .filter(Boolean)
    .map((part): Segment => {
      if (/^\[\[\.\.\..+\]\]$/.test(part)) return { kind: "catch-all", optional: true };
      if (/^\[\.\.\..+\]$/.test(part)) return { kind: "catch-all", optional: false };
      if (/^\[.+\]$/.test(part)) return { kind: "dynamic" };
      return { kind: "static", text: part };
    });
  return { template, segments };
}

/** A score per matched segment (static beats dynamic beats catch-all, as Next.js decides), or null: no match. */
function score(route: Compiled, parts: string[]): number[] | null {
  const scores: number[] = [];
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    if (segment.kind === "catch-all") {
      const rest = parts.length - i;
      if (rest === 0 && !segment.optional) return null;
      scores.push(0);
      return scores;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (segment.kind === "static") {
      if (segment.text !== part) return null;
      scores.push(2);
    } else scores.push(1);
  }
  return parts.length === route.segments.length ? scores : null;
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return a.length > b.length;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function routeTable(templates: Iterable<string>): RouteTable {
  const unique = [...new Set(templates)].sort();
  const compiled = unique.map(compile);
  return {
    templates: unique,
    match(pathname) {
      for (const prefix of nextPrefixes) if (pathname === prefix || pathname.startsWith(`${prefix}/`)) return prefix;
      const parts = pathname.split("/").filter(Boolean).map(safeDecode);
      let best: { template: string; scores: number[] } | undefined;
      for (const route of compiled) {
        const scores = score(route, parts);
        if (scores && (!best || better(scores, best.scores))) best = { template: route.template, scores };
      }
      return best?.template ?? "(unmatched)";
    },
  };
}

/** "/teams/(directory)/page.tsx" -> "/teams": route groups and the file name vanish from the URL. */
function templateOf(relativeDir: string): string {
  const parts = relativeDir.split(path.sep).filter((p) => p && !(p.startsWith("(") && p.endsWith(")")));
  return `/${parts.join("/")}`;
}

/** Metadata files Next.js serves from the app directory under their own names (favicon.ico, icon.png, robots.txt). */
const metadataFile = /^(favicon\.ico|(apple-)?icon\d*\.\w+|opengraph-image\.\w+|sitemap\.xml|robots\.txt|manifest\.(json|webmanifest))$/;

function appDirTemplates(appDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        // Private folders and parallel-route slots are not URL segments of their own.
        if (!entry.name.startsWith("_") && !entry.name.startsWith("@")) walk(path.join(dir, entry.name));
      } else if (/^(page|route)\.(tsx?|jsx?)$/.test(entry.name)) {
        found.push(templateOf(path.relative(appDir, dir)));
      } else if (metadataFile.test(entry.name)) {
        found.push(templateOf(path.join(path.relative(appDir, dir), entry.name)));
      }
    }
  };
  if (fs.existsSync(appDir)) walk(appDir);
  return found;
}

function manifestTemplates(distDir: string): string[] {
  const file = path.join(distDir, "app-path-routes-manifest.json");
  if (!fs.existsSync(file)) return [];
  try {
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    return Object.values(manifest).filter((v): v is string => typeof v === "string" && !v.startsWith("/_"));
  } catch {
    return [];
  }
}

/** Files under public/ are served at the root under their own names. */
function publicTemplates(publicDir: string): string[] {
  if (!fs.existsSync(publicDir)) return [];
  return fs
    .readdirSync(publicDir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `/${e.name}`);
}

/** The route table of the app in `root`, built with `distDir` (where the build's manifests are). */
export function appRouteTable(root: string, distDir: string): RouteTable {
  return routeTable([
    ...manifestTemplates(path.resolve(root, distDir)),
    ...appDirTemplates(path.join(root, "app")),
    ...publicTemplates(path.join(root, "public")),
  ]);
}
