// CLI entry points run server modules outside a React Server Components bundle, where the `server-only` marker
// package would throw: resolve it to an empty module instead. (Passing --conditions=react-server would also load
// React and Next.js in their server-component builds, which the custom server cannot run under.)
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(
      'export async function resolve(specifier, context, next) { if (specifier === "server-only") return { url: "data:text/javascript,export {}", shortCircuit: true }; return next(specifier, context); }',
    ),
);
