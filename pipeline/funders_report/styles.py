"""The report's stylesheet, inline in the page: screen (62rem column, narrow screens in one
column) and print (A4; sections run on from one another and tables, notes and margins are
denser than on screen, so that the report stays short (issue 9); nothing split across a page
that should stay whole; colours kept when printing)."""

CSS = """
:root { --ink: #1a1a1a; --muted: #5f6368; --rule: #d0d4d8; --band: #f4f6f8;
  --blue: #0072B2; --green: #007a5a; --red: #b3471a; --amber: #8a5d00; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Liberation Sans", sans-serif; color: var(--ink); font-size: 15px; line-height: 1.45; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 2rem; margin: .2rem 0 .4rem; line-height: 1.15; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 .6rem; padding-top: .6rem;
  border-top: 3px solid var(--blue); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
p, li, dd { max-width: 48rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: var(--blue);
  font-weight: 700; margin: 0; }
.subtitle { font-size: 1.15rem; margin: 0 0 .6rem; }
.facts, .sub, figcaption, caption, .note { color: var(--muted); }
.sub { display: block; font-size: .85rem; font-weight: normal; }
.lead { font-size: 1.02rem; }
nav.toc ol { columns: 2; padding-left: 1.2rem; margin: .4rem 0; }
nav.toc a { color: var(--blue); }
aside.guide { background: var(--band); border-left: 4px solid var(--blue);
  padding: .6rem 1rem; margin: 1.2rem 0; }
aside.guide h2 { border: 0; margin: .2rem 0; padding: 0; font-size: 1.1rem; }
aside.guide ul { margin: .3rem 0; padding-left: 1.1rem; }
ul.glance li { margin-bottom: .45rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .92rem;
  font-variant-numeric: tabular-nums; }
caption { caption-side: bottom; text-align: left; font-size: .82rem; padding-top: .3rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--ink); font-size: .85rem; }
tbody th { font-weight: normal; }
table.scorecard td { width: 34%; }
table.scorecard .badge { font-size: .8rem; }
table.scorecard .change { font-size: .9rem; }
tr.group th { background: var(--band); font-weight: 700; padding-top: .4rem; }
table.scorecard .outcome { font-weight: 700; }
table.compact { font-size: .84rem; }
table.compact th, table.compact td { padding: .2rem .45rem; }
table.details { font-size: .72rem; }
table.scorecard { font-size: .82rem; }
table.details th, table.details td { padding: .12rem .35rem; }
table.details .badge { font-size: .74rem; }
.indent { padding-left: 1.1rem; display: inline-block; }
.badge { display: inline-block; font-weight: 700; padding: .05rem .45rem; border-radius: .25rem;
  border: 1px solid currentColor; margin-bottom: .2rem; }
.badge.improvement { color: #0a5c8f; background: #e6f1f8; }
.badge.worsening { color: #a34700; background: #fbeee4; }
.badge.no-clear-change, .badge.na { color: var(--muted); background: #f1f3f4; }
.badge.hidden { color: var(--muted); background: #fff; font-weight: normal; font-style: italic; }
.hidden { color: var(--muted); font-style: italic; }
.na { color: var(--muted); }
.held { color: var(--amber); font-weight: 700; }
.flag { color: var(--red); font-weight: 700; }
.change { font-weight: 600; }
.effect, .npeople { font-size: .88rem; color: var(--muted); }
figure { margin: .6rem 0 1.2rem; }
figcaption { font-size: .84rem; margin-top: .2rem; }
div.plot { width: 100%; }
ul.lines li { margin-bottom: .3rem; }
.sub-inline { font-weight: normal; color: var(--muted); font-size: .88rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
ul.meta { padding-left: 1.1rem; margin: .2rem 0 .6rem; }
dl.method dt { font-weight: 700; margin-top: .5rem; }
dl.method dd { margin: .15rem 0 0 0; }
ul.refs { font-size: .82rem; }
.small, ul.small { font-size: .84rem; }
ul.small { padding-left: 1.1rem; margin: .2rem 0 .5rem; }
/* each row of cells is one line box: let a page break fall after any row (the default
   orphans and widows of 2 kept a two-row grid whole, leaving half a page empty) */
div.grid { font-size: 0; orphans: 1; widows: 1; }
div.grid .cell { display: inline-block; vertical-align: top; width: 49%; font-size: .8rem;
  padding-right: 1%; }
div.grid .cell p, div.grid .cell ul { font-size: .74rem; margin: .1rem 0; }
div.grid .cell h4 { margin: .5rem 0 .1rem; font-size: .92rem; }
div.grid figure { margin: 0; }
p.key { font-size: .7rem; color: var(--muted); margin: 0 0 .1rem; line-height: 1.5; }
p.key .answer { white-space: nowrap; margin-right: .6rem; }
p.key .swatch { display: inline-block; width: .7rem; height: .7rem; margin-right: .2rem;
  vertical-align: -.1rem; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
div.grid.items figcaption { font-size: .72rem; margin-top: 0; }
div.caveats { background: var(--band); padding: .2rem 1rem .4rem; margin: 1rem 0; }
div.caveats h3 { margin-top: .5rem; }
div.caveats li { margin-bottom: .25rem; }
dl.method { columns: 2; column-gap: 1.6rem; font-size: .88rem; }
dl.method dt { break-after: avoid; }
dl.method dd { break-inside: avoid; }
footer { margin-top: 3rem; padding-top: .6rem; border-top: 1px solid var(--rule);
  color: var(--muted); font-size: .82rem; }
@media (max-width: 700px) {
  html { font-size: 14px; }
  body { padding: 1rem .6rem; }
  nav.toc ol { columns: 1; }
  table.scorecard td { width: auto; }
  div.grid .cell { width: 100%; }
  dl.method { columns: 1; }
}
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  html { font-size: 9.5pt; }
  body { max-width: none; padding: 0; }
  h2 { break-before: auto; margin-top: 1.2rem; }
  #summary h2 { margin-top: .8rem; }
  #summary h3 { margin-top: 1rem; }
  h2, h3, h4 { break-after: avoid; }
  /* the caveats box may run on to the next page (whole items only), so that the summary
     does not leave the rest of its first page empty */
  figure, tr, aside.guide, div.grid .cell, div.caveats li, ul.glance li { break-inside: avoid; }
  table { break-inside: auto; }
  thead { display: table-header-group; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  div.plot { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  /* a short report: denser guide, tables and notes on paper than on a screen */
  h1 { font-size: 1.7rem; }
  header.cover .facts { margin: 0; }
  aside.guide { margin: .8rem 0; padding: .4rem .9rem; }
  aside.guide ul { columns: 2; column-gap: 1.6rem; }
  aside.guide li { break-inside: avoid; }
  table.scorecard { line-height: 1.15; font-size: .76rem; }
  ul.glance li { margin-bottom: .25rem; }
  div.caveats { padding: .1rem .9rem .2rem; margin: .6rem 0; }
  div.caveats li { margin-bottom: .1rem; }
  table.scorecard th, table.scorecard td { padding: .12rem .45rem; }
  table.scorecard .badge { margin-bottom: .05rem; padding: 0 .35rem; }
  table.compact { line-height: 1.3; }
  table.compact th, table.compact td { padding: .12rem .4rem; }
  table.details { font-size: .68rem; line-height: 1.25; }
  /* row names on one line; every result: columns sized to their numbers, so that a
     comparison takes two lines, not four */
  table.details tbody th { white-space: nowrap; }
  table.every { table-layout: fixed; }
  table.every tbody th { white-space: normal; }
  table.every thead th:nth-child(1) { width: 18%; }
  table.every thead th:nth-child(2) { width: 5%; }
  table.every thead th:nth-child(3) { width: 9%; }
  table.every thead th:nth-child(4), table.every thead th:nth-child(5),
  table.every thead th:nth-child(6) { width: 15%; }
  table.every thead th:nth-child(7) { width: 8%; }
  dl.method { columns: 3; font-size: .8rem; }
  ul.refs { font-size: .74rem; }
}
"""
