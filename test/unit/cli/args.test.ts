import { describe, expect, it } from "vitest";
import { commands, helpText, parseArgs, parseDuration, UsageError } from "../../../cli/args";

/** How `slipway …` command lines are read: what a person types in a shell or a CI file. */
describe("slipway's argument parser", () => {
  it("reads a command with its options, given as --name value or --name=value, global options anywhere", () => {
    expect(
      parseArgs(["--json", "release", "register", "--service", "card-api", "--version=2.4.0", "--image", "registry.example/card-api:2.4.0", "--wait"]),
    ).toEqual({
      kind: "command",
      command: "release register",
      positional: undefined,
      options: { json: true, service: "card-api", version: "2.4.0", image: "registry.example/card-api:2.4.0", wait: true },
    });
  });

  it("takes a command's one positional argument, and values that start with a dash after --", () => {
    expect(parseArgs(["rollout", "status", "0b7c", "--wait", "--timeout", "15m"])).toMatchObject({
      positional: "0b7c",
      options: { wait: true, timeout: "15m" },
    });
    expect(parseArgs(["catalogue", "import", "-"])).toMatchObject({ command: "catalogue import", positional: "-" });
    expect(parseArgs(["catalogue", "import", "--", "-odd-name.yaml"])).toMatchObject({ positional: "-odd-name.yaml" });
    expect(parseArgs(["rollout", "request", "--reason=--force is not a flag here"])).toMatchObject({ options: { reason: "--force is not a flag here" } });
  });

  it("answers --help, -h and `help <command>` with that command's help, and anything bare with the overview", () => {
    expect(parseArgs(["rollout", "status", "--help"])).toEqual({ kind: "help", command: "rollout status" });
    expect(parseArgs(["freeze", "start", "-h"])).toEqual({ kind: "help", command: "freeze start" });
    expect(parseArgs(["help", "catalogue", "import"])).toEqual({ kind: "help", command: "catalogue import" });
    expect(parseArgs([])).toEqual({ kind: "help" });
    expect(parseArgs(["--version"])).toEqual({ kind: "version" });
    expect(parseArgs(["rollout", "status", "--version", "2.4.0"])).toMatchObject({ kind: "command", options: { version: "2.4.0" } });
    for (const c of commands) {
      const help = helpText(c.name);
      expect(help).toContain(`Usage: slipway ${c.name}`);
      for (const o of c.options) expect(help).toContain(`--${o.name}`);
      expect(help).toContain("$SLIPWAY_TOKEN");
    }
    expect(helpText()).toMatch(/3 rollout failed, 4 rolled back, 5 rejected/);
  });

  it.each([
    [["deploy"], 'unknown command "deploy" (see slipway --help)'],
    [["rollout"], '"rollout" needs a command: request, status, rollback'],
    [["rollout", "undo"], 'unknown command "rollout undo": request, status, rollback'],
    [["rollout", "status", "--wiat"], 'unknown option --wiat for "slipway rollout status"'],
    [["rollout", "status", "--timeout"], "--timeout needs a value (duration)"],
    [["rollout", "status", "--service", "--wait"], "--service needs a value (name)"],
    [["rollout", "status", "--wait=yes"], "--wait takes no value"],
    [["rollout", "status", "a", "b"], 'unexpected argument "b"'],
    [["whoami", "amara"], 'unexpected argument "amara"'],
    [["catalogue", "import"], "missing <file>"],
  ])("refuses %j with a usage error: %s", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it("reads durations in ms, s, m, h and d (a bare number is seconds) and refuses anything else", () => {
    expect(parseDuration("90s", "timeout")).toBe(90_000);
    expect(parseDuration("20m", "timeout")).toBe(1_200_000);
    expect(parseDuration("1.5h", "for")).toBe(5_400_000);
    expect(parseDuration("3d", "for")).toBe(259_200_000);
    expect(parseDuration("45", "timeout")).toBe(45_000);
    expect(parseDuration("0", "timeout")).toBe(0);
    expect(() => parseDuration("soon", "timeout")).toThrow('--timeout takes a duration like 90s, 20m, 2h or 3d, not "soon"');
    expect(() => parseDuration("-5m", "for")).toThrow(UsageError);
  });
});
