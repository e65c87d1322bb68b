import { run } from "./slipway";

// Ctrl-C while waiting: stop at once, with the shell's code for an interrupt; the rollout itself carries on.
process.once("SIGINT", () => process.exit(130));

process.exitCode = await run({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr });
