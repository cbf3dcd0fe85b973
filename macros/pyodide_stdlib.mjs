// The standard library modules the browser check imports under Pyodide, with their docstrings removed.
//
//   node macros/pyodide_stdlib.mjs PYODIDE_DIR INPUT.json
//
// INPUT.json: {"script": text of check.py, "modules": [[name, is package, source] of each module of checks],
//              "calls": [["check" | "paste", argument], ...]}.
// Loads Pyodide from PYODIDE_DIR with its whole standard library, starts check.py
// as the page's worker does, runs the given calls (the button, its report pasted
// back, the paste box), then imports every module that the checks modules loaded
// so far name anywhere (imports inside functions included), until nothing new
// loads, and prints JSON:
// {"python": "3.14", "files": {path in python_stdlib.zip: source without docstrings}}
// for every module then loaded from the standard library zip. Pyodide's own start
// (its `pyodide` and `_pyodide` packages, the codecs) is included: it is loaded the same way.
//
// macros/browser_assets.py runs this at site build and zips the answer.
import {readFileSync} from "node:fs";
import path from "node:path";

const [pyodideDir, inputPath] = process.argv.slice(2);
const input = JSON.parse(readFileSync(inputPath, "utf8"));
input.modules = input.modules.map(([name, isPackage, source]) => [name, [isPackage, source]]);

const COLLECT = `
import ast, importlib, importlib.util, json, sys

_namespace = {"__name__": "invoke_check", "__file__": "check.py"}
exec(compile(CHECK_SCRIPT, "check.py", "exec"), _namespace)
_namespace["_install_embedded_modules"]()
del CHECK_SCRIPT
import checks.browser

_sources = dict(json.loads(MODULES))


def _imported(name, tree):
    package = name if _sources[name][0] else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) \
                if node.level else node.module
            yield base
            for alias in node.names:
                yield base + "." + alias.name


def _import_what_the_loaded_checks_name():
    """Import every module the loaded checks modules name anywhere, until nothing new is loaded."""
    done = set()
    while True:
        todo = [name for name in _sources if name in sys.modules and name not in done]
        if not todo:
            return
        for name in todo:
            done.add(name)
            for wanted in _imported(name, ast.parse(_sources[name][1])):
                try:
                    importlib.import_module(wanted)
                except ImportError:
                    pass    # a name imported from a module, or a module of another platform

for _kind, _argument in json.loads(CALLS):
    if _kind == "check":          # and its report pasted back, as a --json report
        _report = checks.browser.run_browser_check(_argument, "https://example.invalid/")["report"]
        checks.browser.run_paste(json.dumps(_report), "https://example.invalid/")
    else:
        checks.browser.run_paste(_argument, "https://example.invalid/")
_import_what_the_loaded_checks_name()

_PREFIX = "/lib/python%d%d.zip/" % sys.version_info[:2]


class _NoDocstrings(ast.NodeTransformer):
    def generic_visit(self, node):
        ast.NodeTransformer.generic_visit(self, node)
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \\
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \\
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
        return node


def _stripped(source):
    # What python -OO drops, and the comments: the standard library is tested to work without docstrings.
    return ast.unparse(_NoDocstrings().visit(ast.parse(source))) + "\\n"


_loaded = sorted(set(_module.__file__[len(_PREFIX):] for _module in list(sys.modules.values())
                     if (getattr(_module, "__file__", None) or "").startswith(_PREFIX)))
import zipfile
with zipfile.ZipFile(_PREFIX.rstrip("/")) as _zip:
    _files = dict((_name, _stripped(_zip.read(_name).decode("utf-8"))) for _name in _loaded)
json.dumps({"python": "%d.%d" % sys.version_info[:2], "files": _files}, sort_keys=True)
`;

const {loadPyodide} = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({indexURL: path.resolve(pyodideDir) + path.sep, packages: []});
pyodide.globals.set("CHECK_SCRIPT", input.script);
pyodide.globals.set("MODULES", JSON.stringify(input.modules));
pyodide.globals.set("CALLS", JSON.stringify(input.calls));
try {
  process.stdout.write(pyodide.runPython(COLLECT));
} catch (error) {
  process.stderr.write(String(error && error.message || error) + "\n");   // the Python traceback
  process.exit(1);
}
