#!/usr/bin/env node
// `slipway` (npm bin, `npx slipway`): Slipway's command line for CI. Its source is TypeScript under cli/, run through
// tsx, a runtime dependency of this package, so it works after `npm ci --omit=dev` with no build step. It is a plain
// HTTP client of the API and loads none of the server's code.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
