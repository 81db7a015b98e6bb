import type { EnumDoc, FieldDoc, HttpRoute, MessageDoc, MethodDoc, PackageDoc, RichText, ServiceDoc } from "./doc-model.js";
import { hrefOf } from "./href.js";
import { htmlStyle } from "./html-style.js";

/**
 * Renders a package's page as one self-contained HTML document: inline CSS,
 * no scripts, no external assets. Element ids are the elements' full names;
 * section ids contain "-", which no protobuf name does.
 */
export function renderHtml(doc: PackageDoc): string {
  const text = (rich: RichText) => richToHtml(rich, doc.page);
  const block = (rich: RichText) => commentCell(rich, text);
  const title = doc.name === "" ? "Files without a package" : `Package ${doc.name}`;
  const body: string[] = [];
  body.push(`<h1>${doc.name === "" ? "Files without a package" : `Package <code>${escapeHtml(doc.name)}</code>`}</h1>`);
  body.push(block(doc.comment));
  body.push(`<p class="meta">Files: ${doc.files.map((file) => `<code>${escapeHtml(file)}</code>`).join(", ")}</p>`);
  body.push(contents(doc));
  if (doc.services.length > 0) {
    body.push('<h2 id="section-services">Services</h2>', ...doc.services.map((service) => serviceHtml(service, text, block)));
  }
  if (doc.messages.length > 0) {
    body.push('<h2 id="section-messages">Messages</h2>', ...doc.messages.map((message) => messageHtml(message, text, block)));
  }
  if (doc.enums.length > 0) {
    body.push('<h2 id="section-enums">Enums</h2>', ...doc.enums.map((en) => enumHtml(en, text, block)));
  }
  if (doc.extensions.length > 0) {
    body.push(
      '<h2 id="section-extensions">Extensions</h2>',
      table(
        ["Number", "Extension", "Extends", "Type", "Label", "Description"],
        doc.extensions.map((ext) =>
          row(ext.anchor, [
            num(ext.number),
            `<code>${escapeHtml(ext.name)}</code>`,
            text(ext.extendee ?? []),
            text(ext.type),
            escapeHtml(ext.label),
            describe(ext, text),
          ]),
        ),
      ),
    );
  }
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(title)} — API reference</title>`,
    `<style>${htmlStyle}</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...body.filter((part) => part !== ""),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

type Text = (rich: RichText) => string;

function contents(doc: PackageDoc): string {
  const groups: [string, string, readonly { anchor: string; name: string }[]][] = [
    ["Services", "section-services", doc.services],
    ["Messages", "section-messages", doc.messages],
    ["Enums", "section-enums", doc.enums],
  ];
  const lines = groups
    .filter(([, , items]) => items.length > 0)
    .map(
      ([label, section, items]) =>
        `<p><a href="#${section}"><strong>${label}</strong></a>: ${items.map((item) => `<a href="#${item.anchor}"><code>${escapeHtml(item.name)}</code></a>`).join(", ")}</p>`,
    );
  if (doc.extensions.length > 0) {
    lines.push('<p><a href="#section-extensions"><strong>Extensions</strong></a></p>');
  }
  return `<nav class="toc">\n${lines.join("\n")}\n</nav>`;
}

function serviceHtml(service: ServiceDoc, text: Text, block: Text): string {
  const parts = [
    `<section class="element">`,
    `<h3 id="${service.anchor}"><span class="kind">service</span>${escapeHtml(service.name)}${service.deprecated ? deprecatedBadge : ""}</h3>`,
    `<p class="meta">Defined in <code>${escapeHtml(service.file)}</code></p>`,
    block(service.comment),
  ];
  if (service.methods.length > 0) {
    parts.push(
      table(
        ["Method", "Call kind", "Request", "Response", "Notes"],
        service.methods.map((method) =>
          row(undefined, [
            `<a href="#${method.anchor}"><code>${escapeHtml(method.name)}</code></a>`,
            escapeHtml(method.callKind),
            text(method.request),
            text(method.response),
            notes(method).join(" "),
          ]),
        ),
      ),
    );
  }
  parts.push(...service.methods.map((method) => methodHtml(service, method, text, block)), "</section>");
  return parts.filter((part) => part !== "").join("\n");
}

function methodHtml(service: ServiceDoc, method: MethodDoc, text: Text, block: Text): string {
  const facts = [
    fact("Call kind", `<span class="badge kind">${escapeHtml(method.callKind)}</span>`),
    fact("Request", text(method.request)),
    fact("Response", text(method.response)),
  ];
  if (method.idempotency !== undefined) {
    facts.push(fact("Idempotency", escapeHtml(method.idempotency)));
  }
  facts.push(...method.http.map((route) => fact("HTTP", httpRoute(route))));
  return [
    `<h4 id="${method.anchor}"><span class="kind">rpc</span>${escapeHtml(service.name)}.${escapeHtml(method.name)}${method.deprecated ? deprecatedBadge : ""}</h4>`,
    `<ul class="facts">\n${facts.join("\n")}\n</ul>`,
    block(method.comment),
  ]
    .filter((part) => part !== "")
    .join("\n");
}

function messageHtml(message: MessageDoc, text: Text, block: Text): string {
  const where = message.parent === undefined ? `Defined in <code>${escapeHtml(message.file)}</code>` : `Nested in ${text(message.parent)}`;
  const parts = [
    `<section class="element">`,
    `<h3 id="${message.anchor}"><span class="kind">message</span>${escapeHtml(message.name)}${message.deprecated ? deprecatedBadge : ""}</h3>`,
    `<p class="meta">${where}</p>`,
    block(message.comment),
    message.fields.length === 0
      ? '<p class="meta">No fields.</p>'
      : table(
          ["Number", "Field", "Type", "Label", "Presence", "Description"],
          message.fields.map((field) =>
            row(field.anchor, [
              num(field.number),
              `<code>${escapeHtml(field.name)}</code>`,
              text(field.type),
              escapeHtml(field.label),
              escapeHtml(field.presence),
              describe(field, text),
            ]),
          ),
        ),
    ...message.oneofs.map(
      (oneof) =>
        `<p id="${oneof.anchor}">Oneof <code>${escapeHtml(oneof.name)}</code>: at most one of ${oneof.fields.map((name) => `<code>${escapeHtml(name)}</code>`).join(", ")} is set.${oneof.comment.length === 0 ? "" : ` ${text(oneof.comment)}`}</p>`,
    ),
  ];
  if (message.nested.length > 0) {
    parts.push(`<p class="meta">Nested types: ${message.nested.map(text).join(", ")}</p>`);
  }
  parts.push("</section>");
  return parts.filter((part) => part !== "").join("\n");
}

function enumHtml(en: EnumDoc, text: Text, block: Text): string {
  const where = en.parent === undefined ? `Defined in <code>${escapeHtml(en.file)}</code>` : `Nested in ${text(en.parent)}`;
  return [
    `<section class="element">`,
    `<h3 id="${en.anchor}"><span class="kind">enum</span>${escapeHtml(en.name)}${en.deprecated ? deprecatedBadge : ""}</h3>`,
    `<p class="meta">${where}</p>`,
    block(en.comment),
    table(
      ["Number", "Name", "Description"],
      en.values.map((value) =>
        row(value.anchor, [
          num(value.number),
          `<code>${escapeHtml(value.name)}</code>`,
          `${value.deprecated ? deprecatedBadge : ""}${commentCell(value.comment, text)}`,
        ]),
      ),
    ),
    "</section>",
  ]
    .filter((part) => part !== "")
    .join("\n");
}

const deprecatedBadge = '<span class="badge deprecated">deprecated</span>';

function describe(field: FieldDoc, text: Text): string {
  const parts: string[] = [];
  if (field.oneof !== undefined) {
    parts.push(`Oneof <code>${escapeHtml(field.oneof)}</code>.`);
  }
  if (field.deprecated) {
    parts.push(deprecatedBadge);
  }
  parts.push(commentCell(field.comment, text));
  return parts.filter((part) => part !== "").join(" ");
}

/** A comment as a block that keeps its paragraphs, lists and indented code (see {@link reflow}). */
function commentCell(comment: RichText, text: Text): string {
  return comment.length === 0 ? "" : `<div class="comment">${reflow(text(comment))}</div>`;
}

/**
 * Joins the lines a comment was wrapped into, so that the browser wraps the
 * prose to the page instead. The block is shown with `white-space: pre-wrap`,
 * so blank lines (paragraphs), list items (`-`, `*`, `+`, `1.`) and indented
 * lines (code examples) keep their line breaks; an indented line right
 * under a list item continues that item.
 */
function reflow(html: string): string {
  const listItem = /^(?:[-*+]|\d+[.)])\s/;
  const out: string[] = [];
  for (const line of html.split("\n")) {
    const previous = out.at(-1);
    const blank = line.trim() === "";
    const indented = /^\s/.test(line);
    const afterProse = previous !== undefined && previous.trim() !== "" && !/^\s/.test(previous);
    // An indented line under a list item continues the item; elsewhere it is code.
    const joins = afterProse && !blank && !listItem.test(line) && (!indented || listItem.test(previous));
    if (joins) {
      out[out.length - 1] = `${previous} ${line.trim()}`;
    } else {
      out.push(line);
    }
  }
  return out.join("\n");
}

function notes(method: MethodDoc): string[] {
  const list: string[] = [];
  if (method.deprecated) {
    list.push(deprecatedBadge);
  }
  if (method.idempotency !== undefined) {
    list.push(`<span class="badge idempotent">${escapeHtml(method.idempotency)}</span>`);
  }
  list.push(...method.http.map((route) => `<code>${escapeHtml(`${route.verb} ${route.path}`)}</code>`));
  return list;
}

function httpRoute(route: HttpRoute): string {
  const extras = [
    route.body === undefined ? "" : `body: <code>${escapeHtml(route.body)}</code>`,
    route.responseBody === undefined ? "" : `response body: <code>${escapeHtml(route.responseBody)}</code>`,
  ].filter((extra) => extra !== "");
  return `<code>${escapeHtml(`${route.verb} ${route.path}`)}</code>${extras.length === 0 ? "" : ` (${extras.join(", ")})`}`;
}

function fact(label: string, value: string): string {
  return `<li><span class="label">${label}</span> ${value}</li>`;
}

function num(value: number): string {
  return `<td class="num">${value}</td>`;
}

function table(headers: readonly string[], rows: readonly string[]): string {
  return `<table>\n<thead><tr>${headers.map((header) => `<th>${header}</th>`).join("")}</tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
}

/** A table row; cells already wrapped in `<td>` (numbers) are kept, others are wrapped. */
function row(id: string | undefined, cells: readonly string[]): string {
  const tds = cells.map((cell) => (cell.startsWith("<td") ? cell : `<td>${cell}</td>`)).join("");
  return id === undefined ? `<tr>${tds}</tr>` : `<tr id="${id}">${tds}</tr>`;
}

/** Rich text as HTML: everything escaped, code in `<code>`, targets as links. */
function richToHtml(rich: RichText, page: string): string {
  return rich
    .map((part) => {
      const body = part.code ? `<code>${escapeHtml(part.text)}</code>` : escapeHtml(part.text);
      return part.target === undefined ? body : `<a href="${escapeHtml(hrefOf(part.target, page, ".html"))}">${body}</a>`;
    })
    .join("");
}

function escapeHtml(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}
