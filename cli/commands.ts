import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { z } from "zod";
import { parseDuration, UsageError } from "./args";
import { followRollout } from "./follow-rollout";
import { CliError, type ApiClient } from "./http";
import { exitCodeForState, exitCodes, isFinal, worstExitCode } from "./outcome";
import { progressReporter, type ProgressStream } from "./progress";
import { describeOutcome, describeProgress, releaseSchema, rolloutSchema, type Rollout } from "./rollout-view";

export type CommandContext = {
  client: ApiClient;
  options: Record<string, string | true>;
  positional: string | undefined;
  json: boolean;
  env: Record<string, string | undefined>;
  stdout: ProgressStream;
  stderr: ProgressStream;
  readStdin: () => Promise<string>;
  /** Overrides for tests: how often to poll, how long a silent stream may last. */
  followTuning?: { idleMs?: number; pollMs?: { first: number; max: number } };
};

const say = (ctx: CommandContext, line: string) => void ctx.stdout.write(`${line}\n`);
const warn = (ctx: CommandContext, line: string) => void ctx.stderr.write(`slipway: ${line}\n`);
const printJson = (ctx: CommandContext, value: unknown) => void ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function text(ctx: CommandContext, name: string, required: true): string;
function text(ctx: CommandContext, name: string, required?: false): string | undefined;
function text(ctx: CommandContext, name: string, required = false): string | undefined {
  const value = ctx.options[name];
  if (value === true) throw new UsageError(`--${name} needs a value`);
  if (required && (value === undefined || value === "")) throw new UsageError(`missing --${name}`);
  return value === "" ? undefined : value;
}

const words = (state: string) => state.replace(/_/g, " ");

/** --timeout for --wait: 30 minutes unless told, 0 for no limit. */
const timeoutOf = (ctx: CommandContext) => parseDuration(text(ctx, "timeout") ?? "30m", "timeout");

const rolloutPath = (id: string) => `/api/v1/rollouts/${encodeURIComponent(id)}`;

/** Follows each rollout to its end, printing progress, and returns the exit code of the worst outcome. */
async function waitFor(ctx: CommandContext, ids: string[]): Promise<{ code: number; rollouts: Rollout[] }> {
  const timeoutMs = timeoutOf(ctx);
  const results = [];
  for (const id of ids) {
    const progress = progressReporter(ctx.stderr);
    let followed;
    try {
      followed = await followRollout(ctx.client, id, { timeoutMs, onUpdate: (live) => progress.update(describeProgress(live)), ...ctx.followTuning });
    } finally {
      progress.done();
    }
    const { rollout } = followed.live;
    if (followed.timedOut) {
      if (!ctx.json) warn(ctx, `timed out after ${text(ctx, "timeout") ?? "30m"}: ${describeProgress(followed.live)} (rollout ${rollout.id})`);
      results.push({ code: exitCodes.timedOut, rollout });
      continue;
    }
    const code = exitCodeForState(rollout.state);
    if (!ctx.json) {
      if (code === exitCodes.ok) say(ctx, describeOutcome(rollout));
      else warn(ctx, describeOutcome(rollout));
    }
    results.push({ code, rollout });
  }
  return { code: worstExitCode(results.map((r) => r.code)), rollouts: results.map((r) => r.rollout) };
}

// ---- release register ----

const registrationSchema = z.looseObject({
  release: releaseSchema,
  created: z.boolean(),
  autoRollouts: z.array(z.string()).default([]),
  heldByFreeze: z.array(z.looseObject({ environment: z.string(), until: z.string(), reason: z.string() })).default([]),
});

/** What CI already knows about the build, so a workflow step needs only the service, version and image. */
function ciDefaults(env: Record<string, string | undefined>, sha: string | undefined) {
  const github = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : undefined;
  return {
    commitUrl: sha && github ? `${github}/commit/${sha}` : sha && env.CI_PROJECT_URL ? `${env.CI_PROJECT_URL}/-/commit/${sha}` : undefined,
    buildUrl: github && env.GITHUB_RUN_ID ? `${github}/actions/runs/${env.GITHUB_RUN_ID}` : env.CI_JOB_URL,
    author: env.GITHUB_ACTOR ?? env.GITLAB_USER_LOGIN,
    committedAt: sha && sha === env.CI_COMMIT_SHA ? env.CI_COMMIT_TIMESTAMP : undefined,
  };
}

/** When the commit was made, from git, if this checkout has it (lead time for changes starts there). */
function committedAtFromGit(sha: string): string | undefined {
  const result = spawnSync("git", ["show", "-s", "--format=%cI", sha], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5_000 });
  const value = result.status === 0 ? result.stdout.trim() : "";
  return /^\d{4}-\d\d-\d\dT/.test(value) ? value : undefined;
}

export async function releaseRegister(ctx: CommandContext): Promise<number> {
  const service = text(ctx, "service", true);
  const commit = text(ctx, "commit") ?? ctx.env.GITHUB_SHA ?? ctx.env.CI_COMMIT_SHA;
  if (!commit) throw new UsageError("missing --commit (or $GITHUB_SHA / $CI_COMMIT_SHA in CI)", "release register");
  const defaults = ciDefaults(ctx.env, commit);
  const changelogFile = text(ctx, "changelog-file");
  const body = {
    version: text(ctx, "version", true),
    image: text(ctx, "image", true),
    digest: text(ctx, "digest"),
    commitSha: commit,
    committedAt: text(ctx, "committed-at") ?? defaults.committedAt ?? committedAtFromGit(commit),
    commitUrl: text(ctx, "commit-url") ?? defaults.commitUrl,
    buildUrl: text(ctx, "build-url") ?? defaults.buildUrl,
    author: text(ctx, "author") ?? defaults.author,
    changelog: text(ctx, "changelog") ?? (changelogFile ? readText(changelogFile) : undefined),
  };
  const path = `/api/v1/services/${encodeURIComponent(service)}/releases`;
  const { body: result } = await ctx.client.request("POST", path, registrationSchema, { json: body });
  const { release } = result;

  if (!ctx.json) {
    say(
      ctx,
      result.created
        ? `Registered ${service} ${release.version} (${release.image}).`
        : `${service} ${release.version} was already registered; nothing changed.`,
    );
    for (const held of result.heldByFreeze) {
      say(ctx, `${held.environment}: held back by a freeze until ${held.until} (${held.reason}); request it once the freeze is lifted.`);
    }
  }
  if (ctx.options.wait) {
    if (!result.created && !ctx.json) {
      warn(
        ctx,
        `nothing to wait for: follow the earlier rollout with slipway rollout status --service ${service} --environment <env> --version ${release.version} --wait`,
      );
    }
    const { code, rollouts } = await waitFor(ctx, result.autoRollouts);
    if (ctx.json) printJson(ctx, { ...result, rollouts });
    // A release a freeze holds back is not running where the pipeline expects it: not a success to wait for.
    return worstExitCode([code, ...result.heldByFreeze.map(() => exitCodes.notApplied)]);
  }
  if (ctx.json) {
    printJson(ctx, result);
    return exitCodes.ok;
  }
  for (const id of result.autoRollouts) {
    const { body: rollout } = await ctx.client.request("GET", rolloutPath(id), rolloutSchema);
    say(ctx, `${rollout.environment}: rollout ${id} ${words(rollout.state)}; follow it with: slipway rollout status ${id} --wait`);
  }
  return exitCodes.ok;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

// ---- rollouts ----

const rolloutPage = z.looseObject({ items: z.array(rolloutSchema) });

/** The newest rollout of a service in an environment that passes `keep`, for commands given names instead of an id. */
async function findRollout(ctx: CommandContext, command: string, keep: (r: Rollout) => boolean, what: string): Promise<string> {
  if (ctx.positional) return ctx.positional;
  const service = text(ctx, "service");
  const environment = text(ctx, "environment");
  if (!service || !environment) throw new UsageError("give a rollout id, or --service and --environment", command);
  const { body } = await ctx.client.request("GET", "/api/v1/rollouts", rolloutPage, { query: { service, environment, limit: "50" } });
  const found = body.items.find(keep);
  if (!found) throw new CliError(`${service} has no ${what} in ${environment} among its 50 newest rollouts`);
  return found.id;
}

export async function rolloutRequest(ctx: CommandContext): Promise<number> {
  const input = {
    service: text(ctx, "service", true),
    environment: text(ctx, "environment", true),
    version: text(ctx, "version", true),
    reason: text(ctx, "reason"),
  };
  const { body: rollout } = await ctx.client.request("POST", "/api/v1/rollouts", rolloutSchema, { json: input });
  if (!ctx.json) {
    const checkpoint = rollout.checkpoints.find((c) => c.state === "awaiting_approval");
    const waiting = checkpoint ? `, waiting for ${checkpoint.approvalsRequired} approval${checkpoint.approvalsRequired === 1 ? "" : "s"}` : "";
    say(ctx, `Requested ${rollout.service} ${rollout.release.version} to ${rollout.environment}: rollout ${rollout.id} ${words(rollout.state)}${waiting}.`);
  }
  if (!ctx.options.wait) {
    if (ctx.json) printJson(ctx, rollout);
    return exitCodes.ok;
  }
  const { code, rollouts } = await waitFor(ctx, [rollout.id]);
  if (ctx.json) printJson(ctx, rollouts[0]);
  return code;
}

export async function rolloutStatus(ctx: CommandContext): Promise<number> {
  const version = text(ctx, "version");
  const id = await findRollout(ctx, "rollout status", (r) => !version || r.release.version === version, version ? `rollout of ${version}` : "rollout");
  if (ctx.options.wait) {
    const { code, rollouts } = await waitFor(ctx, [id]);
    if (ctx.json) printJson(ctx, rollouts[0]);
    return code;
  }
  const { body: rollout } = await ctx.client.request("GET", rolloutPath(id), rolloutSchema);
  if (ctx.json) printJson(ctx, rollout);
  else say(ctx, isFinal(rollout.state) ? describeOutcome(rollout) : describeProgress({ rollout, observations: [] }));
  return exitCodeForState(rollout.state);
}

export async function rolloutRollback(ctx: CommandContext): Promise<number> {
  const id = await findRollout(ctx, "rollout rollback", (r) => ["progressing", "succeeded", "failed"].includes(r.state), "applied rollout");
  const input = { toVersion: text(ctx, "to-version"), reason: text(ctx, "reason") };
  const { body: rollback } = await ctx.client.request("POST", `${rolloutPath(id)}/rollback`, rolloutSchema, { json: input });
  if (!ctx.json)
    say(ctx, `Rolling ${rollback.service} in ${rollback.environment} back to ${rollback.release.version}: rollout ${rollback.id} ${words(rollback.state)}.`);
  if (!ctx.options.wait) {
    if (ctx.json) printJson(ctx, rollback);
    return exitCodes.ok;
  }
  const { code, rollouts } = await waitFor(ctx, [rollback.id]);
  if (ctx.json) printJson(ctx, rollouts[0]);
  return code;
}

// ---- freezes ----

const freezeSchema = z.looseObject({
  id: z.string(),
  service: z.string().nullable(),
  environment: z.string().nullable(),
  reason: z.string(),
  createdBy: z.string().optional(),
  startsAt: z.string().optional(),
  endsAt: z.string(),
});
type Freeze = z.infer<typeof freezeSchema>;

const scopeOf = (f: { service: string | null; environment: string | null }) =>
  f.service && f.environment
    ? `${f.service} in ${f.environment}`
    : f.service
      ? `${f.service} everywhere`
      : f.environment
        ? `everything in ${f.environment}`
        : "everything";

export async function freezeStart(ctx: CommandContext): Promise<number> {
  const forText = text(ctx, "for");
  const until = text(ctx, "until");
  if (!forText === !until) throw new UsageError("give one of --for <duration> or --until <time>", "freeze start");
  let endsAt: string;
  if (until) {
    const at = Date.parse(until);
    if (Number.isNaN(at)) throw new UsageError(`--until takes a time like 2026-12-24T18:00:00Z, not "${until}"`, "freeze start");
    endsAt = new Date(at).toISOString();
  } else {
    endsAt = new Date(Date.now() + parseDuration(forText!, "for")).toISOString();
  }
  const input = { service: text(ctx, "service"), environment: text(ctx, "environment"), reason: text(ctx, "reason", true), endsAt };
  const { body: freeze } = await ctx.client.request("POST", "/api/v1/freezes", freezeSchema, { json: input });
  if (ctx.json) printJson(ctx, freeze);
  else say(ctx, `Froze deploys to ${scopeOf(freeze)} until ${freeze.endsAt} (freeze ${freeze.id}).`);
  return exitCodes.ok;
}

const freezeList = z.looseObject({ items: z.array(freezeSchema) });

export async function freezeLift(ctx: CommandContext): Promise<number> {
  let id = ctx.positional;
  if (!id) {
    const service = text(ctx, "service") ?? null;
    const environment = text(ctx, "environment") ?? null;
    if (!service && !environment && !ctx.options.global)
      throw new UsageError("give a freeze id, or --service and/or --environment, or --global", "freeze lift");
    const { body } = await ctx.client.request("GET", "/api/v1/freezes", freezeList);
    const matches = body.items.filter((f) => f.service === service && f.environment === environment);
    if (matches.length === 0) throw new CliError(`no freeze covers exactly ${scopeOf({ service, environment })} (see slipway freeze list)`);
    if (matches.length > 1)
      throw new CliError(`${matches.length} freezes cover ${scopeOf({ service, environment })}: lift one by id (${matches.map((f) => f.id).join(", ")})`);
    id = matches[0]!.id;
  }
  const { body } = await ctx.client.request("DELETE", `/api/v1/freezes/${encodeURIComponent(id)}`, z.unknown());
  if (ctx.json) printJson(ctx, body);
  else say(ctx, `Lifted freeze ${id}.`);
  return exitCodes.ok;
}

export async function freezeListCommand(ctx: CommandContext): Promise<number> {
  const { body } = await ctx.client.request("GET", "/api/v1/freezes", freezeList);
  if (ctx.json) printJson(ctx, body);
  else if (!body.items.length) say(ctx, "No freezes.");
  else for (const f of body.items as Freeze[]) say(ctx, `${f.id}  ${scopeOf(f)} until ${f.endsAt}: ${f.reason}${f.createdBy ? ` (by ${f.createdBy})` : ""}`);
  return exitCodes.ok;
}

// ---- catalogue, whoami ----

const importResult = z.looseObject({ created: z.number(), updated: z.number(), unchanged: z.number() });

export async function catalogueImport(ctx: CommandContext): Promise<number> {
  const file = ctx.positional!;
  const yaml = file === "-" ? await ctx.readStdin() : readText(file);
  const { body } = await ctx.client.request("POST", "/api/v1/catalogue/import", importResult, {
    body: yaml,
    contentType: "application/yaml",
    timeoutMs: 120_000,
  });
  if (ctx.json) printJson(ctx, body);
  else say(ctx, `Imported ${file === "-" ? "stdin" : file}: ${body.created} created, ${body.updated} updated, ${body.unchanged} unchanged.`);
  return exitCodes.ok;
}

const meSchema = z.union([
  z.looseObject({ kind: z.literal("token"), name: z.string(), scopes: z.array(z.string()), owner: z.string().nullable() }),
  z.looseObject({ kind: z.literal("person"), name: z.string(), displayName: z.string().optional(), roles: z.array(z.string()).default([]) }),
]);

export async function whoami(ctx: CommandContext): Promise<number> {
  const { body } = await ctx.client.request("GET", "/api/v1/me", meSchema);
  if (ctx.json) printJson(ctx, body);
  else if (body.kind === "token") say(ctx, `Token "${body.name}" of ${body.owner ?? "nobody"} (scopes: ${body.scopes.join(", ")}) at ${ctx.client.baseUrl}`);
  else say(ctx, `${body.displayName ?? body.name} (${body.name}; roles: ${body.roles.join(", ")}) at ${ctx.client.baseUrl}`);
  return exitCodes.ok;
}
