import { auditSigningKey } from "@/server/audit";
import { authorizeRequest } from "@/server/identity";
import { route } from "@/server/shared/route";
import { NotFoundError } from "@/server/shared/errors";

export const dynamic = "force-dynamic";

/** The Ed25519 public key (SPKI PEM) that verifies the audit digests, for `npm run audit:verify -- --public-key`. */
export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "audit.read" });
  const key = auditSigningKey();
  if (!key) throw new NotFoundError("Audit digests are off: no signing key is configured (SLIPWAY_AUDIT_SIGNING_KEY).");
  return new Response(key.publicKeyPem, {
    headers: { "content-type": "application/x-pem-file", "x-slipway-key-id": key.keyId, "cache-control": "no-store" },
  });
});
