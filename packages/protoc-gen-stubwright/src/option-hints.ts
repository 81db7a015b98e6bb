/**
 * What each standard option accepts. protoplugin rejects a bad value of its
 * own options with just `invalid option "key=value"`; the hint tells the user
 * what to write instead.
 */
const accepted: Readonly<Record<string, string>> = {
  target: "ts, js or dts, or a combination joined with + such as js+dts",
  import_extension: "js, ts or none",
  js_import_style: "module or legacy_commonjs",
  keep_empty_files: "true or false",
  ts_nocheck: "true or false",
  elide_plugin_version: "true or false",
  bootstrap_wkt: "true or false",
  rewrite_imports: "<pattern>:<target>",
  map_imports: "<pattern>:<target>",
};

/**
 * Adds the accepted values to protoplugin's message for a malformed standard
 * option; any other message is returned unchanged.
 */
export function withOptionHint(message: string): string {
  const match = /^invalid option "([a-z_]+)=[^"]*"$/.exec(message);
  const hint = match?.[1] === undefined ? undefined : accepted[match[1]];
  return hint === undefined ? message : `${message}: ${match?.[1] ?? ""} accepts ${hint}`;
}
