/**
 * The command line: which commands exist, their options, and the parser that turns argv into one of them. No
 * dependencies: the CLI runs in CI images that install only Slipway's runtime packages.
 */

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help explains the mistake, if the mistake was inside one. */
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

type Option = { name: string; value?: string; description: string; env?: string };
type CommandSpec = {
  name: string;
  summary: string;
  usage: string;
  positional?: { name: string; description: string; required: boolean };
  options: Option[];
  examples?: string[];
};

const waitOptions: Option[] = [
  { name: "wait", description: "follow the rollout to its end; the exit code says how it ended" },
  { name: "timeout", value: "duration", description: "with --wait, give up after this long (e.g. 90s, 20m, 2h; 0 waits for ever). Default 30m" },
];

export const globalOptions: Option[] = [
  { name: "url", value: "url", description: "Slipway's address", env: "SLIPWAY_URL" },
  { name: "token", value: "token", description: "an API token (slw_…), sent as Authorization: Bearer", env: "SLIPWAY_TOKEN" },
  { name: "json", description: "print the API's answer as JSON on stdout (errors too, as {error: problem})" },
  { name: "help", description: "show this help" },
];

export const commands: CommandSpec[] = [
  {
    name: "release register",
    summary: "register a build; automatic environments (staging) roll it out at once",
    usage: "slipway release register --service <name> --version <version> --image <ref> [--commit <sha>] [options]",
    options: [
      { name: "service", value: "name", description: "the service, as named in the catalogue (required)" },
      { name: "version", value: "version", description: "the release's version, e.g. 2.4.0 (required)" },
      { name: "image", value: "ref", description: "the image built, e.g. registry.example/card-api:2.4.0 (required)" },
      { name: "digest", value: "sha256:…", description: "the image's digest" },
      { name: "commit", value: "sha", description: "the commit built (default: $GITHUB_SHA or $CI_COMMIT_SHA)" },
      { name: "committed-at", value: "time", description: "when that commit was made, ISO 8601 (default: asked of git when it knows the commit)" },
      { name: "commit-url", value: "url", description: "a link to the commit (default: built from GitHub's or GitLab's variables)" },
      { name: "build-url", value: "url", description: "a link to the build (default: the GitHub Actions run or GitLab job)" },
      { name: "author", value: "name", description: "who made the change (default: $GITHUB_ACTOR or $GITLAB_USER_LOGIN)" },
      { name: "changelog", value: "text", description: "what changed" },
      { name: "changelog-file", value: "path", description: "read what changed from a file" },
      { name: "wait", description: "follow the automatic rollouts it started to their end (exit code by outcome; 6 when a freeze holds one back)" },
      waitOptions[1]!,
    ],
    examples: [
      "slipway release register --service card-api --version 2.4.0 --image registry.example/card-api:2.4.0 --commit 9f1c2ab",
      "slipway release register --service card-api --version 2.4.0 --image registry.example/card-api:2.4.0 --wait",
    ],
  },
  {
    name: "rollout request",
    summary: "ask for a release to be rolled out to an environment (production waits for approval)",
    usage: "slipway rollout request --service <name> --environment <env> --version <version> [--reason <text>] [--wait]",
    options: [
      { name: "service", value: "name", description: "the service (required)" },
      { name: "environment", value: "env", description: "where to, e.g. production (required)" },
      { name: "version", value: "version", description: "a registered release of the service (required)" },
      { name: "reason", value: "text", description: "why; production requests need one, and approvers read it" },
      ...waitOptions,
    ],
    examples: ['slipway rollout request --service card-api --environment production --version 2.4.0 --reason "Fixes the 3-D Secure timeout"'],
  },
  {
    name: "rollout status",
    summary: "show a rollout; with --wait, follow it to its end (exit code by outcome)",
    usage: "slipway rollout status (<rollout-id> | --service <name> --environment <env> [--version <version>]) [--wait [--timeout <duration>]]",
    positional: { name: "rollout-id", description: "the rollout (or find the newest one with --service and --environment)", required: false },
    options: [
      { name: "service", value: "name", description: "with --environment: the newest rollout of this service there" },
      { name: "environment", value: "env", description: "with --service: the environment" },
      { name: "version", value: "version", description: "only a rollout of this version" },
      ...waitOptions,
    ],
    examples: ["slipway rollout status 0b7c…-… --wait", "slipway rollout status --service card-api --environment staging --version 2.4.0 --wait --timeout 15m"],
  },
  {
    name: "rollout rollback",
    summary: "roll back to the previous release, or to a chosen one (allowed during a freeze)",
    usage: "slipway rollout rollback (<rollout-id> | --service <name> --environment <env>) [--to-version <version>] [--reason <text>] [--wait]",
    positional: { name: "rollout-id", description: "the rollout to undo (or the newest applied one, with --service and --environment)", required: false },
    options: [
      { name: "service", value: "name", description: "with --environment: roll back the newest rollout applied there" },
      { name: "environment", value: "env", description: "with --service: the environment" },
      { name: "to-version", value: "version", description: "the release to go back to (default: the one before)" },
      { name: "reason", value: "text", description: "why" },
      ...waitOptions,
    ],
  },
  {
    name: "freeze start",
    summary: "freeze deploys, everywhere or for a service and/or environment (admins)",
    usage: "slipway freeze start --reason <text> (--for <duration> | --until <time>) [--service <name>] [--environment <env>]",
    options: [
      { name: "reason", value: "text", description: "why (required)" },
      { name: "for", value: "duration", description: "how long, e.g. 2h or 3d" },
      { name: "until", value: "time", description: "when it ends, ISO 8601 (e.g. 2026-12-24T18:00:00Z)" },
      { name: "service", value: "name", description: "only this service" },
      { name: "environment", value: "env", description: "only this environment" },
    ],
    examples: ['slipway freeze start --environment production --for 3d --reason "Year-end change freeze"'],
  },
  {
    name: "freeze lift",
    summary: "lift a freeze, by id or by what it covers",
    usage: "slipway freeze lift (<freeze-id> | [--service <name>] [--environment <env>] | --global)",
    positional: { name: "freeze-id", description: "the freeze (see slipway freeze list)", required: false },
    options: [
      { name: "service", value: "name", description: "the freeze on this service" },
      { name: "environment", value: "env", description: "the freeze on this environment" },
      { name: "global", description: "the freeze on everything" },
    ],
  },
  {
    name: "freeze list",
    summary: "list active and coming freezes",
    usage: "slipway freeze list",
    options: [],
  },
  {
    name: "catalogue import",
    summary: "import Backstage descriptors (catalog-info.yaml); all or nothing",
    usage: "slipway catalogue import <file>",
    positional: { name: "file", description: "a YAML file of one or more documents, or - for stdin", required: true },
    options: [],
    examples: ["slipway catalogue import catalog-info.yaml"],
  },
  {
    name: "whoami",
    summary: "who the token acts as, and with which scopes",
    usage: "slipway whoami",
    options: [],
  },
];

export type Parsed =
  | { kind: "help"; command?: string }
  | { kind: "version" }
  | { kind: "command"; command: string; positional: string | undefined; options: Record<string, string | true> };

const isFlag = (spec: Option) => spec.value === undefined;

/** Turns argv (without node and the script) into a command, or a request for help. Throws UsageError. */
export function parseArgs(argv: readonly string[]): Parsed {
  const words: string[] = [];
  const options: Record<string, string | true> = {};
  const pending = [...argv];
  let command: CommandSpec | undefined;
  let onlyPositionals = false;
  const specFor = (name: string) => command?.options.find((o) => o.name === name) ?? globalOptions.find((o) => o.name === name);

  while (pending.length) {
    const arg = pending.shift()!;
    if (onlyPositionals || arg === "-" || !arg.startsWith("-")) {
      words.push(arg);
      if (!command) command = commands.find((c) => c.name === words.join(" "));
      continue;
    }
    if (arg === "--") {
      onlyPositionals = true;
      continue;
    }
    if (arg === "-h") {
      options.help = true;
      continue;
    }
    // --version is the CLI's own version unless the command has a --version option (release register has).
    if (arg === "-v" || (arg === "--version" && !command?.options.some((o) => o.name === "version"))) return { kind: "version" };
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    const spec = match ? specFor(match[1]!) : undefined;
    const where = command ? ` for "slipway ${command.name}"` : "";
    if (!match || !spec) throw new UsageError(`unknown option ${arg.split("=")[0]}${where}`, command?.name);
    if (isFlag(spec)) {
      if (match[2] !== undefined) throw new UsageError(`--${spec.name} takes no value`, command?.name);
      options[spec.name] = true;
      continue;
    }
    const value = match[2] ?? pending.shift();
    if (value === undefined || (match[2] === undefined && value.startsWith("--"))) {
      throw new UsageError(`--${spec.name} needs a value (${spec.value})`, command?.name);
    }
    options[spec.name] = value;
  }

  if (!command) {
    if (options.help || words.length === 0 || words[0] === "help") {
      const asked = words[0] === "help" ? words.slice(1).join(" ") : words.join(" ");
      const known = commands.find((c) => c.name === asked);
      return known ? { kind: "help", command: known.name } : { kind: "help" };
    }
    const group = commands.filter((c) => c.name.startsWith(`${words[0]} `));
    if (group.length) {
      const sub = words[1] ? `unknown command "${words[0]} ${words[1]}"` : `"${words[0]}" needs a command`;
      throw new UsageError(`${sub}: ${group.map((c) => c.name.split(" ")[1]).join(", ")}`);
    }
    throw new UsageError(`unknown command "${words[0]}" (see slipway --help)`);
  }
  if (options.help) return { kind: "help", command: command.name };

  const extra = words.slice(command.name.split(" ").length);
  if (extra.length > (command.positional ? 1 : 0)) {
    throw new UsageError(`unexpected argument "${extra[command.positional ? 1 : 0]}"`, command.name);
  }
  if (command.positional?.required && extra.length === 0) throw new UsageError(`missing <${command.positional.name}>`, command.name);
  return { kind: "command", command: command.name, positional: extra[0], options };
}

/** "20m" -> 1_200_000. Plain numbers are seconds. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new UsageError(`--${option} takes a duration like 90s, 20m, 2h or 3d, not "${text}"`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h" | "d"];
  return Math.round(Number(match[1]) * unit);
}

function optionLines(options: Option[]): string[] {
  const left = options.map((o) => `  --${o.name}${o.value ? ` <${o.value}>` : ""}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return options.map((o, i) => `${left[i]!.padEnd(width)}${o.description}${o.env ? ` (or $${o.env})` : ""}`);
}

export function helpText(name?: string): string {
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const width = Math.max(...commands.map((c) => c.name.length)) + 4;
    return [
      "slipway: Slipway's command line, for CI and for people",
      "",
      "Usage: slipway <command> [options]",
      "",
      "Commands:",
      ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
      "",
      "Options of every command:",
      ...optionLines(globalOptions),
      "",
      "Exit codes: 0 done (a rollout succeeded), 1 error, 2 wrong usage, 3 rollout failed, 4 rolled back, 5 rejected,",
      "            6 cancelled, expired or superseded, 7 timed out waiting.",
      "",
      "slipway <command> --help says more about a command.",
    ].join("\n");
  }
  return [
    `slipway ${command.name}: ${command.summary}`,
    "",
    `Usage: ${command.usage}`,
    ...(command.positional ? ["", `  <${command.positional.name}>  ${command.positional.description}`] : []),
    ...(command.options.length ? ["", "Options:", ...optionLines(command.options)] : []),
    "",
    "Options of every command:",
    ...optionLines(globalOptions),
    ...(command.examples?.length ? ["", "Examples:", ...command.examples.map((e) => `  ${e}`)] : []),
  ].join("\n");
}
