import type { EnumDoc, FieldDoc, HttpRoute, MessageDoc, MethodDoc, PackageDoc, RichText, ServiceDoc } from "./doc-model.js";
import { hrefOf } from "./href.js";

/**
 * Renders a package's page as GitHub-flavoured Markdown. Anchors are
 * `<a id>` elements named after the elements' full names; section anchors
 * contain "-", which no protobuf name does, so they cannot collide.
 */
export function renderMarkdown(doc: PackageDoc): string {
  const out: string[] = [];
  const text = (rich: RichText, inTable = false) => richToMarkdown(rich, doc.page, inTable);
  const title = doc.name === "" ? "Files without a package" : `Package \`${doc.name}\``;
  out.push(`# ${title}`, "");
  pushBlock(out, text(doc.comment));
  out.push(`Files: ${doc.files.map((file) => code(file)).join(", ")}`, "");
  pushContents(out, doc, text);

  if (doc.services.length > 0) {
    out.push('<a id="section-services"></a>', "", "## Services", "");
    for (const service of doc.services) {
      pushService(out, service, text);
    }
  }
  if (doc.messages.length > 0) {
    out.push('<a id="section-messages"></a>', "", "## Messages", "");
    for (const message of doc.messages) {
      pushMessage(out, message, text);
    }
  }
  if (doc.enums.length > 0) {
    out.push('<a id="section-enums"></a>', "", "## Enums", "");
    for (const en of doc.enums) {
      pushEnum(out, en, text);
    }
  }
  if (doc.extensions.length > 0) {
    out.push('<a id="section-extensions"></a>', "", "## Extensions", "");
    out.push("| Number | Extension | Extends | Type | Label | Description |", "| ---: | --- | --- | --- | --- | --- |");
    for (const ext of doc.extensions) {
      out.push(
        row([
          String(ext.number),
          `${anchor(ext.anchor)}${code(ext.name)}`,
          text(ext.extendee ?? [], true),
          text(ext.type, true),
          ext.label,
          describe(ext, text),
        ]),
      );
    }
    out.push("");
  }
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

type Text = (rich: RichText, inTable?: boolean) => string;

function pushContents(out: string[], doc: PackageDoc, text: Text): void {
  const groups: [string, string, readonly { anchor: string; name: string }[]][] = [
    ["Services", "section-services", doc.services],
    ["Messages", "section-messages", doc.messages],
    ["Enums", "section-enums", doc.enums],
  ];
  for (const [label, section, items] of groups) {
    if (items.length > 0) {
      const links = items.map((item) => text([{ text: item.name, code: true, target: { kind: "page", page: doc.page, anchor: item.anchor } }]));
      out.push(`- [${label}](#${section}): ${links.join(", ")}`);
    }
  }
  if (doc.extensions.length > 0) {
    out.push("- [Extensions](#section-extensions)");
  }
  out.push("");
}

function pushService(out: string[], service: ServiceDoc, text: Text): void {
  out.push(anchor(service.anchor), "", `### ${escapeProse(service.name)}`, "");
  out.push(`Service in ${code(service.file)}.${service.deprecated ? " **Deprecated.**" : ""}`, "");
  pushBlock(out, text(service.comment));
  if (service.methods.length > 0) {
    out.push("| Method | Call kind | Request | Response | Notes |", "| --- | --- | --- | --- | --- |");
    for (const method of service.methods) {
      const link = `[${code(method.name)}](#${method.anchor})`;
      out.push(row([link, method.callKind, text(method.request, true), text(method.response, true), notes(method).join(", ")]));
    }
    out.push("");
  }
  for (const method of service.methods) {
    pushMethod(out, service, method, text);
  }
}

function pushMethod(out: string[], service: ServiceDoc, method: MethodDoc, text: Text): void {
  out.push(anchor(method.anchor), "", `#### ${escapeProse(`${service.name}.${method.name}`)}`, "");
  const facts = [`- Call kind: ${method.callKind}`, `- Request: ${text(method.request)}`, `- Response: ${text(method.response)}`];
  if (method.idempotency !== undefined) {
    facts.push(`- Idempotency: ${method.idempotency}`);
  }
  for (const route of method.http) {
    facts.push(`- HTTP: ${httpRoute(route)}`);
  }
  if (method.deprecated) {
    facts.push("- **Deprecated.**");
  }
  out.push(...facts, "");
  pushBlock(out, text(method.comment));
}

function pushMessage(out: string[], message: MessageDoc, text: Text): void {
  out.push(anchor(message.anchor), "", `### ${escapeProse(message.name)}`, "");
  const where = message.parent === undefined ? `Message in ${code(message.file)}` : `Message nested in ${text(message.parent)}`;
  out.push(`${where}.${message.deprecated ? " **Deprecated.**" : ""}`, "");
  pushBlock(out, text(message.comment));
  if (message.fields.length === 0) {
    out.push("No fields.", "");
  } else {
    out.push("| Number | Field | Type | Label | Presence | Description |", "| ---: | --- | --- | --- | --- | --- |");
    for (const field of message.fields) {
      out.push(
        row([String(field.number), `${anchor(field.anchor)}${code(field.name)}`, text(field.type, true), field.label, field.presence, describe(field, text)]),
      );
    }
    out.push("");
  }
  for (const oneof of message.oneofs) {
    const comment = text(oneof.comment, true);
    out.push(
      `${anchor(oneof.anchor)}Oneof ${code(oneof.name)}: at most one of ${oneof.fields.map((name) => code(name)).join(", ")} is set.${comment === "" ? "" : ` ${comment}`}`,
      "",
    );
  }
  if (message.nested.length > 0) {
    out.push(`Nested types: ${message.nested.map((nested) => text(nested)).join(", ")}`, "");
  }
}

function pushEnum(out: string[], en: EnumDoc, text: Text): void {
  out.push(anchor(en.anchor), "", `### ${escapeProse(en.name)}`, "");
  const where = en.parent === undefined ? `Enum in ${code(en.file)}` : `Enum nested in ${text(en.parent)}`;
  out.push(`${where}.${en.deprecated ? " **Deprecated.**" : ""}`, "");
  pushBlock(out, text(en.comment));
  out.push("| Number | Name | Description |", "| ---: | --- | --- |");
  for (const value of en.values) {
    const comment = text(value.comment, true);
    const description = [value.deprecated ? "**Deprecated.**" : "", comment].filter((part) => part !== "").join(" ");
    out.push(row([String(value.number), `${anchor(value.anchor)}${code(value.name)}`, description]));
  }
  out.push("");
}

/** The description cell of a field: oneof membership, deprecation, then the comment. */
function describe(field: FieldDoc, text: Text): string {
  const parts: string[] = [];
  if (field.oneof !== undefined) {
    parts.push(`Oneof ${code(field.oneof)}.`);
  }
  if (field.deprecated) {
    parts.push("**Deprecated.**");
  }
  const comment = text(field.comment, true);
  if (comment !== "") {
    parts.push(comment);
  }
  return parts.join(" ");
}

function notes(method: MethodDoc): string[] {
  const list: string[] = [];
  if (method.deprecated) {
    list.push("**deprecated**");
  }
  if (method.idempotency !== undefined) {
    list.push(method.idempotency);
  }
  list.push(...method.http.map((route) => code(`${route.verb} ${route.path}`, true)));
  return list;
}

function httpRoute(route: HttpRoute): string {
  const extras = [
    route.body === undefined ? "" : `body: ${code(route.body)}`,
    route.responseBody === undefined ? "" : `response body: ${code(route.responseBody)}`,
  ];
  const suffix = extras.filter((extra) => extra !== "").join(", ");
  return `${code(`${route.verb} ${route.path}`)}${suffix === "" ? "" : ` (${suffix})`}`;
}

function anchor(id: string): string {
  return `<a id="${id}"></a>`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function pushBlock(out: string[], block: string): void {
  if (block !== "") {
    out.push(block, "");
  }
}

/**
 * A code span that holds any text: the fence is one backtick more than the
 * longest run inside. In a table cell `|` must be escaped even in code.
 */
function code(value: string, inTable = false): string {
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const padded = longest > 0 || value.startsWith("`") || value.endsWith("`") ? ` ${value} ` : value;
  const body = inTable ? padded.replaceAll("|", "\\|") : padded;
  return `${fence}${body}${fence}`;
}

/**
 * Rich text as Markdown. Prose is escaped so that it renders as the comment's
 * text and never as a link, HTML or heading; paragraphs (blank lines in the
 * comment) stay paragraphs, and `* ` bullets become list items. In a table
 * cell everything is on one line, paragraphs separated by `<br><br>`.
 */
function richToMarkdown(rich: RichText, page: string, inTable: boolean): string {
  const rendered = rich
    .map((part) => {
      const body = part.code ? code(part.text, inTable) : escapeProse(part.text);
      if (part.target === undefined) {
        return body;
      }
      return `[${body}](${hrefOf(part.target, page, ".md")})`;
    })
    .join("");
  const paragraphs = rendered
    .split(/\n[ \t]*\n/)
    .map((paragraph) =>
      paragraph
        .split("\n")
        .map((line) =>
          line
            .trim()
            .replace(/^\\\*\s/, "- ")
            .replace(/^([-=])(?=[-=\s]*$)/, "\\$1"),
        )
        .join("\n"),
    )
    .filter((paragraph) => paragraph !== "");
  if (inTable) {
    return paragraphs.map((paragraph) => paragraph.replaceAll("\n", " ")).join("<br><br>");
  }
  return paragraphs.join("\n\n");
}

function escapeProse(value: string): string {
  return value
    .replace(/[\\`*_[\]#|~]/g, (ch) => `\\${ch}`)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}
