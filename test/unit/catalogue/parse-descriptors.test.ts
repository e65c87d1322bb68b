import { describe, expect, it } from "vitest";
import { maxDocuments, parseDescriptors } from "../../../server/catalogue/descriptors/parse-descriptors";

const component = (name: string, description = "A service") => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  description: ${description}
spec: { type: service, lifecycle: production, owner: cards }
`;

/** Each level repeats the one before ten times: nine levels would expand to a billion "lol"s. */
const billionLaughs = [
  "apiVersion: backstage.io/v1alpha1",
  "kind: Component",
  "metadata:",
  "  name: bomb",
  "  labels:",
  '    l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 8 }, (_, i) => `    l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(",")}]`),
  "spec: { type: service, lifecycle: production, owner: cards }",
].join("\n");

describe("parsing descriptors", () => {
  it("refuses a YAML alias bomb quickly, as an error of that document", () => {
    const started = performance.now();
    const { descriptors, errors } = parseDescriptors(`${component("fine")}---\n${billionLaughs}\n`);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(descriptors.map((d) => d.descriptor.metadata.name)).toEqual(["fine"]);
    expect(errors).toEqual([{ document: 2, line: expect.any(Number), message: expect.stringMatching(/alias/) }]);
  });

  it("keeps ordinary anchors and aliases working", () => {
    const text = `${component("anchored").replace("description: A service", "description: &d Shared text\n  title: *d")}`;
    const { descriptors, errors } = parseDescriptors(text);
    expect(errors).toEqual([]);
    expect(descriptors[0]!.descriptor.metadata).toMatchObject({ description: "Shared text", title: "Shared text" });
  });

  it("refuses text Postgres cannot store (NUL, a lone surrogate), naming the document and line", () => {
    const text = `${component("ok")}---\n${component("nul", '"has a \\0 in it"')}---\n${component("half", '"half \\uD800 a pair"')}`;
    const { descriptors, errors } = parseDescriptors(text);
    expect(descriptors.map((d) => d.descriptor.metadata.name)).toEqual(["ok"]);
    expect(errors).toEqual([
      { document: 2, line: 12, message: expect.stringMatching(/^metadata\.description: .*NUL/) },
      { document: 3, line: 19, message: expect.stringMatching(/^metadata\.description: .*NUL/) },
    ]);
  });

  it("stops reading at the document limit instead of composing millions of empty documents", () => {
    const started = performance.now();
    const { descriptors, errors } = parseDescriptors("---\n".repeat(2_000_000));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(descriptors).toEqual([]);
    expect(errors).toEqual([{ document: maxDocuments + 1, line: 1, message: `at most ${maxDocuments} documents per import` }]);
  });
});
