import "server-only";
import fs from "node:fs";
import { importCatalogue } from "../catalogue";
import { systemContext } from "../identity";
import { configuredTarget, openDatabase } from "../shared/db";
import { hasStatus } from "../shared/errors";
import { applyMigrations } from "../shared/migrations";

/**
 * `npm run catalogue:import -- FILE...`: imports Backstage descriptors from files, all of them in one all-or-nothing
 * import, as the system (an operator on the server). Prints the counts, or every invalid document with its file
 * and line.
 */
async function main(): Promise<number> {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error("usage: npm run catalogue:import -- catalog-info.yaml [more.yaml ...]");
    return 2;
  }
  // One import of all files: documents are numbered across them, so remember where each file starts.
  const starts: Array<{ file: string; firstDocument: number; firstLine: number }> = [];
  let text = "";
  let documents = 0;
  let lines = 0;
  for (const file of files) {
    if (!fs.existsSync(file)) {
      console.error(`${file}: no such file`);
      return 2;
    }
    const content = fs.readFileSync(file, "utf8").replace(/\s+$/, "");
    starts.push({ file, firstDocument: documents + 1, firstLine: lines + 1 });
    const chunk = `${text ? "\n---\n" : ""}${content}\n`;
    if (text) lines += 1;
    text += chunk;
    documents += Math.max(1, content.split(/^---\s*$/m).filter((d) => d.trim()).length);
    lines += content.split("\n").length;
  }
  const database = await openDatabase(configuredTarget());
  try {
    await applyMigrations(database.adapterFactory);
    const result = await importCatalogue(text, { principal: null, context: systemContext(`cli:${process.env.USER ?? "operator"}`) }, database.prisma);
    console.log(JSON.stringify(result));
    return 0;
  } catch (error) {
    if (hasStatus(error, 422)) {
      console.error(error.message);
      const errors = (error.extensions.errors ?? []) as Array<{ document: number; line: number; message: string }>;
      for (const e of errors) {
        const origin = [...starts].reverse().find((s) => e.line >= s.firstLine) ?? starts[0]!;
        console.error(`  ${origin.file}:${e.line - origin.firstLine + 1} (document ${e.document}): ${e.message}`);
      }
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
