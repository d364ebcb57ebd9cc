using System.Text.RegularExpressions;

namespace Talk.Kit.Runtime;

/// <summary>
/// Turns an ONNX Runtime error into one readable line: drops the error-code tag, the C++ source location and
/// function signature, and the node's full type dump, keeping the node's name, its op and the reason:
/// "node 'frob' (Frobnicate): No Op registered for Frobnicate with domain_version of 17".
/// </summary>
internal static partial class OrtErrorText
{
    private const int MaxLength = 400;

    public static string Condense(string message)
    {
        string text = Whitespace().Replace(message, " ").Trim();
        text = ErrorCode().Replace(text, "");
        text = SourceLocation().Match(text) is { Success: true } location ? SkipSignature(text, location.Length) : text;
        text = LoadFailed().Replace(text, "");
        text = NodeDump().Replace(text, m => $"node '{m.Groups["name"].Value}' ({m.Groups["op"].Value}): {m.Groups["reason"].Value}");
        text = NodeTag().Replace(text, m => $"node '{m.Groups["name"].Value}' ({m.Groups["op"].Value}): ");
        text = text.Trim().TrimEnd('.');
        return text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…";
    }

    /// <summary>After "file.h:46 ", drops "void ns::f(args…) [const] " when it is there (parentheses may nest).</summary>
    private static string SkipSignature(string text, int start)
    {
        int open = text.IndexOf('(', start);
        if (open < 0 || text.AsSpan(start, open - start).Contains(". ", StringComparison.Ordinal))
            return text[start..];
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                string rest = text[(i + 1)..].TrimStart();
                return rest.StartsWith("const ", StringComparison.Ordinal) ? rest[6..] : rest;
            }
        }
        return text[start..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^\[ErrorCode:\w+\]\s*")]
    private static partial Regex ErrorCode();

    [GeneratedRegex(@"^\S+\.(?:h|hpp|cc|cpp):\d+\s+")]
    private static partial Regex SourceLocation();

    [GeneratedRegex(@"^Load model from \S+ failed:\s*")]
    private static partial Regex LoadFailed();

    // [This is an invalid model. ]In Node, ("Conv_0", Conv, "", -1) : ("x": tensor(float),…) -> ("y",) , Error <reason>
    [GeneratedRegex(@"(?:This is an invalid model\. )?In Node, \(""(?<name>[^""]*)"", (?<op>[\w.]+), ""[^""]*"", -?\d+\) : .*? -> \(.*?\) , Error (?<reason>.*)$")]
    private static partial Regex NodeDump();

    // Node (c) Op (Conv) [ShapeInferenceError] <reason>
    [GeneratedRegex(@"^Node \((?<name>[^)]*)\) Op \((?<op>[^)]*)\) ")]
    private static partial Regex NodeTag();
}
