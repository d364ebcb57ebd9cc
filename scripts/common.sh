# Shared settings of the kit's scripts (sourced, not run).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="$REPO/artifacts"
FEED="$ARTIFACTS/feed"
# The kit sends no telemetry: not ONNX Runtime, not the dotnet CLI, not .NET Interactive.
export ORT_DISABLE_TELEMETRY=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Our kernelspec (written by setup.sh) comes first; Debian's Python (with nbclient) runs the Jupyter client.
export JUPYTER_PATH="$ARTIFACTS/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export PYTHON=/usr/bin/python3
KIT_VERSION="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$REPO/Directory.Build.props")"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
