namespace Talk.Kit.Runtime.Profiling;

/// <summary>
/// A profile file ONNX Runtime wrote that cannot be read: not JSON, not a trace-event array, or cut short.
/// The message reads "<c>file: what is wrong. What to do.</c>".
/// </summary>
/// <remarks>
/// An <see cref="IOException"/>, as the kit's other unusable-file errors (<c>ModelFormatException</c>,
/// <c>DatasetFormatException</c>): <see cref="InvalidDataException"/>, the natural parent, is sealed.
/// </remarks>
public sealed class OrtProfileFormatException : IOException
{
    /// <param name="source">The file (or description of the text) at fault.</param>
    /// <param name="problem">What is wrong, one clause, no final full stop.</param>
    /// <param name="inner">The JSON reader's error, if one caused this.</param>
    public OrtProfileFormatException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}. ONNX Runtime writes a complete JSON array when profiling ends; " +
               "a file cut short (the process stopped while writing) cannot be read: profile again.", inner)
    {
        Location = source;
    }

    /// <summary>The file (or description of the text) at fault.</summary>
    public string Location { get; }
}
