// The ways people use Stubwright, each set up in a fresh project: `setup` installs, generates and builds once,
// and returns the tsconfigs to type-check and the server/client pairs to run under every Node version.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkEchoReply, echoClient, echoProto, echoServer } from "./echo-app.mjs";
import { gettingStarted } from "./getting-started.mjs";
import { createProject, strictTsconfig, tarballDependencies } from "./scaffold.mjs";
import { readJson, run, writeJson } from "./shell.mjs";
import { checkPageResults, runPage, webPage, webServer } from "./web-app.mjs";

/** The guide's greeter: node dist/server.js and node dist/client.js, which prints the reply. */
const greeterRun = {
  label: "greeter",
  server: ["node", "dist/server.js"],
  clients: [["node", "dist/client.js"]],
  check: (stdout) => (stdout.trim() === "Hello, world!" ? undefined : `expected "Hello, world!", got ${stdout.trim()}`),
};

/** The echo application (four call kinds, a deadline, an error with details), built into `distDir`. */
const echoRun = (distDir) => ({
  label: "echo",
  server: ["node", `${distDir}/echo-server.js`],
  clients: [["node", `${distDir}/echo-client.js`]],
  check: checkEchoReply,
});

const npx = (dir, ...args) => run("npx", ["--no-install", ...args], dir);

/** A buf user, ESM: docs/getting-started.md's files, buf.yaml and buf.gen.yaml, `npx buf generate`, newest peers. */
const esmBuf = {
  name: "esm-buf",
  peers: "newest",
  setup(dir, tarballs) {
    const guide = gettingStarted();
    const files = { ...guide.bufFiles, [`${guide.protoDir}/echo/v1/echo.proto`]: echoProto };
    createProject(dir, {
      type: "module",
      peers: this.peers,
      tarballs,
      files: { ...files, "src/echo-server.ts": echoServer, "src/echo-client.ts": echoClient },
    });
    npx(dir, "buf", "generate");
    npx(dir, "tsc");
    return { tsconfigs: ["tsconfig.json"], runs: [greeterRun, echoRun("dist")] };
  },
};

/** A plain protoc user, ESM: the guide's protoc command as it is, lowest peers. */
const protoc = {
  name: "protoc",
  peers: "lowest",
  skipReason() {
    return spawnSync("protoc", ["--version"]).status === 0 ? undefined : "protoc is not installed (Debian: apt-get install protobuf-compiler)";
  },
  setup(dir, tarballs) {
    const guide = gettingStarted();
    createProject(dir, { type: "module", peers: this.peers, tarballs, files: guide.protocFiles });
    run("sh", ["-c", guide.protocCommand], dir);
    npx(dir, "tsc");
    return { tsconfigs: ["tsconfig.json"], runs: [greeterRun] };
  },
};

/**
 * An existing CommonJS project ("type" absent), lowest peers: `stubwright generate` into src/gen, built with
 * module commonjs and node10 resolution, and type-checked with node16 and nodenext too.
 */
const commonjs = {
  name: "commonjs",
  peers: "lowest",
  setup(dir, tarballs) {
    createProject(dir, {
      type: undefined,
      peers: this.peers,
      tarballs,
      files: {
        "protos/echo/v1/echo.proto": echoProto,
        "src/echo-server.ts": echoServer,
        "src/echo-client.ts": echoClient,
        "tsconfig.json": strictTsconfig({ module: "commonjs", moduleResolution: "node10", esModuleInterop: true, outDir: "dist" }),
        "tsconfig.node16.json": strictTsconfig({ module: "node16", moduleResolution: "node16", noEmit: true }),
        "tsconfig.nodenext.json": strictTsconfig({ module: "nodenext", moduleResolution: "nodenext", noEmit: true }),
      },
    });
    npx(dir, "stubwright", "generate", "--root", "protos", "--out", "src/gen");
    npx(dir, "tsc");
    return { tsconfigs: ["tsconfig.json", "tsconfig.node16.json", "tsconfig.nodenext.json"], runs: [echoRun("dist")] };
  },
};

/**
 * `npx stubwright init` in an empty folder, then each printed next step verbatim. The one change made before
 * them: package.json's dependencies on our packages point at the tarballs, as their versions are not published.
 */
const init = {
  name: "init",
  peers: "newest",
  setup(dir, tarballs) {
    mkdirSync(dir, { recursive: true });
    // The plugin depends on the runtime (for its rule checks), so its tarball goes along too.
    const packages = [tarballs.stubwright, tarballs["@stubwright/protoc-gen-stubwright"], tarballs["@stubwright/runtime"]].map(
      (tarball) => `--package=${tarball}`,
    );
    const printed = run("npx", ["--yes", ...packages, "stubwright", "init"], dir);
    const steps = nextSteps(printed);
    const start = steps.indexOf("npm start");
    if (start === -1 || start === steps.length - 1) {
      throw new Error(`stubwright init printed no "Next steps:" block with "npm start" and a client command after it:\n${printed}`);
    }
    pointAtTarballs(dir, tarballs);
    for (const step of steps.slice(0, start)) run("sh", ["-c", step], dir);
    const runs = [
      {
        label: steps.slice(start).join(" + "),
        freePort: true,
        server: ["sh", "-c", steps[start]],
        clients: steps.slice(start + 1).map((step) => ["sh", "-c", step]),
        check: (stdout) => (stdout.split("\n").some((line) => line.trim() !== "" && !line.startsWith(">")) ? undefined : `printed no reply: ${stdout}`),
      },
    ];
    return { tsconfigs: ["tsconfig.json"], runs };
  },
};

/**
 * The commands of the block that starts with a line `Next steps:`: the lines indented by two spaces, up to the
 * first empty line; unindented lines between them are prose.
 */
function nextSteps(printed) {
  const lines = printed.split("\n");
  const first = lines.findIndex((line) => line.trim() === "Next steps:");
  if (first === -1) return [];
  const steps = [];
  for (const line of lines.slice(first + 1)) {
    if (line.trim() === "") break;
    if (line.startsWith("  ")) steps.push(line.trim());
  }
  return steps;
}

/** Rewrites the dependencies on our packages to the tarballs (adding the plugin's, which the CLI's needs). */
function pointAtTarballs(dir, tarballs) {
  const manifest = readJson(join(dir, "package.json"));
  const tarballDeps = tarballDependencies(tarballs);
  for (const field of ["dependencies", "devDependencies"]) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      const tarball = tarballDeps.dependencies[name] ?? tarballDeps.devDependencies[name];
      if (tarball !== undefined) manifest[field][name] = tarball;
    }
  }
  manifest.devDependencies = {
    ...manifest.devDependencies,
    "@stubwright/protoc-gen-stubwright": tarballDeps.devDependencies["@stubwright/protoc-gen-stubwright"],
  };
  writeJson(join(dir, "package.json"), manifest);
}

/**
 * A web app, ESM, newest peers: the echo service behind createWebHandler, and a page's code using the generated
 * client over the fetch transports, bundled by esbuild for a browser (which must leave grpc-js and Node out)
 * and run in a realm with only a page's globals, over Connect and gRPC-Web.
 */
const web = {
  name: "web",
  peers: "newest",
  setup(dir, tarballs) {
    const guide = gettingStarted();
    createProject(dir, {
      type: "module",
      peers: this.peers,
      tarballs,
      tools: ["esbuild"],
      files: {
        ...guide.bufFiles,
        [`${guide.protoDir}/echo/v1/echo.proto`]: echoProto,
        "src/web-server.ts": webServer,
        "src/page.ts": webPage,
        "run-page.mjs": runPage,
      },
    });
    npx(dir, "buf", "generate");
    npx(dir, "tsc");
    npx(
      dir,
      "esbuild",
      "src/page.ts",
      "--bundle",
      "--platform=browser",
      "--format=iife",
      "--global-name=page",
      "--outfile=dist/page.js",
      "--metafile=dist/page-meta.json",
    );
    const inputs = Object.keys(JSON.parse(readFileSync(join(dir, "dist/page-meta.json"), "utf8")).inputs);
    const unwanted = inputs.filter((input) => input.includes("@grpc/grpc-js") || input.startsWith("node:"));
    if (unwanted.length > 0) throw new Error(`the browser bundle holds ${unwanted.join(", ")}`);
    return {
      tsconfigs: ["tsconfig.json"],
      runs: [{ label: "web page", server: ["node", "dist/web-server.js"], clients: [["node", "run-page.mjs"]], check: checkPageResults }],
    };
  },
};

/** Every scenario, in the order they run. */
export const scenarios = [esmBuf, protoc, commonjs, init, web];
