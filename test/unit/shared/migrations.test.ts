import { describe, expect, it } from "vitest";
import { diffSchemaAgainstMigrations, withoutManualDrops } from "@/server/shared/migrations";

describe("migrations created from schema changes", () => {
  it("agree with schema.prisma: db:status finds no schema change without a migration", async () => {
    expect(await diffSchemaAgainstMigrations()).toBe("");
  }, 120_000);

  it("never drop hand-written columns, indexes or functions, and keep the real change next to them", () => {
    // Prisma's diff, as it writes one when a field is added to a table that has two hand-written columns.
    const diff = [
      "-- DropIndex",
      'DROP INDEX "manual_service_name_trgm";',
      "",
      "-- AlterTable",
      'ALTER TABLE "service" DROP COLUMN "manual_search_document",',
      'DROP COLUMN "manual_search_text",',
      'ADD COLUMN "owner_email" TEXT,',
      'ADD COLUMN "cost" DECIMAL(10,2);',
      "",
      "-- AlterTable",
      'ALTER TABLE "team" DROP COLUMN "manual_search_text";',
      "",
      "-- AlterTable",
      'ALTER TABLE "person" DROP COLUMN "nickname";',
      "",
      "-- CreateIndex",
      'CREATE INDEX "service_owner_email_idx" ON "service"("owner_email");',
    ].join("\n");
    expect(withoutManualDrops(diff)).toBe(
      [
        "-- AlterTable",
        'ALTER TABLE "service" ADD COLUMN "owner_email" TEXT,',
        'ADD COLUMN "cost" DECIMAL(10,2);',
        "",
        "-- AlterTable",
        'ALTER TABLE "person" DROP COLUMN "nickname";',
        "",
        "-- CreateIndex",
        'CREATE INDEX "service_owner_email_idx" ON "service"("owner_email");',
      ].join("\n"),
    );
    // Only hand-written columns to drop: nothing to do.
    expect(withoutManualDrops('-- AlterTable\nALTER TABLE "service" DROP COLUMN "manual_search_document",\nDROP COLUMN "manual_search_text";\n')).toBe("");
  });
});
