// The part of playwright-core the browser tests use. Its own declarations name DOM types, which the tests'
// types (Node's, no DOM lib) do not have.

/** A tab. */
export interface ChromiumPage {
  goto(url: string): Promise<unknown>;
  waitForFunction(predicate: () => unknown, argument: undefined, options: { timeout: number }): Promise<unknown>;
  evaluate<T>(expression: () => T): Promise<T>;
  textContent(selector: string): Promise<string | null>;
  on(event: "pageerror", listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

/** A running headless Chromium. */
export interface ChromiumBrowser {
  newPage(): Promise<ChromiumPage>;
  close(): Promise<void>;
}

/** The Chromium executable for browser tests: `$STUBWRIGHT_CHROMIUM` if set, else the system's Chromium, else undefined. */
export declare function findChromium(): string | undefined;

/** Launches headless Chromium from `executablePath` (with `--no-sandbox` as root). */
export declare function launchChromium(executablePath: string): Promise<ChromiumBrowser>;
