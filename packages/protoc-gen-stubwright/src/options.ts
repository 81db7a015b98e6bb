/**
 * Options of protoc-gen-stubwright beyond the standard ECMAScript plugin
 * options (`target`, `import_extension`, `js_import_style`, ...), which
 * @bufbuild/protoplugin parses itself.
 */
export interface StubwrightOptions {
  /** Import path of the runtime package (default `@stubwright/runtime`). */
  readonly runtimePackage: string;
}

const defaults: StubwrightOptions = {
  runtimePackage: "@stubwright/runtime",
};

/**
 * Parses the plugin-specific options. Anything unknown or malformed throws,
 * and protoplugin reports it naming the option.
 */
export function parseStubwrightOptions(raw: readonly { key: string; value: string }[]): StubwrightOptions {
  let runtimePackage = defaults.runtimePackage;
  for (const { key, value } of raw) {
    switch (key) {
      case "runtime_package":
        if (!/^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(value)) {
          throw new Error(`runtime_package must be a package import path, got "${value}"`);
        }
        runtimePackage = value;
        break;
      default:
        throw new Error(
          `unknown option "${key}"; protoc-gen-stubwright accepts runtime_package and the standard options ` +
            "target, import_extension, js_import_style, rewrite_imports, map_imports, keep_empty_files, ts_nocheck, elide_plugin_version",
        );
    }
  }
  return { runtimePackage };
}
