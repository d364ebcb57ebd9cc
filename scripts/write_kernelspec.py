"""Writes the Jupyter kernelspec `talkkit-csharp`: the .NET Interactive C# kernel with the kit's environment.

Usage: write_kernelspec.py --dotnet PATH --tool PATH/Microsoft.DotNet.Interactive.App.dll --into DIR [--into DIR ...]
"""
import argparse
import json
import os
import tempfile

NAME = "talkkit-csharp"
# No telemetry from any process the kit starts (ONNX Runtime reads its switch only at process start).
ENV = {
    "ORT_DISABLE_TELEMETRY": "1",
    "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
    "DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT": "1",
    "DOTNET_NOLOGO": "1",
}


def spec(dotnet, tool):
    return {
        # --http-local-only: the kernel's HTTP side channel listens on loopback only, not on every interface.
        "argv": [dotnet, tool, "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-local-only"],
        "display_name": ".NET (C#) - Talk.Kit",
        "language": "C#",
        "env": ENV,
        "metadata": {"vscode": {"extension_id": "ms-dotnettools.dotnet-interactive-vscode", "kernel_id": "dotnet-interactive"}},
    }


def write_atomically(path, text):
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".kernel.", suffix=".json")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dotnet", required=True)
    parser.add_argument("--tool", required=True)
    parser.add_argument("--into", action="append", required=True)
    args = parser.parse_args()
    text = json.dumps(spec(args.dotnet, args.tool), indent=2)
    for root in args.into:
        folder = os.path.join(root, NAME)
        os.makedirs(folder, exist_ok=True)
        write_atomically(os.path.join(folder, "kernel.json"), text)
        print(f"  {folder}/kernel.json")


if __name__ == "__main__":
    main()
