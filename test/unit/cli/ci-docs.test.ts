import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseArgs } from "../../../cli/args";

/**
 * docs/ci.md is copied into pipelines as it is: both examples must be valid YAML, and every `slipway` line in them
 * must be a command line this CLI accepts.
 */
const page = fs.readFileSync(new URL("../../../docs/ci.md", import.meta.url), "utf8");
const yamlBlocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The words of a shell line, with "$VAR" and "${{ … }}" kept as single words. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** `slipway …` command lines in a script, with backslash continuations joined. */
function slipwayLines(script: string): string[][] {
  return script
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim().replace(/^- /, ""))
    .filter((l) => l.startsWith("slipway "))
    .map((l) => shellWords(l).slice(1));
}

describe("docs/ci.md", () => {
  it("has a GitHub Actions workflow that registers the build and waits for staging", () => {
    expect(yamlBlocks).toHaveLength(2);
    const workflow = parse(yamlBlocks[0]!) as {
      on: unknown;
      jobs: Record<string, { needs?: string; env?: Record<string, string>; steps: Array<{ run?: string }> }>;
    };
    expect(workflow.on).toEqual({ push: { branches: ["main"] } });
    const staging = workflow.jobs.staging!;
    expect(staging.needs).toBe("build");
    expect(staging.env).toMatchObject({ SLIPWAY_URL: expect.stringMatching(/^https:\/\//), SLIPWAY_TOKEN: "${{ secrets.SLIPWAY_SQUAD_TOKEN }}" });
    const commands = staging.steps.flatMap((s) => (s.run ? slipwayLines(s.run) : []));
    expect(commands.map((c) => parseArgs(c))).toEqual([
      expect.objectContaining({ kind: "command", command: "release register", options: expect.objectContaining({ service: "$SERVICE", version: "$VERSION" }) }),
      expect.objectContaining({ kind: "command", command: "rollout status", options: expect.objectContaining({ environment: "staging", wait: true }) }),
    ]);
  });

  it("has a GitLab CI job that does the same after the build stage", () => {
    const pipeline = parse(yamlBlocks[1]!) as Record<string, { stage?: string; script?: string[]; variables?: Record<string, string> }> & { stages: string[] };
    expect(pipeline.stages).toEqual(["build", "deploy"]);
    expect(pipeline.build!.stage).toBe("build");
    const staging = pipeline.staging!;
    expect(staging.stage).toBe("deploy");
    expect(staging.variables!.SLIPWAY_URL).toMatch(/^https:\/\//);
    const commands = staging.script!.flatMap((line) => slipwayLines(line));
    expect(commands.map((c) => parseArgs(c))).toEqual([
      expect.objectContaining({ command: "release register", options: expect.objectContaining({ image: "$CI_REGISTRY_IMAGE:$VERSION" }) }),
      expect.objectContaining({ command: "rollout status", options: expect.objectContaining({ environment: "staging", wait: true, timeout: "20m" }) }),
    ]);
  });
});
