namespace Talk.Kit.Models;

/// <summary>
/// A model that cannot be used: unreadable bytes, a broken graph, an unsupported opset, or one ONNX Runtime refuses.
/// The message says what is wrong, in which model or file, and what to do.
/// </summary>
/// <remarks>
/// An <see cref="IOException"/> (as <see cref="FileNotFoundException"/> is), because <see cref="InvalidDataException"/>,
/// .NET's "data stream in an invalid format", is sealed: one <c>catch (IOException)</c> covers a missing and an unusable file.
/// </remarks>
public sealed class ModelFormatException : IOException
{
    public ModelFormatException(string message) : base(message) { }

    public ModelFormatException(string message, Exception? innerException) : base(message, innerException) { }
}
