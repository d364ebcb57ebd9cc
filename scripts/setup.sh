#!/usr/bin/env bash
# Installs what the kit needs on Debian 12 / Ubuntu with the .NET 10 SDK; quick when everything is there.
#   apt: Jupyter client (nbconvert, nbclient), ipykernel (runner tests), Chromium (handout test),
#        Fashion-MNIST (Debian package), npm (plotly.js for offline charts)
#   dotnet tools from .config/dotnet-tools.json (the .NET Interactive kernel), and the Jupyter kernelspec.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

APT_PACKAGES=(jupyter-nbconvert python3-nbclient python3-ipykernel chromium dataset-fashion-mnist)
command -v npm >/dev/null || APT_PACKAGES+=(npm)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

step "dotnet tool restore (.NET Interactive $(sed -n 's:.*"version"\: "\(1[^"]*\)".*:\1:p' "$REPO/.config/dotnet-tools.json" | head -1))"
(cd "$REPO" && dotnet tool restore >/dev/null)

# The kernelspec runs the tool's DLL by absolute path, so the kernel starts from any folder, and sets the
# telemetry opt-outs in the kernel's environment before it starts (ONNX Runtime reads them only then).
step "Jupyter kernelspec talkkit-csharp"
tool_dll="$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.dotnet-interactive" -path '*/tools/net*/any/Microsoft.DotNet.Interactive.App.dll' | sort | tail -1)"
[ -n "$tool_dll" ] || { echo "error: .NET Interactive was not restored (dotnet tool restore)"; exit 1; }
"$PYTHON" "$REPO/scripts/write_kernelspec.py" --dotnet "$(command -v dotnet)" --tool "$tool_dll" \
  --into "$ARTIFACTS/jupyter/kernels" --into "${XDG_DATA_HOME:-$HOME/.local/share}/jupyter/kernels"

step "pretrained models (NuGet: Microsoft.ML.DnnImageFeaturizer.ResNet18)"
dotnet restore "$REPO/scripts/fetch-models" --nologo -v quiet
