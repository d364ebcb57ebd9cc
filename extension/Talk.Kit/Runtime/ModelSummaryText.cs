using System.Text;

namespace Talk.Kit.Runtime;

/// <summary>The terminal form of a <see cref="ModelSummary"/>.</summary>
internal static class ModelSummaryText
{
    public static string Format(ModelSummary s)
    {
        var t = s.Totals;
        var text = new StringBuilder()
            .AppendLine($"{s.ModelName} at batch {s.Batch}: {t.Parameters:N0} parameters ({t.WeightBytes:N0} B), {t.Macs:N0} MACs, {t.Flops:N0} FLOPs, " +
                        $"activations peak {t.PeakActivationBytes:N0} B, total {t.TotalActivationBytes:N0} B")
            .AppendLine($"{"#",3}  {"node",-24} {"op",-20} {"output",-20} {"params",10} {"MACs",14} {"FLOPs",14}");
        foreach (var n in s.Nodes)
        {
            string output = n.Outputs.FirstOrDefault()?.Shape.ToString() ?? "?";
            string macs = n.Cost.IsCounted ? n.Macs.ToString("N0") : "n/a";
            string flops = n.Cost.IsCounted ? n.Flops.ToString("N0") : "n/a";
            text.AppendLine($"{n.Index,3}  {Clip(n.Name, 24),-24} {Clip(n.OpType, 20),-20} {output,-20} {n.Parameters,10:N0} {macs,14} {flops,14}");
        }
        if (t.UncountedOps.Count > 0)
            text.AppendLine($"No cost rule (counted as 0): {string.Join(", ", t.UncountedOps)}.");
        return text.Append(s.Method).ToString();
    }

    private static string Clip(string s, int width) => s.Length <= width ? s : s[..(width - 1)] + "…";
}
