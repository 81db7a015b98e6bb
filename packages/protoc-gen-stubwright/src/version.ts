/** The plugin's version, as printed in generated files' preamble. */
export const version: string = (require("../package.json") as { version: string }).version;
