import Module, { createRequire } from "node:module";

/**
 * @bufbuild/protoplugin requires the TypeScript compiler when it loads, to
 * transpile plugins that only print TypeScript. Stubwright prints js and dts
 * itself, so that compiler (about half a second to load) is never used; this
 * puts a stand-in into the require cache that loads the real module only if
 * something actually touches it.
 *
 * Call it before anything requires @bufbuild/protoplugin. It only affects
 * this process, and only the copies protoplugin itself would load.
 */
export function deferTypeScript(): void {
  const requireFromPlugin = createRequire(require.resolve("@bufbuild/protoplugin"));
  for (const id of ["typescript", "@typescript/vfs"]) {
    let filename: string;
    try {
      filename = requireFromPlugin.resolve(id);
    } catch {
      continue;
    }
    if (require.cache[filename] === undefined) {
      require.cache[filename] = createStandIn(filename, () => {
        delete require.cache[filename];
        return requireFromPlugin(id) as Record<PropertyKey, unknown>;
      });
    }
  }
}

function createStandIn(filename: string, load: () => Record<PropertyKey, unknown>): Module {
  let real: Record<PropertyKey, unknown> | undefined;
  const standIn = new Module(filename);
  standIn.filename = filename;
  standIn.loaded = true;
  standIn.exports = new Proxy(
    {},
    {
      get(_, key) {
        // Interop helpers probe __esModule at require time; answering it must not load.
        if (key === "__esModule") {
          return undefined;
        }
        real ??= load();
        return real[key];
      },
    },
  );
  return standIn;
}
