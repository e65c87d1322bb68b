// Generates the Prisma client when the schema changed since the last generation. The schema engine binary is not
// needed to generate (and cannot be downloaded here), so point Prisma at a no-op executable.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const schema = fs.readFileSync(path.join(root, "prisma/schema.prisma"));
const stampFile = path.join(root, "server/shared/generated/prisma/.schema-hash");
const hash = createHash("sha256").update(schema).digest("hex");
if (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, "utf8") !== hash) {
  execFileSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "generate"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  fs.writeFileSync(stampFile, hash);
}
