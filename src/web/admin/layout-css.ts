/** The admin pages' layout rules (part of /_gate/static/gate.css): top bar, side navigation, panels, tables. */

export const LAYOUT_CSS = `
/* Admin and account pages: a top bar, a side navigation, and panels of tables and forms. */
.visually-hidden {
  position: absolute !important;
  width: 1px;
  height: 1px;
  margin: -1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
}
.skip {
  position: absolute;
  left: -999px;
  top: 0.5rem;
  background: #fff;
  padding: 0.5rem 0.75rem;
  border-radius: 0.4rem;
  z-index: 10;
}
.skip:focus {
  left: 1rem;
}
.muted {
  color: var(--muted);
}
.small {
  font-size: 0.85rem;
}
code {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 0.88em;
  background: #f1f5f9;
  border-radius: 0.25rem;
  padding: 0.05rem 0.3rem;
  overflow-wrap: break-word;
}
.gate-user {
  margin-left: auto;
  color: var(--muted);
  font-size: 0.95rem;
}
.gate-user strong {
  color: var(--ink);
}
.gate-top .gate-links {
  margin-left: 0;
  display: flex;
  gap: 1rem;
  align-items: center;
  font-size: 0.95rem;
}
.gate-links a {
  color: var(--accent);
}
.shell {
  display: grid;
  grid-template-columns: 13rem minmax(0, 1fr);
  gap: 2rem;
  width: 100%;
  max-width: 84rem;
  margin: 0 auto;
  padding: 1.5rem;
  box-sizing: border-box;
  flex: 1;
}
nav.side ul {
  list-style: none;
  margin: 0 0 0.5rem;
  padding: 0;
}
nav.side a {
  display: block;
  padding: 0.5rem 0.75rem;
  border-radius: 0.4rem;
  color: var(--ink);
  text-decoration: none;
}
nav.side a:hover {
  background: #e4ecf5;
}
nav.side a[aria-current='page'] {
  background: var(--accent);
  color: #fff;
  font-weight: 600;
}
nav.side .nav-group {
  text-transform: uppercase;
  letter-spacing: 0.05em;
  font-size: 0.75rem;
  font-weight: 700;
  color: var(--muted);
  margin: 0.5rem 0.75rem 0.35rem;
}
.content {
  min-width: 0;
}
.content:focus {
  outline: none;
}
.content h1 {
  font-size: 1.6rem;
  margin: 0.25rem 0;
}
.content .lead {
  color: var(--muted);
  margin: 0 0 1.25rem;
  max-width: 52rem;
  line-height: 1.5;
}
.content .lead a,
.content a {
  color: var(--accent);
}
.panel {
  background: #fff;
  border: 1px solid var(--line);
  border-radius: 0.75rem;
  padding: 1.25rem 1.5rem;
  margin-bottom: 1.5rem;
  box-shadow: 0 1px 3px rgba(31, 41, 51, 0.05);
}
.panel h2 {
  font-size: 1.1rem;
  margin: 0 0 0.75rem;
}
.hint {
  color: var(--muted);
  font-size: 0.87rem;
  margin: 0.35rem 0 0;
  line-height: 1.45;
}
.lead-in {
  margin: -0.25rem 0 1rem;
}
.empty {
  color: var(--muted);
  margin: 0.25rem 0;
}
.table-wrap {
  overflow-x: auto;
}
table.data {
  width: 100%;
  border-collapse: collapse;
  font-size: 0.94rem;
}
table.data th,
table.data td {
  text-align: left;
  padding: 0.55rem 0.6rem;
  border-bottom: 1px solid var(--line);
  vertical-align: middle;
}
table.data thead th {
  font-size: 0.75rem;
  text-transform: uppercase;
  letter-spacing: 0.05em;
  color: var(--muted);
  background: #f8fafc;
  border-bottom: 2px solid var(--line);
}
table.data tbody th {
  font-weight: 600;
}
table.data tbody tr:hover {
  background: #f8fbff;
}
table.data tr.deny {
  background: #fffafa;
}
table.data th.actions,
table.data td.actions {
  text-align: right;
  white-space: nowrap;
}
table.data .nowrap {
  white-space: nowrap;
}
table.data time {
  white-space: nowrap;
}
table.data tbody th.time {
  font-weight: 500;
}
form.fields .break {
  flex-basis: 100%;
  height: 0;
}
table.data td.request {
  min-width: 16rem;
}
table.data td.why {
  color: var(--muted);
  font-size: 0.87rem;
  max-width: 28rem;
}
`
