/**
 * The stylesheet inlined in every HTML page: system fonts, no external
 * assets, light and dark colours following `prefers-color-scheme`.
 */
export const htmlStyle = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --head: #f6f8fa;
  --link: #0969da; --code-bg: #eff1f3; --accent: #8250df; --warn-bg: #fff1e5; --warn-fg: #9a3412; --ok-bg: #dafbe1; --ok-fg: #116329; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --head: #151b23;
    --link: #4493f8; --code-bg: #262c36; --accent: #ab7df8; --warn-bg: #3d1f0a; --warn-fg: #ffa657; --ok-bg: #0f2d1a; --ok-fg: #56d364; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: 0.9em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code-bg); padding: 0.1em 0.35em; border-radius: 4px; }
h1 { font-size: 1.9rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 1rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.2rem; margin: 2rem 0 0.5rem; }
h4 { font-size: 1.05rem; margin: 1.5rem 0 0.4rem; }
h3 .kind, h4 .kind { color: var(--accent); font-weight: 500; font-size: 0.85em; margin-right: 0.4em; }
.meta { color: var(--muted); margin: 0.2rem 0 0.6rem; }
.comment { white-space: pre-wrap; margin: 0.4rem 0 0.8rem; }
td .comment { margin: 0; }
nav.toc { border: 1px solid var(--border); border-radius: 8px; padding: 0.6rem 1rem; background: var(--head); }
nav.toc p { margin: 0.3rem 0; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.93em; }
th, td { border: 1px solid var(--border); padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
th { background: var(--head); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; width: 4.5rem; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; line-height: 1.4; padding: 0 0.45em; border-radius: 999px; margin-left: 0.35em; vertical-align: middle; }
.badge.deprecated { background: var(--warn-bg); color: var(--warn-fg); }
.badge.kind { background: var(--code-bg); color: var(--accent); }
.badge.idempotent { background: var(--ok-bg); color: var(--ok-fg); }
ul.facts { list-style: none; padding: 0; margin: 0.3rem 0 0.6rem; }
ul.facts li { margin: 0.15rem 0; }
ul.facts .label { color: var(--muted); display: inline-block; min-width: 7rem; }
section.element { border-top: 1px solid var(--border); }
h2 + section.element { border-top: none; }
ul.facts .badge, td > .badge:first-child { margin-left: 0; }
:target { scroll-margin-top: 1rem; }
h3:target, h4:target, tr:target { background: var(--code-bg); }
`;
