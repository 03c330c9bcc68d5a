// The HTML of the dashboard's login and logout pages: plain forms, no script (the api's CSP allows
// none inline) and only an inline style (allowed), so they load nothing but themselves.
import { LOGIN_PATH, LOGOUT_PATH } from '../services/board-session.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` safe inside an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1f2933;margin:0}
main{max-width:22rem;margin:10vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin:0 0 .5rem}p{font-size:.9rem;color:#52606d}
label{display:block;font-size:.85rem;margin:1rem 0 .3rem}
input{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #cbd2d9;border-radius:4px;font-size:1rem}
button{margin-top:1.5rem;width:100%;padding:.6rem;border:0;border-radius:4px;background:#3b5bdb;color:#fff;font-size:1rem;cursor:pointer}
.error{color:#c92a2a;font-weight:600}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface LoginPageInput {
  /** The board page to open after the login (already checked by boardTarget). */
  next: string;
  /** Why the last attempt failed, shown above the form. */
  message?: string;
  /** The email last typed, kept in the form. */
  email?: string;
}

export function loginPage(input: LoginPageInput): string {
  const alert = input.message === undefined ? '' : `<p class="error" role="alert">${escapeHtml(input.message)}</p>\n`;
  return page(
    'Log in · OIP node queues',
    `<h1>OIP node queues</h1>
<p>Log in with an admin account of this node to open the BullMQ dashboard.</p>
${alert}<form method="post" action="${LOGIN_PATH}">
<input type="hidden" name="next" value="${escapeHtml(input.next)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>`,
  );
}

export function logoutPage(): string {
  return page(
    'Log out · OIP node queues',
    `<h1>OIP node queues</h1>
<p>End this browser's dashboard session.</p>
<form method="post" action="${LOGOUT_PATH}">
<button type="submit">Log out</button>
</form>`,
  );
}
