namespace Talk.Kit.Benchmarks;

/// <summary>Options common to the benchmarks: which models, how many interleaved rounds, which batch sizes, how many ORT threads (default: physical cores).</summary>
public sealed record BenchmarkArguments(IReadOnlyList<string> Models, int Runs, IReadOnlyList<int> Batches, int? Threads)
{
    public static BenchmarkArguments Parse(string[] args)
    {
        var models = new List<string>();
        int runs = 200;
        var batches = new List<int>();
        int? threads = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--models": models.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); i++; break;
                case "--runs": runs = int.TryParse(value, out int r) && r >= 3 ? r : throw new ArgumentException($"--runs takes a whole number ≥ 3, not '{value}'."); i++; break;
                case "--batch": batches.AddRange(value.Split(',').Select(b => int.TryParse(b, out int n) && n >= 1 ? n : throw new ArgumentException($"--batch takes sizes ≥ 1, not '{b}'."))); i++; break;
                case "--threads": threads = int.TryParse(value, out int t) && t >= 1 ? t : throw new ArgumentException($"--threads takes a whole number ≥ 1, not '{value}'."); i++; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}': use --models, --runs, --batch or --threads.");
            }
        }
        return new(models, runs, batches, threads);
    }

    public IReadOnlyList<string> ModelsOr(params string[] defaults) => Models.Count > 0 ? Models : defaults;

    public IReadOnlyList<int> BatchesOr(params int[] defaults) => Batches.Count > 0 ? Batches : defaults;
}
