using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Benchmarks;

/// <summary>Benchmark progress on stderr, one line per tenth, so stdout stays a clean table.</summary>
internal sealed class ConsoleProgress(string label) : IProgress<BenchmarkProgress>
{
    private int lastTenth = -1;

    public void Report(BenchmarkProgress value)
    {
        int tenth = value.Total == 0 ? 10 : value.Completed * 10 / value.Total;
        if (tenth == lastTenth) return;
        lastTenth = tenth;
        Console.Error.WriteLine($"  {label}: {value.Phase} {value.Completed}/{value.Total}");
    }
}
