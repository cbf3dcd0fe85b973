// The checks under Pyodide's Python give the same reports as under CPython.
//
// Loads the npm pyodide package from node_modules (no network), runs the built
// check.py in it as the browser does, and evaluates every case that
// prepare_inputs.py wrote with CPython's answers: the fixture corpus, the real
// nvidia-smi outputs (paste mode) and browser descriptions.
//
//   node --test tests/node/          (prepares its inputs with the project's Python)
//   INPUTS=DIR node --test tests/node/   (inputs already prepared, as the pytest wrapper does)
//   STDLIB=ZIP ...                       (with the site's trimmed standard library, see tests/browser)
import {test} from "node:test";
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, existsSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function inputs() {
  if (process.env.INPUTS) return process.env.INPUTS;
  const dir = mkdtempSync(path.join(tmpdir(), "pyodide-checks-"));
  const venv = path.join(ROOT, ".venv", "bin", "python");
  const python = existsSync(venv) ? venv : "python3";
  const made = spawnSync(python, [path.join(ROOT, "tests", "node", "prepare_inputs.py"), dir], {encoding: "utf8"});
  assert.equal(made.status, 0, made.stderr);
  return dir;
}

const RUNNER = `
import json
_namespace = {"__name__": "invoke_check"}
exec(compile(CHECK_SCRIPT, "check.py", "exec"), _namespace)
_namespace["_install_embedded_modules"]()
from checks.browser import run_browser_check, run_paste
from checks.evaluate import evaluate
from checks.rules_source import load
_rules, _ = load()


def run_case(kind, payload, site, release):
    payload = json.loads(payload)
    error = None
    if kind == "facts":
        report = evaluate(payload, _rules, site)
    elif kind == "paste":
        result = run_paste(payload, site, release or None)
        report, error = result["report"], result["error"]
    else:
        report = run_browser_check(payload, site)["report"]
    answer = None if report is None else {"findings": report["findings"], "models": report["models"],
                                          "summary": report["summary"], "release": report["release"]}
    return json.dumps({"answer": answer, "error": error})
`;

test("Pyodide's Python gives CPython's reports for every case", {timeout: 180000}, async () => {
  const dir = inputs();
  const {site, cases} = JSON.parse(readFileSync(path.join(dir, "cases.json"), "utf8"));
  assert.ok(cases.length >= 20, "expected the corpus and the real outputs, got " + cases.length + " cases");
  const releases = cases.filter((item) => item.release);
  assert.ok(releases.length >= 2, "expected the paste judged against each release");
  assert.notDeepEqual(releases[0].expected.findings, releases[releases.length - 1].expected.findings);
  const {loadPyodide} = await import(path.join(ROOT, "node_modules", "pyodide", "pyodide.mjs"));
  // STDLIB=FILE: the standard library zip the site serves (trimmed to what the check imports) instead of the whole one.
  const options = {indexURL: path.join(ROOT, "node_modules", "pyodide") + path.sep};
  if (process.env.STDLIB) options.stdLibURL = process.env.STDLIB;
  const pyodide = await loadPyodide(options);
  assert.match(pyodide.runPython("import sys; sys.version"), /^3\./);
  pyodide.globals.set("CHECK_SCRIPT", readFileSync(path.join(dir, "check.py"), "utf8"));
  pyodide.runPython(RUNNER);
  const runCase = pyodide.globals.get("run_case");
  for (const item of cases) {
    const got = JSON.parse(runCase(item.kind, JSON.stringify(item.input), site, item.release || ""));
    assert.deepEqual(got.answer, item.expected, item.name);
    if (item.kind === "paste") assert.equal(got.error, item.error, item.name);
  }
  runCase.destroy();
});
