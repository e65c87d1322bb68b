import "server-only";
import { configuredTarget, openDatabase } from "../shared/db";
import { applyMigrations, diffSchemaAgainstMigrations, migrationStatus, writeMigration } from "../shared/migrations";

/** `npm run db:migrate | db:migration -- NAME | db:status | db:seed`: offline Prisma migrations. */
async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (command === "create") {
    const name = args[0];
    if (!name) {
      console.error("usage: npm run db:migration -- NAME");
      return 2;
    }
    const sql = await diffSchemaAgainstMigrations();
    if (!sql || /^-- This is an empty migration/.test(sql)) {
      console.log("The schema matches the migrations: nothing to create.");
      return 0;
    }
    console.log(`Created ${writeMigration(name, sql)}`);
    return 0;
  }
  const database = await openDatabase(configuredTarget());
  try {
    if (command === "migrate") {
      const applied = await applyMigrations(database.adapterFactory);
      console.log(applied.length ? `Applied ${applied.length}: ${applied.join(", ")}` : "Database is up to date.");
      return 0;
    }
    if (command === "status") {
      const status = await migrationStatus(database.adapterFactory);
      const drift = await diffSchemaAgainstMigrations();
      const schemaDrift = drift.trim() && !/^-- This is an empty migration/.test(drift.trim());
      console.log(
        JSON.stringify(
          {
            database: database.kind,
            upToDate: status.applied,
            pendingMigrations: status.pending,
            editedMigrations: status.edited,
            failedMigrations: status.failed,
            schemaWithoutMigration: Boolean(schemaDrift),
          },
          null,
          2,
        ),
      );
      return status.applied && !schemaDrift ? 0 : 1;
    }
    if (command === "seed") {
      const { seedDemo } = await import("../demo/seed/index");
      await applyMigrations(database.adapterFactory);
      const result = await seedDemo(database.prisma);
      console.log(result.seeded ? "Seeded the demo organisation." : "Demo data already present.");
      return 0;
    }
    console.error("usage: db.ts migrate | create NAME | status | seed");
    return 2;
  } finally {
    await database.close();
  }
}

// The wasm engine leaves a timer alive: exit explicitly.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
