namespace Talk.Kit.Benchmarks;

/// <summary>Options common to the benchmarks: which models, how many interleaved rounds, which batch sizes.</summary>
public sealed record BenchmarkArguments(IReadOnlyList<string> Models, int Runs, IReadOnlyList<int> Batches)
{
    public static BenchmarkArguments Parse(string[] args)
    {
        var models = new List<string>();
        int runs = 200;
        var batches = new List<int>();
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--models": models.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); i++; break;
                case "--runs": runs = int.TryParse(value, out int r) && r >= 3 ? r : throw new ArgumentException($"--runs takes a whole number ≥ 3, not '{value}'."); i++; break;
                case "--batch": batches.AddRange(value.Split(',').Select(b => int.TryParse(b, out int n) && n >= 1 ? n : throw new ArgumentException($"--batch takes sizes ≥ 1, not '{b}'."))); i++; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}': use --models, --runs or --batch.");
            }
        }
        return new(models, runs, batches);
    }

    public IReadOnlyList<string> ModelsOr(params string[] defaults) => Models.Count > 0 ? Models : defaults;

    public IReadOnlyList<int> BatchesOr(params int[] defaults) => Batches.Count > 0 ? Batches : defaults;
}
