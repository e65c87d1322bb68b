import { cache } from "react";
import { findTeam } from "@/server/catalogue";

/** One database read per request, shared by the team's layout (which answers 404 for a missing team) and page. */
export const loadTeam = cache((name: string) => findTeam(name));
