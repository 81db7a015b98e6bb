// The snippets of docs/getting-started.md that the consumer projects use as they are, so that the guide and
// the test cannot drift apart.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../support/generate-code.mjs";

const guidePath = join(repoRoot, "docs/getting-started.md");

/** The code of the first fenced block after the first line of the guide that contains `marker`. */
function blockAfter(markdown, marker) {
  const start = markdown.indexOf(marker);
  if (start === -1) throw new Error(`docs/getting-started.md has no "${marker}"`);
  const block = /^```[^\n]*\n([\s\S]*?)^```$/m.exec(markdown.slice(start + marker.length));
  if (block === null) throw new Error(`docs/getting-started.md has no code block after "${marker}"`);
  return block[1];
}

/** The guide's files (path → content) and commands, read afresh. */
export function gettingStarted() {
  const markdown = readFileSync(guidePath, "utf8");
  const proto = /^```proto (\S+)\n([\s\S]*?)^```$/m.exec(markdown);
  if (proto === null) throw new Error("docs/getting-started.md has no ```proto <path> block");
  return {
    files: {
      [proto[1]]: proto[2],
      "tsconfig.json": blockAfter(markdown, "`tsconfig.json`:"),
      "server.ts": blockAfter(markdown, "`server.ts`:"),
      "client.ts": blockAfter(markdown, "`client.ts`:"),
    },
    protoDir: proto[1].split("/")[0],
    bufGenYaml: blockAfter(markdown, "## Generating with buf"),
    protocCommand: blockAfter(markdown, "## Generating with protoc"),
  };
}
