using System.Collections.Concurrent;
using Talk.Kit.Models;

namespace Talk.Kit;

/// <summary>
/// What a session shares between magic commands and code: models and results stored under a name
/// (<c>#!model load lenet-5 --as lenet</c> then <c>Kit.Models["lenet"]</c>; <c>#!kit --as info</c> then
/// <c>Kit.Results["info"]</c>). Names are case-insensitive.
/// </summary>
public sealed class Workspace
{
    private readonly ConcurrentDictionary<string, object> results = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Model> models = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Named models.</summary>
    public IDictionary<string, Model> Models => models;

    /// <summary>The model stored under <paramref name="name"/>, with a clear error otherwise.</summary>
    public Model Model(string name) => models.TryGetValue(name, out var model) ? model
        : throw new KeyNotFoundException($"No model named '{name}' in the workspace. Known models: {(models.IsEmpty ? "(none yet: #!model load lenet-5 --as lenet)" : string.Join(", ", models.Keys.Order()))}.");

    /// <summary>Named results (reports of commands, values put there by code).</summary>
    public IDictionary<string, object> Results => results;

    /// <summary>The result stored under <paramref name="name"/> as a <typeparamref name="T"/>, with a clear error otherwise.</summary>
    public T Get<T>(string name) => results.TryGetValue(name, out var value)
        ? value is T typed ? typed : throw new InvalidCastException($"'{name}' is a {value.GetType().Name}, not a {typeof(T).Name}.")
        : throw new KeyNotFoundException($"Nothing named '{name}' in the workspace. Known names: {(results.IsEmpty ? "(none yet)" : string.Join(", ", results.Keys.Order()))}.");
}

/// <summary>The session's entry point for code: <c>Kit.Results["info"]</c>.</summary>
public static class Kit
{
    /// <summary>The workspace of this process (one notebook kernel = one workspace).</summary>
    public static Workspace Workspace { get; } = new();

    /// <summary>Shortcut for <c>Kit.Workspace.Results</c>.</summary>
    public static IDictionary<string, object> Results => Workspace.Results;

    /// <summary>Shortcut for <c>Kit.Workspace.Models</c>.</summary>
    public static IDictionary<string, Model> Models => Workspace.Models;
}
