// Turns the suite's samples (main.ts, BENCH_JSON) of one Node version into Markdown: a table of throughput
// ratios to the baseline, a memory table, the codec line, and each target of issue 21 marked met or not met
// with the measured figure. Ratios are medians of per-round ratios (each stack against the baseline run in the
// same round), so load that changes between rounds cancels out of them.

/** Stacks on grpc-js a user would pick instead of Stubwright (the controls and connect-node are not). */
const grpcJsPeers = ["ts-proto", "nice-grpc", "proto-loader"];

/** Scenarios of the second target: large messages and streams, against the no-codec control. */
const ceilingScenarios = ["unary-64k", "unary-64k-order", "stream", "long-server-stream", "long-client-stream"];

/** Most that default-on propagation may cost against `propagate: false`, by Node major (none on Node 20). */
const propagationLimit = { 22: 0.05, 24: 0.03, 26: 0.03 };

/** Codec target: Stubwright ≥ this times the faster of protobufjs's two codes, on these Node majors. */
const codecTarget = { factor: 1.3, majors: [20, 24] };

/** The median of a list (NaN when empty). */
function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const ratioText = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "–");
const percentText = (value) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : "–");
const numberText = (value, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "–";
const mark = (met) => (met ? "**met**" : "**not met**");

/** Median over rounds of `figure(stack) / figure(reference)` in the same round. */
function pairedRatio(scenario, id, referenceId, figure = (sample) => sample.rate) {
  const samples = scenario.samples[id];
  const reference = scenario.samples[referenceId];
  if (samples === undefined || reference === undefined) return Number.NaN;
  return median(samples.map((sample, round) => figure(sample) / figure(reference[round])));
}

/** Median over rounds of one figure of one stack. */
function medianOf(scenario, id, figure) {
  const samples = scenario.samples[id];
  return samples === undefined ? Number.NaN : median(samples.map(figure));
}

/** The Markdown for one version's run. */
export function renderVersion(run) {
  const major = Number(run.node.replace(/^v/, "").split(".")[0]);
  const throughput = run.scenarios.filter((scenario) => scenario.unit !== "streams");
  const memory = run.scenarios.find((scenario) => scenario.unit === "streams");
  const stackIds = run.stacks.map((stack) => stack.id);
  const lines = [
    `### Node ${run.node}`,
    "",
    `${run.date}, ${run.cpus} × ${run.cpuModel}; ${run.rounds} paired rounds of ${run.ms} ms per scenario (the memory scenario: one run per stack). ` +
      "Throughput as the median of per-round ratios to the baseline (> 1.00× is faster); the baseline's own rate in its column.",
    "",
    `| scenario | ${run.stacks.map((stack) => stack.name).join(" | ")} |`,
    `| --- | ${run.stacks.map(() => "---:").join(" | ")} |`,
  ];
  for (const scenario of throughput) {
    const cells = stackIds.map((id, i) =>
      i === 0 ? `${numberText(medianOf(scenario, id, (s) => s.rate))} ${scenario.unit}/s` : ratioText(pairedRatio(scenario, id, stackIds[0])),
    );
    lines.push(`| ${scenario.title} | ${cells.join(" | ")} |`);
  }
  lines.push("", ...renderMemory(run, stackIds, memory), "", ...renderCodec(run), "", ...renderTargets(run, major, throughput));
  return lines.join("\n");
}

/** CPU per call, GC share and counts for the large-message scenarios; resident set per held stream. */
function renderMemory(run, stackIds, memory) {
  const large = run.scenarios.filter((scenario) => ["unary-64k", "unary-64k-order", "unary-1m"].includes(scenario.id));
  const lines = [
    "Memory and GC (client and server together; medians): CPU µs per call / GC pauses (their wall time) as a share of CPU time, " +
      "which exceeds 100 % when load stretches the pauses / GCs (major + minor) per 1,000 calls" +
      (memory === undefined ? "." : "; for the held streams, resident-set growth per stream (server / client)."),
    "",
    `| | ${run.stacks.map((stack) => stack.name).join(" | ")} |`,
    `| --- | ${run.stacks.map(() => "---:").join(" | ")} |`,
  ];
  for (const scenario of large) {
    const cells = stackIds.map((id) => {
      const cpu = medianOf(scenario, id, (s) => s.cpuPerOpUs);
      const share = medianOf(scenario, id, (s) => s.gcShare);
      const gcs = medianOf(scenario, id, (s) => s.majorGcPer1k + s.minorGcPer1k);
      return `${numberText(cpu)} µs / ${percentText(share)} / ${numberText(gcs)}`;
    });
    lines.push(`| ${scenario.title} | ${cells.join(" | ")} |`);
  }
  if (memory !== undefined) {
    const cells = stackIds.map(
      (id) =>
        `${numberText(
          medianOf(memory, id, (s) => s.serverKiBPerStream),
          1,
        )} / ${numberText(
          medianOf(memory, id, (s) => s.clientKiBPerStream),
          1,
        )} KiB`,
    );
    lines.push(`| ${memory.title} | ${cells.join(" | ")} |`);
  }
  return lines;
}

/** The codec line: encodes and decodes per CPU-second of each library. */
function renderCodec(run) {
  if (run.codec === undefined) return ["Codec: not run."];
  const parts = Object.entries(run.codec).map(([name, rate]) => `${name} ${numberText(rate.encode / 1000)}k / ${numberText(rate.decode / 1000)}k`);
  return [`Codec, encodes / decodes per CPU-second of the 1,126-byte \`Order\` (one process): ${parts.join("; ")}.`];
}

/** Each target of issue 21 that this version's run can judge, marked met or not met. */
function renderTargets(run, major, throughput) {
  const lines = [`Targets (issue 21) on Node ${major}:`, ""];
  const has = (id) => run.stacks.some((stack) => stack.id === id);
  if (has("stubwright")) {
    const behind = [];
    for (const scenario of throughput) {
      const ours = pairedRatio(scenario, "stubwright", "baseline");
      const [best, theirs] = grpcJsPeers
        .filter(has)
        .map((peer) => [peer, pairedRatio(scenario, peer, "baseline")])
        .reduce((a, b) => (b[1] > a[1] ? b : a), ["", Number.NEGATIVE_INFINITY]);
      if (theirs > ours) behind.push(`${scenario.id} ${ratioText(ours)} (${best} ${ratioText(theirs)})`);
    }
    const verdict = major === 20 ? "(target for Node 22, 24, 26; for information)" : mark(behind.length === 0);
    lines.push(`- Stubwright ≥ every other grpc-js stack in every scenario: ${verdict}${behind.length === 0 ? "" : ` — behind in ${behind.join("; ")}`}.`);
  }
  if (has("stubwright") && has("grpc-js-no-codec")) {
    const parts = [];
    let allMet = true;
    for (const scenario of throughput.filter((s) => ceilingScenarios.includes(s.id))) {
      const ours = pairedRatio(scenario, "stubwright", "baseline");
      const ceiling = pairedRatio(scenario, "grpc-js-no-codec", "baseline");
      const headroom = ceiling - 1;
      const share = headroom > 0 ? (ours - 1) / headroom : Number.NaN;
      const met = headroom > 0 ? share >= 0.8 : ours >= ceiling;
      allMet &&= met;
      const shareText = Number.isFinite(share) ? `${Math.round(share * 100)} % of the way` : "no headroom";
      parts.push(`${scenario.id} ${ratioText(ours)} of ceiling ${ratioText(ceiling)} (${shareText})`);
    }
    lines.push(`- ≥ 80 % of the way from the baseline to the no-codec control at 64 KiB and on streams: ${mark(allMet)} — ${parts.join("; ")}.`);
  }
  if (has("stubwright") && has("stubwright-leaf")) {
    const costs = throughput.map((scenario) => ({ id: scenario.id, cost: 1 - pairedRatio(scenario, "stubwright", "stubwright-leaf") }));
    const typical = median(costs.map((c) => c.cost));
    const worst = costs.reduce((a, b) => (b.cost > a.cost ? b : a));
    const limit = propagationLimit[major];
    const verdict = limit === undefined ? "(no target on Node 20; documented)" : `${mark(typical <= limit)} (limit ${percentText(limit)})`;
    lines.push(
      `- Default-on propagation against \`propagate: false\`, throughput cost, median over scenarios: ${percentText(typical)} ${verdict}; ` +
        `largest in ${worst.id}: ${percentText(worst.cost)}.`,
    );
  }
  if (run.codec !== undefined) {
    const ours = run.codec["Stubwright compiled codec"];
    const pbjs = ["protobufjs static", "protobufjs runtime-compiled"].map((name) => run.codec[name]).filter(Boolean);
    if (ours !== undefined && pbjs.length > 0) {
      const encode = ours.encode / Math.max(...pbjs.map((r) => r.encode));
      const decode = ours.decode / Math.max(...pbjs.map((r) => r.decode));
      const applies = codecTarget.majors.includes(major);
      const verdict = applies ? mark(encode >= codecTarget.factor && decode >= codecTarget.factor) : "(target on Node 20 and 24; for information)";
      lines.push(
        `- Codec ≥ ${codecTarget.factor}× the faster protobufjs code (this one process): encode ${ratioText(encode)}, decode ${ratioText(decode)}: ${verdict}.`,
      );
    }
  }
  return lines;
}
