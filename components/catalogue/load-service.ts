import { cache } from "react";
import { findService, type ServiceKind } from "@/server/catalogue";

/** One database read per request, shared by a service's layout, page and metadata. */
export const loadService = cache((kind: ServiceKind, name: string) => findService(name, kind));
