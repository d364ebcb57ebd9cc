namespace Talk.Kit.Runtime;

/// <summary>
/// Turns one kind of progress report into another, synchronously on the reporting thread. (System.Progress posts
/// to the synchronization context captured at construction, which a notebook kernel's thread may never pump.)
/// </summary>
public static class ProgressRelay
{
    /// <summary>A sink that maps each <typeparamref name="TFrom"/> report into <paramref name="target"/>; null when there is no target.</summary>
    public static IProgress<TFrom>? Map<TFrom, TTo>(IProgress<TTo>? target, Func<TFrom, TTo> map) =>
        target is null ? null : new Relay<TFrom>(value => target.Report(map(value)));

    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
