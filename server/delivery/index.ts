import "server-only";
import { environmentPolicies } from "../releases";
import { database, type Db } from "../shared/db";
import { NotFoundError } from "../shared/errors";
import { isSafeText } from "../shared/input";
import type { DeliveryFigureName, DeliveryFigures, DeliveryRollout, DeliveryWindow } from "./contract";
import { deliveryFigures, deliveryRollouts } from "./delivery-figures";
import type { DeliveryScope } from "./delivery-sql";

export * from "./contract";
export { deliveryOpenApi } from "./openapi";
export type { DeliveryScope } from "./delivery-sql";

/** The environments configured as production: only deploys there count. */
const production = () =>
  environmentPolicies()
    .filter((e) => e.production)
    .map((e) => e.name);

function checkName(scope: DeliveryScope): void {
  // A name no entity can have (control characters, too long) is simply not there.
  if (!scope.name || scope.name.length > 253 || !isSafeText(scope.name)) {
    throw new NotFoundError(scope.kind === "team" ? `There is no team named "${scope.name}".` : `There is no service named "${scope.name}".`);
  }
}

/** DORA's four keys for a team (and the teams below it) or a service, over the last 30 or 90 days, with a weekly trend. */
export async function getDeliveryFigures(scope: DeliveryScope, days: DeliveryWindow, options: { db?: Db; now?: Date } = {}): Promise<DeliveryFigures> {
  checkName(scope);
  const db = options.db ?? (await database()).prisma;
  return deliveryFigures(db, scope, { days, productionEnvironments: production(), ...(options.now ? { now: options.now } : {}) });
}

/** The production rollouts behind one figure, newest first. */
export async function getDeliveryRollouts(
  scope: DeliveryScope,
  query: { days: DeliveryWindow; figure: DeliveryFigureName; week?: string | undefined },
  options: { db?: Db; now?: Date } = {},
): Promise<{ items: DeliveryRollout[]; since: string; until: string }> {
  checkName(scope);
  const db = options.db ?? (await database()).prisma;
  return deliveryRollouts(db, scope, { ...query, productionEnvironments: production(), ...(options.now ? { now: options.now } : {}) });
}
