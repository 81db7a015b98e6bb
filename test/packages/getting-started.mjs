// The files and commands of docs/getting-started.md that the consumer projects use as they are, so that the
// guide and the test cannot drift apart.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../support/generate-code.mjs";

const guidePath = join(repoRoot, "docs/getting-started.md");

function fail(message) {
  throw new Error(`docs/getting-started.md: ${message}`);
}

/** The text from the heading `## title` to the next `## ` heading. */
function section(markdown, title) {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start === -1) fail(`has no "## ${title}" section`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** The fenced code blocks of `text`, each with its info string. */
function blocks(text) {
  return [...text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((match) => ({ info: match[1], code: match[2] }));
}

/** The code of the first fenced block after the first line of `text` that contains `marker`. */
function blockAfter(text, marker) {
  const start = text.indexOf(marker);
  if (start === -1) fail(`has no "${marker}"`);
  return blocks(text.slice(start + marker.length))[0]?.code ?? fail(`has no code block after "${marker}"`);
}

/** The files a shell block writes with `cat > NAME <<'EOF'` … `EOF`. */
function heredocs(text) {
  const files = {};
  for (const match of text.matchAll(/^cat > (\S+) <<'EOF'\n([\s\S]*?)^EOF$/gm)) files[match[1]] = match[2];
  return files;
}

/** The guide's files (path → content) and commands, read afresh. */
export function gettingStarted() {
  const markdown = readFileSync(guidePath, "utf8");
  const proto = blocks(markdown).find((block) => block.info.startsWith("proto "));
  if (proto === undefined) fail("has no ```proto <path> block");
  const example = {
    [proto.info.slice("proto ".length).trim()]: proto.code,
    "src/server.ts": blockAfter(markdown, "`src/server.ts`:"),
    "src/client.ts": blockAfter(markdown, "`src/client.ts`:"),
  };
  const buf = heredocs(section(markdown, "ESM with buf"));
  for (const name of ["buf.yaml", "buf.gen.yaml", "tsconfig.json"]) if (buf[name] === undefined) fail(`"ESM with buf" writes no ${name}`);
  const protocSection = section(markdown, "ESM with protoc");
  const protocBlock = blocks(protocSection).find((block) => /^protoc /m.test(block.code));
  if (protocBlock === undefined) fail('"ESM with protoc" has no block running protoc');
  const protocFiles = heredocs(protocSection);
  if (protocFiles["tsconfig.json"] === undefined) fail('"ESM with protoc" writes no tsconfig.json');
  return {
    protoDir: proto.info.slice("proto ".length).trim().split("/")[0],
    /** The example and the configuration of "ESM with buf". */
    bufFiles: { ...example, ...buf },
    /** The example and the configuration of "ESM with protoc". */
    protocFiles: { ...example, ...protocFiles },
    /** The commands of "ESM with protoc" that generate code: every line before `npm run build`. */
    protocCommand: protocBlock.code.slice(0, protocBlock.code.indexOf("npm run build")),
  };
}
