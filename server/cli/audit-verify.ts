import "server-only";
import fs from "node:fs";
import { createPublicKey, type KeyObject } from "node:crypto";
import { parseArgs } from "node:util";
import { verifyOffline } from "../audit";

const usage = "usage: npm run audit:verify -- --events export.jsonl --digests digests.jsonl [--digests more.jsonl ...] --public-key key.pub.pem";

/**
 * `npm run audit:verify`: an auditor's check that needs no access to Slipway or its database. Exit 0: the export is
 * a complete, intact chain and every signed digest anchors a head that is in it; 1: tampering found (the reason is
 * printed); 2: bad arguments or unreadable files.
 */
function main(): number {
  let values: { events?: string; digests?: string[]; "public-key"?: string };
  try {
    values = parseArgs({
      options: { events: { type: "string" }, digests: { type: "string", multiple: true }, "public-key": { type: "string" } },
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (!values.events || !values.digests?.length || !values["public-key"]) {
    console.error(usage);
    return 2;
  }
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
    }
  };
  let events: string;
  let digests: string[];
  let publicKey: KeyObject;
  try {
    events = read(values.events);
    digests = values.digests.map(read);
    const pem = read(values["public-key"]);
    try {
      publicKey = createPublicKey(pem);
    } catch {
      throw new Error(`${values["public-key"]}: not a public key in PEM`);
    }
    if (publicKey.asymmetricKeyType !== "ed25519") throw new Error(`${values["public-key"]}: expected an Ed25519 public key`);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const result = verifyOffline({ events, digests, publicKey });
  if (!result.ok) {
    console.error(`FAILED: ${result.reason}`);
    return 1;
  }
  console.log(
    `OK: ${result.events} events form one unbroken chain (seq 1 to ${result.headSeq ?? "-"}); ${result.digests} signed digests verify, ` +
      `the newest anchoring seq ${result.lastAnchoredSeq ?? "-"}.`,
  );
  if (result.digests === 0) console.log("Warning: no digests: a removed tail of the chain cannot be detected without them.");
  return 0;
}

process.exitCode = main();
