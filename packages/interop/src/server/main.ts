import { loadTestCerts } from "../certs.js";
import { booleanFlag, parseFlags, portFlag } from "../flags.js";
import { startInteropServer } from "./interop-server.js";

/**
 * `stubwright-interop-server --port=PORT --use_tls=false|true [--host=HOST] [--certs_dir=DIR]`
 *
 * Serves until SIGTERM or SIGINT, then stops within about a second. Prints one
 * line with the bound port (useful with `--port=0`). Unknown flags are ignored.
 */
async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const useTls = booleanFlag(flags, "use_tls", false);
  const certsDir = flags.get("certs_dir");
  const running = await startInteropServer({
    host: flags.get("host"),
    port: portFlag(flags, "port"),
    useTls,
    certs: useTls ? loadTestCerts(certsDir) : undefined,
  });
  const stop = (): void => {
    // Exit even if a connection refuses to close.
    setTimeout(() => process.exit(0), 2000).unref();
    void running.close(1000).then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  console.log(`stubwright interop server listening on port ${running.port} (${useTls ? "tls" : "plaintext"})`);
}

main().catch((error: unknown) => {
  console.error(`stubwright-interop-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
