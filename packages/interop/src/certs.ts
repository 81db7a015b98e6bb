import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * gRPC's public interop test certificates (from grpc/grpc, valid to 2030 for
 * `*.test.google.fr`), copied from the team's `shared/interop/certs` into this
 * package so the programs work from any checkout. Never use them outside tests.
 */
export interface TestCerts {
  /** The CA that signed server1.pem (`--use_test_ca`). */
  readonly ca: Buffer;
  readonly serverCert: Buffer;
  readonly serverKey: Buffer;
}

/** The package's own copy of the certificates: `packages/interop/certs`. */
export const defaultCertsDir = resolve(dirname(fileURLToPath(import.meta.url)), "../certs");

/** Reads ca.pem, server1.pem and server1.key from `dir`. */
export function loadTestCerts(dir: string = defaultCertsDir): TestCerts {
  const read = (name: string): Buffer => readFileSync(join(dir, name));
  return { ca: read("ca.pem"), serverCert: read("server1.pem"), serverKey: read("server1.key") };
}
