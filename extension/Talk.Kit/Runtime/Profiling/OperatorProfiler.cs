using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Runtime.Profiling;

/// <summary>
/// Times every kernel of a model with ONNX Runtime's built-in profiler: one session with profiling on runs
/// warm-up + measured runs on random inputs, ORT writes its trace file, and <see cref="ProfileSummary"/> keeps the
/// measured runs (ORT profiles from session creation, so the first <c>warmup</c> runs are dropped from the trace).
/// The file lives in a private temporary folder that is deleted before returning, whatever happens.
/// </summary>
public static class OperatorProfiler
{
    private const int Seed = 1234;

    /// <summary>Profiles <paramref name="model"/>; see <see cref="OperatorProfile"/> for what the numbers mean.</summary>
    /// <param name="batch">Value of every symbolic dimension of the inputs; a fixed leading dimension must equal it.</param>
    /// <param name="threads">Intra-op threads (default: physical cores).</param>
    /// <param name="runs">Measured runs.</param>
    /// <param name="warmup">Runs before them that are not counted.</param>
    /// <param name="level">Graph optimization level: node names follow the graph ORT made at this level.</param>
    /// <param name="progress">Reports "warm-up" and "profile" phases, one step per run.</param>
    /// <param name="cancellationToken">Checked before every run; cancelling throws (the temporary files are still removed).</param>
    public static OperatorProfile Profile(Model model, int batch = 1, int? threads = null, int runs = 20, int warmup = 3,
        GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL, IProgress<BenchmarkProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Profile(model, batch, threads, runs, warmup, level, progress, cancellationToken, Path.GetTempPath());

    /// <summary>As the public overload, with ORT's trace written under <paramref name="tempRoot"/> (tests check it is left empty).</summary>
    internal static OperatorProfile Profile(Model model, int batch, int? threads, int runs, int warmup, GraphOptimizationLevel level,
        IProgress<BenchmarkProgress>? progress, CancellationToken cancellationToken, string tempRoot)
    {
        ArgumentNullException.ThrowIfNull(model);
        Validate(batch, threads, runs, warmup);
        int threadCount = threads ?? MachineInfo.Current.PhysicalCores;
        var shapes = model.Inputs.Select(input => (input, Shape: InputShape(model, input, batch))).ToArray();

        string folder = Path.Combine(tempRoot, $"talk-kit-profile-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var values = new List<OrtValue>();
        try
        {
            var random = new Random(Seed);
            foreach (var (input, shape) in shapes)
                values.Add(ProbeInputs.Create(input.ElementType, shape, random));
            var (file, json) = RunProfiled(model, threadCount, level, Path.Combine(folder, "ort"),
                shapes.Select(s => s.input.Name).ToArray(), values, warmup, runs, progress, cancellationToken);
            var trace = OrtProfileParser.Parse(json, file);
            if (trace.Runs.Count != warmup + runs)
                throw new OrtProfileFormatException(file, $"holds {trace.Runs.Count} model_run events for {warmup + runs} runs (did ORT hit its event limit?)");
            return ProfileSummary.Summarize(trace, warmup, model.Name, batch, threadCount, level);
        }
        finally
        {
            foreach (var v in values)
                v.Dispose();
            DeleteQuietly(folder); // also after an error: ORT 1.31 writes the trace when a profiling session is disposed without EndProfiling
        }
    }

    private static void Validate(int batch, int? threads, int runs, int warmup)
    {
        if (batch <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "Batch must be at least 1, e.g. --batch 1.");
        if (threads <= 0)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "Thread count must be at least 1, e.g. --threads 2 (or leave it out to use the physical cores).");
        if (runs <= 0)
            throw new ArgumentOutOfRangeException(nameof(runs), runs, "Runs must be at least 1, e.g. --runs 20.");
        if (warmup < 0)
            throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "Warm-up runs cannot be negative: use 0 or more, e.g. --warmup 3.");
    }

    /// <summary>The concrete input shape; a fixed batch that differs from <paramref name="batch"/> is the caller's mistake, said plainly.</summary>
    private static TensorShape InputShape(Model model, TensorSpec input, int batch)
    {
        if (input.Dims is [{ Value: { } fixedBatch }, ..] && fixedBatch != batch)
            throw new ArgumentOutOfRangeException(nameof(batch), batch,
                $"Model '{model.Name}' takes batch {fixedBatch} only (input {input}): profile it with --batch {fixedBatch}, " +
                "or make its batch dimension symbolic first.");
        return ProbeInputs.ShapeFor(model, input, batch, symbols: null);
    }

    /// <summary>Runs the model with profiling on and returns ORT's trace file name and content.</summary>
    private static (string File, string Json) RunProfiled(Model model, int threads, GraphOptimizationLevel level, string prefix,
        string[] names, List<OrtValue> values, int warmup, int runs, IProgress<BenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        using var options = Ort.CreateSessionOptions(threads, level);
        options.ProfileOutputPathPrefix = prefix; // must be set before profiling is enabled (PLATFORM.md); ORT appends a timestamp and ".json"
        options.EnableProfiling = true;
        using var session = CreateSession(model, options);
        using var runOptions = new RunOptions();
        var outputs = session.OutputNames;
        for (int i = 0; i < warmup + runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunOnce(model, session, runOptions, names, values, outputs);
            progress?.Report(i < warmup ? new BenchmarkProgress("warm-up", i + 1, warmup) : new BenchmarkProgress("profile", i + 1 - warmup, runs));
        }
        string file = Path.GetFullPath(session.EndProfiling());
        return (file, File.ReadAllText(file));
    }

    private static InferenceSession CreateSession(Model model, SessionOptions options)
    {
        try
        {
            return new InferenceSession(model.ReadOnlyBytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException(
                $"ONNX Runtime {Ort.Version} cannot load model '{model.Name}' ({model.Lineage}): {OrtErrorText.Condense(e.Message)}. " +
                "Check that ModelLoader.Validate accepts the model.", e);
        }
    }

    private static void RunOnce(Model model, InferenceSession session, RunOptions runOptions, string[] names, List<OrtValue> values, IReadOnlyList<string> outputs)
    {
        try
        {
            using var results = session.Run(runOptions, names, values, outputs);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException(
                $"ONNX Runtime could not run model '{model.Name}': {OrtErrorText.Condense(e.Message)}. Check the batch and the model's inputs.", e);
        }
    }

    /// <summary>
    /// Removes the temporary folder. A failure here is swallowed on purpose: it must not hide the error that ended
    /// profiling, and a leftover sits in the system's temporary folder, which the OS cleans.
    /// </summary>
    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
