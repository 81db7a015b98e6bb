import { loadTestCerts } from "../certs.js";
import { booleanFlag, parseFlags, portFlag } from "../flags.js";
import { describeError } from "./interop-failure.js";
import { runInteropCase } from "./run-case.js";

/**
 * `stubwright-interop-client --server_host=HOST --server_port=PORT --test_case=CASE
 *   --use_tls=false|true [--use_test_ca=true] [--server_host_override=foo.test.google.fr]`
 *
 * Runs one case and exits 0 when it passed, 1 (one line on stderr) when it
 * failed or is unknown, 2 for bad flags. The auth flags of the standard client
 * (`--default_service_account`, `--oauth_scope`, `--service_account_key_file`)
 * and any other unknown flags are accepted and ignored.
 */
async function main(): Promise<number> {
  // Keeps stderr to the one-line reason: Node warns (DEP0123) whenever TLS
  // dials an IP address without --server_host_override.
  process.noDeprecation = true;
  const flags = parseFlags(process.argv.slice(2));
  let testCase: string;
  let run: () => Promise<void>;
  try {
    testCase = flags.get("test_case") ?? "";
    if (testCase === "") {
      throw new Error("--test_case is required");
    }
    const useTls = booleanFlag(flags, "use_tls", false);
    const useTestCa = booleanFlag(flags, "use_test_ca", false);
    const certsDir = flags.get("certs_dir");
    const connection = {
      host: flags.get("server_host") ?? "127.0.0.1",
      port: portFlag(flags, "server_port"),
      useTls,
      useTestCa,
      serverHostOverride: flags.get("server_host_override"),
      certs: useTls && useTestCa ? loadTestCerts(certsDir) : undefined,
    };
    run = () => runInteropCase(testCase, connection);
  } catch (error) {
    process.stderr.write(`stubwright-interop-client: ${describeError(error)}\n`);
    return 2;
  }
  try {
    await run();
    process.stdout.write(`${testCase}: passed\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${testCase}: FAILED: ${describeError(error)}\n`);
    return 1;
  }
}

void main().then((code) => {
  process.exitCode = code;
  // Channels are closed by now; this only guards against a handle that lingers.
  setTimeout(() => process.exit(code), 1000).unref();
});
