import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WireType } from "@bufbuild/protobuf/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { repoRoot } from "../support/generate-code.mjs";
import { compileProtos, createRequest } from "../support/plugin-request.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { checkLinks } from "./check-links.js";
import { bufDocs, protocDocs } from "./generate-docs.mjs";
import { runDocsBin } from "./run-docs-bin.js";
import { findProtoc, locateCorpus } from "./test-inputs.js";

allowTimeForPrograms();

/**
 * protoc-gen-stubwright-docs on the demo, the fixtures, a googleapis package
 * and schemas written here: the pages' content, links, options and errors,
 * under buf, under protoc and as a bare executable.
 */

const scratch = mkdtempSync(join(tmpdir(), "stubwright-apidocs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const read = (root: string, path: string) => readFileSync(join(root, path), "utf8");

describe("the demo protos under buf", () => {
  const out = join(scratch, "demo");
  beforeAll(() => bufDocs("protos", out));

  it("writes one Markdown and one HTML page for the package, every link resolving", () => {
    // google/api is the demo's copy of the google.api.http option's protos.
    expect(listFiles(out)).toEqual(["google/api/index.html", "google/api/index.md", "stubwright/demo/v1/index.html", "stubwright/demo/v1/index.md"]);
    const { problems, links } = checkLinks(out);
    expect(problems).toEqual([]);
    expect(links).toBeGreaterThan(50);
  });

  it("lists each method with its call kind, linked request and response types and idempotency", () => {
    const md = read(out, "stubwright/demo/v1/index.md");
    expect(md).toContain(
      "| [`GetItem`](#stubwright.demo.v1.InventoryService.GetItem) | unary | [`GetItemRequest`](#stubwright.demo.v1.GetItemRequest) | [`Item`](#stubwright.demo.v1.Item) | no side effects, `GET /v1/items/{sku}` |",
    );
    expect(md).toContain("| [`WatchStock`](#stubwright.demo.v1.InventoryService.WatchStock) | server streaming |");
    expect(md).toContain("| [`ImportItems`](#stubwright.demo.v1.InventoryService.ImportItems) | client streaming |");
    expect(md).toContain(
      "| [`Reserve`](#stubwright.demo.v1.InventoryService.Reserve) | bidi streaming | [`ReserveRequest`](#stubwright.demo.v1.ReserveRequest) | [`ReserveResponse`](#stubwright.demo.v1.ReserveResponse) |  |",
    );
    expect(md).toContain('<a id="stubwright.demo.v1.InventoryService.GetItem"></a>\n\n#### InventoryService.GetItem');
    expect(md).toContain("Looks up one item by SKU. Fails with NOT\\_FOUND for an unknown SKU.");
  });

  it("has field tables with number, linked type, label, presence, oneof and comment", () => {
    const md = read(out, "stubwright/demo/v1/index.md");
    expect(md).toContain(
      '| 6 | <a id="stubwright.demo.v1.Item.in_stock"></a>`in_stock` | `int32` | singular | explicit | Oneof `availability`. Units on the shelf right now. |',
    );
    expect(md).toContain(
      '| 7 | <a id="stubwright.demo.v1.Item.restock_at"></a>`restock_at` | [`google.protobuf.Timestamp`](https://protobuf.dev/reference/protobuf/google.protobuf/#timestamp) | singular | explicit |',
    );
    expect(md).toContain(
      '| 3 | <a id="stubwright.demo.v1.Item.category"></a>`category` | [`Item.Category`](#stubwright.demo.v1.Item.Category) | singular | implicit |',
    );
    expect(md).toContain(
      '| 5 | <a id="stubwright.demo.v1.Item.attributes"></a>`attributes` | `map<string, string>` | map | - | Free-form labels, e.g. "colour" -&gt; "red". |',
    );
    expect(md).toContain('| 1 | <a id="stubwright.demo.v1.Item.Category.CATEGORY_TOOLS"></a>`CATEGORY_TOOLS` |  |');
  });

  it("writes a self-contained HTML page with the same content", () => {
    const html = read(out, "stubwright/demo/v1/index.html");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("prefers-color-scheme: dark");
    expect(html).not.toMatch(/<script|<link|<img|\ssrc=|@import|url\(/);
    expect(html).toContain(
      '<tr><td><a href="#stubwright.demo.v1.InventoryService.Reserve"><code>Reserve</code></a></td><td>bidi streaming</td><td><a href="#stubwright.demo.v1.ReserveRequest"><code>ReserveRequest</code></a></td>',
    );
    expect(html).toContain(
      '<tr id="stubwright.demo.v1.Item.in_stock"><td class="num">6</td><td><code>in_stock</code></td><td><code>int32</code></td><td>singular</td><td>explicit</td>',
    );
  });
});

describe("the fixtures under buf", () => {
  const out = join(scratch, "fixtures");
  beforeAll(() => {
    bufDocs("test/fixtures/protos", out);
    bufDocs("test/fixtures/editions", out);
  });

  it("every link resolves across packages", () => {
    expect(checkLinks(out).problems).toEqual([]);
    // fixture.echo.v1 uses fixture.common.v1's types: links between pages.
    expect(read(out, "fixture/echo/v1/index.md")).toMatch(/\]\(\.\.\/\.\.\/common\/v1\/index\.md#fixture\.common\.v1\.\w+\)/);
  });

  it("marks deprecated methods, and not a method whose comment merely says @deprecated", () => {
    const md = read(out, "comments/v1/index.md");
    expect(md).toMatch(/\| \[`Shout`\]\(#comments\.v1\.Commented\.Shout\) \| server streaming \| .* \| \*\*deprecated\*\* \|/);
    expect(md).toMatch(/\| \[`Whisper`\]\(#comments\.v1\.Commented\.Whisper\) \| client streaming \| .* \| {2}\|/);
    expect(read(out, "comments/v1/index.html")).toMatch(/<h4 id="comments\.v1\.Commented\.Shout">.*<span class="badge deprecated">deprecated<\/span><\/h4>/);
  });

  it("tells explicit from implicit presence under editions", () => {
    const md = read(out, "editions/v1/index.md");
    expect(md).toContain('| 1 | <a id="editions.v1.Event.id"></a>`id` | `string` | optional | explicit |');
    expect(md).toContain('| 3 | <a id="editions.v1.Event.seq"></a>`seq` | `int64` | singular | implicit |');
  });
});

describe("a googleapis package", () => {
  const corpus = locateCorpus();
  const out = join(scratch, "googleapis");

  it.skipIf(corpus === undefined)("shows the HTTP routes of google.api.http", () => {
    bufDocs(join(corpus ?? "", "googleapis"), out, ["format=markdown"], ["google/pubsub/v1"]);
    const md = read(out, "google/pubsub/v1/index.md");
    expect(md).toContain(
      "| [`Publish`](#google.pubsub.v1.Publisher.Publish) | unary | [`PublishRequest`](#google.pubsub.v1.PublishRequest) | [`PublishResponse`](#google.pubsub.v1.PublishResponse) | `POST /v1/{topic=projects/*/topics/*}:publish` |",
    );
    expect(md).toContain("- HTTP: `PUT /v1/{name=projects/*/topics/*}` (body: `*`)");
    expect(md).toContain("| [`StreamingPull`](#google.pubsub.v1.Subscriber.StreamingPull) | bidi streaming |");
    expect(checkLinks(out).problems).toEqual([]);
  });
});

describe("under protoc", () => {
  const protoc = findProtoc();

  for (const input of ["protos", "test/fixtures/protos"]) {
    it.skipIf(protoc === undefined)(`writes the same pages as under buf for ${input}`, () => {
      const id = input.replaceAll("/", "_");
      const viaBuf = join(scratch, "parity", id, "buf");
      const viaProtoc = join(scratch, "parity", id, "protoc");
      bufDocs(input, viaBuf);
      protocDocs(protoc?.path ?? "", protoc?.include, join(repoRoot, input), viaProtoc);
      const files = listFiles(viaBuf);
      expect(files.length).toBeGreaterThan(1);
      expect(listFiles(viaProtoc)).toEqual(files);
      expect(files.filter((file) => read(viaBuf, file) !== read(viaProtoc, file))).toEqual([]);
      expect(checkLinks(viaProtoc).problems).toEqual([]);
    });
  }
});

/** A small schema written for these tests: everything the demo lacks. */
const annotations = `syntax = "proto3";
package google.api;
import "google/protobuf/descriptor.proto";
extend google.protobuf.MethodOptions { HttpRule http = 72295728; }
message HttpRule {
  string selector = 1;
  oneof pattern { string get = 2; string put = 3; string post = 4; string delete = 5; string patch = 6; CustomHttpPattern custom = 8; }
  string body = 7;
  string response_body = 12;
  repeated HttpRule additional_bindings = 11;
}
message CustomHttpPattern { string kind = 1; string path = 2; }
`;
const sources = {
  "google/api/annotations.proto": annotations,
  "shop/v1/shop.proto": `syntax = "proto3";
// The shop's public API.
package shop.v1;
import "google/api/annotations.proto";
import "common/v1/money.proto";

// Sells things. See [Cart][shop.v1.Cart] and [Money][common.v1.Money]; [Gone][nowhere.Gone] is not linked.
service ShopService {
  // Adds to the cart.
  rpc AddItem(Cart) returns (Cart) {
    option idempotency_level = IDEMPOTENT;
    option (google.api.http) = { post: "/v1/carts/{id}:add" body: "*" additional_bindings { put: "/v1/carts/{id}" body: "item" } };
  }
  rpc Legacy(Cart) returns (Cart) {
    option deprecated = true;
    option (google.api.http) = { custom: { kind: "HEAD" path: "/v1/carts/{id}" } response_body: "id" };
  }
}

// A cart, wrapped
// over two lines.
//
//   indented(code);
//   more(code);
// - one item
//   that continues
// - another item
message Cart {
  option deprecated = true;
  string id = 1;
  optional int32 coupon = 2;
  common.v1.Money total = 3 [deprecated = true];
  <b>Status</b> status = 4;
  enum Status {
    STATUS_UNSPECIFIED = 0;
    STATUS_OLD = 1 [deprecated = true];
  }
}
`.replace("<b>Status</b>", "Status"),
  "common/v1/money.proto": `syntax = "proto2";
package common.v1;
// An amount with a | pipe and <b>markup</b> and a [link](https://example.com/) that stay text.
message Money { required int64 units = 1; optional string currency = 2 [default = "EUR"]; repeated group Part = 3 { optional int32 n = 4; } }
`,
  "loose.proto": `syntax = "proto3";
import "shop/v1/shop.proto";
message Loose { shop.v1.Cart cart = 1; }
`,
};

describe("a schema with HTTP rules, deprecations, proto2 labels and no package", () => {
  let set: ReturnType<typeof compileProtos>;
  beforeAll(() => {
    set = compileProtos(sources);
  });
  const generate = (parameter = "") => runDocsBin(createRequest(set, ["shop/v1/shop.proto", "common/v1/money.proto", "loose.proto"], parameter));

  it("documents routes, additional bindings, custom verbs, idempotency and deprecations", () => {
    const { error, files, status } = generate();
    expect(error).toBe("");
    expect(status).toBe(0);
    expect([...files.keys()].sort()).toEqual([
      "common/v1/index.html",
      "common/v1/index.md",
      "no-package/index.html",
      "no-package/index.md",
      "shop/v1/index.html",
      "shop/v1/index.md",
    ]);
    const md = files.get("shop/v1/index.md") ?? "";
    expect(md).toContain(
      "| [`AddItem`](#shop.v1.ShopService.AddItem) | unary | [`Cart`](#shop.v1.Cart) | [`Cart`](#shop.v1.Cart) | idempotent, `POST /v1/carts/{id}:add`, `PUT /v1/carts/{id}` |",
    );
    expect(md).toContain("- HTTP: `POST /v1/carts/{id}:add` (body: `*`)\n- HTTP: `PUT /v1/carts/{id}` (body: `item`)");
    expect(md).toContain(
      "| [`Legacy`](#shop.v1.ShopService.Legacy) | unary | [`Cart`](#shop.v1.Cart) | [`Cart`](#shop.v1.Cart) | **deprecated**, `HEAD /v1/carts/{id}` |",
    );
    expect(md).toContain("- HTTP: `HEAD /v1/carts/{id}` (response body: `id`)");
    expect(md).toContain("Message in `shop/v1/shop.proto`. **Deprecated.**");
    expect(md).toContain('| 2 | <a id="shop.v1.Cart.coupon"></a>`coupon` | `int32` | optional | explicit |');
    expect(md).toContain(
      '| 3 | <a id="shop.v1.Cart.total"></a>`total` | [`common.v1.Money`](../../common/v1/index.md#common.v1.Money) | singular | explicit | **Deprecated.** |',
    );
    expect(md).toContain('| 1 | <a id="shop.v1.Cart.Status.STATUS_OLD"></a>`STATUS_OLD` | **Deprecated.** |');
    expect(md).toContain("The shop's public API.");
    expect(md).toContain("Sells things. See [Cart](#shop.v1.Cart) and [Money](../../common/v1/index.md#common.v1.Money); Gone is not linked.");
    expect(files.get("shop/v1/index.html")).toContain('<a href="../../common/v1/index.html#common.v1.Money"><code>common.v1.Money</code></a>');
    // HTML joins wrapped lines and keeps paragraphs, indented code and list items apart.
    expect(files.get("shop/v1/index.html")).toContain(
      '<div class="comment">A cart, wrapped over two lines.\n\n  indented(code);\n  more(code);\n- one item that continues\n- another item</div>',
    );
  });

  it("prints proto2 labels, and comment text as text", () => {
    const md = generate("format=markdown").files.get("common/v1/index.md") ?? "";
    expect(md).toContain('| 1 | <a id="common.v1.Money.units"></a>`units` | `int64` | required | explicit |');
    expect(md).toContain('| 3 | <a id="common.v1.Money.part"></a>`part` | [`Money.Part`](#common.v1.Money.Part) | repeated | - |');
    expect(md).toContain("An amount with a \\| pipe and &lt;b&gt;markup&lt;/b&gt; and a \\[link\\](https://example.com/) that stay text.");
    expect(generate("format=html").files.get("common/v1/index.html")).toContain(
      "An amount with a | pipe and &lt;b&gt;markup&lt;/b&gt; and a [link](https://example.com/) that stay text.",
    );
  });

  it("puts files without a package on their own page and links to them", () => {
    const { files } = generate("format=markdown");
    expect(files.get("no-package/index.md")).toContain('| 1 | <a id="Loose.cart"></a>`cart` | [`shop.v1.Cart`](../shop/v1/index.md#shop.v1.Cart) |');
  });

  it("writes only the chosen format", () => {
    expect([...generate("format=html").files.keys()].every((name) => name.endsWith(".html"))).toBe(true);
    expect([...generate("format=markdown").files.keys()].every((name) => name.endsWith(".md"))).toBe(true);
    expect(generate("format=markdown,format=html").files.size).toBe(6);
  });

  it("answers a bad option with an error in the response naming it", () => {
    const bad = generate("format=pdf");
    expect(bad.status).toBe(0);
    expect(bad.files.size).toBe(0);
    expect(bad.error).toMatch(/^protoc-gen-stubwright-docs: invalid option "format=pdf": format accepts markdown, html or both/);
    expect(generate("theme=dark").error).toMatch(/unknown option "theme"/);
  });

  it("answers a malformed google.api.http option with an error naming the file and method, not a crash", () => {
    const broken = structuredClone(set);
    const file = broken.file.find((f) => f.name === "shop/v1/shop.proto");
    const options = file?.service[0]?.method[0]?.options;
    const index = options?.$unknown?.findIndex((u) => u.no === 72295728) ?? -1;
    expect(options?.$unknown?.[index]?.wireType).toBe(WireType.LengthDelimited);
    // The option's bytes (length-prefixed, as protobuf-es keeps them): a string field (post) claiming 9 bytes of which only 1 follows.
    options?.$unknown?.splice(index, 1, { no: 72295728, wireType: WireType.LengthDelimited, data: new Uint8Array([0x03, 0x22, 0x09, 0x2f]) });
    const { error, files, status, stderr } = runDocsBin(createRequest(broken, ["shop/v1/shop.proto"]));
    expect({ status, stderr, files: files.size }).toEqual({ status: 0, stderr: "", files: 0 });
    expect(error).toMatch(
      /^protoc-gen-stubwright-docs: shop\/v1\/shop\.proto: rpc shop\.v1\.ShopService\.AddItem: option \(google\.api\.http\) cannot be read: /,
    );
  });
});
