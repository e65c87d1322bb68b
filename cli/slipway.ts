import { createRequire } from "node:module";
import { helpText, parseArgs, UsageError } from "./args";
import * as commands from "./commands";
import type { CommandContext } from "./commands";
import { ApiClient, ApiError, formatError, type Fetch } from "./http";
import { exitCodes } from "./outcome";
import type { ProgressStream } from "./progress";

/** The package's version: the CLI ships with the server it talks to. */
const cliVersion = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

export type Io = {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  stdout: ProgressStream;
  stderr: ProgressStream;
  fetch?: Fetch;
  readStdin?: () => Promise<string>;
  followTuning?: CommandContext["followTuning"];
};

const handlers: Record<string, (ctx: CommandContext) => Promise<number>> = {
  "release register": commands.releaseRegister,
  "rollout request": commands.rolloutRequest,
  "rollout status": commands.rolloutStatus,
  "rollout rollback": commands.rolloutRollback,
  "freeze start": commands.freezeStart,
  "freeze lift": commands.freezeLift,
  "freeze list": commands.freezeListCommand,
  "catalogue import": commands.catalogueImport,
  whoami: commands.whoami,
};

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  return text;
}

/** Where Slipway is: --url, else $SLIPWAY_URL; checked here so a typo is a usage error, not a network one. */
function baseUrl(options: Record<string, string | true>, env: Io["env"]): string {
  const raw = typeof options.url === "string" ? options.url : env.SLIPWAY_URL;
  if (!raw) throw new UsageError("no Slipway address: set SLIPWAY_URL or pass --url (e.g. https://slipway.example.com)");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`SLIPWAY_URL / --url is not a URL: "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`SLIPWAY_URL / --url must be http(s), not ${url.protocol}`);
  return url.toString();
}

/** Runs one command line and returns its exit code; writes only to io.stdout and io.stderr, never throws. */
export async function run(io: Io): Promise<number> {
  let json = false;
  try {
    const parsed = parseArgs(io.argv);
    if (parsed.kind === "version") {
      io.stdout.write(`slipway ${cliVersion}\n`);
      return exitCodes.ok;
    }
    if (parsed.kind === "help") {
      io.stdout.write(`${helpText(parsed.command)}\n`);
      return exitCodes.ok;
    }
    json = parsed.options.json === true;
    const token = typeof parsed.options.token === "string" ? parsed.options.token : io.env.SLIPWAY_TOKEN;
    if (!token) throw new UsageError("no API token: set SLIPWAY_TOKEN or pass --token (create one under Settings > API tokens)");
    const client = new ApiClient(baseUrl(parsed.options, io.env), token, io.fetch ?? fetch, `slipway-cli/${cliVersion} node/${process.versions.node}`);
    return await handlers[parsed.command]!({
      client,
      options: parsed.options,
      positional: parsed.positional,
      json,
      env: io.env,
      stdout: io.stdout,
      stderr: io.stderr,
      readStdin: io.readStdin ?? (() => readAll(process.stdin)),
      ...(io.followTuning ? { followTuning: io.followTuning } : {}),
    });
  } catch (error) {
    io.stderr.write(`slipway: ${formatError(error)}\n`);
    if (json)
      io.stdout.write(
        `${JSON.stringify({ error: error instanceof ApiError ? { ...error.problem, status: error.status } : { detail: formatError(error) } })}\n`,
      );
    return error instanceof UsageError ? exitCodes.usage : exitCodes.error;
  }
}
