// `npm run check:architecture`: the import rules of docs/architecture.md, checked on every import in app/,
// components/, server/, proxy.ts and the slipway command (cli/, bin/). Prints each broken rule with its imports and exits 1 when there is any.
//
// A small script rather than ESLint or dependency-cruiser: TypeScript 7 has no JavaScript compiler API, so
// typescript-eslint refuses to install beside it and dependency-cruiser cannot parse .ts files. oxc (the parser knip
// uses too) reads every file in well under a second and tells type-only imports and "use client" apart.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseSync } from "oxc-parser";
import { ResolverFactory } from "oxc-resolver";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const scanned = ["app", "components", "server", "proxy.ts", "cli", "bin"];
const skipped = /^server\/shared\/generated\/|(^|\/)node_modules\//;

// Who may start the demo backends and hand them to the modules: the composition root and the demo itself.
const demoUsers = [/^server\/cli\//, /^server\/demo\//, /^server\/composition\//, /^server\/slipway\.ts$/];
// Where Prisma's generated client may be imported: the one client in db.ts, and a feature module's own files
// (repositories and use cases, as formbricks does), never its index.ts or contract.ts.
const prismaUsers = [/^server\/shared\/db\.ts$/];

/** What a file is, for the rules: its layer, and for server files the module it belongs to. */
function classify(file) {
  if (file.startsWith("app/") || file === "proxy.ts") return { layer: "app" };
  if (file.startsWith("components/")) return { layer: "components" };
  // The `slipway` command (cli/, started by bin/slipway.mjs): an HTTP client of the API, shipped to CI machines.
  if (file.startsWith("cli/") || file.startsWith("bin/")) return { layer: "api-client" };
  if (file.startsWith("server/shared/generated/")) return { layer: "prisma" };
  const m = /^server\/([^/]+)\/(.*)$/.exec(file);
  if (!m) return { layer: "other" };
  const [, name, rest] = m;
  if (name === "shared") return { layer: "shared", file: rest };
  if (name === "cli") return { layer: "cli" };
  if (name === "demo") return { layer: "demo" };
  const surface = /^index(\.tsx?)?$/.test(rest) ? "index" : /^contract(\.tsx?)?$/.test(rest) ? "contract" : "internal";
  return { layer: "module", module: name, surface };
}

const rules = [
  {
    id: "app-uses-module-index",
    why: "app/ reaches a module only through its index.ts or contract.ts",
    test: (e) => e.from.layer === "app" && e.to.layer === "module" && e.to.surface === "internal",
  },
  {
    id: "app-no-database",
    why: "app/ never touches the database: no server/shared/db.ts, no Prisma client (ask a module)",
    test: (e) => e.from.layer === "app" && (isDb(e.to) || isPrisma(e)),
  },
  {
    id: "components-use-contract",
    why: "components/ reach server/ only through a module's index.ts (server components; client code only its types) or contract.ts",
    test: (e) =>
      e.from.layer === "components" &&
      isServer(e.to) &&
      !(e.to.layer === "module" && (e.to.surface === "contract" || (e.to.surface === "index" && (e.typeOnly || !e.clientReached)))),
  },
  {
    id: "client-no-server-code",
    why: 'nothing a "use client" file loads (directly or through other files) imports server/ code at run time; use contract.ts',
    test: (e) => e.clientReached && !e.typeOnly && ((isServer(e.to) && e.to.surface !== "contract") || e.package === "server-only"),
  },
  {
    id: "contract-browser-safe",
    why: "a contract.ts is loaded in the browser: it imports only other contracts and packages, never server-only code",
    test: (e) => e.from.surface === "contract" && !e.typeOnly && ((isServer(e.to) && e.to.surface !== "contract") || e.package === "server-only"),
  },
  {
    id: "module-uses-module-index",
    why: "a module reaches another module only through its index.ts or contract.ts",
    test: (e) =>
      ["module", "shared", "cli", "demo"].includes(e.from.layer) && e.to.layer === "module" && e.to.surface === "internal" && e.from.module !== e.to.module,
  },
  {
    id: "shared-is-the-bottom",
    why: "server/shared/ is below every module: it imports no module, no demo code",
    test: (e) => e.from.layer === "shared" && ["module", "demo", "cli"].includes(e.to.layer),
  },
  {
    id: "demo-only-from-composition",
    why: "only the composition root (server/cli/) starts the demo backends; modules get them passed in",
    test: (e) => e.to.layer === "demo" && !demoUsers.some((re) => re.test(e.fromFile)),
  },
  {
    id: "prisma-in-data-files",
    why: "Prisma's generated client only in server/shared/db.ts and a module's own files, never its index.ts or contract.ts",
    // app/ and components/ are reported by their own rules above.
    test: (e) =>
      isPrisma(e) &&
      isServerFile(e.fromFile) &&
      !prismaUsers.some((re) => re.test(e.fromFile)) &&
      !(e.from.layer === "module" && e.from.surface === "internal"),
  },
  {
    id: "layers-point-down",
    why: "server/ never imports app/ or components/; components/ never import app/",
    test: (e) => (isServerFile(e.fromFile) && ["app", "components"].includes(e.to.layer)) || (e.from.layer === "components" && e.to.layer === "app"),
  },
  {
    id: "cli-is-an-api-client",
    why: "the slipway command (cli/, bin/) reaches Slipway over HTTP only: no server/, app/ or components/ code, and nothing of Slipway imports it",
    test: (e) =>
      (e.from.layer === "api-client" && (isServer(e.to) || ["app", "components"].includes(e.to.layer) || e.package === "server-only")) ||
      (e.from.layer !== "api-client" && e.to.layer === "api-client"),
  },
  {
    id: "server-code-is-marked",
    why: 'every server/ file but contract.ts imports "server-only", so a slip into the browser bundle fails the build',
    file: (f) => isServerFile(f.file) && /\.tsx?$/.test(f.file) && f.kind.surface !== "contract" && !f.imports.some((i) => i.target.package === "server-only"),
  },
];

const isServerFile = (file) => file.startsWith("server/");
const isServer = (c) => ["module", "shared", "cli", "demo", "prisma"].includes(c.layer);
const isDb = (c) => c.layer === "shared" && c.file === "db.ts";
const isPrisma = (e) => e.to.layer === "prisma" || e.package === "@prisma/client";

function listFiles(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [entry];
  return fs
    .readdirSync(full, { recursive: true })
    .map((name) => path.posix.join(entry, String(name).split(path.sep).join("/")))
    .filter((file) => /\.(ts|tsx|mts|mjs|js)$/.test(file) && !file.endsWith(".d.ts") && !skipped.test(file));
}

const resolver = new ResolverFactory({
  tsconfig: { configFile: path.join(root, "tsconfig.json") },
  extensions: [".ts", ".tsx", ".mts", ".mjs", ".js", ".json"],
  conditionNames: ["import", "node", "default"],
});

function resolve(fromFile, specifier) {
  const isPath = specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("@/");
  if (isPath) {
    const result = resolver.sync(path.dirname(path.join(root, fromFile)), specifier);
    if (result.path && !result.path.includes(`${path.sep}node_modules${path.sep}`)) {
      return { file: path.relative(root, result.path).split(path.sep).join("/") };
    }
    // Not on disk (yet, like the generated Prisma client before `prisma generate`): judge it by its path.
    const guessed = specifier.startsWith("@/") ? specifier.slice(2) : path.posix.join(path.posix.dirname(fromFile), specifier);
    return { file: path.posix.normalize(guessed) };
  }
  const parts = specifier.split("/");
  return { package: specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0] };
}

const started = performance.now();
const files = scanned.flatMap(listFiles);
const modules = new Map(); // file -> { client, imports: [{ specifier, typeOnly, target }] }
const parseErrors = [];
for (const file of files) {
  const source = fs.readFileSync(path.join(root, file), "utf8");
  const parsed = parseSync(file, source);
  if (parsed.errors.length) parseErrors.push(`${file}: ${parsed.errors[0].message}`);
  const client = parsed.program.body.some((s) => s.type === "ExpressionStatement" && s.directive === "use client");
  const imports = [];
  for (const i of parsed.module.staticImports) {
    // `import { type A }` alone is erased like `import type { A }`; a bare `import "x"` runs x.
    const typeOnly = i.entries.length > 0 && i.entries.every((entry) => entry.isType);
    imports.push({ specifier: i.moduleRequest.value, typeOnly, line: lineOf(source, i.start) });
  }
  for (const x of parsed.module.staticExports) {
    for (const entry of x.entries) {
      if (entry.moduleRequest) imports.push({ specifier: entry.moduleRequest.value, typeOnly: entry.isType, line: lineOf(source, x.start) });
    }
  }
  for (const d of parsed.module.dynamicImports) {
    const text = source.slice(d.moduleRequest.start, d.moduleRequest.end);
    const literal = /^(["'`])([^"'`$]*)\1$/.exec(text);
    if (literal) imports.push({ specifier: literal[2], typeOnly: false, line: lineOf(source, d.start) });
  }
  for (const entry of imports) entry.target = resolve(file, entry.specifier);
  modules.set(file, { client, imports });
}

function lineOf(source, offset) {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

// Everything a "use client" file loads at run time ends up in the browser bundle.
const clientReached = new Map(); // file -> the "use client" file that pulls it in
const queue = [];
for (const [file, m] of modules) if (m.client) (clientReached.set(file, file), queue.push(file));
while (queue.length) {
  const file = queue.shift();
  for (const entry of modules.get(file)?.imports ?? []) {
    const target = entry.target.file;
    if (entry.typeOnly || !target || clientReached.has(target) || !modules.has(target)) continue;
    if (isServer(classify(target))) continue; // reported at this edge, no need to walk further
    clientReached.set(target, clientReached.get(file));
    queue.push(target);
  }
}

const found = new Map(rules.map((r) => [r.id, []]));
for (const [fromFile, m] of modules) {
  const from = classify(fromFile);
  for (const entry of m.imports) {
    const to = entry.target.file ? classify(entry.target.file) : { layer: "package" };
    const e = { fromFile, from, to, typeOnly: entry.typeOnly, package: entry.target.package, clientReached: clientReached.has(fromFile) };
    for (const rule of rules) {
      if (!rule.test?.(e)) continue;
      const via = rule.id === "client-no-server-code" && clientReached.get(fromFile) !== fromFile ? ` (loaded by ${clientReached.get(fromFile)})` : "";
      const target = entry.target.file ?? entry.target.package ?? entry.specifier;
      found.get(rule.id).push(`${fromFile}:${entry.line} -> ${target}${entry.typeOnly ? " (type)" : ""}${via}`);
    }
  }
}

for (const [file, m] of modules) {
  for (const rule of rules) if (rule.file?.({ file, kind: classify(file), imports: m.imports })) found.get(rule.id).push(file);
}

let total = 0;
for (const rule of rules) {
  const list = found.get(rule.id);
  if (!list.length) continue;
  total += list.length;
  console.log(`\n${rule.id} (${list.length}): ${rule.why}`);
  for (const line of list) console.log(`  ${line}`);
}
for (const error of parseErrors) console.log(`parse error: ${error}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const summary = `${files.length} files, ${[...modules.values()].reduce((n, m) => n + m.imports.length, 0)} imports checked in ${seconds}s`;
if (total) {
  console.log(`\n${total} architecture violation${total === 1 ? "" : "s"} (${summary}). The rules and why: docs/architecture.md`);
  process.exit(1);
}
console.log(`Architecture rules hold (${summary}).`);
