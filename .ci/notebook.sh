#!/usr/bin/env bash
# Executes docs/notebooks/augmentation.ipynb end to end in the C# Jupyter kernel (dotnet-interactive, from the local
# tool manifest) with `jupyter nbconvert --execute`; fails on any cell error, checks the preview cell showed the grid,
# and that the committed notebook carries no outputs. The executed copy goes to artifacts/notebook/.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
if ! /usr/bin/python3 -c 'import nbconvert, nbclient' 2>/dev/null; then
  apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq python3-nbconvert python3-ipykernel jupyter-notebook >/dev/null
fi
dotnet tool restore >/dev/null
# The assemblies the notebook's #r lines load: Mirage.Cli's closure, native libraries flat beside them.
dotnet publish src/Mirage.Cli/Mirage.Cli.csproj -c Release -r linux-x64 --no-self-contained -p:MirageToolWithLibTorch=true -o artifacts/notebook-lib --nologo -v quiet >/dev/null
# Flattening for the RID puts the package's libLibTorchSharp.so beside the DLLs, not Mirage.TorchSharp's copy patched
# for the system's libstdc++ (src/Mirage.TorchSharp/Mirage.TorchSharp.csproj), which stays under runtimes/: use it.
patched=artifacts/notebook-lib/runtimes/linux-x64/native/libLibTorchSharp.so
if [ -f "$patched" ]; then cp "$patched" artifacts/notebook-lib/; fi

# The kernel spec of dotnet-interactive's C# kernel, in a private Jupyter path (nothing installed for the user).
kernels=$(mktemp -d)
trap 'rm -rf "$kernels"' EXIT
mkdir -p "$kernels/kernels/.net-csharp"
cat > "$kernels/kernels/.net-csharp/kernel.json" <<'JSON'
{"argv": ["dotnet", "dotnet-interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "1000-3000"],
 "display_name": ".NET (C#)", "language": "C#"}
JSON
mkdir -p artifacts/notebook
(cd docs/notebooks && JUPYTER_PATH="$kernels" /usr/bin/python3 -m nbconvert --to notebook --execute augmentation.ipynb \
   --ExecutePreprocessor.timeout=600 --output "$PWD/../../artifacts/notebook/augmentation.ipynb")
/usr/bin/python3 - <<'PY'
import json, sys
committed = json.load(open("docs/notebooks/augmentation.ipynb"))
run = json.load(open("artifacts/notebook/augmentation.ipynb"))
errors = []
if any(c.get("outputs") or c.get("execution_count") for c in committed["cells"] if c["cell_type"] == "code"):
    errors.append("docs/notebooks/augmentation.ipynb: commit it with outputs stripped (jupyter nbconvert --clear-output --inplace)")
text = json.dumps(run)
preview = next(c for c in run["cells"] if "PreviewCommand.Render" in "".join(c["source"]))
if not any("data:image/png;base64," in "".join(o.get("data", {}).get("text/html", [])) for o in preview["outputs"]):
    errors.append("the preview cell did not show the grid")
if "20 cells" not in json.dumps(preview["outputs"]):
    errors.append("the preview cell did not report 20 cells")
if "val_accuracy" not in text or "<svg" not in text:
    errors.append("the training or plotting cells did not produce their output")
for e in errors: print("FAIL " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
echo "notebook: executed end to end in $((SECONDS - start)) s; output in artifacts/notebook/augmentation.ipynb"
