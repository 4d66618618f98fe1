/** The admin pages' control rules (part of /_gate/static/gate.css): badges, buttons, forms, flash messages, facts, stats. */

export const CONTROLS_CSS = `
/* Admin and account pages: badges, buttons, forms and messages. */
.badge {
  display: inline-block;
  padding: 0.1rem 0.55rem;
  border-radius: 999px;
  font-size: 0.78rem;
  font-weight: 600;
  line-height: 1.5;
  background: #eef2f6;
  color: #334e68;
  border: 1px solid transparent;
  white-space: nowrap;
  vertical-align: middle;
}
.badge.admin {
  background: #e6f0fb;
  color: var(--accent-dark);
  border-color: #b6d4f2;
}
.badge.ok {
  background: #e7f6ec;
  color: #166534;
}
.badge.bad {
  background: var(--bad-bg);
  color: var(--bad);
  border-color: #fda29b;
}
.badge.warn {
  background: #fff7e6;
  color: #92400e;
}
.badge.muted {
  background: #f1f5f9;
  color: var(--muted);
}
.btn {
  display: inline-block;
  width: auto;
  margin: 0;
  padding: 0.45rem 0.9rem;
  font-size: 0.92rem;
  font-weight: 600;
  border-radius: 0.4rem;
  border: 1px solid transparent;
  background: var(--accent);
  color: #fff;
  cursor: pointer;
  text-decoration: none;
  line-height: 1.3;
}
.content a.btn {
  color: #fff;
}
.btn.secondary,
.content a.btn.secondary {
  background: #fff;
  color: var(--accent);
  border-color: #bcccdc;
}
.btn.secondary:hover {
  background: #eef5fc;
}
.btn.danger,
.content a.btn.danger {
  background: var(--bad);
  color: #fff;
}
.btn.danger:hover {
  background: #8f1c13;
}
.btn.small {
  padding: 0.3rem 0.6rem;
  font-size: 0.85rem;
}
.btn.link {
  background: none;
  border: 0;
  padding: 0;
  color: var(--accent);
  font-weight: 400;
  font-size: 0.95rem;
}
.btn.link:hover {
  background: none;
  text-decoration: underline;
}
form.inline {
  display: inline;
  margin: 0;
}
.button-row {
  display: flex;
  gap: 0.6rem;
  flex-wrap: wrap;
  align-items: center;
  margin-top: 0.75rem;
}
form.fields {
  display: flex;
  flex-wrap: wrap;
  gap: 0.9rem 1rem;
  align-items: flex-start;
}
form.fields input,
form.fields select {
  line-height: 1.4;
}
.field {
  display: flex;
  flex-direction: column;
  flex: 1 1 12rem;
  min-width: 11rem;
}
.field.narrow {
  flex: 0 1 10rem;
  min-width: 8rem;
}
.field.wide {
  flex: 1 1 100%;
}
.field label {
  margin: 0 0 0.3rem;
  font-size: 0.9rem;
  line-height: 1.4;
}
.field .hint {
  min-height: 0;
}
/* Beside fields with a label above them: pushed down by one label's height. */
.check-field,
.submit-field {
  flex: 0 0 auto;
  min-width: 0;
  padding-top: 1.56rem;
}
.field label.check {
  display: flex;
  align-items: center;
  gap: 0.45rem;
  margin: 0;
  min-height: 2.725rem;
  font-size: 0.95rem;
}
label.check input {
  width: 1.05rem;
  height: 1.05rem;
  margin: 0;
}
.submit-field.alone {
  padding-top: 0;
}
.submit-field .btn {
  min-height: 2.725rem;
  padding: 0.5rem 1.1rem;
}
form.inline-select {
  display: flex;
  gap: 0.4rem;
  align-items: center;
  margin: 0;
}
form.inline-select select {
  width: auto;
  padding: 0.3rem 0.5rem;
  font-size: 0.9rem;
}
.flash {
  border: 1px solid;
  border-radius: 0.5rem;
  padding: 0.75rem 1rem;
  margin: 0 0 1.25rem;
  font-weight: 500;
}
.flash.ok {
  background: #e7f6ec;
  border-color: #a6e3b8;
  color: #166534;
}
.flash.error {
  background: var(--bad-bg);
  border-color: #fda29b;
  color: var(--bad);
}
dl.facts {
  display: grid;
  grid-template-columns: max-content 1fr;
  gap: 0.5rem 1.5rem;
  margin: 0;
}
dl.facts dt {
  color: var(--muted);
}
dl.facts dd {
  margin: 0;
}
ul.stats {
  list-style: none;
  margin: 0;
  padding: 0;
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
  gap: 1rem;
}
.stat a {
  display: block;
  height: 100%;
  box-sizing: border-box;
  padding: 1rem;
  border: 1px solid var(--line);
  border-radius: 0.6rem;
  text-decoration: none;
  color: var(--ink);
}
.stat a:hover {
  border-color: var(--accent);
}
.stat .n {
  display: block;
  font-size: 1.9rem;
  font-weight: 700;
  color: var(--accent-dark);
}
.stat .label {
  font-weight: 600;
}
.stat .note {
  display: block;
  color: var(--muted);
  font-size: 0.85rem;
}
ul.sources,
ul.reasons,
ul.consequences {
  margin: 0;
  padding-left: 1.1rem;
}
ul.sources li,
ul.reasons li {
  margin: 0.2rem 0;
}
.verdict {
  font-size: 1.15rem;
  font-weight: 600;
  margin: 0 0 1rem;
}
.verdict .badge {
  font-size: 0.95rem;
  padding: 0.2rem 0.75rem;
}
input.secret {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: #0f172a;
  color: #e2e8f0;
  border-color: #0f172a;
  margin-bottom: 0.25rem;
}
.pager {
  display: flex;
  justify-content: space-between;
  margin-top: 1rem;
}
@media (max-width: 56rem) {
  .shell {
    grid-template-columns: 1fr;
    gap: 1rem;
    padding: 1rem;
  }
  nav.side ul {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
  }
  nav.side .nav-group {
    display: none;
  }
}
`
