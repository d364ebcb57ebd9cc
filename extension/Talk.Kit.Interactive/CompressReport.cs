using Talk.Kit.Compression.Pipeline;

namespace Talk.Kit.Interactive;

/// <summary>What <c>#!compress</c> shows: the engine's outcome, the workspace names, and where the file went.</summary>
public sealed record CompressReport(string Original, string Compressed, CompressionOutcome Outcome, string? SavedTo);
