/** Collects interop results and prints them as a case table with a `N passed, N failed` line. */
export interface InteropTable {
  /** Runs `fn`, recording its outcome under `pairing` / `testCase`, and rethrows a failure. */
  record(pairing: string, testCase: string, fn: () => Promise<void>): Promise<void>;
  /** The table and the final `N passed, N failed` line. */
  render(): string;
}

/** Creates an empty table. */
export function createInteropTable(): InteropTable {
  const rows: { pairing: string; testCase: string; passed: boolean; detail: string }[] = [];
  return {
    async record(pairing, testCase, fn) {
      try {
        await fn();
        rows.push({ pairing, testCase, passed: true, detail: "" });
      } catch (error) {
        const detail = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ");
        rows.push({ pairing, testCase, passed: false, detail });
        throw error;
      }
    },
    render() {
      const pairingWidth = Math.max(7, ...rows.map((row) => row.pairing.length));
      const caseWidth = Math.max(4, ...rows.map((row) => row.testCase.length));
      const lines = [`${"pairing".padEnd(pairingWidth)}  ${"case".padEnd(caseWidth)}  result`];
      for (const row of rows) {
        lines.push(`${row.pairing.padEnd(pairingWidth)}  ${row.testCase.padEnd(caseWidth)}  ${row.passed ? "pass" : `FAIL ${row.detail}`}`);
      }
      const passed = rows.filter((row) => row.passed).length;
      lines.push(`${passed} passed, ${rows.length - passed} failed`);
      return lines.join("\n");
    },
  };
}
