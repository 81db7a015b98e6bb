/**
 * Options of protoc-gen-stubwright beyond the standard ECMAScript plugin
 * options (`target`, `import_extension`, `js_import_style`, ...), which
 * @bufbuild/protoplugin parses itself.
 */
export interface StubwrightOptions {
  /**
   * The runtime's bare package specifier (default `@stubwright/runtime`).
   * Generated code imports its `/codegenv1` entry (see `codegenEntry`).
   */
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
        if (!isBareSpecifier(value)) {
          throw new Error(
            `runtime_package must be a bare package specifier such as @stubwright/runtime or @scope/name/subpath ` +
              `(not a relative or absolute path, nor a URL), got "${value}"`,
          );
        }
        if (moduleFile.test(value)) {
          throw new Error(`runtime_package must name a package or a subpath folder, not a file: generated code imports "${value}/codegenv1", got "${value}"`);
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

/**
 * A package name as npm allows it (lowercase, URL-safe, not starting with "."
 * or "_"), optionally scoped. Generated files import the runtime from it, so
 * it must resolve through node_modules, never to a path of its own.
 */
const packageName = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;
const subpathSegment = /^[A-Za-z0-9._~-]+$/;
const maxPackageNameLength = 214;
/** A specifier that ends in a module's file name, to which `/codegenv1` cannot be appended. */
const moduleFile = /\/[^/]*\.(?:[cm]?js|[cm]?ts|json)$/;

/**
 * Whether `value` is a bare package specifier: a package name, then subpath
 * segments, none of them "." or "..". Relative and absolute paths, URLs,
 * whitespace and empty values are not.
 */
function isBareSpecifier(value: string): boolean {
  const segments = value.split("/");
  const nameSegments = value.startsWith("@") ? 2 : 1;
  const name = segments.slice(0, nameSegments).join("/");
  const subpath = segments.slice(nameSegments);
  return (
    name.length <= maxPackageNameLength &&
    packageName.test(name) &&
    subpath.every((segment) => subpathSegment.test(segment) && segment !== "." && segment !== "..")
  );
}
