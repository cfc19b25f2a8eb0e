// Package dashboard is the ledger's web dashboard, served by ledgerd at "/" (the overview) and
// under /ui (inventory, certificate detail with "verify this history", approvals, audit,
// sign-in and the live event feed). Pages are rendered on the server with html/template;
// the templates, one stylesheet and one small script (no library, no build step) are embedded
// in the binary, so the dashboard needs nothing from the network and works offline.
//
// # Invariants
//
//   - Every page is made of the REST API's answers, called in-process (inProcess) with the
//     signed-in caller's own API token: the same read models, roles and team scopes as the
//     API, so a DEVOPS caller sees its team only and a VIEWER cannot approve, whatever the page
//     shows. The dashboard has no credentials of its own and no query of its own.
//   - The token is posted once, to POST /ui/signin, checked with GET /api/v1/me, and kept in
//     this process's memory; the browser holds only a random session id in an HttpOnly,
//     SameSite=Strict cookie (Secure when the request came over TLS). Nothing goes to URLs or
//     browser storage. A restart of ledgerd signs everyone out.
//   - Every state-changing form (sign-out, approve, reject) carries the session's CSRF token,
//     and the sign-in form a double-submit nonce; a form without it is refused with 403.
//   - Live: /ui/events relays the API's event stream (which only callers who read every team
//     may open); on each event the overview, inventory and approvals pages re-fetch their main
//     part, and the audit page adds the event to its tail. Nothing polls. A caller the stream
//     refuses (DEVOPS) gets one "closed" frame and reloads by hand.
package dashboard
