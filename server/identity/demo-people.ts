import "server-only";
import { database } from "../shared/db";
import { toIdentity, personSelect } from "./person-repository";
import { demoSignInEnabled } from "./sign-in";
import type { PersonIdentity } from "./types";

/** Everyone one can become on the demo sign-in page, approvers and admins first. */
export async function listDemoPeople(): Promise<PersonIdentity[]> {
  if (!demoSignInEnabled()) return [];
  const { prisma } = await database();
  const rows = await prisma.person.findMany({ select: personSelect, orderBy: { name: "asc" }, take: 200 });
  const rank = (p: PersonIdentity) => (p.roles.includes("admin") ? 0 : p.roles.includes("approver") ? 1 : p.roles.includes("engineer") ? 2 : 3);
  return rows.map(toIdentity).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
