// graphql-http's GraphQL-over-HTTP audit of one endpoint, printed as JSON on stdout.
// Usage: node audit.mjs <url> [bearer token]. Each result: id, name, status (ok, notice, warn, error) and, when
// not ok, the reason and the answer the endpoint gave (status, content type, body).
import { auditServer } from "graphql-http";

const [url, token] = process.argv.slice(2);
const fetchFn = token
  ? (input, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    }
  : fetch;

const results = await auditServer({ url, fetchFn });
const report = [];
for (const result of results) {
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== "ok") {
    entry.reason = result.reason;
    entry.answer = {
      status: result.response.status,
      contentType: result.response.headers.get("content-type"),
      body: (await result.response.text()).slice(0, 500),
    };
  }
  report.push(entry);
}
process.stdout.write(JSON.stringify(report));
