/** The stylesheets of the gateway's own pages (/_gate/static/gate.css) and of the badge it adds to the MLflow UI (/_gate/static/badge.css). */
import { ADMIN_CSS } from './admin/style.js'

export const PAGE_CSS = `
/* mlflow-gate's own pages and the badge it adds to the MLflow UI. */
:root {
  --ink: #1f2933;
  --muted: #52606d;
  --line: #d9e2ec;
  --accent: #0b6bcb;
  --accent-dark: #084f96;
  --bad: #b42318;
  --bad-bg: #fef3f2;
  --bg: #f4f6f8;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: var(--ink);
}
body.gate {
  margin: 0;
  min-height: 100vh;
  background: var(--bg);
  display: flex;
  flex-direction: column;
}
.gate-top {
  background: #fff;
  border-bottom: 1px solid var(--line);
  padding: 0.75rem 1.5rem;
  display: flex;
  align-items: center;
  gap: 1rem;
}
.gate-brand {
  font-weight: 700;
  color: var(--ink);
  text-decoration: none;
  display: flex;
  align-items: center;
  gap: 0.5rem;
}
.gate-brand .by {
  font-weight: 400;
  color: var(--muted);
}
.gate-brand .mark {
  display: inline-grid;
  place-items: center;
  width: 1.75rem;
  height: 1.75rem;
  border-radius: 0.4rem;
  background: var(--accent);
  color: #fff;
  font-size: 0.9rem;
}
.gate-top nav {
  margin-left: auto;
  display: flex;
  gap: 1rem;
  align-items: center;
  font-size: 0.95rem;
}
.gate-top nav a {
  color: var(--accent);
}
main.gate-center {
  flex: 1;
  display: grid;
  place-items: center;
  padding: 2rem 1rem;
}
.card {
  background: #fff;
  border: 1px solid var(--line);
  border-radius: 0.75rem;
  box-shadow: 0 4px 16px rgba(31, 41, 51, 0.06);
  padding: 2rem;
  width: 100%;
  max-width: 24rem;
  box-sizing: border-box;
}
.card h1 {
  font-size: 1.4rem;
  margin: 0 0 0.25rem;
}
.card .sub {
  color: var(--muted);
  margin: 0 0 1.5rem;
}
label {
  display: block;
  font-weight: 600;
  margin: 1rem 0 0.35rem;
}
input[type='text'],
input[type='password'],
input[type='search'],
input[type='number'],
input[type='date'],
textarea,
select {
  width: 100%;
  box-sizing: border-box;
  padding: 0.6rem 0.7rem;
  border: 1px solid #bcccdc;
  border-radius: 0.4rem;
  font: inherit;
  background: #fff;
  color: var(--ink);
}
textarea {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 0.9rem;
  resize: vertical;
}
input:focus-visible,
button:focus-visible,
a:focus-visible,
select:focus-visible,
textarea:focus-visible {
  outline: 3px solid #7cc4fa;
  outline-offset: 1px;
}
button,
.button {
  display: inline-block;
  padding: 0.65rem 1rem;
  border: 0;
  border-radius: 0.4rem;
  background: var(--accent);
  color: #fff;
  font: inherit;
  font-weight: 600;
  cursor: pointer;
  text-align: center;
  text-decoration: none;
}
button:hover,
.button:hover {
  background: var(--accent-dark);
}
.card button,
.card .button {
  margin-top: 1.5rem;
  width: 100%;
  box-sizing: border-box;
}
.alert {
  border: 1px solid #fda29b;
  background: var(--bad-bg);
  color: var(--bad);
  border-radius: 0.4rem;
  padding: 0.7rem 0.8rem;
  margin-bottom: 0.5rem;
}
.alt {
  margin-top: 1.25rem;
  text-align: center;
  color: var(--muted);
  font-size: 0.95rem;
}
.alt a {
  color: var(--accent);
}
.foot {
  text-align: center;
  color: var(--muted);
  font-size: 0.85rem;
  padding: 1rem;
}
${ADMIN_CSS}`

/** Only `#mlflow-gate-badge` rules: it is loaded into MLflow's page and must not touch anything else. */
export const BADGE_CSS = `
/* The badge added to the MLflow UI: small, fixed, outside React's root, so it never breaks the app. */
/* Bottom centre: MLflow keeps its own launchers in the corners (the assistant button bottom right). */
#mlflow-gate-badge {
  position: fixed;
  left: 50%;
  transform: translateX(-50%);
  bottom: 10px;
  z-index: 2147483000;
  display: flex;
  align-items: center;
  gap: 8px;
  padding: 6px 8px 6px 12px;
  background: #fff;
  border: 1px solid #d9e2ec;
  border-radius: 999px;
  box-shadow: 0 2px 10px rgba(31, 41, 51, 0.15);
  font: 13px/1.2 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: #1f2933;
}
#mlflow-gate-badge .who {
  font-weight: 600;
}
#mlflow-gate-badge a,
#mlflow-gate-badge button {
  all: unset;
  cursor: pointer;
  color: #0b6bcb;
  padding: 4px 8px;
  border-radius: 999px;
}
#mlflow-gate-badge a:hover,
#mlflow-gate-badge button:hover {
  background: #eef5fc;
}
#mlflow-gate-badge form {
  margin: 0;
  display: inline;
}
`
