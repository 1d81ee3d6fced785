// Validate formulas with KaTeX, as a reader's Jupyter/MathJax would meet them, but stricter.
// stdin:  JSON array of {"tex": string, "display": boolean}
// stdout: JSON array of {"index": i, "error": message}, one per formula that fails (empty when all pass).
//
// A formula fails when KaTeX cannot parse it (throwOnError: an unknown command, unbalanced braces, ...), when it
// is LaTeX-incompatible in KaTeX's strict sense (every strict issue counts, including those KaTeX would only
// silently adjust, such as a top-level \\ in display mode, which does nothing in LaTeX), or when it uses a
// command that needs `trust` (\href, \url, \includegraphics, \html...: KaTeX would render it in red).
// Chinese (any CJK) text inside \text{...} is fine; CJK characters directly in math mode are an error.
import katex from "katex";

const input = JSON.parse(await new Promise((resolve, reject) => {
  let data = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => { data += chunk; });
  process.stdin.on("end", () => resolve(data));
  process.stdin.on("error", reject);
}));
if (!Array.isArray(input)) throw new Error("expected a JSON array of {tex, display}");

const failures = [];
input.forEach(({ tex, display }, index) => {
  const issues = [];
  try {
    katex.renderToString(tex, {
      displayMode: Boolean(display),
      throwOnError: true,
      strict: (code, message) => { issues.push(`LaTeX-incompatible: ${message} [${code}]`); return "error"; },
      trust: (context) => { issues.push(`untrusted command ${context.command}`); return false; },
    });
  } catch (error) {
    failures.push({ index, error: String(error.message ?? error) });
    return;
  }
  if (issues.length > 0) failures.push({ index, error: issues.join("; ") });
});
process.stdout.write(JSON.stringify(failures) + "\n");
